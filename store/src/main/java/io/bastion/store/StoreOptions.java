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
 * @param minimumFreeBytes below this much free disk space new QoS 1/2 work is refused
 */
public record StoreOptions(
        Path path,
        Durability durability,
        Duration groupCommitInterval,
        int groupCommitMaxWrites,
        long minimumFreeBytes) {

    public static final Path DEFAULT_PATH = Path.of("data");

    public StoreOptions {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(groupCommitInterval, "groupCommitInterval");
        if (groupCommitMaxWrites < 1) {
            throw new IllegalArgumentException("groupCommitMaxWrites must be at least 1");
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_PATH, Durability.GROUP_COMMIT, Duration.ofMillis(1), 512, 64L << 20);
    }

    public StoreOptions withPath(Path newPath) {
        return new StoreOptions(newPath, durability, groupCommitInterval, groupCommitMaxWrites, minimumFreeBytes);
    }

    public StoreOptions withDurability(Durability newDurability) {
        return new StoreOptions(path, newDurability, groupCommitInterval, groupCommitMaxWrites, minimumFreeBytes);
    }
}
