package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;

/** PUBACK (3.4). MQTT 3.1.1 carries only the packet identifier; the reason code is then SUCCESS. */
public record PubAck(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubAck(int packetId) {
        this(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
