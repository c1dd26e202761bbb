package io.bastion.broker.retain;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One topic level of the retained-message trie. Readers take no lock (volatile fields, concurrent
 * map); writers hold this node's monitor. A node marked {@link #pruned} has been cut out of the trie
 * and never gains children or a message again (see {@link InMemoryRetainedMessages}).
 */
final class RetainedNode {
    final RetainedNode parent;
    final String level;

    /** Created on first child: most nodes are leaves. */
    private volatile ConcurrentHashMap<String, RetainedNode> children;

    /** Written under this node's monitor. */
    volatile RetainedMessage message;

    /** Guarded by this. */
    boolean pruned;

    RetainedNode(RetainedNode parent, String level) {
        this.parent = parent;
        this.level = level;
    }

    RetainedNode child(String level) {
        ConcurrentHashMap<String, RetainedNode> map = children;
        return map == null ? null : map.get(level);
    }

    Collection<RetainedNode> children() {
        ConcurrentHashMap<String, RetainedNode> map = children;
        return map == null ? List.of() : map.values();
    }

    /** The child, created if absent; null if this node has been pruned (the caller retries from the root). */
    RetainedNode getOrCreateChild(String level) {
        RetainedNode existing = child(level);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (pruned) {
                return null;
            }
            ConcurrentHashMap<String, RetainedNode> map = children;
            if (map == null) {
                map = new ConcurrentHashMap<>(4);
                children = map;
            }
            return map.computeIfAbsent(level, l -> new RetainedNode(this, l));
        }
    }

    /** Caller holds this node's and the child's monitor. */
    void unlink(RetainedNode child) {
        ConcurrentHashMap<String, RetainedNode> map = children;
        if (map != null) {
            map.remove(child.level, child);
        }
    }

    /** Caller holds this node's monitor. */
    boolean isEmpty() {
        ConcurrentHashMap<String, RetainedNode> map = children;
        return message == null && (map == null || map.isEmpty());
    }

    @Override
    public String toString() {
        return "RetainedNode[" + level + "]";
    }
}
