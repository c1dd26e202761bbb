package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import java.util.List;

/** SUBSCRIBE (3.8). A v5 Subscription Identifier is in {@code properties.subscriptionIdentifiers()}. */
public record Subscribe(int packetId, List<Subscription> subscriptions, MqttProperties properties)
        implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }
}
