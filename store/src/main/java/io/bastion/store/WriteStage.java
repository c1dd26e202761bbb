package io.bastion.store;

import io.bastion.broker.session.Delivery;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.store.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One session's queue and inflight writes on their way to the store. What a publisher's acknowledgement
 * waits for anyway is held here instead of written: a QoS 1 message entering the queue, and a QoS 1
 * delivery of a QoS 1 message. The commit thread writes what is held, in one batch per session and
 * encoded only then, before it syncs the WAL (so the acknowledgement, which waits for that sync, still
 * finds the message durable). A PUBACK that comes first cancels the inflight record, and a queue entry
 * taken out before it was written cancels its put: a subscriber that keeps up costs the store nothing, one
 * that falls behind costs one batched write per commit instead of one write per message on its event loop.
 * Losing what is held in a crash is harmless: its publisher was never acknowledged and sends it again, or
 * (for an inflight record) its message is still in the queue, whose delete is held with it.
 *
 * <p>Every queue and inflight write of the session goes through here, under one lock shared with the
 * commit thread's {@link #drain}, and a write made at once takes everything held along: a held delete can
 * never land after a newer record with the same packet id, and queue entries reach and leave the disk in
 * queue order, so a crash never leaves a gap that recovery would take for corruption.
 */
final class WriteStage {
    /**
     * An inflight record to write (delivery set) or to delete (delivery null); {@code ack}: the
     * publisher's acknowledgement that waits for it, or null.
     */
    private record Pending(byte[] key, Delivery delivery, long order, boolean replacedDelete, PendingAck ack) {
        byte[] value() {
            return Records.delivery(delivery, order, false);
        }
    }

    /** A queue entry not written yet. The held entries are always the newest of the queue, in order. */
    private record QueuePut(byte[] key, long sequence, Delivery delivery, PendingAck ack) {}

    private final RocksStore store;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<byte[]> queueDeletes = new ArrayList<>();
    private final ArrayDeque<QueuePut> queuePuts = new ArrayDeque<>();
    private boolean queuedForDrain;

    WriteStage(RocksStore store) {
        this.store = store;
    }

    /** Holds a queue entry whose publisher's acknowledgement waits for the next commit. */
    synchronized void holdQueuePut(byte[] key, long sequence, Delivery delivery, PendingAck ack) {
        if (ack != null) {
            ack.heldWrite();
        }
        queuePuts.add(new QueuePut(key, sequence, delivery, ack));
        queueForDrain();
    }

    /** The sequence of the oldest held queue entry (all before it are on disk); MAX_VALUE when none. */
    synchronized long oldestHeldQueueEntry() {
        QueuePut oldest = queuePuts.peekFirst();
        return oldest == null ? Long.MAX_VALUE : oldest.sequence;
    }

    /**
     * Copies up to {@code max} held queue entries from sequence {@code from} on into {@code to}; returns
     * how many. None when they were written meanwhile (they are on disk then).
     */
    synchronized int copyHeldQueueEntries(long from, int max, Collection<Delivery> to) {
        int copied = 0;
        for (QueuePut put : queuePuts) {
            if (copied == max) {
                break;
            }
            if (put.sequence >= from) {
                to.add(put.delivery);
                copied++;
            }
        }
        return copied;
    }

    /** Writes a queue entry now, after the ones held before it. */
    synchronized void putQueueEntry(byte[] key, byte[] value) {
        write(batch -> batch.put(store.family(RocksStore.QUEUES), key, value));
    }

    /**
     * Holds the record of a QoS 1 delivery (and the delete of the queue entry it came from), encoded
     * only if it must be written.
     */
    synchronized void hold(
            int packetId, byte[] key, Delivery delivery, long order, byte[] polledQueueKey, PendingAck ack) {
        Pending before = pending.get(packetId);
        boolean replacedDelete = before != null && (before.delivery == null || before.replacedDelete);
        if (before != null && before.delivery != null) {
            settleAsWritten(before.ack); // not expected (the id is in use); waiting for the commit is safe
        }
        // the message's queue entry, if its put was still held, becomes this record: its ack waits for it now
        PendingAck moved = holdQueueDelete(polledQueueKey);
        if (ack != null) {
            ack.heldWrite();
            settleAsWritten(moved); // a stale polled entry (expired, or sent at QoS 0): the commit settles it
            moved = ack;
        }
        pending.put(packetId, new Pending(key, delivery, order, replacedDelete, moved));
        queueForDrain();
    }

