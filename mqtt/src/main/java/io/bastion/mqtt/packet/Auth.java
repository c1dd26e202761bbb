package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;

/** AUTH (3.15), MQTT 5 only: a step of enhanced authentication. */
public record Auth(ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
