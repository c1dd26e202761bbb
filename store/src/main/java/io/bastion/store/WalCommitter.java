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
 * Futures complete on this thread.
 */
final class WalCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCommitter.class);
    private static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RocksDB db;
    private final Runnable beforeSync;
    private final boolean eachOnItsOwn;
    private final long windowNanos;
    private final int maxBatch;
    private final Consumer<RocksDBException> onFailure;
    private final Runnable idle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean closed;
    private final Thread thread;
    private long lastIdleCheck = System.nanoTime();
    private long lastSyncStarted = System.nanoTime();

    WalCommitter(
            RocksDB db,
            StoreOptions options,
            Runnable beforeSync,
            Consumer<RocksDBException> onFailure,
            Runnable idle) {
        this.db = db;
        this.beforeSync = beforeSync;
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

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            lock.lock();
            try {
                if (waiting.isEmpty() && !closed) {
                    changed.awaitNanos(IDLE_CHECK_NANOS);
                }
                if (!waiting.isEmpty() && !eachOnItsOwn) {
                    // syncs at most once a window: the first commit after a quiet spell syncs at once, under
                    // load the commits that arrive during one window share the next sync
                    long deadline = lastSyncStarted + windowNanos;
                    long left;
                    while (waiting.size() < maxBatch && !closed && (left = deadline - System.nanoTime()) > 0) {
                        changed.awaitNanos(left);
                    }
                }
                if (waiting.isEmpty() && closed) {
                    return;
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
            if (!batch.isEmpty()) {
                lastSyncStarted = System.nanoTime();
                sync(batch);
            }
            long now = System.nanoTime();
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

    private void sync(List<CompletableFuture<Void>> batch) {
        try {
            beforeSync.run();
            db.flushWal(true);
        } catch (RocksDBException e) {
            onFailure.accept(e);
            fail(batch, e);
            return;
        } catch (StoreException e) {
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
