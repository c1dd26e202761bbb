package io.bastion.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the durable store.
 *
 * @param path the data directory (created when missing)
 * @param groupCommitInterval the least time between two WAL syncs of a group commit (a commit waits at most this
 *     and one sync; the first after a quiet spell syncs at once)
 * @param groupCommitMaxWrites a group commit syncs at once when this many acknowledgements wait
 * @param inflightWriteDelay how long the record of a QoS 1 delivery to a persistent session stays in memory,
 *     waiting for the subscriber's PUBACK, before it is written: acknowledged in time, it is never written,
 *     and the publisher's acknowledgement that waited for it needs no sync
 * @param minimumFreeBytes below this much free disk space new QoS 1/2 work is refused
 */
public record StoreOptions(
        Path path,
        Durability durability,
        Duration groupCommitInterval,
        int groupCommitMaxWrites,
        Duration inflightWriteDelay,
        long minimumFreeBytes) {

    public static final Path DEFAULT_PATH = Path.of("data");

    public StoreOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(groupCommitInterval, "groupCommitInterval");
        Objects.requireNonNull(inflightWriteDelay, "inflightWriteDelay");
        if (groupCommitMaxWrites < 1) {
            throw new IllegalArgumentException("groupCommitMaxWrites must be at least 1");
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(
                DEFAULT_PATH, Durability.GROUP_COMMIT, Duration.ofMillis(1), 512, Duration.ofMillis(2), 64L << 20);
    }

    public StoreOptions withPath(Path newPath) {
        return new StoreOptions(
                newPath, durability, groupCommitInterval, groupCommitMaxWrites, inflightWriteDelay, minimumFreeBytes);
    }

    public StoreOptions withDurability(Durability newDurability) {
        return new StoreOptions(
                path, newDurability, groupCommitInterval, groupCommitMaxWrites, inflightWriteDelay, minimumFreeBytes);
    }

    public StoreOptions withInflightWriteDelay(Duration delay) {
        return new StoreOptions(path, durability, groupCommitInterval, groupCommitMaxWrites, delay, minimumFreeBytes);
    }
}
