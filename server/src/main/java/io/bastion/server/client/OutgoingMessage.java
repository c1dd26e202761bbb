package io.bastion.server.client;

import java.util.List;

/**
 * A message to publish, or a will.
 *
 * @param properties MQTT 5 properties ({@code -D publish ...} or {@code -D will ...})
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out, never shared
public record OutgoingMessage(String topic, byte[] payload, int qos, boolean retain, List<MqttProperty> properties) {

    public OutgoingMessage {
        payload = payload.clone();
        properties = List.copyOf(properties);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
