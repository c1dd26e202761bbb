package io.bastion.broker.store;

import io.bastion.broker.Message;
import io.bastion.broker.retain.InMemoryRetainedMessages;
import io.bastion.broker.retain.RetainedMessages;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.InMemoryMessageQueue;
import io.bastion.broker.session.MessageQueue;
import io.bastion.broker.subscription.SubscriptionEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The embedded default (durability {@code memory}): state lives in the heap and ends with the process. */
final class InMemoryBrokerStore implements BrokerStore {
    private final RetainedMessages retained = new InMemoryRetainedMessages();

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public RetainedMessages retained() {
        return retained;
    }

    @Override
    public SessionPersistence session(String clientId) {
        return new InMemorySession();
    }

    @Override
    public List<StoredSession> recoverSessions() {
        return List.of();
    }

    @Override
    public CompletionStage<Void> commit() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean acceptsWrites() {
        return true;
    }

    @Override
    public Map<String, Long> loadCounters() {
        return Map.of();
    }

    @Override
    public void saveCounters(Map<String, Long> counters) {}

    @Override
    public void close() {}

    /** Only the queue: everything else a session holds is already in its own fields. */
    private static final class InMemorySession implements SessionPersistence {
        private final MessageQueue queue = new InMemoryMessageQueue();

        @Override
        public MessageQueue queue() {
            return queue;
        }

        @Override
        public void saveState(long expiry, long disconnectedAtMillis, Message will, long willDelaySeconds) {}

        @Override
        public void subscribed(String key, SubscriptionEntry entry) {}

        @Override
        public void unsubscribed(String key) {}

        @Override
        public void inflightSent(int packetId, Delivery delivery, PendingAck ack) {}

        @Override
        public void inflightReleased(int packetId) {}

        @Override
        public void inflightDone(int packetId) {}

        @Override
        public void incomingQos2(int packetId, boolean held) {}

        @Override
        public void discard() {}
    }
}
