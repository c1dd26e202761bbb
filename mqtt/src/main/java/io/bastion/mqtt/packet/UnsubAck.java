package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import java.util.List;

/** UNSUBACK (3.11). MQTT 3.1.1 sends no reason codes; the list is then ignored by the encoder. */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
