package io.bastion.mqtt.packet;

import io.bastion.mqtt.PacketType;

/** PINGREQ (3.12). */
public record PingReq() implements MqttPacket {
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
