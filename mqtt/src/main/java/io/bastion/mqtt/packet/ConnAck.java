package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;

/** CONNACK (3.2); for MQTT 3.1.1 the reason code is mapped to a return code 0-5 on the wire. */
public record ConnAck(boolean sessionPresent, ReasonCode reasonCode, MqttProperties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
