package io.bastion.broker.retain;

import io.bastion.mqtt.Topics;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Retained messages in a trie keyed by topic level, so a filter lookup visits only the branches it
 * can match: a literal level is one map lookup, {@code +} the children of one node, {@code #} one
 * subtree.
 *
 * <p>Thread-safe: lookups take no lock; writers lock single nodes. As in the subscription tree,
 * removing a message prunes empty nodes parent-then-child, marking each pruned; a writer stores a
 * message only in a node it has locked and found unpruned, and starts over when it meets a pruned
 * one, so a concurrent prune never loses a put (the walking and pruning are {@link
 * io.bastion.broker.trie.TrieNode}'s, shared with the subscription tree). Walks use an explicit
 * stack, never recursion: a topic may have thousands of levels.
 */
public final class InMemoryRetainedMessages implements RetainedMessages {
    private final RetainedNode root = new RetainedNode(null, "");
    private final AtomicInteger size = new AtomicInteger();

    /** @throws IllegalArgumentException if the topic is not a valid topic name */
    @Override
    public void put(RetainedMessage message) {
        if (!Topics.isValidTopicName(message.topic())) {
            throw new IllegalArgumentException("not a topic name: " + message.topic());
        }
        if (message.payload().length == 0) {
            remove(message.topic()); // [MQTT-3.3.1-6], [MQTT-3.3.1-7]
            return;
        }
        while (true) {
            RetainedNode node = root.walk(message.topic(), true);
            if (node == null) {
                continue; // met a pruned node
            }
            RetainedMessage replaced;
            synchronized (node) {
                if (node.isPruned()) {
                    continue;
                }
                replaced = node.message;
                node.message = message; // [MQTT-3.3.1-5]
            }
            if (replaced == null) {
                size.incrementAndGet();
            }
            return;
        }
    }

    @Override
    public void remove(String topic) {
        while (true) {
            RetainedNode node = root.walk(topic, false);
            if (node == null) {
                return;
            }
            RetainedMessage removed;
            synchronized (node) {
                if (node.isPruned()) {
                    continue; // a concurrent put may have re-created the path
                }
                removed = node.message;
                node.message = null;
            }
            if (removed != null) {
                size.decrementAndGet();
                node.prune();
            }
            return;
        }
    }

    @Override
    public void match(String topicFilter, long nowMillis, Consumer<RetainedMessage> consumer) {
        String filter = Topics.stripShare(topicFilter);
        int length = filter.length();
        if (length == 0) {
            return;
        }
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root, 0));
        while (!stack.isEmpty()) {
            Frame frame = stack.pop();
            RetainedNode node = frame.node();
            int start = frame.start();
            if (start > length) {
                deliver(node, nowMillis, consumer);
                continue;
            }
            int end = filter.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            boolean skipDollar = node == root; // only reached here when the first level is a wildcard
            if (end - start == 1 && filter.charAt(start) == '#') {
                deliver(node, nowMillis, consumer); // "a/#" matches "a" [MQTT-4.7.1-2]
                deliverSubtree(node, skipDollar, nowMillis, consumer);
            } else if (end - start == 1 && filter.charAt(start) == '+') {
                for (RetainedNode child : node.literals()) {
                    if (!(skipDollar && child.level().startsWith("$"))) { // [MQTT-4.7.2-1]
                        stack.push(new Frame(child, end + 1));
                    }
                }
            } else {
                RetainedNode child = node.child(filter.substring(start, end));
                if (child != null) {
                    stack.push(new Frame(child, end + 1));
                }
            }
        }
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public int purgeExpired(long nowMillis) {
        int purged = 0;
        ArrayDeque<RetainedNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            RetainedNode node = stack.pop();
            RetainedMessage message = node.message;
            if (message != null && message.isExpired(nowMillis) && removeIfSame(node, message)) {
                purged++;
            }
            for (RetainedNode child : node.literals()) {
                stack.push(child);
            }
        }
        return purged;
    }

    /** Number of trie nodes, the root included; lets tests check that removal prunes. */
    int nodeCount() {
        int count = 0;
        ArrayDeque<RetainedNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            count++;
            stack.pop().literals().forEach(stack::push);
        }
        return count;
    }

    private record Frame(RetainedNode node, int start) {}

    private void deliverSubtree(
            RetainedNode top, boolean skipDollar, long nowMillis, Consumer<RetainedMessage> consumer) {
        ArrayDeque<RetainedNode> stack = new ArrayDeque<>();
        for (RetainedNode child : top.literals()) {
            if (!(skipDollar && child.level().startsWith("$"))) { // [MQTT-4.7.2-1]
                stack.push(child);
            }
        }
        while (!stack.isEmpty()) {
            RetainedNode node = stack.pop();
            deliver(node, nowMillis, consumer);
            for (RetainedNode child : node.literals()) {
                stack.push(child);
            }
        }
    }

    private void deliver(RetainedNode node, long nowMillis, Consumer<RetainedMessage> consumer) {
        RetainedMessage message = node.message;
        if (message == null) {
            return;
        }
        if (message.isExpired(nowMillis)) {
            removeIfSame(node, message); // lazily, and only if no newer message replaced it meanwhile
            return;
        }
        consumer.accept(message);
    }

    /** Removes the node's message if it is still {@code expected}. */
    @SuppressWarnings("ReferenceEquality") // the same message object, not an equal newer one
    private boolean removeIfSame(RetainedNode node, RetainedMessage expected) {
        synchronized (node) {
            if (node.isPruned() || node.message != expected) {
                return false;
            }
            node.message = null;
        }
        size.decrementAndGet();
        node.prune();
        return true;
    }
}
