package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;

/** PUBCOMP (3.7). MQTT 3.1.1 carries only the packet identifier; the reason code is then SUCCESS. */
public record PubComp(int packetId, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    public PubComp(int packetId) {
        this(packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
