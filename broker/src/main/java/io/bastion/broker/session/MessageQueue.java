package io.bastion.broker.session;

/**
 * The QoS 1/2 messages a session holds while its client is offline or its inflight window is full.
 * Owned by the session's event loop. A durable store implements it to keep large queues on disk.
 */
public interface MessageQueue {

    /**
     * Adds at the tail. {@code acknowledgedAfterCommit}: a publisher's acknowledgement waits for the
     * store's next commit, so a durable queue may hold the write until then.
     */
    void add(Delivery delivery, boolean acknowledgedAfterCommit);

    /** The oldest message, removed; null when empty. */
    Delivery poll();

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    void clear();
}