    /**
     * Writes the record now (QoS 2 state must be on disk before the next packet leaves), together with
     * everything held: a held queue delete never lands without the inflight record it was paired with.
     */
    synchronized void write(int packetId, byte[] key, byte[] value, byte[] polledQueueKey) {
        // superseded: the new record overwrites whatever was held for this id
        Pending superseded = pending.remove(packetId);
        PendingAck moved = holdQueueDelete(polledQueueKey);
        write(batch -> batch.put(store.family(RocksStore.INFLIGHT), key, value));
        settleAsWritten(moved);
        if (superseded != null) {
            settleAsWritten(superseded.ack);
        }
    }

    /** The record as the store will have it: held, or else on disk; null when there is none. */
    synchronized byte[] read(int packetId, byte[] key) {
        Pending p = pending.get(packetId);
        if (p != null) {
            return p.delivery == null ? null : p.value();
        }
        return store.get(RocksStore.INFLIGHT, key);
    }

    /** The delivery is complete: a held record is dropped unwritten, one on disk gets a held delete. */
    synchronized void done(int packetId, byte[] key) {
        Pending before = pending.get(packetId);
        if (before != null && before.delivery != null) {
            cancel(before.ack); // delivered and acknowledged: the publisher need not wait for this record
            if (!before.replacedDelete) {
                pending.remove(packetId);
                return;
            }
        }
        pending.put(packetId, new Pending(key, null, 0, false, null));
        queueForDrain();
    }

    /**
     * Deletes a queue entry now (one delivered at QoS 0, or dropped), together with everything held, so
     * queue entries leave the disk in queue order.
     */
    synchronized void deleteQueueEntry(byte[] queueKey) {
        cancel(holdQueueDelete(queueKey));
        writeHeld();
    }

    /** Writes everything held now (before the queue is read back from disk). */
    synchronized void writeHeld() {
        if (!isEmpty()) {
            write(batch -> {});
        }
    }

    /** Writes what is held in one batch; on the commit thread. A failed write keeps it held. */
    synchronized void drain() {
        queuedForDrain = false;
        writeHeld();
    }

    /** Forgets the held queue entries (the queue's entries are being deleted). */
    synchronized void clearQueue() {
        for (QueuePut put : queuePuts) {
            cancel(put.ack);
        }
        queuePuts.clear();
        queueDeletes.clear();
    }

    /** Forgets everything held (the session's records are being deleted). */
    synchronized void clear() {
        for (Pending p : pending.values()) {
            cancel(p.ack);
        }
        pending.clear();
        clearQueue();
    }

    private boolean isEmpty() {
        return pending.isEmpty() && queueDeletes.isEmpty() && queuePuts.isEmpty();
    }

    /**
     * A queue entry leaves the queue: a put still held is cancelled (its ack, returned, is the caller's
     * to settle), one on disk gets a held delete.
     */
    private PendingAck holdQueueDelete(byte[] queueKey) {
        if (queueKey == null) {
            return null;
        }
        QueuePut oldestHeld = queuePuts.peekFirst();
        if (oldestHeld != null && Arrays.equals(oldestHeld.key, queueKey)) {
            queuePuts.pollFirst(); // entries leave from the head, and held puts are the newest: never on disk
            return oldestHeld.ack;
        }
        queueDeletes.add(queueKey);
        return null;
    }

    private static void cancel(PendingAck ack) {
        if (ack != null) {
            ack.heldCancelled();
        }
    }

    private static void settleAsWritten(PendingAck ack) {
        if (ack != null) {
            ack.heldWritten();
        }
    }

    @FunctionalInterface
    private interface BatchPart {
        void addTo(WriteBatch batch) throws RocksDBException;
    }

    /** One batch: the held queue deletes, queue puts and inflight records, then {@code last}. */
    private void write(BatchPart last) {
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[] key : queueDeletes) {
                batch.delete(store.family(RocksStore.QUEUES), key);
            }
            for (QueuePut put : queuePuts) {
                batch.put(store.family(RocksStore.QUEUES), put.key, Records.delivery(put.delivery));
            }
            for (Pending p : pending.values()) {
                if (p.delivery == null) {
                    batch.delete(store.family(RocksStore.INFLIGHT), p.key);
                } else {
                    batch.put(store.family(RocksStore.INFLIGHT), p.key, p.value());
                }
            }
            last.addTo(batch);
            store.write(batch);
            for (QueuePut put : queuePuts) {
                settleAsWritten(put.ack);
            }
            for (Pending p : pending.values()) {
                settleAsWritten(p.ack);
            }
            pending.clear();
            queueDeletes.clear();
            queuePuts.clear();
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
