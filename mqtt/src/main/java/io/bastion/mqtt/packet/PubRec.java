package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;

/** PUBREC (3.5). MQTT 3.1.1 carries only the packet identifier; the reason code is then SUCCESS. */
public record PubRec(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubRec(int packetId) {
        this(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
