package io.bastion.mqtt.packet;

import io.bastion.mqtt.PacketType;

/** PINGRESP (3.13). */
public record PingResp() implements MqttPacket {
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
