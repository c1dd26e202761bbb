package io.bastion.broker.retain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttProperties;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Writers put and remove on topics that share parents (so nodes are pruned and re-created all the
 * time) while readers match wildcards. Each writer owns its topics: right after its put a lookup
 * must find the message, right after its remove must not.
 */
class InMemoryRetainedMessagesConcurrencyTest {
    private static final String[] SHAPES = {"p/q/%s", "p/%s", "p/q/r/%s", "%s/x", "p/%s/y/z"};
    private static final int WRITERS = 4;
    private static final int READERS = 2;
    private static final int OPS = 10_000;

    @RepeatedTest(3)
    @DisplayName("concurrent put/remove/match: no lost puts, no ghosts, no exceptions")
    void concurrentWritersAndReaders() throws Exception {
        InMemoryRetainedMessages store = new InMemoryRetainedMessages();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<Map<String, RetainedMessage>>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                writers.add(pool.submit(() -> write(store, id, start)));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (String filter : List.of("#", "p/+/+")) {
                readers.add(pool.submit(() -> {
                    start.await();
                    while (writing.get()) {
                        store.match(filter, 0, m -> {});
                    }
                    return null;
                }));
            }
            start.countDown();
            List<Map<String, RetainedMessage>> finals = new ArrayList<>();
            for (Future<Map<String, RetainedMessage>> writer : writers) {
                finals.add(writer.get(2, TimeUnit.MINUTES));
            }
            writing.set(false);
            for (Future<?> reader : readers) {
                reader.get(1, TimeUnit.MINUTES);
            }
            assertThat(store.size())
                    .isEqualTo(finals.stream().mapToInt(Map::size).sum());
            List<RetainedMessage> all = new ArrayList<>();
            store.match("#", 0, all::add);
            assertThat(all)
                    .containsExactlyInAnyOrderElementsOf(
                            finals.stream().flatMap(m -> m.values().stream()).toList());
            finals.forEach(model -> model.keySet().forEach(store::remove));
            assertThat(store.size()).isZero();
            assertThat(store.nodeCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @RepeatedTest(3)
    @DisplayName("a put below a node that another thread is pruning is never lost")
    void putRacingPruneOfItsParent() throws Exception {
        // every thread puts and removes under "r", so "r" is pruned and re-created all the time
        InMemoryRetainedMessages store = new InMemoryRetainedMessages();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                RetainedMessage message =
                        new RetainedMessage("r/" + w + "/x", 0, new byte[] {1}, MqttProperties.EMPTY, Long.MAX_VALUE);
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        store.put(message);
                        assertThat(lookup(store, message.topic()))
                                .as("put %s", message)
                                .containsExactly(message);
                        store.remove(message.topic());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            assertThat(store.size()).isZero();
            assertThat(store.nodeCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, RetainedMessage> write(InMemoryRetainedMessages store, int writer, CountDownLatch start)
            throws InterruptedException {
        Random random = new Random(2000 + writer);
        Map<String, RetainedMessage> model = new HashMap<>();
        start.await();
        for (int op = 0; op < OPS; op++) {
            String topic = String.format(SHAPES[random.nextInt(SHAPES.length)], "w" + writer + random.nextInt(2));
            if (model.containsKey(topic)) {
                store.remove(topic);
                model.remove(topic);
                assertThat(lookup(store, topic)).as("removed %s", topic).isEmpty();
            } else {
                RetainedMessage message =
                        new RetainedMessage(topic, 0, new byte[] {(byte) op}, MqttProperties.EMPTY, Long.MAX_VALUE);
                store.put(message);
                model.put(topic, message);
                assertThat(lookup(store, topic)).as("put %s", topic).containsExactly(message);
            }
        }
        return model;
    }

    private static List<RetainedMessage> lookup(InMemoryRetainedMessages store, String topic) {
        List<RetainedMessage> found = new ArrayList<>();
        store.match(topic, 0, found::add);
        return found;
    }
}
