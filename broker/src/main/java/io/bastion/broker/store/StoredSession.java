package io.bastion.broker.store;

import io.bastion.broker.Message;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.subscription.SubscriptionEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A persistent session as read back at start.
 *
 * @param disconnectedAtMillis -1 when the broker stopped while the client was connected
 * @param will null when none was pending
 * @param subscriptions by the key the session stores them under (the full filter)
 * @param inflight unacknowledged outgoing messages in send order
 * @param incomingQos2 packet ids of incoming QoS 2 messages awaiting PUBREL
 */
public record StoredSession(
        String clientId,
        long expiryIntervalSeconds,
        long disconnectedAtMillis,
        Message will,
        long willDelaySeconds,
        Map<String, SubscriptionEntry> subscriptions,
        List<Inflight> inflight,
        Set<Integer> incomingQos2,
        SessionPersistence persistence) {

    /** An outgoing message sent and not yet completed; {@code released} once PUBREL was sent. */
    public record Inflight(int packetId, Delivery delivery, boolean released) {}
}
