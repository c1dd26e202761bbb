package io.bastion.broker;

import io.bastion.mqtt.MqttProperties;

/**
 * An application message as the broker routes it: what a PUBLISH or a will carries, independent of
 * any one connection. Per-delivery details (packet id, topic alias, subscription identifiers, the
 * remaining expiry) are added when it is sent.
 *
 * @param properties the publisher's v5 properties without Topic Alias and Subscription Identifier
 * @param publisherId client identifier of the publisher, for No Local; empty for the broker itself
 * @param expiresAtMillis wall-clock expiry from the Message Expiry Interval, or {@link #NEVER}
 */
public record Message(
        String topic,
        int qos,
        boolean retain,
        byte[] payload,
        MqttProperties properties,
        String publisherId,
        long expiresAtMillis) {

    public static final long NEVER = Long.MAX_VALUE;

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** Seconds left to live, rounded up, for the Message Expiry Interval forwarded to subscribers [MQTT-3.3.2-6]. */
    public long remainingExpirySeconds(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    public static long expiresAt(MqttProperties properties, long nowMillis) {
        Long interval = properties.messageExpiryInterval();
        return interval == null ? NEVER : nowMillis + interval * 1000;
    }
}
