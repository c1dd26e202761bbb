package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import java.util.List;

/** UNSUBSCRIBE (3.10). */
public record Unsubscribe(int packetId, List<String> topicFilters, MqttProperties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
