package io.bastion.broker.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.trie.RandomTopics;
import io.bastion.mqtt.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random adds, replaces and removes, then random topics: the tree must visit exactly what a brute
 * force {@link Topics#matches} over every stored entry finds.
 */
class SubscriptionTreePropertyTest {
    private static final String[] GROUPS = {"g1", "g2"};

    private record Key(String clientId, String shareGroup, String topicFilter) {}

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "[4.7, 4.8.2] tree agrees with brute-force matching, seed {0}")
    @MethodSource("seeds")
    void agreesWithBruteForce(long seed) {
        Random random = new Random(seed);
        // every fourth seed puts many clients on few filters, so nodes switch to their map form
        int clients = seed % 4 == 0 ? 3 * TopicNode.MAP_THRESHOLD : 6;
        SubscriptionTree tree = new SubscriptionTree();
        Map<Key, SubscriptionEntry> model = new HashMap<>();
        for (int op = 0; op < 2_000; op++) {
            String client = "c" + random.nextInt(clients);
            String group = random.nextInt(5) == 0 ? GROUPS[random.nextInt(GROUPS.length)] : null;
            String filter = RandomTopics.filter(random);
            Key key = new Key(client, group, filter);
            if (random.nextInt(3) == 0) {
                assertThat(tree.remove(client, group, filter)).isEqualTo(model.remove(key));
            } else {
                SubscriptionEntry entry = new SubscriptionEntry(
                        client, group, filter, random.nextInt(3), random.nextBoolean(), false, 0, op);
                assertThat(tree.add(entry)).isEqualTo(model.put(key, entry));
            }
            assertThat(tree.size()).isEqualTo(model.size());
            if (op % 20 == 0) {
                checkMatch(tree, model, RandomTopics.topic(random));
            }
        }
        for (int i = 0; i < 200; i++) {
            checkMatch(tree, model, RandomTopics.topic(random));
        }
        model.forEach((key, entry) -> assertThat(tree.remove(key.clientId(), key.shareGroup(), key.topicFilter()))
                .isEqualTo(entry));
        assertThat(tree.size()).isZero();
        assertThat(tree.nodeCount()).as("nodes left after removing everything").isEqualTo(1);
    }

    private static void checkMatch(SubscriptionTree tree, Map<Key, SubscriptionEntry> model, String topic) {
        CollectingVisitor visited = CollectingVisitor.match(tree, topic);
        Map<SubscriptionEntry, Long> expected = model.values().stream()
                .filter(e -> !e.isShared() && Topics.matches(e.topicFilter(), topic))
                .collect(Collectors.groupingBy(e -> e, Collectors.counting()));
        Map<SubscriptionEntry, Long> actual =
                visited.subscribers.stream().collect(Collectors.groupingBy(e -> e, Collectors.counting()));
        assertThat(actual).as("subscribers for %s, with visit counts", topic).isEqualTo(expected);

        Map<String, Set<SubscriptionEntry>> expectedGroups = model.values().stream()
                .filter(e -> e.isShared() && Topics.matches(e.topicFilter(), topic))
                .collect(Collectors.groupingBy(e -> e.shareGroup() + ":" + e.topicFilter(), Collectors.toSet()));
        Map<String, Set<SubscriptionEntry>> actualGroups = new HashMap<>();
        for (SharedGroup group : visited.groups) {
            Set<SubscriptionEntry> previous =
                    actualGroups.put(group.name() + ":" + group.topicFilter(), Set.copyOf(group.members()));
            assertThat(previous).as("group %s visited twice", group).isNull();
        }
        assertThat(actualGroups).as("groups for %s", topic).isEqualTo(expectedGroups);
    }
}
