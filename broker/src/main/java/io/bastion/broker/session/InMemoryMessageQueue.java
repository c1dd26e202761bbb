package io.bastion.broker.session;

import java.util.ArrayDeque;

/** The embedded default: a plain FIFO, bounded by the session (it checks the limit before adding). */
public final class InMemoryMessageQueue implements MessageQueue {
    // starts with two slots, not sixteen: most sessions never queue anything; it grows by doubling
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>(1);

    @Override
    public void add(Delivery delivery) {
        queue.add(delivery);
    }

    @Override
    public Delivery poll() {
        return queue.poll();
    }

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public void clear() {
        queue.clear();
    }
}
