package io.bastion.broker.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SubscriptionTreeTest {
    private final SubscriptionTree tree = new SubscriptionTree();

    private static SubscriptionEntry sub(String clientId, String filter) {
        return SubscriptionEntry.of(clientId, filter, 1);
    }

    private List<String> filtersMatching(String topic) {
        return CollectingVisitor.match(tree, topic).filters();
    }

    @Test
    @DisplayName("[MQTT-3.8.4-3] a subscription with the same filter replaces the old one and returns it")
    void addReplacesSameClientAndFilter() {
        SubscriptionEntry first = sub("c1", "a/b");
        SubscriptionEntry second = new SubscriptionEntry("c1", null, "a/b", 2, true, false, 1, 7);
        assertThat(tree.add(first)).isNull();
        assertThat(tree.add(second)).isEqualTo(first);
        assertThat(tree.size()).isEqualTo(1);
        assertThat(CollectingVisitor.match(tree, "a/b").subscribers).containsExactly(second);
    }

    @Test
    @DisplayName("the same filter from another client, or in a share group, is a separate entry")
    void entryIdentityIsClientGroupAndFilter() {
        tree.add(sub("c1", "a/b"));
        tree.add(sub("c2", "a/b"));
        tree.add(SubscriptionEntry.shared("c1", "g", "a/b", 1));
        assertThat(tree.size()).isEqualTo(3);
        CollectingVisitor visitor = CollectingVisitor.match(tree, "a/b");
        assertThat(visitor.subscribers).extracting(SubscriptionEntry::clientId).containsExactlyInAnyOrder("c1", "c2");
        assertThat(visitor.groupKeys()).containsExactly("g:a/b");
    }

    @Test
    @DisplayName("remove returns the entry, and null when there is none")
    void removeReturnsEntry() {
        SubscriptionEntry entry = sub("c1", "a/+");
        tree.add(entry);
        assertThat(tree.remove("c2", null, "a/+")).isNull();
        assertThat(tree.remove("c1", "g", "a/+")).isNull();
        assertThat(tree.remove("c1", null, "a/b")).isNull();
        assertThat(tree.remove("c1", null, "a/+")).isEqualTo(entry);
        assertThat(tree.remove("c1", null, "a/+")).isNull();
        assertThat(tree.size()).isZero();
        assertThat(filtersMatching("a/x")).isEmpty();
    }

    @Test
    @DisplayName("[4.7] exact, + and # filters match; others do not")
    void wildcardMatching() {
        for (String filter : List.of("sport/tennis/player1", "sport/tennis/+", "sport/#", "#", "+/+/+", "sport/+")) {
            tree.add(sub("c", filter));
        }
        assertThat(filtersMatching("sport/tennis/player1"))
                .containsExactly("#", "+/+/+", "sport/#", "sport/tennis/+", "sport/tennis/player1");
        assertThat(filtersMatching("sport/tennis/player1/ranking")).containsExactly("#", "sport/#");
        assertThat(filtersMatching("news")).containsExactly("#");
    }

    @Test
    @DisplayName("[MQTT-4.7.1-2] sport/# matches sport, the parent level")
    void multiLevelWildcardMatchesParent() {
        tree.add(sub("c", "sport/#"));
        tree.add(sub("c", "sport/+"));
        assertThat(filtersMatching("sport")).containsExactly("sport/#");
        assertThat(filtersMatching("sport/")).containsExactly("sport/#", "sport/+");
    }

    @Test
    @DisplayName("[MQTT-4.7.1-3] + matches one level, empty ones included")
    void singleLevelWildcardMatchesEmptyLevels() {
        for (String filter : List.of("+/+", "/+", "+", "a/+/b", "a//b")) {
            tree.add(sub("c", filter));
        }
        assertThat(filtersMatching("/finance")).containsExactly("+/+", "/+");
        assertThat(filtersMatching("a//b")).containsExactly("a/+/b", "a//b");
        assertThat(filtersMatching("finance")).containsExactly("+");
        assertThat(filtersMatching("/")).containsExactly("+/+", "/+");
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] filters starting with a wildcard do not match $-topics")
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        for (String filter : List.of("#", "+/monitor/Clients", "+/#", "$SYS/#", "$SYS/monitor/+")) {
            tree.add(sub("c", filter));
        }
        tree.add(SubscriptionEntry.shared("c", "g", "#", 0));
        CollectingVisitor visitor = CollectingVisitor.match(tree, "$SYS/monitor/Clients");
        assertThat(visitor.filters()).containsExactly("$SYS/#", "$SYS/monitor/+");
        assertThat(visitor.groups).isEmpty();
        assertThat(filtersMatching("SYS/monitor/Clients")).containsExactly("#", "+/#", "+/monitor/Clients");
    }

    @Test
    @DisplayName("[MQTT-3.3.4-2] a client with overlapping filters is visited once per matching filter")
    void overlappingSubscriptionsAreEachVisited() {
        tree.add(sub("c", "a/#"));
        tree.add(sub("c", "a/+"));
        tree.add(sub("c", "a/b"));
        assertThat(CollectingVisitor.match(tree, "a/b").subscribers).hasSize(3);
    }

    @Test
    @DisplayName("[4.8.2] a shared group is visited once however many members it has")
    void sharedGroupVisitedOnce() {
        tree.add(SubscriptionEntry.shared("c1", "g", "a/+", 1));
        tree.add(SubscriptionEntry.shared("c2", "g", "a/+", 1));
        tree.add(SubscriptionEntry.shared("c3", "h", "a/+", 1));
        tree.add(SubscriptionEntry.shared("c1", "g", "a/#", 1));
        CollectingVisitor visitor = CollectingVisitor.match(tree, "a/b");
        assertThat(visitor.subscribers).isEmpty();
        assertThat(visitor.groupKeys()).containsExactly("g:a/#", "g:a/+", "h:a/+");
        SharedGroup g = visitor.groups.stream()
                .filter(x -> x.name().equals("g") && x.topicFilter().equals("a/+"))
                .findFirst()
                .orElseThrow();
        assertThat(g.members()).extracting(SubscriptionEntry::clientId).containsExactly("c1", "c2");
    }

    @Test
    @DisplayName("[4.8.2] a shared group hands messages to its members round-robin, skipping ineligible ones")
    void sharedGroupRoundRobin() {
        for (String client : List.of("c1", "c2", "c3")) {
            tree.add(SubscriptionEntry.shared(client, "g", "jobs", 1));
        }
        SharedGroup group = CollectingVisitor.match(tree, "jobs").groups.get(0);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picked.add(group.next(e -> true).clientId());
        }
        assertThat(picked).containsExactly("c1", "c2", "c3", "c1", "c2", "c3");
        for (int i = 0; i < 4; i++) {
            assertThat(group.next(e -> !e.clientId().equals("c2")).clientId()).isNotEqualTo("c2");
        }
        assertThat(group.next(e -> false)).isNull();
    }

    @Test
    @DisplayName("a share group disappears with its last member")
    void emptySharedGroupIsRemoved() {
        tree.add(SubscriptionEntry.shared("c1", "g", "jobs", 1));
        SharedGroup group = CollectingVisitor.match(tree, "jobs").groups.get(0);
        assertThat(tree.remove("c1", "g", "jobs")).isNotNull();
        assertThat(CollectingVisitor.match(tree, "jobs").groups).isEmpty();
        assertThat(group.next(e -> true)).isNull();
        assertThat(tree.nodeCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.8.2-2] invalid filters and share names are rejected")
    void rejectsInvalidFilters() {
        for (String filter : List.of("", "a/#/b", "a+", "$share/g/a")) {
            assertThatThrownBy(() -> tree.add(sub("c", filter))).isInstanceOf(IllegalArgumentException.class);
        }
        for (String group : List.of("", "g/h", "g+", "#")) {
            assertThatThrownBy(() -> tree.add(SubscriptionEntry.shared("c", group, "a", 0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(tree.size()).isZero();
    }

    @Test
    @DisplayName("removing the last entry prunes every node that became empty")
    void removePrunes() {
        tree.add(sub("c1", "a/b/c/d"));
        tree.add(sub("c1", "a/+/#"));
        tree.add(SubscriptionEntry.shared("c2", "g", "a/b", 0));
        assertThat(tree.nodeCount()).isEqualTo(7);
        tree.remove("c1", null, "a/b/c/d");
        assertThat(tree.nodeCount()).isEqualTo(5); // root, a, a/b, a/+, a/+/#
        tree.remove("c2", "g", "a/b");
        tree.remove("c1", null, "a/+/#");
        assertThat(tree.nodeCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("a filter with thousands of subscribers keeps every one (array to map and back)")
    void manySubscribersOnOneFilter() {
        int clients = TopicNode.MAP_THRESHOLD * 8;
        for (int i = 0; i < clients; i++) {
            assertThat(tree.add(sub("c" + i, "broadcast/+"))).isNull();
        }
        assertThat(tree.add(new SubscriptionEntry("c3", null, "broadcast/+", 2, false, false, 0, 0)))
                .isNotNull();
        assertThat(CollectingVisitor.match(tree, "broadcast/all").subscribers)
                .hasSize(clients)
                .filteredOn(e -> e.clientId().equals("c3"))
                .extracting(SubscriptionEntry::maxQos)
                .containsExactly(2);
        for (int i = 10; i < clients; i++) {
            assertThat(tree.remove("c" + i, null, "broadcast/+")).isNotNull();
        }
        assertThat(CollectingVisitor.match(tree, "broadcast/all").subscribers)
                .extracting(SubscriptionEntry::clientId)
                .containsExactlyInAnyOrder("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
        assertThat(tree.size()).isEqualTo(10);
    }

    @Test
    @DisplayName("topics and filters of 20,000 levels neither overflow the stack nor fail")
    void veryDeepTopics() {
        String deep = "/".repeat(20_000);
        tree.add(sub("c", deep));
        tree.add(sub("c", "+/".repeat(20_000) + "#"));
        tree.add(sub("c", "+/".repeat(20_000) + "+"));
        assertThat(CollectingVisitor.match(tree, deep).subscribers).hasSize(3);
        tree.remove("c", null, deep);
        assertThat(CollectingVisitor.match(tree, deep).subscribers).hasSize(2);
    }

    @Test
    @DisplayName("a visitor may call match again on the same thread")
    void reentrantMatch() {
        tree.add(sub("c1", "a/b"));
        tree.add(sub("c2", "x/y"));
        List<String> seen = new ArrayList<>();
        tree.match("a/b", new SubscriptionVisitor() {
            @Override
            public void subscriber(SubscriptionEntry entry) {
                seen.add(entry.clientId());
                CollectingVisitor.match(tree, "x/y").subscribers.forEach(e -> seen.add(e.clientId()));
            }

            @Override
            public void sharedGroup(SharedGroup group) {}
        });
        assertThat(seen).containsExactly("c1", "c2");
    }

    @Test
    @DisplayName("match allocates nothing")
    void matchDoesNotAllocate() {
        for (int i = 0; i < 1000; i++) {
            tree.add(sub("c" + i, "devices/d" + i + "/state"));
        }
        tree.add(sub("all", "devices/+/state"));
        tree.add(sub("all", "devices/#"));
        tree.add(SubscriptionEntry.shared("w1", "g", "devices/+/state", 0));
        int[] hits = new int[1];
        SubscriptionVisitor counter = new SubscriptionVisitor() {
            @Override
            public void subscriber(SubscriptionEntry entry) {
                hits[0]++;
            }

            @Override
            public void sharedGroup(SharedGroup group) {
                hits[0]++;
            }
        };
        String[] topics = {"devices/d1/state", "devices/d999/state", "devices/unknown/state", "other/topic"};
        for (int i = 0; i < 20_000; i++) { // warm up
            tree.match(topics[i % topics.length], counter);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            tree.match(topics[i % topics.length], counter);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(hits[0]).isPositive();
        assertThat(allocated).as("bytes allocated by 100,000 matches").isLessThan(10_000);
    }
}
