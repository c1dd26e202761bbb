package io.bastion.broker.subscription;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The members of one {@code $share/{name}/{filter}} pair (4.8.2). A matching message goes to one
 * member, chosen round-robin.
 *
 * <p>Members are a copy-on-write array: readers ({@link #next}) take no lock; writers are the
 * {@link SubscriptionTree}, which changes members only while holding the trie node's lock. Groups
 * are small (a few workers each), so copying on change is cheaper than any shared structure.
 */
public final class SharedGroup {
    private static final SubscriptionEntry[] NONE = new SubscriptionEntry[0];

    private final String name;
    private final String topicFilter;
    private final AtomicInteger cursor = new AtomicInteger();
    private volatile SubscriptionEntry[] members = NONE;

    SharedGroup(String name, String topicFilter) {
        this.name = name;
        this.topicFilter = topicFilter;
    }

    public String name() {
        return name;
    }

    /** The filter without the {@code $share/{name}/} prefix. */
    public String topicFilter() {
        return topicFilter;
    }

    /**
     * Picks the next member round-robin among those for which {@code eligible} is true (e.g.
     * connected sessions first); {@code null} if none is.
     */
    public SubscriptionEntry next(Predicate<SubscriptionEntry> eligible) {
        SubscriptionEntry[] snapshot = members;
        int n = snapshot.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            SubscriptionEntry candidate = snapshot[(start + i) % n];
            if (eligible.test(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** A snapshot of the members. */
    public List<SubscriptionEntry> members() {
        return List.of(members);
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    /** Adds or replaces the member with the entry's client id; returns the replaced one. Caller holds the node lock. */
    SubscriptionEntry put(SubscriptionEntry entry) {
        SubscriptionEntry[] current = members;
        int i = indexOf(current, entry.clientId());
        SubscriptionEntry[] next;
        SubscriptionEntry replaced = null;
        if (i >= 0) {
            replaced = current[i];
            next = current.clone();
            next[i] = entry;
        } else {
            next = new SubscriptionEntry[current.length + 1];
            System.arraycopy(current, 0, next, 0, current.length);
            next[current.length] = entry;
        }
        members = next;
        return replaced;
    }

    /** Removes the member with this client id; returns it or null. Caller holds the node lock. */
    SubscriptionEntry remove(String clientId) {
        SubscriptionEntry[] current = members;
        int i = indexOf(current, clientId);
        if (i < 0) {
            return null;
        }
        SubscriptionEntry[] next = new SubscriptionEntry[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        members = next;
        return current[i];
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
        return "SharedGroup[$share/" + name + "/" + topicFilter + " members=" + members.length + "]";
    }
}
