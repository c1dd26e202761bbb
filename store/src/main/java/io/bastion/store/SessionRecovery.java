package io.bastion.store;

import io.bastion.broker.store.StoredSession;
import io.bastion.broker.subscription.SubscriptionEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the persistent sessions back at start. Costs a few seeks per session, not a read of every
 * queued message: a queue is known by its first and last sequence number and read lazily when
 * delivered. Messages whose expiry passed while the broker was down are purged from the head of each
 * queue (reading on only while they are expired); an expired message behind a live one is dropped when
 * its turn to be delivered comes [MQTT-3.3.2-5]. A record that cannot be decoded stops the start
 * (StoreException) rather than being dropped.
 */
final class SessionRecovery {
    private static final Logger log = LoggerFactory.getLogger(SessionRecovery.class);

    private final RocksStore store;
    private final long nowMillis;
    private long purged;

    SessionRecovery(RocksStore store, long nowMillis) {
        this.store = store;
        this.nowMillis = nowMillis;
    }

    List<StoredSession> recover() {
        List<StoredSession> sessions = new ArrayList<>();
        try (RocksIterator it = store.iterator(RocksStore.SESSIONS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String clientId = Keys.string(it.key(), 0, it.key().length);
                sessions.add(recover(clientId, Records.readState(it.value())));
            }
        }
        if (purged > 0) {
            log.info("purged {} queued messages that expired while the broker was down", purged);
        }
        return sessions;
    }

    private StoredSession recover(String clientId, Records.State state) {
        byte[] prefix = Keys.clientPrefix(clientId);
        Map<String, SubscriptionEntry> subscriptions = new LinkedHashMap<>();
        scan(
                RocksStore.SUBSCRIPTIONS,
                prefix,
                (key, value) -> subscriptions.put(
                        Keys.string(Keys.suffix(key), 0, Keys.suffix(key).length),
                        Records.readSubscription(clientId, value)));
        List<InflightRecord> records = new ArrayList<>();
        scan(RocksStore.INFLIGHT, prefix, (key, value) -> records.add(new InflightRecord(Keys.packetIdOf(key), value)));
        records.sort(Comparator.comparingLong(r -> Records.orderOf(r.value())));
        List<StoredSession.Inflight> inflight = new ArrayList<>();
        long nextOrder = 0;
        for (InflightRecord r : records) {
            inflight.add(new StoredSession.Inflight(
                    r.packetId(), Records.readDelivery(r.value()), Records.releasedOf(r.value())));
            nextOrder = Records.orderOf(r.value()) + 1;
        }
        Set<Integer> incoming = new HashSet<>();
        scan(RocksStore.INCOMING_QOS2, prefix, (key, value) -> incoming.add(Keys.packetIdOf(key)));
        long[] range = queueRange(prefix);
        RocksSession persistence = new RocksSession(store, clientId, range[0], range[1], nextOrder);
        return new StoredSession(
                clientId,
                state.expiryIntervalSeconds(),
                state.disconnectedAtMillis(),
                state.will(),
                state.willDelaySeconds(),
                subscriptions,
                inflight,
                incoming,
                persistence);
    }

    /** [head, tail) of the client's queue. */
    private long[] queueRange(byte[] prefix) {
        try (Slice lower = new Slice(prefix);
                Slice upper = new Slice(Keys.prefixEnd(prefix));
                ReadOptions options =
                        new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
                RocksIterator it = store.db().newIterator(store.family(RocksStore.QUEUES), options)) {
            it.seekToFirst();
            if (!it.isValid()) {
                return new long[] {0, 0};
            }
            long head = Keys.sequenceOf(it.key());
            long live = store.isReadOnly() ? head : firstLive(it, head);
            it.seekToLast();
            long tail = Keys.sequenceOf(it.key()) + 1;
            if (live > head) {
                purge(prefix, head, live);
            }
            return new long[] {live, tail};
        }
    }

    /** The sequence of the first entry from the iterator's position on that has not expired. */
    private long firstLive(RocksIterator it, long head) {
        long next = head;
        for (; it.isValid(); it.next()) {
            if (Keys.sequenceOf(it.key()) != next
                    || !Records.readDelivery(it.value()).message().isExpired(nowMillis)) {
                break; // a gap is left for the window read to report
            }
            next++;
        }
        return next;
    }

    private void purge(byte[] prefix, long from, long to) {
        store.deleteRange(RocksStore.QUEUES, Keys.withSequence(prefix, from), Keys.withSequence(prefix, to));
        purged += to - from;
    }

    @SuppressWarnings("ArrayRecordComponent") // a raw value, read once
    private record InflightRecord(int packetId, byte[] value) {}

    interface Visitor {
        void visit(byte[] key, byte[] value);
    }

    private void scan(String family, byte[] prefix, Visitor visitor) {
        try (Slice lower = new Slice(prefix);
                Slice upper = new Slice(Keys.prefixEnd(prefix));
                ReadOptions options =
                        new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
                RocksIterator it = store.db().newIterator(store.family(family), options)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                visitor.visit(it.key(), it.value());
            }
        }
    }
}
