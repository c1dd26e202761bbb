package io.bastion.broker.retain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.trie.RandomTopics;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random puts (some expiring, some with empty payloads) and removes, then random filters at a
 * moving clock: the store must return exactly the unexpired messages a brute-force {@link
 * Topics#matches} over a plain map finds, and lazily drop exactly the expired ones it passed.
 */
class InMemoryRetainedMessagesPropertyTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "[3.3.1.3, 4.7] retained lookup agrees with brute force, seed {0}")
    @MethodSource("seeds")
    void agreesWithBruteForce(long seed) {
        Random random = new Random(seed);
        InMemoryRetainedMessages store = new InMemoryRetainedMessages();
        Map<String, RetainedMessage> model = new HashMap<>();
        long now = 0;
        for (int op = 0; op < 3_000; op++) {
            now += random.nextInt(3);
            String topic = RandomTopics.topic(random);
            int kind = random.nextInt(10);
            if (kind == 0) {
                store.remove(topic);
                model.remove(topic);
            } else if (kind == 1) {
                store.put(message(topic, new byte[0], Long.MAX_VALUE));
                model.remove(topic);
            } else {
                long expiresAt = random.nextBoolean() ? Long.MAX_VALUE : now + random.nextInt(50);
                RetainedMessage message = message(topic, new byte[] {(byte) op}, expiresAt);
                store.put(message);
                model.put(topic, message);
            }
            if (op % 10 == 0) {
                checkMatch(store, model, RandomTopics.filter(random, true), now);
            }
            assertThat(store.size()).isEqualTo(model.size());
        }
        long expired = model.values().stream()
                .filter(m -> m.isExpired(Long.MAX_VALUE - 1))
                .count();
        assertThat(store.purgeExpired(Long.MAX_VALUE - 1)).isEqualTo(expired);
        model.values().removeIf(m -> m.isExpired(Long.MAX_VALUE - 1));
        assertThat(store.size()).isEqualTo(model.size());
        model.keySet().forEach(store::remove);
        assertThat(store.size()).isZero();
        assertThat(store.nodeCount()).isEqualTo(1);
    }

    private static void checkMatch(
            InMemoryRetainedMessages store, Map<String, RetainedMessage> model, String filter, long now) {
        List<RetainedMessage> found = new ArrayList<>();
        store.match(filter, now, found::add);
        List<RetainedMessage> expected = model.values().stream()
                .filter(m -> Topics.matches(filter, m.topic()) && !m.isExpired(now))
                .toList();
        assertThat(found).as("%s at %d", filter, now).containsExactlyInAnyOrderElementsOf(expected);
        // the store dropped the expired messages it walked past; so does the model
        model.values().removeIf(m -> Topics.matches(filter, m.topic()) && m.isExpired(now));
    }

    private static RetainedMessage message(String topic, byte[] payload, long expiresAt) {
        return new RetainedMessage(topic, 1, payload, MqttProperties.EMPTY, expiresAt);
    }
}
