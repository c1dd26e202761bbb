package io.bastion.broker.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Writers add and remove on overlapping paths (so nodes are pruned and re-created all the time)
 * while other threads match. Each writer owns its client ids, so it knows exactly what must be
 * visible: right after its add returns, a match must see the entry (an add lost to a concurrent
 * prune would sit in a detached node and be invisible), and right after its remove, must not.
 */
class SubscriptionTreeConcurrencyTest {
    private static final String[] FILTERS = {
        "a", "a/b", "a/b/c", "a/+/c", "a/#", "a/b/c/d", "+/b", "p/q/r", "p/q/s", "p/t", "a//", "$SYS/#", "#"
    };
    private static final int WRITERS = 4;
    private static final int MATCHERS = 2;
    private static final int OPS = 10_000;

    private record Key(String clientId, String shareGroup, String topicFilter) {}

    @RepeatedTest(3)
    @DisplayName("concurrent add/remove/match: no lost adds, no ghosts, no exceptions")
    void concurrentWritersAndMatchers() throws Exception {
        SubscriptionTree tree = new SubscriptionTree();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + MATCHERS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong matched = new AtomicLong();
        try {
            List<Future<Map<Key, SubscriptionEntry>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                writers.add(pool.submit(() -> write(tree, id, start)));
            }
            List<Future<?>> matchers = new ArrayList<>();
            for (int m = 0; m < MATCHERS; m++) {
                long seed = m;
                matchers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    while (writing.get()) {
                        CollectingVisitor visitor =
                                CollectingVisitor.match(tree, topicFor(FILTERS[random.nextInt(FILTERS.length)]));
                        matched.addAndGet(visitor.subscribers.size() + visitor.groups.size());
                    }
                    return null;
                }));
            }
            start.countDown();
            List<Map<Key, SubscriptionEntry>> finals = new ArrayList<>();
            for (Future<Map<Key, SubscriptionEntry>> writer : writers) {
                finals.add(writer.get(2, TimeUnit.MINUTES));
            }
            writing.set(false);
            for (Future<?> matcher : matchers) {
                matcher.get(1, TimeUnit.MINUTES);
            }

            int expectedSize = finals.stream().mapToInt(Map::size).sum();
            assertThat(tree.size()).isEqualTo(expectedSize);
            for (Map<Key, SubscriptionEntry> model : finals) {
                model.forEach(
                        (key, entry) -> assertThat(tree.remove(key.clientId(), key.shareGroup(), key.topicFilter()))
                                .isEqualTo(entry));
            }
            assertThat(tree.size()).isZero();
            assertThat(tree.nodeCount()).isEqualTo(1);
            assertThat(matched.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @RepeatedTest(3)
    @DisplayName("an add below a node that another thread is pruning is never lost")
    void addRacingPruneOfItsParent() throws Exception {
        // every thread subscribes and unsubscribes under "r", so "r" is pruned and re-created all the time
        SubscriptionTree tree = new SubscriptionTree();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                SubscriptionEntry entry = SubscriptionEntry.of("c" + w, "r/" + w + "/x", 0);
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        tree.add(entry);
                        assertThat(isVisible(tree, entry)).as("added %s", entry).isTrue();
                        assertThat(tree.remove(entry.clientId(), null, entry.topicFilter()))
                                .isEqualTo(entry);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            assertThat(tree.size()).isZero();
            assertThat(tree.nodeCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<Key, SubscriptionEntry> write(SubscriptionTree tree, int writer, CountDownLatch start)
            throws InterruptedException {
        Random random = new Random(1000 + writer);
        Map<Key, SubscriptionEntry> model = new HashMap<>();
        start.await();
        for (int op = 0; op < OPS; op++) {
            String client = "w" + writer + "-" + random.nextInt(3);
            String group = random.nextInt(4) == 0 ? "g" : null;
            String filter = FILTERS[random.nextInt(FILTERS.length)];
            Key key = new Key(client, group, filter);
            SubscriptionEntry existing = model.get(key);
            if (existing != null) {
                assertThat(tree.remove(client, group, filter)).isEqualTo(existing);
                model.remove(key);
                assertThat(isVisible(tree, existing)).as("removed %s", key).isFalse();
            } else {
                SubscriptionEntry entry = new SubscriptionEntry(client, group, filter, 1, false, false, 0, op);
                assertThat(tree.add(entry)).isNull();
                model.put(key, entry);
                assertThat(isVisible(tree, entry)).as("added %s", key).isTrue();
            }
        }
        return model;
    }

    private static boolean isVisible(SubscriptionTree tree, SubscriptionEntry entry) {
        CollectingVisitor visitor = CollectingVisitor.match(tree, topicFor(entry.topicFilter()));
        if (!entry.isShared()) {
            return visitor.subscribers.contains(entry);
        }
        return visitor.groups.stream()
                .filter(g ->
                        g.name().equals(entry.shareGroup()) && g.topicFilter().equals(entry.topicFilter()))
                .anyMatch(g -> g.members().contains(entry));
    }

    /** A topic the filter matches. */
    private static String topicFor(String filter) {
        return filter.replace("+", "x").replace("#", "x");
    }
}
