package io.bastion.broker.subscription;

import io.bastion.broker.trie.TrieNode;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One level of the subscription trie: its children and the subscriptions whose filter ends here.
 * Besides the literal children kept by {@link TrieNode}, a node has at most one {@code +} and one
 * {@code #} child.
 *
 * <p>Readers take no lock: every field they touch is volatile and points to a single entry, an
 * immutable array or a concurrent map (the literal children: see {@link TrieNode}). Writers hold this node's monitor and keep the invariants of {@link TrieNode}:
 * a pruned node never gains children or entries again, which is what lets {@link SubscriptionTree}
 * prune without losing a concurrent add.
 */
final class TopicNode extends TrieNode<TopicNode> {
    private static final SubscriptionEntry[] NO_ENTRIES = new SubscriptionEntry[0];
    private static final SharedGroup[] NO_GROUPS = new SharedGroup[0];

    /**
     * Past this many clients on one filter (a fleet-wide broadcast topic) copy-on-write would make
     * each subscribe O(n); a map keeps it O(1) at the price of an iterator per match of that node.
     */
    static final int MAP_THRESHOLD = 64;

    private volatile TopicNode plus;
    private volatile TopicNode hash;

    /**
     * Non-shared entries: none ({@code NO_ENTRIES}), the only one (most filters have a single
     * subscriber, who then costs no array to reach), a {@code SubscriptionEntry[]} of two or more, or
     * a {@code ConcurrentHashMap<String, SubscriptionEntry>} by client id once large.
     */
    private volatile Object subscribers = NO_ENTRIES;

    private volatile SharedGroup[] groups = NO_GROUPS;

    TopicNode(TopicNode parent, String level) {
        // levels repeat across the trie ("state", "cmd"): one shared String saves memory and keeps
        // the compare in a lookup on a cached object
        super(parent, level.intern());
    }

    // ---- children, read side (lock-free); literal(...) is inherited (final)

    TopicNode plus() {
        return plus;
    }

    TopicNode hash() {
        return hash;
    }

    /** The child for a filter level, wildcard or not. */
    @Override
    public TopicNode child(String level) {
        if (level.equals("+")) {
            return plus;
        }
        if (level.equals("#")) {
            return hash;
        }
        return literal(level);
    }

    /** Adds every child to {@code into}; for walks off the matching path. */
    void addChildrenTo(Collection<TopicNode> into) {
        into.addAll(literals());
        TopicNode p = plus;
        if (p != null) {
            into.add(p);
        }
        TopicNode h = hash;
        if (h != null) {
            into.add(h);
        }
    }

    // ---- children, write side: TrieNode hooks

    @Override
    protected TopicNode newChild(String level) {
        return new TopicNode(this, level);
    }

    /** Caller holds this node's monitor. */
    @Override
    protected void link(TopicNode child) {
        if (child.level().equals("+")) {
            plus = child;
        } else if (child.level().equals("#")) {
            hash = child;
        } else {
            addLiteral(child);
        }
    }

    /** Caller holds this node's and the child's monitor. */
    @Override
    @SuppressWarnings("ReferenceEquality") // that very node, not an equal one
    protected void unlink(TopicNode child) {
        if (plus == child) {
            plus = null;
        } else if (hash == child) {
            hash = null;
        } else {
            removeLiteral(child);
        }
    }

    /** Caller holds this node's monitor. */
    @Override
    protected boolean isEmpty() {
        return plus == null && hash == null && hasNoLiterals() && groups.length == 0 && subscribers == NO_ENTRIES;
    }

    // ---- entries, read side (lock-free)

    @SuppressWarnings("unchecked")
    void visit(SubscriptionVisitor visitor) {
        Object current = subscribers;
        if (current instanceof SubscriptionEntry only) {
            visitor.subscriber(only);
        } else if (current instanceof SubscriptionEntry[] array) {
            for (SubscriptionEntry entry : array) {
                visitor.subscriber(entry);
            }
        } else {
            for (SubscriptionEntry entry : ((Map<String, SubscriptionEntry>) current).values()) {
                visitor.subscriber(entry);
            }
        }
        for (SharedGroup group : groups) {
            if (!group.isEmpty()) {
                visitor.sharedGroup(group);
            }
        }
    }

    // ---- entries, write side: caller holds this node's monitor

    @SuppressWarnings("unchecked")
    SubscriptionEntry putSubscriber(SubscriptionEntry entry) {
        Object current = subscribers;
        if (current instanceof SubscriptionEntry only) {
            if (only.clientId().equals(entry.clientId())) {
                subscribers = entry;
                return only;
            }
            subscribers = new SubscriptionEntry[] {only, entry};
            return null;
        }
        if (!(current instanceof SubscriptionEntry[] array)) {
            return ((Map<String, SubscriptionEntry>) current).put(entry.clientId(), entry);
        }
        if (array.length == 0) {
            subscribers = entry;
            return null;
        }
        int i = indexOf(array, entry.clientId());
        if (i >= 0) {
            SubscriptionEntry[] next = array.clone();
            next[i] = entry;
            subscribers = next;
            return array[i];
        }
        if (array.length >= MAP_THRESHOLD) {
            ConcurrentHashMap<String, SubscriptionEntry> map = new ConcurrentHashMap<>(array.length * 2);
            for (SubscriptionEntry e : array) {
                map.put(e.clientId(), e);
            }
            map.put(entry.clientId(), entry);
            subscribers = map;
            return null;
        }
        SubscriptionEntry[] next = new SubscriptionEntry[array.length + 1];
        System.arraycopy(array, 0, next, 0, array.length);
        next[array.length] = entry;
        subscribers = next;
        return null;
    }

    @SuppressWarnings("unchecked")
    SubscriptionEntry removeSubscriber(String clientId) {
        Object current = subscribers;
        if (current instanceof SubscriptionEntry only) {
            if (!only.clientId().equals(clientId)) {
                return null;
            }
            subscribers = NO_ENTRIES; // isEmpty() relies on the shared empty array
            return only;
        }
        if (!(current instanceof SubscriptionEntry[] array)) {
            Map<String, SubscriptionEntry> map = (Map<String, SubscriptionEntry>) current;
            SubscriptionEntry removed = map.remove(clientId);
            if (removed != null && map.size() <= MAP_THRESHOLD / 2) {
                // back to an array so matching this node allocates nothing again
                subscribers = map.values().toArray(NO_ENTRIES);
            }
            return removed;
        }
        int i = indexOf(array, clientId);
        if (i < 0) {
            return null;
        }
        if (array.length == 2) {
            subscribers = array[1 - i];
        } else {
            SubscriptionEntry[] next = new SubscriptionEntry[array.length - 1];
            System.arraycopy(array, 0, next, 0, i);
            System.arraycopy(array, i + 1, next, i, array.length - i - 1);
            subscribers = next;
        }
        return array[i];
    }

    SubscriptionEntry putShared(SubscriptionEntry entry) {
        SharedGroup[] current = groups;
        for (SharedGroup group : current) {
            if (group.name().equals(entry.shareGroup())) {
                return group.put(entry);
            }
        }
        SharedGroup group = new SharedGroup(entry.shareGroup(), entry.topicFilter());
        group.put(entry);
        SharedGroup[] next = new SharedGroup[current.length + 1];
        System.arraycopy(current, 0, next, 0, current.length);
        next[current.length] = group;
        groups = next;
        return null;
    }

    SubscriptionEntry removeShared(String shareGroup, String clientId) {
        SharedGroup[] current = groups;
        for (int i = 0; i < current.length; i++) {
            SharedGroup group = current[i];
            if (!group.name().equals(shareGroup)) {
                continue;
            }
            SubscriptionEntry removed = group.remove(clientId);
            if (removed != null && group.isEmpty()) {
                SharedGroup[] next = new SharedGroup[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                groups = next.length == 0 ? NO_GROUPS : next;
            }
            return removed;
        }
        return null;
    }

    private static int indexOf(SubscriptionEntry[] entries, String clientId) {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].clientId().equals(clientId)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "TopicNode[" + level() + "]";
    }
}
