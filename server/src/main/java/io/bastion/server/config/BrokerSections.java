package io.bastion.server.config;

import io.bastion.broker.BrokerSettings;
import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.broker.BrokerSettings.DeniedPublish;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import java.time.Duration;

/**
 * Binds the sections that configure the broker core — {@code limits}, {@code features}, {@code security} and {@code
 * sys} — into one {@link BrokerSettings}. Bounds are the MQTT 5 specification's where it sets one.
 */
final class BrokerSections {
    private static final int UNSIGNED_SHORT_MAX = 65_535;
    /** Variable Byte Integer maximum: the largest remaining length of an MQTT packet. */
    private static final int PACKET_SIZE_MAX = 268_435_455;
    /** Four Byte Integer maximum: the largest Session Expiry Interval (never expires). */
    private static final long SESSION_EXPIRY_MAX = 4_294_967_295L;

    private BrokerSections() {}

    static BrokerSettings bind(ConfigSection root) {
        BrokerSettings d = BrokerSettings.defaults();

        ConfigSection limits = root.section("limits");
        int maxPacketSize = limits.integer("max_packet_size", d.maximumPacketSize(), 16, PACKET_SIZE_MAX);
        int maxConnections = limits.integer("max_connections", d.maximumConnections(), 1, Integer.MAX_VALUE);
        int maxInflight = limits.integer("max_inflight", d.maximumInflight(), 1, UNSIGNED_SHORT_MAX);
        int maxQueued = limits.integer("max_queued_messages", d.maximumQueuedMessages(), 0, Integer.MAX_VALUE);
        QueueOverflowPolicy overflow = limits.choice("queue_overflow", QueueOverflowPolicy.class, d.queueOverflow());
        int minKeepAlive = limits.integer("min_keepalive", d.minimumKeepAlive(), 0, UNSIGNED_SHORT_MAX);
        int maxKeepAlive = limits.integer("max_keepalive", d.maximumKeepAlive(), 0, UNSIGNED_SHORT_MAX);
        if (minKeepAlive > maxKeepAlive) {
            throw limits.error(
                    "min_keepalive",
                    "must not be greater than limits.max_keepalive (" + minKeepAlive + " > " + maxKeepAlive + ")");
        }
        long sessionExpiryMax = limits.seconds("session_expiry_max", d.maximumSessionExpiry(), 0, SESSION_EXPIRY_MAX);
        int topicAliasMax = limits.integer("topic_alias_max", d.topicAliasMaximum(), 0, UNSIGNED_SHORT_MAX);
        int receiveMax = limits.integer("receive_max", d.receiveMaximum(), 1, UNSIGNED_SHORT_MAX);
        int maxQos = limits.integer("max_qos", d.maximumQos(), 0, 2);
        // [MQTT-3.1.3-5]: a server must accept client identifiers of 1 to 23 characters
        int maxClientIdLength =
                limits.integer("max_client_id_length", d.maximumClientIdLength(), 23, UNSIGNED_SHORT_MAX);
        Duration connectTimeout = limits.duration(
                "connect_timeout", d.connectTimeout(), Duration.ofMillis(100), Duration.ofHours(1), false);

        ConfigSection features = root.section("features");
        boolean retain = features.bool("retain_available", d.retainAvailable());
        boolean wildcards = features.bool("wildcard_subscriptions", d.wildcardSubscriptionAvailable());
        boolean subscriptionIds = features.bool("subscription_identifiers", d.subscriptionIdentifiersAvailable());
        boolean shared = features.bool("shared_subscriptions", d.sharedSubscriptionsAvailable());

        AnonymousAccess anonymous = root.section("security").choice("anonymous", AnonymousAccess.class, d.anonymous());
        DeniedPublish deniedPublish =
                root.section("security").choice("denied_publish", DeniedPublish.class, d.deniedPublish());

        Duration sysInterval = root.section("sys")
                .duration("interval", d.sysInterval(), Duration.ofSeconds(1), Duration.ofDays(1), true);

        return new BrokerSettings(
                maxPacketSize,
                maxConnections,
                maxInflight,
                maxQueued,
                overflow,
                minKeepAlive,
                maxKeepAlive,
                sessionExpiryMax,
                topicAliasMax,
                receiveMax,
                maxQos,
                retain,
                wildcards,
                subscriptionIds,
                shared,
                maxClientIdLength,
                connectTimeout,
                sysInterval,
                anonymous,
                deniedPublish);
    }
}
