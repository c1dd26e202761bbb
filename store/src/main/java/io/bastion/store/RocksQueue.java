package io.bastion.store;

import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.MessageQueue;
import io.bastion.broker.store.PendingAck;
import io.bastion.broker.store.StoreException;
import java.util.ArrayDeque;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * A session's queue on disk: entries under {@code [client][sequence]}, [head, tail) in use. Only a
 * window of at most {@link #WINDOW} decoded messages is kept in memory, so a million queued messages
 * cost disk, not heap. A polled entry is deleted together with the write that makes it inflight
 * ({@link #takePolledKey}), so a crash between the two neither loses nor duplicates it. Every write goes
 * through the session's {@link WriteStage}, which holds the puts an acknowledgement waits for anyway.
 */
final class RocksQueue implements MessageQueue {
    static final int WINDOW = 256;

    private final RocksStore store;
    private final WriteStage stage;
    private final byte[] prefix;
    private final ArrayDeque<Delivery> window = new ArrayDeque<>();
    private long head;
    private long tail;
    private byte[] polledKey;

    RocksQueue(RocksStore store, WriteStage stage, byte[] prefix, long head, long tail) {
        this.store = store;
        this.stage = stage;
        this.prefix = prefix;
        this.head = head;
        this.tail = tail;
    }

    @Override
    public void add(Delivery delivery, PendingAck ack) {
        deletePolled(); // one polled to make room (drop oldest) is gone for good
        byte[] key = Keys.withSequence(prefix, tail);
        if (ack != null && delivery.message().qos() == 1) {
            stage.holdQueuePut(key, tail, delivery, ack);
        } else { // a QoS 2 message's packet id is on disk at once, so its copies must be too
            stage.putQueueEntry(key, Records.delivery(delivery));
            if (ack != null) {
                ack.wrote();
            }
        }
        // the window mirrors the head of the queue: extend it only while it holds the whole queue
        if (window.size() == tail - head && window.size() < WINDOW) {
            window.add(delivery);
        }
        tail++;
    }

    @Override
    public Delivery poll() {
        deletePolled();
        if (head == tail) {
            return null;
        }
        if (window.isEmpty()) {
            readWindow();
        }
        Delivery d = window.poll();
        polledKey = Keys.withSequence(prefix, head);
        head++;
        return d;
    }

    /** Fills the window from the head: entries on disk, then the held ones (the newest) from memory. */
    private void readWindow() {
        long next = head;
        while (window.size() < WINDOW && next < tail) {
            long held = stage.oldestHeldQueueEntry();
            if (next < held) {
                next = readFromDisk(next, Math.min(tail, held));
            } else { // none copied: the commit wrote them meanwhile, so the next pass reads them from disk
                next += stage.copyHeldQueueEntries(next, WINDOW - window.size(), window);
            }
        }
    }

    /** Reads entries [from, end) into the window while it has room; returns the sequence after the last. */
    private long readFromDisk(long from, long end) {
        long expected = from;
        try (Slice lower = new Slice(Keys.withSequence(prefix, from));
                Slice upper = new Slice(Keys.withSequence(prefix, end));
                ReadOptions options =
                        new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
                RocksIterator it = store.db().newIterator(store.family(RocksStore.QUEUES), options)) {
            for (it.seekToFirst(); it.isValid() && window.size() < WINDOW; it.next()) {
                if (Keys.sequenceOf(it.key()) != expected) {
                    break;
                }
                window.add(Records.readDelivery(it.value()));
                expected++;
            }
        }
        if (expected == from || (expected < end && window.size() < WINDOW)) {
            throw new StoreException("queue of client " + Keys.clientOf(prefix) + " misses entry " + expected);
        }
        return expected;
    }

    /** The key of the entry polled last, still on disk, for the caller to delete in its own write. */
    byte[] takePolledKey() {
        byte[] key = polledKey;
        polledKey = null;
        return key;
    }

    private void deletePolled() {
        byte[] key = takePolledKey();
        if (key != null) {
            stage.deleteQueueEntry(key); // after any held delete of an earlier entry: no gaps on disk
        }
    }

    @Override
    public int size() {
        return (int) (tail - head);
    }

    @Override
    public void clear() {
        polledKey = null;
        stage.clearQueue();
        store.deleteRange(RocksStore.QUEUES, Keys.withSequence(prefix, 0), Keys.withSequence(prefix, tail));
        reset();
    }

    /** The entries are gone from disk (the session's records were deleted). */
    void reset() {
        window.clear();
        polledKey = null;
        head = tail;
    }
}
