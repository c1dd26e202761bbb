package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.PacketType;

/**
 * PUBLISH (3.3). The payload array is never modified once a packet holds it, so one message can be
 * shared by every subscriber it is delivered to.
 *
 * @param topic the topic name; may be empty in MQTT 5 when a Topic Alias property stands for it
 * @param packetId 0 for QoS 0
 */
public record Publish(
        String topic, int qos, boolean retain, boolean dup, int packetId, MqttProperties properties, byte[] payload)
        implements MqttPacket {

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    @Override
    public String toString() {
        return "Publish[" + topic + " qos=" + qos + " retain=" + retain + " dup=" + dup + " id=" + packetId + " "
                + properties + " " + payload.length + " bytes]";
    }
}
