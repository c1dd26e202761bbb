package io.bastion.broker.subscription;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One level of the subscription trie: its children and the subscriptions whose filter ends here.
 *
 * <p>Readers take no lock: every field they touch is volatile and points to an immutable array or
 * a concurrent map. Writers hold this node's monitor. {@link #pruned} (guarded by the monitor) marks
 * a node cut out of the trie; such a node never gains children or entries again, which is what lets
 * {@link SubscriptionTree} prune without losing a concurrent add.
 */
final class TopicNode {
    private static final SubscriptionEntry[] NO_ENTRIES = new SubscriptionEntry[0];
    private static final SharedGroup[] NO_GROUPS = new SharedGroup[0];
    private static final TopicNode[] NO_CHILDREN = new TopicNode[0];

    /** Up to this many literal children are kept in an array and scanned. */
    static final int CHILD_ARRAY_MAX = 8;

    /**
     * Past this many clients on one filter (a fleet-wide broadcast topic) copy-on-write would make
     * each subscribe O(n); a map keeps it O(1) at the price of an iterator per match of that node.
     */
    static final int MAP_THRESHOLD = 64;

    final TopicNode parent;
    final String level;
    /** {@code level.hashCode()}, kept here so scanning an array of children touches no Strings. */
    final int levelHash;

    /**
     * Literal child levels: a {@code TopicNode[]} while there are few (most nodes have one or two,
     * and a map costs ~150 bytes and three more cache misses per lookup), a {@code
     * ConcurrentHashMap<CharSequence, TopicNode>} keyed by level once there are more. Lookups may
     * pass a {@link LevelProbe}.
     */
    private volatile Object children = NO_CHILDREN;

    private volatile TopicNode plus;
    private volatile TopicNode hash;

    /** Non-shared entries: a {@code SubscriptionEntry[]}, or a {@code ConcurrentHashMap<String, SubscriptionEntry>} by client id once large. */
    private volatile Object subscribers = NO_ENTRIES;

    private volatile SharedGroup[] groups = NO_GROUPS;

    /** Guarded by this. */
    boolean pruned;

    TopicNode(TopicNode parent, String level) {
        this.parent = parent;
        // levels repeat across the trie ("state", "cmd"): one shared String saves memory and keeps
        // the compare in a lookup on a cached object
        this.level = level.intern();
        this.levelHash = level.hashCode();
    }

    // ---- children, read side (lock-free)

    /** The literal child with this level; {@code level} is a String or a {@link LevelProbe}. */
    @SuppressWarnings({"unchecked", "UndefinedEquals", "CollectionUndefinedEquality"}) // String or LevelProbe
    TopicNode literal(CharSequence level) {
        Object current = children;
        if (current instanceof TopicNode[] array) {
            int h = level.hashCode();
            for (TopicNode child : array) {
                if (child.levelHash == h && level.equals(child.level)) {
                    return child;
                }
            }
            return null;
        }
        return ((ConcurrentHashMap<CharSequence, TopicNode>) current).get(level);
    }

    TopicNode plus() {
        return plus;
    }

    TopicNode hash() {
        return hash;
    }

    /** The child for a filter level, wildcard or not. */
    TopicNode child(String level) {
        if (level.equals("+")) {
            return plus;
        }
        if (level.equals("#")) {
            return hash;
        }
        return literal(level);
    }

    /** Adds every child to {@code into}; for walks off the matching path. */
    @SuppressWarnings("unchecked")
    void addChildrenTo(Collection<TopicNode> into) {
        Object current = children;
        if (current instanceof TopicNode[] array) {
            into.addAll(Arrays.asList(array));
        } else {
            into.addAll(((ConcurrentHashMap<CharSequence, TopicNode>) current).values());
        }
        TopicNode p = plus;
        if (p != null) {
            into.add(p);
        }
        TopicNode h = hash;
        if (h != null) {
            into.add(h);
        }
    }

