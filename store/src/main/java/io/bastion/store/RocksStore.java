package io.bastion.store;

import io.bastion.broker.retain.RetainedMessages;
import io.bastion.broker.store.BrokerStore;
import io.bastion.broker.store.SessionPersistence;
import io.bastion.broker.store.StoreException;
import io.bastion.broker.store.StoredSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's state in RocksDB, one column family per kind of record. A write on the caller's thread
 * is a memtable insert and an append to the in-memory WAL buffer (manual WAL flush: no system call);
 * {@link #commit} hands durability to the {@link WalCommitter}, which writes and syncs the WAL for a
 * whole group of writes.
 */
public final class RocksStore implements BrokerStore {
    private static final Logger log = LoggerFactory.getLogger(RocksStore.class);

    static final String SESSIONS = "sessions";
    static final String SUBSCRIPTIONS = "subscriptions";
    static final String INFLIGHT = "inflight";
    static final String INCOMING_QOS2 = "incoming_qos2";
    static final String QUEUES = "queues";
    static final String RETAINED = "retained";
    static final String COUNTERS = "counters";
    static final List<String> FAMILIES =
            List.of(SESSIONS, SUBSCRIPTIONS, INFLIGHT, INCOMING_QOS2, QUEUES, RETAINED, COUNTERS);

    static {
        RocksDB.loadLibrary();
    }

    private final Path path;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final List<ColumnFamilyHandle> handles;
    private final Map<String, ColumnFamilyHandle> families = new HashMap<>();
    private final WriteOptions writeOptions = new WriteOptions();
    private final WalCommitter committer;
    private final DiskSpace diskSpace;
    private final RocksRetainedMessages retained;
    private volatile boolean writeFailed;
    /** Writes in the WAL buffer not yet handed to the file (set after each write, cleared before a flush). */
    private final AtomicBoolean unflushed = new AtomicBoolean();
    /** Sessions holding writes the commit thread makes when they fall due (see WriteStage). */
    private final ConcurrentLinkedQueue<WriteStage> stagesToDrain = new ConcurrentLinkedQueue<>();

    private final long inflightWriteDelayNanos;

    private final boolean readOnly;

    private RocksStore(
            StoreOptions options,
            RocksDB db,
            DBOptions dbOptions,
            ColumnFamilyOptions familyOptions,
            List<ColumnFamilyHandle> handles,
            boolean readOnly) {
        this.readOnly = readOnly;
        this.path = options.path();
        this.db = db;
        this.dbOptions = dbOptions;
        this.familyOptions = familyOptions;
        this.handles = handles;
        for (int i = 0; i < FAMILIES.size(); i++) {
            families.put(FAMILIES.get(i), handles.get(i + 1));
        }
        this.diskSpace = new DiskSpace(path, options.minimumFreeBytes());
        this.inflightWriteDelayNanos = options.inflightWriteDelay().toNanos();
        this.committer = readOnly
                ? null
                : new WalCommitter(db, options, now -> drainStages(now, false), this::commitFailed, this::idle);
        this.retained = new RocksRetainedMessages(this);
    }

    /**
     * Opens (creating when missing) the store at {@code options.path()}.
     *
     * @throws StoreException with one line saying what is wrong when the directory cannot be used or its
     *     content cannot be read; nothing in it was changed then
     */
    public static RocksStore open(StoreOptions options) {
        Path path = options.path().toAbsolutePath();
        checkDirectory(path);
        return open(options.withPath(path), false);
    }

    /**
     * Opens an existing store for reading only (the offline tool); works while a broker runs on it and
     * changes nothing.
     */
    public static RocksStore openReadOnly(Path path) {
        Path absolute = path.toAbsolutePath();
        if (!Files.exists(absolute.resolve("CURRENT"))) {
            throw new StoreException("no store at " + absolute + " (no CURRENT file)");
        }
        return open(StoreOptions.defaults().withPath(absolute), true);
    }

    private static RocksStore open(StoreOptions options, boolean readOnly) {
        Path path = options.path();
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true)
                // the WAL is written to its file only when the commit thread flushes and syncs it: a put on an
                // event loop is a memtable insert and a memory append, no system call
                .setManualWalFlush(true)
                .setEnableWriteThreadAdaptiveYield(false)
                .setKeepLogFileNum(5)
                .setMaxTotalWalSize(256L << 20);
        ColumnFamilyOptions familyOptions =
                new ColumnFamilyOptions().optimizeLevelStyleCompaction().setWriteBufferSize(8L << 20);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(name), familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        long started = System.nanoTime();
        try {
            RocksDB db = readOnly
                    ? RocksDB.openReadOnly(dbOptions, path.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, path.toString(), descriptors, handles);
            if (!readOnly) {
                log.info(
                        "store opened at {} in {} ms (durability {})",
                        path,
                        (System.nanoTime() - started) / 1_000_000,
                        options.durability());
            }
            return new RocksStore(options, db, dbOptions, familyOptions, handles, readOnly);
        } catch (RocksDBException e) {
            dbOptions.close();
            familyOptions.close();
            throw new StoreException(
                    "the store at " + path + " cannot be opened: " + e.getMessage()
                            + " (nothing was changed; repair or move the directory away to start with an empty store)",
                    e);
        }
    }

    /** Refuses a path that is not a directory, or a directory with files that are not a store. */
    private static void checkDirectory(Path path) {
        try {
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new StoreException("the store path " + path + " is not a directory");
            }
            Files.createDirectories(path);
            if (!Files.exists(path.resolve("CURRENT"))) {
                try (var entries = Files.list(path)) {
                    if (entries.findAny().isPresent()) {
                        throw new StoreException("the store path " + path
                                + " holds files but no store (no CURRENT file); refusing to create a store over them");
                    }
                }
            }
        } catch (IOException e) {
            throw new StoreException("the store path " + path + " cannot be used: " + e, e);
        }
    }

    public Path path() {
        return path;
    }

    ColumnFamilyHandle family(String name) {
        return families.get(name);
    }

    RocksDB db() {
        return db;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    // ---- writes, all through here so a failure is seen once

    void put(String family, byte[] key, byte[] value) {
        try {
            db.put(families.get(family), writeOptions, key, value);
            markUnflushed();
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    void delete(String family, byte[] key) {
        try {
            db.delete(families.get(family), writeOptions, key);
            markUnflushed();
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    /** Deletes the keys in [from, to) of a family in one write. */
    void deleteRange(String family, byte[] from, byte[] to) {
        try {
            db.deleteRange(families.get(family), writeOptions, from, to);
            markUnflushed();
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    void write(WriteBatch batch) {
        try {
            db.write(writeOptions, batch);
            markUnflushed();
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    byte[] get(String family, byte[] key) {
        try {
            return db.get(families.get(family), key);
        } catch (RocksDBException e) {
            throw new StoreException("the store cannot be read: " + e.getMessage(), e);
        }
    }

    RocksIterator iterator(String family) {
        return db.newIterator(families.get(family));
    }

    private StoreException writeFailed(RocksDBException e) {
        if (!writeFailed) {
            writeFailed = true;
            log.error(
                    "store write failed at {}: {}; refusing new QoS 1/2 PUBLISH until it works again",
                    path,
                    e.getMessage());
        }
        return new StoreException("store write failed: " + e.getMessage(), e);
    }

    private void commitFailed(RocksDBException e) {
        writeFailed(e);
    }

    /** How long an inflight record is held for its PUBACK before it is written (see WriteStage). */
    long inflightWriteDelayNanos() {
        return inflightWriteDelayNanos;
    }

    /** The commit thread is to drain {@code stage} at {@code due} ({@link System#nanoTime}). */
    void drainLater(WriteStage stage, long due) {
        stagesToDrain.add(stage);
        heldWritesDue(due);
    }

    /** A stage already queued now has writes due earlier, at {@code due}. */
    void heldWritesDue(long due) {
        committer.heldWritesDue(due);
    }

    /**
     * Writes the held queue entries and inflight records of every session with some due at {@code now}
     * (all of them when {@code all}); on the commit thread, before the WAL sync. The others queue
     * themselves again.
     *
     * @return whether anything was written
     * @throws StoreException when a write failed (those records stay held for the next try)
     */
    private boolean drainStages(long now, boolean all) {
        StoreException failed = null;
        boolean wrote = false;
        for (int n = stagesToDrain.size(); n > 0; n--) { // only those queued now: the others queue themselves again
            WriteStage stage = stagesToDrain.poll();
            if (stage == null) {
                break;
            }
            try {
                wrote |= stage.drain(now, all);
            } catch (StoreException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return wrote;
    }

    /** Writes everything held now, due or not (at close; tests). */
    void writeHeld() {
        drainStages(System.nanoTime(), true);
    }

    /** A read before the write: two event loops storing at once do not pass the flag's cache line to and fro. */
    private void markUnflushed() {
        if (!unflushed.get()) {
            unflushed.set(true);
        }
    }

    @Override
    public void flushWrites() {
        // a plain read first: the event loops call this on every socket flush, mostly with nothing written
        if (unflushed.get() && unflushed.getAndSet(false)) {
            try {
                db.flushWal(false);
            } catch (RocksDBException e) {
                writeFailed(e);
            }
        }
    }

    /**
     * Runs on the commit thread every 100 ms: hands writes no packet was sent after (expiry, housekeeping)
     * to the file, and notices when space and writes are back.
     */
    private void idle() {
        flushWrites();
        diskSpace.check();
        if (writeFailed && diskSpace.enough()) {
            try {
                db.put(
                        families.get(COUNTERS),
                        writeOptions,
                        Keys.utf8("probe"),
                        Keys.longValue(System.currentTimeMillis()));
                db.flushWal(true);
                writeFailed = false;
                log.info("store at {} writes again; accepting QoS 1/2 PUBLISH", path);
            } catch (RocksDBException e) {
                log.debug("store at {} still cannot write: {}", path, e.getMessage());
            }
        }
    }

    // ---- BrokerStore

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public RetainedMessages retained() {
        return retained;
    }

    @Override
    public SessionPersistence session(String clientId) {
        return new RocksSession(this, clientId, 0, 0, 0);
    }

    @Override
    public List<StoredSession> recoverSessions() {
        return new SessionRecovery(this, System.currentTimeMillis()).recover();
    }

    @Override
    public CompletionStage<Void> commit() {
        return committer.commit();
    }

    @Override
    public boolean acceptsWrites() {
        return !writeFailed && diskSpace.enough();
    }

    @Override
    public Map<String, Long> loadCounters() {
        Map<String, Long> counters = new HashMap<>();
        try (RocksIterator it = iterator(COUNTERS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (it.value().length == 8) {
                    counters.put(Keys.string(it.key(), 0, it.key().length), Keys.sequenceOf(it.value()));
                }
            }
        }
        return counters;
    }

    @Override
    public void saveCounters(Map<String, Long> counters) {
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                batch.put(families.get(COUNTERS), Keys.utf8(e.getKey()), Keys.longValue(e.getValue()));
            }
            write(batch);
        } catch (RocksDBException e) {
            throw writeFailed(e);
        }
    }

    /** A RocksDB property of one column family (e.g. {@code rocksdb.estimate-num-keys}), for the offline tool. */
    public long property(String family, String name) {
        try {
            return db.getLongProperty(families.get(family), name);
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** Syncs what was written and closes; the next open replays nothing it does not need to. */
    @Override
    public void close() {
        if (!readOnly) {
            committer.close();
            try {
                writeHeld(); // what is still held: a restart resends those messages
            } catch (StoreException e) {
                log.warn("held queue entries and inflight records could not be written at close: {}", e.getMessage());
            }
            // memtables to SST files: the next start has no write-ahead log to replay
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            } catch (RocksDBException e) {
                log.warn("final flush of the store at {} failed: {}", path, e.getMessage());
            }
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            log.warn("closing the store at {} failed: {}", path, e.getMessage());
        }
        writeOptions.close();
        dbOptions.close();
        familyOptions.close();
        if (!readOnly) {
            log.info("store closed at {}", path);
        }
    }
}
