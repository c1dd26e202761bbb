package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;

/** DISCONNECT (3.14); sent by either side in MQTT 5, only by the client in MQTT 3.1.1. */
public record Disconnect(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {
    public static final Disconnect NORMAL = new Disconnect(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY);

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