    // ---- children, write side

    /** The child for a filter level, created if absent; null if this node has been pruned (the caller retries from the root). */
    TopicNode getOrCreateChild(String level) {
        TopicNode existing = child(level);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (pruned) {
                return null;
            }
            existing = child(level);
            if (existing != null) {
                return existing;
            }
            TopicNode created = new TopicNode(this, level);
            if (level.equals("+")) {
                plus = created;
            } else if (level.equals("#")) {
                hash = created;
            } else {
                addLiteral(created);
            }
            return created;
        }
    }

    @SuppressWarnings("unchecked")
    private void addLiteral(TopicNode child) {
        Object current = children;
        if (!(current instanceof TopicNode[] array)) {
            ((ConcurrentHashMap<CharSequence, TopicNode>) current).put(child.level, child);
        } else if (array.length < CHILD_ARRAY_MAX) {
            TopicNode[] next = Arrays.copyOf(array, array.length + 1);
            next[array.length] = child;
            children = next;
        } else {
            ConcurrentHashMap<CharSequence, TopicNode> map = new ConcurrentHashMap<>(4 * CHILD_ARRAY_MAX);
            for (TopicNode existing : array) {
                map.put(existing.level, existing);
            }
            map.put(child.level, child);
            children = map;
        }
    }

    /** Unlinks a child. Caller holds this node's and the child's monitor. */
    @SuppressWarnings({"unchecked", "ReferenceEquality"}) // that very node, not an equal one
    void unlink(TopicNode child) {
        if (plus == child) {
            plus = null;
        } else if (hash == child) {
            hash = null;
        } else if (children instanceof TopicNode[] array) {
            for (int i = 0; i < array.length; i++) {
                if (array[i] == child) {
                    children = remove(array, i);
                    return;
                }
            }
        } else {
            // a map stays a map: a node that once had many children is likely to again
            ((ConcurrentHashMap<CharSequence, TopicNode>) children).remove(child.level, child);
        }
    }

    private static TopicNode[] remove(TopicNode[] array, int i) {
        if (array.length == 1) {
            return NO_CHILDREN;
        }
        TopicNode[] next = new TopicNode[array.length - 1];
        System.arraycopy(array, 0, next, 0, i);
        System.arraycopy(array, i + 1, next, i, array.length - i - 1);
        return next;
    }

    /** Caller holds this node's monitor. */
    @SuppressWarnings("unchecked")
    boolean isEmpty() {
        Object current = children;
        boolean noLiterals = current instanceof TopicNode[] array
                ? array.length == 0
                : ((ConcurrentHashMap<CharSequence, TopicNode>) current).isEmpty();
        return plus == null && hash == null && noLiterals && groups.length == 0 && subscribers == NO_ENTRIES;
    }

    // ---- entries, read side (lock-free)

    @SuppressWarnings("unchecked")
    void visit(SubscriptionVisitor visitor) {
        Object current = subscribers;
        if (current instanceof SubscriptionEntry[] array) {
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
        if (!(current instanceof SubscriptionEntry[] array)) {
            return ((Map<String, SubscriptionEntry>) current).put(entry.clientId(), entry);
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
        if (!(current instanceof SubscriptionEntry[] array)) {
            Map<String, SubscriptionEntry> map = (Map<String, SubscriptionEntry>) current;
            SubscriptionEntry removed = map.remove(clientId);
            if (removed != null && map.size() <= MAP_THRESHOLD / 2) {
                // back to an array so matching this node allocates nothing again
                subscribers = map.isEmpty() ? NO_ENTRIES : map.values().toArray(NO_ENTRIES);
            }
            return removed;
        }
        int i = indexOf(array, clientId);
        if (i < 0) {
            return null;
        }
        if (array.length == 1) {
            subscribers = NO_ENTRIES; // isEmpty() relies on the shared empty array
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
        return "TopicNode[" + level + "]";
    }
}
