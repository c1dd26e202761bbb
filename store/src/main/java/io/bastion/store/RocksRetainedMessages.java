package io.bastion.store;

import io.bastion.broker.retain.InMemoryRetainedMessages;
import io.bastion.broker.retain.RetainedMessage;
import io.bastion.broker.retain.RetainedMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.rocksdb.RocksIterator;

/**
 * Retained messages written through to RocksDB (keyed by topic) and matched in memory: the in-memory
 * trie answers wildcard subscriptions, the store makes them survive a restart. {@code $SYS} topics are
 * not stored; the broker publishes them again after start.
 */
final class RocksRetainedMessages implements RetainedMessages {
    private final RocksStore store;
    private final InMemoryRetainedMessages memory = new InMemoryRetainedMessages();

    RocksRetainedMessages(RocksStore store) {
        this.store = store;
        load();
    }

    /** Reads every stored retained message; expired ones are deleted instead. */
    private void load() {
        long now = System.currentTimeMillis();
        List<byte[]> expired = new ArrayList<>();
        try (RocksIterator it = store.iterator(RocksStore.RETAINED)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                RetainedMessage m = Records.readRetained(it.value());
                if (m.isExpired(now)) {
                    expired.add(it.key());
                } else {
                    memory.put(m);
                }
            }
        }
        if (!store.isReadOnly()) {
            for (byte[] key : expired) {
                store.delete(RocksStore.RETAINED, key);
            }
        }
    }

    private static boolean stored(String topic) {
        return !topic.startsWith("$SYS/");
    }

    @Override
    public void put(RetainedMessage message) {
        if (stored(message.topic())) {
            store.put(RocksStore.RETAINED, Keys.utf8(message.topic()), Records.retained(message));
        }
        memory.put(message);
    }

    @Override
    public void remove(String topic) {
        if (stored(topic)) {
            store.delete(RocksStore.RETAINED, Keys.utf8(topic));
        }
        memory.remove(topic);
    }

    @Override
    public void match(String topicFilter, long nowMillis, Consumer<RetainedMessage> consumer) {
        memory.match(topicFilter, nowMillis, consumer);
    }

    @Override
    public int size() {
        return memory.size();
    }

    @Override
    public int purgeExpired(long nowMillis) {
        int purged = memory.purgeExpired(nowMillis);
        List<byte[]> expired = new ArrayList<>();
        try (RocksIterator it = store.iterator(RocksStore.RETAINED)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Records.retainedExpiresAt(it.value()) <= nowMillis) {
                    expired.add(it.key());
                }
            }
        }
        for (byte[] key : expired) {
            store.delete(RocksStore.RETAINED, key);
        }
        return purged;
    }
}
