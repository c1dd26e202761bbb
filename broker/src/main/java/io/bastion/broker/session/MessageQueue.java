package io.bastion.broker.session;

import io.bastion.broker.store.PendingAck;

/**
 * The QoS 1/2 messages a session holds while its client is offline or its inflight window is full.
 * Owned by the session's event loop. A durable store implements it to keep large queues on disk.
 */
public interface MessageQueue {

    /**
     * Adds at the tail. {@code ack}: the publisher's acknowledgement waiting for this write, or null; a
     * durable queue tells it that it wrote or holds the write until the next commit (see {@link
     * PendingAck}).
     */
    void add(Delivery delivery, PendingAck ack);

    /** The oldest message, removed; null when empty. */
    Delivery poll();

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    void clear();
}
