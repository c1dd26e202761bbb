package io.bastion.broker.session;

import io.bastion.broker.store.PendingAck;
import java.util.ArrayDeque;

/** The embedded default: a plain FIFO, bounded by the session (it checks the limit before adding). */
public final class InMemoryMessageQueue implements MessageQueue {
    // created with the first message, with two slots, not sixteen: most sessions never queue anything
    private ArrayDeque<Delivery> queue;

    @Override
    public void add(Delivery delivery, PendingAck ack) {
        if (queue == null) {
            queue = new ArrayDeque<>(1);
        }
        queue.add(delivery);
    }

    @Override
    public Delivery poll() {
        return queue == null ? null : queue.poll();
    }

    @Override
    public int size() {
        return queue == null ? 0 : queue.size();
    }

    @Override
    public void clear() {
        queue = null;
    }
}
