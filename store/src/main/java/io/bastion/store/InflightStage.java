package io.bastion.store;

import io.bastion.broker.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One session's inflight records on their way to the store. An outgoing QoS 1 delivery of a QoS 1
 * message is held here instead of written: the commit thread writes what is held, in one batch per
 * session, before it syncs the WAL (so a publisher's ack, which waits for that sync, still finds the
 * message durable), and a PUBACK that comes first simply cancels the record, which then costs the
 * store nothing. Losing a held record in a crash is harmless: its message is still in the queue (the
 * queue delete is held with it) or its publisher was never acknowledged and sends it again.
 *
 * <p>Every inflight write of the session goes through here, under one lock shared with the commit
 * thread's {@link #drain}, so a held delete can never land after a newer record with the same packet id;
 * so do the session's other queue deletes, which take what is held along ({@link #deleteQueueEntry}) so
 * queue entries always leave the disk in queue order.
 */
final class InflightStage {
    /** A record to write (value) or to delete (value null). */
    private record Pending(byte[] key, byte[] value, boolean replacedDelete) {}

    private final RocksStore store;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<byte[]> queueDeletes = new ArrayList<>();
    private boolean queuedForDrain;

    InflightStage(RocksStore store) {
        this.store = store;
    }

    /** Holds the record of a QoS 1 delivery (and the delete of the queue entry it came from). */
    synchronized void hold(int packetId, byte[] key, byte[] value, byte[] polledQueueKey) {
        Pending before = pending.get(packetId);
        boolean replacedDelete = before != null && (before.value == null || before.replacedDelete);
        pending.put(packetId, new Pending(key, value, replacedDelete));
        if (polledQueueKey != null) {
            queueDeletes.add(polledQueueKey);
        }
        queueForDrain();
    }

    /**
     * Writes the record now (QoS 2 state must be on disk before the next packet leaves), together with
     * everything held: a held queue delete never lands without the inflight record it was paired with.
     */
    synchronized void write(int packetId, byte[] key, byte[] value, byte[] polledQueueKey) {
        pending.remove(packetId); // superseded: the new record overwrites whatever was held for this id
        writeWithHeld(polledQueueKey, key, value);
    }

    /** The record as the store will have it: held, or else on disk; null when there is none. */
    synchronized byte[] read(int packetId, byte[] key) {
        Pending p = pending.get(packetId);
        return p != null ? p.value : store.get(RocksStore.INFLIGHT, key);
    }

    /** The delivery is complete: a held record is dropped unwritten, one on disk gets a held delete. */
    synchronized void done(int packetId, byte[] key) {
        Pending before = pending.get(packetId);
        if (before != null && before.value != null && !before.replacedDelete) {
            pending.remove(packetId);
            return;
        }
        pending.put(packetId, new Pending(key, null, false));
        queueForDrain();
    }

    /** Forgets everything held (the session's records are being deleted). */
    synchronized void clear() {
        pending.clear();
        queueDeletes.clear();
    }

    /** Writes what is held in one batch; on the commit thread. A failed write keeps it held. */
    synchronized void drain() {
        queuedForDrain = false;
        if (pending.isEmpty() && queueDeletes.isEmpty()) {
            return;
        }
        writeWithHeld(null, null, null);
    }

    /**
     * Deletes a queue entry now (one delivered at QoS 0, or dropped), together with everything held, so
     * queue entries leave the disk in queue order and a crash never leaves a gap that recovery would take
     * for corruption.
     */
    synchronized void deleteQueueEntry(byte[] queueKey) {
        writeWithHeld(queueKey, null, null);
    }

    /** One batch: the held queue deletes and records, then the given queue delete and record (each optional). */
    private void writeWithHeld(byte[] queueDelete, byte[] inflightKey, byte[] inflightValue) {
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[] key : queueDeletes) {
                batch.delete(store.family(RocksStore.QUEUES), key);
            }
            if (queueDelete != null) {
                batch.delete(store.family(RocksStore.QUEUES), queueDelete);
            }
            for (Pending p : pending.values()) {
                if (p.value == null) {
                    batch.delete(store.family(RocksStore.INFLIGHT), p.key);
                } else {
                    batch.put(store.family(RocksStore.INFLIGHT), p.key, p.value);
                }
            }
            if (inflightKey != null) {
                batch.put(store.family(RocksStore.INFLIGHT), inflightKey, inflightValue);
            }
            store.write(batch);
            pending.clear();
            queueDeletes.clear();
        } catch (RocksDBException | StoreException e) {
            queueForDrain(); // what is held is tried again with the next commit; the caller's write failed
            throw e instanceof StoreException se ? se : new StoreException("store write failed: " + e.getMessage(), e);
        }
    }

    private void queueForDrain() {
        if (!queuedForDrain) {
            queuedForDrain = true;
            store.drainLater(this);
        }
    }
}
