package io.bastion.server.config;

import io.bastion.store.Durability;
import io.bastion.store.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds {@code store}: where and how durably the broker keeps sessions, queues and retained messages. */
final class StoreSection {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(b|kb|mb|gb)?");

    private StoreSection() {}

    static StoreOptions bind(ConfigSection root) {
        StoreOptions d = StoreOptions.defaults();
        ConfigSection store = root.section("store");
        String path = store.string("path", d.path().toString());
        if (path.isBlank()) {
            throw store.error("path", "must not be empty");
        }
        Durability durability = store.choice("durability", Durability.class, d.durability());
        Duration interval = store.duration(
                "group_commit_interval",
                d.groupCommitInterval(),
                Duration.ofNanos(100_000),
                Duration.ofSeconds(1),
                true);
        int maxWrites = store.integer("group_commit_max_writes", d.groupCommitMaxWrites(), 1, 1_000_000);
        Duration inflightDelay = store.duration(
                "inflight_write_delay", d.inflightWriteDelay(), Duration.ofNanos(100_000), Duration.ofSeconds(1), true);
        long minFree = size(store, "min_free_space", d.minimumFreeBytes());
        return new StoreOptions(Path.of(path), durability, interval, maxWrites, inflightDelay, minFree);
    }

    /** Bytes written as {@code 64MB}, {@code 512kb}, {@code 1GB} or a plain number of bytes. */
    private static long size(ConfigSection section, String key, long defaultValue) {
        String text = section.string(key, null);
        if (text == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw section.error(key, "must be a size like 64MB, 512KB, 1GB or a number of bytes (got " + text + ")");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit) {
            case "kb" -> amount << 10;
            case "mb" -> amount << 20;
            case "gb" -> amount << 30;
            default -> amount;
        };
    }
}
