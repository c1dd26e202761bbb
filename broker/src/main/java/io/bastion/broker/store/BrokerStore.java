package io.bastion.broker.store;

import io.bastion.broker.retain.RetainedMessages;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where the broker keeps the state that outlives a restart: persistent sessions (with their queues
 * and inflight messages), retained messages and the $SYS totals. The embedded default keeps
 * everything in memory; the {@code store} module keeps it on disk.
 */
public interface BrokerStore extends AutoCloseable {

    /** The in-memory store: nothing survives a restart, acknowledgements never wait. */
    static BrokerStore inMemory() {
        return new InMemoryBrokerStore();
    }

    /** Whether writes reach disk: acknowledgements of QoS 1/2 PUBLISH then wait for {@link #commit}. */
    boolean isDurable();

    RetainedMessages retained();

    /** The persistence of one session (called when the broker creates a session). */
    SessionPersistence session(String clientId);

    /** Persistent sessions found at start, with their persistence already open. */
    List<StoredSession> recoverSessions();

    /**
     * Completes once every write made before this call is durable (the WAL synced); completes on the
     * store's commit thread, never on the caller's.
     */
    CompletionStage<Void> commit();

    /**
     * Hands the writes made so far to the operating system, so they survive a crash of this process (not
     * of the machine: that is {@link #commit}). Called before packets leave the broker, so nothing a
     * client was told can be lost with the process; cheap when nothing was written.
     */
    default void flushWrites() {}

    /**
     * False while the store cannot take new work (the disk is nearly full or a write failed): new QoS
     * 1/2 PUBLISH are then refused instead of acknowledged. Safe from any thread.
     */
    boolean acceptsWrites();

    /** The $SYS totals saved at the last {@link #saveCounters}, by name. */
    Map<String, Long> loadCounters();

    void saveCounters(Map<String, Long> counters);

    @Override
    void close();
}
