package io.bastion.broker.store;

import io.bastion.broker.Message;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.MessageQueue;
import io.bastion.broker.subscription.SubscriptionEntry;

/**
 * The durable side of one persistent session. Called by the session on its own event loop only, and
 * only while the session is persistent (Session Expiry above 0). Failures throw {@link
 * StoreException}; the session then keeps going in memory and the publisher gets a negative ack.
 */
public interface SessionPersistence {

    /** The queue of this session on the store's medium; its writes belong to the session too. */
    MessageQueue queue();

    /**
     * The session's lasting attributes.
     *
     * @param disconnectedAtMillis when its connection was lost, or -1 while connected
     * @param will null when none is pending
     */
    void saveState(long expiryIntervalSeconds, long disconnectedAtMillis, Message will, long willDelaySeconds);

    void subscribed(String key, SubscriptionEntry entry);

    void unsubscribed(String key);

    /**
     * An outgoing QoS 1/2 PUBLISH was sent with this packet id (and left the queue if it came from it).
     * {@code ack}: the publisher's acknowledgement waiting for this write, or null; the store tells it
     * that it wrote ({@link PendingAck#wrote}) or holds the write ({@link PendingAck#heldWrite}).
     */
    void inflightSent(int packetId, Delivery delivery, PendingAck ack);

    /** PUBREC arrived for it: from now on only PUBREL is resent. */
    void inflightReleased(int packetId);

    /** PUBACK / PUBCOMP (or an error PUBREC) completed it. */
    void inflightDone(int packetId);

    /** An incoming QoS 2 packet id is held until PUBREL [MQTT-4.3.3-9], or no longer. */
    void incomingQos2(int packetId, boolean held);

    /** Everything of the session is gone (it ended, started clean or became non-persistent). */
    void discard();
}
