package io.bastion.store;

import io.bastion.broker.store.StoredSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the offline tool shows: totals of a store and its persistent sessions, read without changing
 * anything.
 */
public final class StoreReport {
    /** One persistent session. */
    public record SessionLine(
            String clientId,
            long expiryIntervalSeconds,
            long disconnectedAtMillis,
            int subscriptions,
            int queued,
            int inflight,
            boolean willPending) {}

    /** Totals, with RocksDB's own size figures. */
    public record Stats(
            Path path,
            int sessions,
            long subscriptions,
            long queuedMessages,
            long inflightMessages,
            int retainedMessages,
            long liveDataBytes,
            long memtableBytes) {}

    private StoreReport() {}

    public static List<SessionLine> sessions(Path path) {
        try (RocksStore store = RocksStore.openReadOnly(path)) {
            List<SessionLine> lines = new ArrayList<>();
            for (StoredSession s : store.recoverSessions()) {
                lines.add(new SessionLine(
                        s.clientId(),
                        s.expiryIntervalSeconds(),
                        s.disconnectedAtMillis(),
                        s.subscriptions().size(),
                        s.persistence().queue().size(),
                        s.inflight().size(),
                        s.will() != null));
            }
            return lines;
        }
    }

    public static Stats stats(Path path) {
        try (RocksStore store = RocksStore.openReadOnly(path)) {
            List<StoredSession> sessions = store.recoverSessions();
            long subscriptions = 0;
            long queued = 0;
            long inflight = 0;
            for (StoredSession s : sessions) {
                subscriptions += s.subscriptions().size();
                queued += s.persistence().queue().size();
                inflight += s.inflight().size();
            }
            long live = 0;
            long memtables = 0;
            for (String family : RocksStore.FAMILIES) {
                live += Math.max(0, store.property(family, "rocksdb.live-sst-files-size"));
                memtables += Math.max(0, store.property(family, "rocksdb.cur-size-all-mem-tables"));
            }
            return new Stats(
                    store.path(),
                    sessions.size(),
                    subscriptions,
                    queued,
                    inflight,
                    store.retained().size(),
                    live,
                    memtables);
        }
    }
}
