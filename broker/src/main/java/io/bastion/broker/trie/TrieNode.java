package io.bastion.broker.trie;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node of a concurrent trie keyed by topic level, the base of the subscription trie's and the
 * retained-message trie's nodes: the parent link, the literal children, the pruned flag, and the
 * write paths that create, find and prune nodes under the trie's locking rules.
 *
 * <p>Readers take no lock: the children are an immutable array or a concurrent map behind a
 * volatile field. Writers hold the monitor of the node they change. {@link #isPruned() Pruned}
 * (guarded by the monitor) marks a node cut out of the trie. Invariants, which {@link #walk} and
 * {@link #prune} keep and every subclass must keep for its own entries:
 *
 * <ul>
 *   <li>a node not marked pruned is linked from its parent;
 *   <li>a pruned node never gains children or entries again;
 *   <li>an entry is stored only in a node the writer has locked and found unpruned (and is thus
 *       reachable from the root); a writer that meets a pruned node starts over from the root;
 *   <li>locks are taken parent then child, always top-down, so writers cannot deadlock.
 * </ul>
 *
 * @param <N> the concrete node type
 */
public abstract class TrieNode<N extends TrieNode<N>> {
    /** Up to this many literal children are kept in an array and scanned. */
    public static final int CHILD_ARRAY_MAX = 8;

    private static final TrieNode<?>[] NO_CHILDREN = new TrieNode<?>[0];

    private final N parent;
    private final String level;
    /** {@code level.hashCode()}, kept here so scanning an array of children touches no Strings. */
    private final int levelHash;

    /**
     * Literal child levels: a {@code TrieNode<?>[]} while there are few (most nodes have one or two,
     * and a map costs ~150 bytes and three more cache misses per lookup), a {@code
     * ConcurrentHashMap<CharSequence, N>} keyed by level once there are more. The array's runtime
     * type is always exactly {@code TrieNode[]}, so the type check in {@link #literal} sees one type.
     */
    private volatile Object children = NO_CHILDREN;

    /** Guarded by this. */
    private boolean pruned;

    /** @param parent null for the root */
    protected TrieNode(N parent, String level) {
        this.parent = parent;
        this.level = level;
        this.levelHash = level.hashCode();
    }

    /** This node's level; the empty string for the root. */
    public final String level() {
        return level;
    }

    /** Whether this node has been cut out of the trie. Caller holds this node's monitor. */
    public final boolean isPruned() {
        return pruned;
    }

    // ---- children, read side (lock-free)

    /**
     * The literal child with this level, or null. {@code level} is a String or a CharSequence whose
     * {@code hashCode()} is that of the level as a String and whose {@code equals(String)} compares
     * characters.
     */
    @SuppressWarnings({"unchecked", "UndefinedEquals", "CollectionUndefinedEquality"}) // String or probe
    public final N literal(CharSequence level) {
        Object current = children;
        if (current instanceof TrieNode<?>[] array) {
            int h = level.hashCode();
            for (TrieNode<?> child : array) {
                if (child.levelHash == h && level.equals(child.level)) {
                    return (N) child;
                }
            }
            return null;
        }
        return ((ConcurrentHashMap<CharSequence, N>) current).get(level);
    }

    /** The child for a level of a path; subclasses with other kinds of child override this. */
    public N child(String level) {
        return literal(level);
    }

    /** A weakly consistent, unmodifiable view of the literal children; for walks off a lookup path. */
    @SuppressWarnings("unchecked")
    public final Collection<N> literals() {
        Object current = children;
        if (current instanceof TrieNode<?>[] array) {
            // most nodes are leaves: no view to allocate for them
            return array.length == 0
                    ? List.of()
                    : (List<N>) (List<?>) Collections.unmodifiableList(Arrays.asList(array));
        }
        return Collections.unmodifiableCollection(((ConcurrentHashMap<CharSequence, N>) current).values());
    }

    // ---- write paths

    /**
     * The node for {@code path}'s levels below this one. With {@code create}, missing nodes are
     * created and null means a pruned node was met (the caller starts over); without, null means
     * there is no such node. The node returned may be pruned by the time the caller locks it.
     */
    public final N walk(String path, boolean create) {
        TrieNode<N> node = this;
        int start = 0;
        while (node != null) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            String level = path.substring(start, end);
            N next = create ? node.getOrCreateChild(level) : node.child(level);
            if (end == path.length()) {
                return next;
            }
            node = next;
            start = end + 1;
        }
        return null;
    }

    /**
     * Unlinks this node if it is empty, and then each parent for as long as they are empty; locks
     * parent then child. Call after removing an entry from this node, outside its monitor.
     */
    public final void prune() {
        TrieNode<N> child = this;
        while (child.parent != null) {
            TrieNode<N> parent = child.parent;
            synchronized (parent) {
                synchronized (child) {
                    if (child.pruned || !child.isEmpty()) {
                        return;
                    }
                    child.pruned = true;
                    parent.unlink(child.self());
                }
            }
            child = parent;
        }
    }

    /**
     * The child for a level, created if absent; null if this node has been pruned (the caller
     * starts over from the root).
     */
    public final N getOrCreateChild(String level) {
        N existing = child(level);
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
            N created = newChild(level);
            link(created);
            return created;
        }
    }

    // ---- hooks and helpers for subclasses

    /** A new, unlinked node for {@code level} with this node as its parent. */
    protected abstract N newChild(String level);

    /** Whether this node has no children and no entries. Caller holds this node's monitor. */
    protected abstract boolean isEmpty();

    /**
     * Links a new child; subclasses with other kinds of child override this. Caller holds this
     * node's monitor.
     */
    protected void link(N child) {
        addLiteral(child);
    }

    /**
     * Unlinks a child; subclasses with other kinds of child override this. Caller holds this
     * node's and the child's monitor.
     */
    protected void unlink(N child) {
        removeLiteral(child);
    }

    /** Whether there are no literal children. Caller holds this node's monitor. */
    @SuppressWarnings("unchecked")
    protected final boolean hasNoLiterals() {
        Object current = children;
        return current instanceof TrieNode<?>[] array
                ? array.length == 0
                : ((ConcurrentHashMap<CharSequence, N>) current).isEmpty();
    }

    /** Caller holds this node's monitor. */
    @SuppressWarnings("unchecked")
    protected final void addLiteral(N child) {
        Object current = children;
        String key = ((TrieNode<N>) child).level;
        if (!(current instanceof TrieNode<?>[] array)) {
            ((ConcurrentHashMap<CharSequence, N>) current).put(key, child);
        } else if (array.length < CHILD_ARRAY_MAX) {
            TrieNode<?>[] next = Arrays.copyOf(array, array.length + 1);
            next[array.length] = child;
            children = next;
        } else {
            ConcurrentHashMap<CharSequence, N> map = new ConcurrentHashMap<>(4 * CHILD_ARRAY_MAX);
            for (TrieNode<?> existing : array) {
                map.put(existing.level, (N) existing);
            }
            map.put(key, child);
            children = map;
        }
    }

    /** Caller holds this node's and the child's monitor. */
    @SuppressWarnings({"unchecked", "ReferenceEquality"}) // that very node, not an equal one
    protected final void removeLiteral(N child) {
        Object current = children;
        if (current instanceof TrieNode<?>[] array) {
            for (int i = 0; i < array.length; i++) {
                if (array[i] == child) {
                    children = without(array, i);
                    return;
                }
            }
        } else {
            // a map stays a map: a node that once had many children is likely to again
            ((ConcurrentHashMap<CharSequence, N>) current).remove(((TrieNode<N>) child).level, child);
        }
    }

    private static TrieNode<?>[] without(TrieNode<?>[] array, int i) {
        if (array.length == 1) {
            return NO_CHILDREN;
        }
        TrieNode<?>[] next = new TrieNode<?>[array.length - 1];
        System.arraycopy(array, 0, next, 0, i);
        System.arraycopy(array, i + 1, next, i, array.length - i - 1);
        return next;
    }

    @SuppressWarnings("unchecked")
    private N self() {
        return (N) this;
    }
}
