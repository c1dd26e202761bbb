package io.bastion.mqtt.packet;

import io.bastion.mqtt.MqttProperties;

/** The Will Message carried in a CONNECT; {@code properties} are the v5 Will Properties (3.1.3.2). */
public record Will(String topic, byte[] payload, int qos, boolean retain, MqttProperties properties) {

    @Override
    public String toString() {
        return "Will[" + topic + " qos=" + qos + " retain=" + retain + " " + payload.length + " bytes]";
    }
}
