package io.bastion.broker;

import java.time.Duration;

/**
 * The limits and feature switches of the broker core. Every value is validated by the configuration
 * layer before it gets here; {@link #defaults()} are the embedded defaults.
 *
 * @param maximumPacketSize largest packet accepted from a client, in bytes (also CONNACK Maximum Packet Size)
 * @param maximumConnections connections beyond this are refused with CONNACK 0x97 / return code 3
 * @param maximumInflight outgoing QoS 1/2 messages awaiting acknowledgement per session (capped by the
 *     client's Receive Maximum)
 * @param maximumQueuedMessages messages queued per session while offline or while the inflight window is full
 * @param queueOverflow what happens when a session's queue is full
 * @param minimumKeepAlive a non-zero keep alive below this is raised to it (v5 Server Keep Alive), seconds
 * @param maximumKeepAlive seconds; v5 clients asking more (or 0) get Server Keep Alive, v3 clients are refused
 * @param maximumSessionExpiry seconds; longer Session Expiry Intervals are cut to it
 * @param topicAliasMaximum Topic Alias Maximum offered to clients (0 disables client to server aliases)
 * @param receiveMaximum Receive Maximum offered to clients: QoS 1/2 PUBLISH they may have unacknowledged
 * @param maximumQos highest QoS the broker accepts (CONNACK Maximum QoS when below 2)
 * @param retainAvailable whether retained messages are supported
 * @param wildcardSubscriptionAvailable whether filters with + and # are accepted
 * @param subscriptionIdentifiersAvailable whether Subscription Identifiers are accepted
 * @param sharedSubscriptionsAvailable whether $share/ subscriptions are accepted
 * @param maximumClientIdLength longest client identifier accepted, in characters
 * @param connectTimeout a connection that sends no CONNECT within this is closed
 * @param sysInterval how often $SYS topics are published; zero disables them
 * @param anonymous who may connect without credentials
 * @param deniedPublish what a PUBLISH the authorizer refuses does to the connection
 */
public record BrokerSettings(
        int maximumPacketSize,
        int maximumConnections,
        int maximumInflight,
        int maximumQueuedMessages,
        QueueOverflowPolicy queueOverflow,
        int minimumKeepAlive,
        int maximumKeepAlive,
        long maximumSessionExpiry,
        int topicAliasMaximum,
        int receiveMaximum,
        int maximumQos,
        boolean retainAvailable,
        boolean wildcardSubscriptionAvailable,
        boolean subscriptionIdentifiersAvailable,
        boolean sharedSubscriptionsAvailable,
        int maximumClientIdLength,
        Duration connectTimeout,
        Duration sysInterval,
        AnonymousAccess anonymous,
        DeniedPublish deniedPublish) {

    /** What happens to a client whose PUBLISH is not authorized. */
    public enum DeniedPublish {
        /** QoS 1/2 get PUBACK/PUBREC 0x87 (v5; 3.1.1 has no negative ack), QoS 0 is dropped; both counted. */
        DROP,
        /** The connection is closed: v5 clients get DISCONNECT 0x87 Not authorized first. */
        DISCONNECT
    }

    /** What a full session queue does with one more message. */
    public enum QueueOverflowPolicy {
        /** Drop the oldest queued message and count it (Mosquitto-like, keeps the freshest data). */
        DROP_OLDEST,
        /** Refuse the new message: a v5 QoS 1/2 publisher gets PUBACK/PUBREC 0x97 Quota Exceeded. */
        REJECT_NEW
    }

    /** Who may connect without a user name. */
    public enum AnonymousAccess {
        /** Anonymous clients are accepted only from loopback addresses (Mosquitto 2.x local-only mode). */
        LOOPBACK,
        ALLOW,
        DENY
    }

    public static BrokerSettings defaults() {
        return new BrokerSettings(
                1024 * 1024,
                100_000,
                20,
                1000,
                QueueOverflowPolicy.DROP_OLDEST,
                0,
                65_535,
                7 * 24 * 3600L,
                10,
                1024,
                2,
                true,
                true,
                true,
                true,
                256,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                AnonymousAccess.LOOPBACK,
                DeniedPublish.DROP);
    }
}
