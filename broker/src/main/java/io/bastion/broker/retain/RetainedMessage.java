package io.bastion.broker.retain;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.packet.Publish;
import java.util.Objects;

/**
 * A retained message: the PUBLISH as the broker keeps it.
 *
 * @param payload never modified once held (shared with every subscriber it is delivered to)
 * @param properties the v5 publish properties as received (the broker rewrites Message Expiry on
 *     delivery); {@link MqttProperties#EMPTY} for 3.1.1
 * @param expiresAtMillis {@link Long#MAX_VALUE} when the message has no Message Expiry Interval
 */
@SuppressWarnings("ArrayRecordComponent") // the payload is shared, never copied; equality is not used
public record RetainedMessage(String topic, int qos, byte[] payload, MqttProperties properties, long expiresAtMillis) {

    public RetainedMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
    }

    /** The retained message for a PUBLISH received at {@code receivedAtMillis} (3.3.2.3.3). */
    public static RetainedMessage from(Publish publish, long receivedAtMillis) {
        Long expiry = publish.properties().messageExpiryInterval();
        long expiresAt = expiry == null ? Long.MAX_VALUE : receivedAtMillis + expiry * 1000L;
        return new RetainedMessage(publish.topic(), publish.qos(), publish.payload(), publish.properties(), expiresAt);
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    @Override
    public String toString() {
        return "RetainedMessage[" + topic + " qos=" + qos + " " + payload.length + " bytes expiresAt="
                + (expiresAtMillis == Long.MAX_VALUE ? "never" : expiresAtMillis) + "]";
    }
}
