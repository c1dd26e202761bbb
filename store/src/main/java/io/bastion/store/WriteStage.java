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
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One session's queue and inflight writes on their way to the store. What a publisher's acknowledgement
 * waits for anyway is held here instead of written: a QoS 1 message entering the queue, and a QoS 1
 * delivery of a QoS 1 message. The commit thread writes what is held, in one batch per session and
 * encoded only then, before it syncs the WAL; the acknowledgements waiting for those writes then wait
 * for that sync. A PUBACK that comes first cancels the inflight record, and a queue entry taken out
 * before it was written cancels its put; an acknowledgement whose held writes were all cancelled goes at
 * once, without a sync. So inflight records are held for the store's {@code inflight_write_delay} (the
 * time a subscriber that keeps up needs to acknowledge) before they are due: a subscriber that keeps up
 * costs the store nothing, one that falls behind costs one batched write per commit instead of one write
 * per message on its event loop. Queue entries are due at once (nothing is about to take them out).
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
     * An inflight record to write (delivery set) or to delete (delivery null), held since {@code heldAt}
     * ({@link System#nanoTime}); {@code ack}: the publisher's acknowledgement that waits for it, or null.
     */
    private record Pending(
            byte[] key, Delivery delivery, long order, boolean replacedDelete, PendingAck ack, long heldAt) {
        byte[] value() {
            return Records.delivery(delivery, order, false);
        }

        Pending withoutAck() {
            return new Pending(key, delivery, order, replacedDelete, null, heldAt);
        }
    }

    /** A queue entry not written yet. The held entries are always the newest of the queue, in order. */
    private record QueuePut(byte[] key, long sequence, Delivery delivery, PendingAck ack) {
        QueuePut withoutAck() {
            return new QueuePut(key, sequence, delivery, null);
        }
    }

    /** After a failed write (a full disk, say) what is held is tried again this much later. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RocksStore store;
    private final long holdNanos;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final List<byte[]> queueDeletes = new ArrayList<>();
    private long queueDeletesSince;
    private final ArrayDeque<QueuePut> queuePuts = new ArrayDeque<>();
    /** Waiting in the store's drain queue, due at {@code queuedDue} (System.nanoTime). */
    private boolean queuedForDrain;

    private long queuedDue;

    WriteStage(RocksStore store) {
        this.store = store;
        this.holdNanos = store.inflightWriteDelayNanos();
    }

    /** Holds a queue entry whose publisher's acknowledgement waits for the next commit. */
    synchronized void holdQueuePut(byte[] key, long sequence, Delivery delivery, PendingAck ack) {
        if (ack != null) {
            ack.heldWrite();
        }
        queuePuts.add(new QueuePut(key, sequence, delivery, ack));
        queueForDrain(System.nanoTime());
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
        long now = System.nanoTime();
        pending.put(packetId, new Pending(key, delivery, order, replacedDelete, moved, now));
        queueForDrain(now + holdNanos);
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
        long now = System.nanoTime();
        pending.put(packetId, new Pending(key, null, 0, false, null, now));
        queueForDrain(now + holdNanos);
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

    /**
     * On the commit thread: writes what is held in one batch if any of it is due at {@code now} (or
     * {@code evenIfNotDue}: the store closes), and
     * returns whether it wrote; otherwise queues the stage again for when it is due. A failed write keeps
     * what is held (for the next try) and fails the acknowledgements waiting for it.
     */
    synchronized boolean drain(long now, boolean evenIfNotDue) {
        queuedForDrain = false;
        if (isEmpty()) {
            return false;
        }
        long due = dueAt(now);
        if (!evenIfNotDue && due - now > 0) {
            queueForDrain(due);
            return false;
        }
        writeHeld();
        return true;
    }

    /** Queue entries are due at once, inflight records and deletes once held for the delay. */
    private long dueAt(long now) {
        if (!queuePuts.isEmpty()) {
            return now;
        }
        long oldest = queueDeletes.isEmpty() ? now : queueDeletesSince;
        for (Pending p : pending.values()) {
            if (p.heldAt - oldest < 0) {
                oldest = p.heldAt;
            }
        }
        return oldest + holdNanos;
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
        if (queueDeletes.isEmpty()) {
            queueDeletesSince = System.nanoTime();
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
            failHeldAcks();
            queueForDrain(System.nanoTime() + RETRY_NANOS); // what is held is tried again later
            throw e instanceof StoreException se ? se : new StoreException("store write failed: " + e.getMessage(), e);
        }
    }

    /** The acknowledgements waiting for held writes that could not be made get the failure now. */
    private void failHeldAcks() {
        pending.replaceAll((id, p) -> {
            if (p.ack == null) {
                return p;
            }
            p.ack.heldFailed();
            return p.withoutAck();
        });
        int n = queuePuts.size();
        for (int i = 0; i < n; i++) {
            QueuePut put = queuePuts.pollFirst();
            if (put.ack != null) {
                put.ack.heldFailed();
                put = put.withoutAck();
            }
            queuePuts.addLast(put);
        }
    }

    /** Queues the stage for the commit thread, or moves it forward when it is already queued for later. */
    private void queueForDrain(long due) {
        if (!queuedForDrain) {
            queuedForDrain = true;
            queuedDue = due;
            store.drainLater(this, due);
        } else if (due - queuedDue < 0) {
            queuedDue = due;
            store.heldWritesDue(due);
        }
    }
}
