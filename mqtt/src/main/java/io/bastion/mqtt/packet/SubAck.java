package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;
import io.bastion.mqtt.ReasonCode;
import java.util.List;

/** SUBACK (3.9): one reason code per requested filter, in order. MQTT 3.1.1 knows 0, 1, 2 and 0x80. */
public record SubAck(int packetId, List<ReasonCode> reasonCodes, MqttProperties properties) implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}
