package io.bastion.store;

import io.bastion.broker.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit thread: makes writes durable by syncing RocksDB's WAL, so no event loop ever waits for an
 * fsync. With {@link Durability#GROUP_COMMIT} syncs are at least the group window apart (unless the batch
 * limit is reached): one sync serves every commit asked for since the last one, and a commit waits at
 * most one window and one sync; with {@link Durability#SYNC} each commit gets its own sync.
 *
 * <p>Before a sync it makes the sessions' held writes that are due ({@link HeldWrites}); it also wakes
 * for them when no commit is asked for, and syncs what they wrote. A commit asked for while they are
 * written (their acknowledgements, settled by the write) is served by the sync that follows. Futures
 * complete on this thread.
 */
final class WalCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCommitter.class);
    private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Writes held back until they fall due (see WriteStage). */
    @FunctionalInterface
    interface HeldWrites {
        /**
         * Makes the held writes due at {@code now}; those not due yet announce themselves again.
         *
         * @return whether anything was written
         * @throws StoreException when a write failed
         */
        boolean writeDue(long now);
    }

    private final RocksDB db;
    private final HeldWrites heldWrites;
    private final boolean eachOnItsOwn;
    private final long windowNanos;
    private final int maxBatch;
    private final Consumer<RocksDBException> onFailure;
    private final Runnable idle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean closed;
    /** Some held writes fall due at {@code heldDue}; written under the lock, read without it too. */
    private volatile boolean heldPending;

    private volatile long heldDue;
    /** When the sleeping commit thread wakes by itself; guarded by the lock, 0 while it is awake. */
    private long sleepingUntil;
    /** On the commit thread while it makes held writes: the commits the next sync serves. */
    private List<CompletableFuture<Void>> current;

    private final Thread thread;
    private long lastIdleCheck = System.nanoTime();
    private long lastSyncStarted = System.nanoTime();

    WalCommitter(
            RocksDB db,
            StoreOptions options,
            HeldWrites heldWrites,
            Consumer<RocksDBException> onFailure,
            Runnable idle) {
        this.db = db;
        this.heldWrites = heldWrites;
        this.eachOnItsOwn = options.durability() == Durability.SYNC;
        this.windowNanos = options.groupCommitInterval().toNanos();
        this.maxBatch = options.groupCommitMaxWrites();
        this.onFailure = onFailure;
        this.idle = idle;
        this.thread = new Thread(this::run, "bastion-store-commit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes when every write made before this call is synced to disk. */
    CompletionStage<Void> commit() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (Thread.currentThread() == thread && current != null) {
            current.add(f); // an acknowledgement settled by a held write just made: the coming sync covers it
            return f;
        }
        lock.lock();
        try {
            if (closed) {
                f.completeExceptionally(new IllegalStateException("the store is closed"));
                return f;
            }
            waiting.add(f);
            if (waiting.size() == 1 || waiting.size() >= maxBatch) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
        return f;
    }

    /** Held writes fall due at {@code due} ({@link System#nanoTime}): the commit thread wakes for them. */
    void heldWritesDue(long due) {
        if (heldPending && due - heldDue >= 0) {
            // the thread wakes by then anyway and drains every session queued before it took the flag down;
            // a session fanned out to by many others costs no lock each
            return;
        }
        lock.lock();
        try {
            if (!heldPending || due - heldDue < 0) {
                heldPending = true;
                heldDue = due;
                if (sleepingUntil != 0 && due - sleepingUntil < 0) {
                    changed.signal();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            boolean heldAreDue;
            long now;
            lock.lock();
            try {
                if (!awaitWork()) {
                    return;
                }
                now = System.nanoTime();
                heldAreDue = heldPending && heldDue - now <= 0;
                if (heldAreDue) {
                    heldPending = false; // those not due yet announce themselves again while they are written
                }
                if (eachOnItsOwn && waiting.size() > 1) {
                    batch = new ArrayList<>(waiting.subList(0, 1));
                    waiting.remove(0);
                } else {
                    batch = waiting;
                    waiting = new ArrayList<>();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (heldAreDue || !batch.isEmpty()) {
                sync(batch, heldAreDue, now);
            }
            if (now - lastIdleCheck >= IDLE_CHECK_NANOS) {
                lastIdleCheck = now;
                try {
                    idle.run();
                } catch (RuntimeException e) {
                    log.warn("store check failed", e);
                }
            }
        }
    }

    /**
     * Under the lock: sleeps until a sync is due (the commits waiting, or held writes falling due, and
     * the group window passed) or the idle check; false when closed with nothing to do.
     */
    private boolean awaitWork() throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            long wakeAt = lastIdleCheck + IDLE_CHECK_NANOS;
            if (!waiting.isEmpty()) {
                if (closed || eachOnItsOwn || waiting.size() >= maxBatch) {
                    return true;
                }
                // syncs at most once a window: the first commit after a quiet spell syncs at once, under
                // load the commits that arrive during one window share the next sync
                wakeAt = earlier(wakeAt, lastSyncStarted + windowNanos);
            } else if (closed) {
                return false;
            }
            if (heldPending) {
                long at = eachOnItsOwn ? heldDue : later(heldDue, lastSyncStarted + windowNanos);
                wakeAt = earlier(wakeAt, at);
            }
            if (wakeAt - now <= 0) {
                return true;
            }
            sleepingUntil = wakeAt;
            try {
                changed.awaitNanos(wakeAt - now);
            } finally {
                sleepingUntil = 0;
            }
        }
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    private static long later(long a, long b) {
        return a - b >= 0 ? a : b;
    }

    private void sync(List<CompletableFuture<Void>> batch, boolean heldAreDue, long now) {
        boolean wrote = false;
        if (heldAreDue) {
            current = batch;
            try {
                wrote = heldWrites.writeDue(now);
            } catch (StoreException e) {
                // the acknowledgements waiting for those writes have failed; what else was written is synced
                log.debug("held writes not made: {}", e.getMessage());
                wrote = true;
            } finally {
                current = null;
            }
        }
        if (!wrote && batch.isEmpty()) {
            return;
        }
        lastSyncStarted = now;
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            onFailure.accept(e);
            fail(batch, e);
            return;
        }
        for (CompletableFuture<Void> f : batch) {
            f.complete(null);
        }
    }

    private static void fail(List<CompletableFuture<Void>> batch, Exception e) {
        for (CompletableFuture<Void> f : batch) {
            f.completeExceptionally(e);
        }
    }

    /** Syncs what is waiting, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
