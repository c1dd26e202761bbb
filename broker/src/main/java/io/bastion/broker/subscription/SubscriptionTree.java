package io.bastion.broker.subscription;

import io.bastion.broker.trie.LevelProbe;
import io.bastion.mqtt.Topics;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's subscription index: a trie of topic filter levels (4.7), matched against the topic
 * of every PUBLISH.
 *
 * <p>Matching is lock-free and allocates nothing: it walks the topic by index, looks up at most a
 * literal, a {@code +} and a {@code #} child per level, and reads each node's entries from an
 * immutable snapshot. Its cost depends on the topic and the filters that match it, not on how
 * many other subscriptions exist.
 *
 * <p>Writers lock single nodes. Removing the last entry of a node prunes it, and its parents if
 * they become empty, locking parent then child (always top-down, so writers cannot deadlock).
 * Invariant: a node not marked pruned is linked from its parent, and a pruned node never gains
 * children or entries. An add therefore stores its entry only in a node it has locked and found
 * unpruned, which is reachable from the root; if it meets a pruned node it starts over. The
 * walking and pruning are {@link io.bastion.broker.trie.TrieNode}'s, shared with the retained
 * messages.
 */
public final class SubscriptionTree {
    private final TopicNode root = new TopicNode(null, "");
    private final AtomicInteger size = new AtomicInteger();

    /**
     * Adds or replaces (same clientId + shareGroup + topicFilter) and returns the replaced entry or
     * null [MQTT-3.8.4-3].
     *
     * @throws IllegalArgumentException if the filter is not a valid topic filter without the {@code
     *     $share/} prefix, or the share name is not valid
     */
    public SubscriptionEntry add(SubscriptionEntry entry) {
        checkFilter(entry.shareGroup(), entry.topicFilter());
        while (true) {
            TopicNode node = root.walk(entry.topicFilter(), true);
            if (node == null) {
                continue; // met a pruned node
            }
            SubscriptionEntry replaced;
            synchronized (node) {
                if (node.isPruned()) {
                    continue;
                }
                replaced = entry.isShared() ? node.putShared(entry) : node.putSubscriber(entry);
            }
            if (replaced == null) {
                size.incrementAndGet();
            }
            return replaced;
        }
    }

    /** Removes and returns the entry or null. */
    public SubscriptionEntry remove(String clientId, String shareGroup, String topicFilter) {
        while (true) {
            TopicNode node = root.walk(topicFilter, false);
            if (node == null) {
                return null;
            }
            SubscriptionEntry removed;
            synchronized (node) {
                if (node.isPruned()) {
                    continue; // a concurrent add may have re-created the path
                }
                removed =
                        shareGroup == null ? node.removeSubscriber(clientId) : node.removeShared(shareGroup, clientId);
            }
            if (removed != null) {
                size.decrementAndGet();
                node.prune();
            }
            return removed;
        }
    }

    /**
     * Visits every subscription whose filter matches {@code topic} (a valid topic name). Non-shared
     * entries are visited once each (the caller merges several of one client); each matching shared
     * group once. A filter starting with a wildcard never matches a topic starting with {@code $}
     * [MQTT-4.7.2-1]; {@code a/#} also matches {@code a} [MQTT-4.7.1-2].
     */
    public void match(String topic, SubscriptionVisitor visitor) {
        int length = topic.length();
        boolean dollar = length > 0 && topic.charAt(0) == '$';
        MatchCursor cursor = MatchCursor.acquire();
        try {
            // a pair (node, start): node matched the levels before index start; start > length when all did
            cursor.push(root, 0);
            while (!cursor.isEmpty()) {
                TopicNode node = cursor.pop();
                int start = cursor.poppedStart();
                if (start > length) {
                    node.visit(visitor);
                    TopicNode hash = node.hash();
                    if (hash != null) {
                        hash.visit(visitor); // "a/#" matches "a"
                    }
                    continue;
                }
                int end = topic.indexOf('/', start);
                if (end < 0) {
                    end = length;
                }
                if (!(dollar && node == root)) {
                    TopicNode hash = node.hash();
                    if (hash != null) {
                        hash.visit(visitor);
                    }
                    TopicNode plus = node.plus();
                    if (plus != null) {
                        cursor.push(plus, end + 1);
                    }
                }
                LevelProbe probe = cursor.probe.set(topic, start, end);
                TopicNode literal = node.literal(probe, probe.hashCode(), probe.bits());
                if (literal != null) {
                    cursor.push(literal, end + 1);
                }
            }
        } finally {
            cursor.release();
        }
    }

    /** Number of entries. */
    public int size() {
        return size.get();
    }

    /** Number of trie nodes, the root included; lets tests check that removal prunes. */
    int nodeCount() {
        int count = 0;
        ArrayDeque<TopicNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            count++;
            stack.pop().addChildrenTo(stack);
        }
        return count;
    }

    private static void checkFilter(String shareGroup, String filter) {
        if (!Topics.isValidTopicFilter(filter) || Topics.isShared(filter)) {
            throw new IllegalArgumentException("not a topic filter without $share prefix: " + filter);
        }
        if (shareGroup != null && !isValidShareName(shareGroup)) {
            throw new IllegalArgumentException("not a valid share name: " + shareGroup);
        }
    }

    /** [MQTT-4.8.2-1], [MQTT-4.8.2-2]. */
    private static boolean isValidShareName(String name) {
        return !name.isEmpty()
                && name.indexOf('/') < 0
                && name.indexOf('+') < 0
                && name.indexOf('#') < 0
                && name.indexOf('\u0000') < 0;
    }
}
