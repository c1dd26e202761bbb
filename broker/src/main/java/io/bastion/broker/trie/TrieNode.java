package io.bastion.broker.trie;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a concurrent trie keyed by topic level, the base of the subscription trie's and the
 * retained-message trie's nodes: the parent link, the literal children, the pruned flag, and the
 * write paths that create, find and prune nodes under the trie's locking rules.
 *
 * <p>Readers take no lock: the children are one node or an open-addressing table behind a
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
    /** {@link #packed} of a level that does not fit in a long; no packed level equals it. */
    public static final long NOT_PACKED = -1L;

    /** Marks a slot whose child was removed, so a probe goes on past it; its level matches none. */
    private static final TrieNode<?> REMOVED = new Removed();

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(TrieNode[].class);

    private final N parent;
    private final String level;
    /** {@code level.hashCode()}: a probe compares levels only on a likely hit. */
    private final int levelHash;
    /**
     * {@link #packed(CharSequence, int, int) packed(level)}: a short level (most are: "cmd",
     * "state", numeric ids) is compared in this node, without touching its String — in a trie too
     * large for the CPU cache that String and its bytes are two cache misses per level.
     */
    private final long levelBits;

    /**
     * Literal children: null, the only child (most nodes have one, and it then costs no array), or
     * an open-addressing hash table (linear probing, a power-of-two length, at least half of it null
     * so every probe ends) whose slots point straight at the children. Finding a child thus costs
     * the slot and the child itself, where a {@code ConcurrentHashMap} costs its table, map node,
     * key String, the String's bytes and the value. Writers hold this node's monitor; they fill a
     * free slot in place (a release store after the child is built, so a reader sees it whole),
     * mark a removed child's slot {@link #REMOVED} (never null again, so a probe for a child further
     * along still reaches it), and publish a new table or single child through this volatile field.
     */
    private volatile Object children;

    /** Live children. Guarded by this. */
    private int childCount;

    /** Slots not null in the table: live children and removed marks. Guarded by this. */
    private int usedSlots;

    /** Guarded by this. */
    private boolean pruned;

    /** @param parent null for the root */
    protected TrieNode(N parent, String level) {
        this.parent = parent;
        this.level = level;
        this.levelHash = level.hashCode();
        this.levelBits = packed(level, 0, level.length());
    }

    /**
     * {@code level[start, end)} as one long when it has at most 7 characters, all Latin-1: the
     * characters in bytes 0–6 and the length in byte 7, so two packed levels are equal exactly when
     * the levels are; {@link #NOT_PACKED} otherwise.
     */
    public static long packed(CharSequence level, int start, int end) {
        int length = end - start;
        if (length > 7) {
            return NOT_PACKED;
        }
        long bits = (long) length << 56;
        for (int i = 0; i < length; i++) {
            char c = level.charAt(start + i);
            if (c > 0xFF) {
                return NOT_PACKED;
            }
            bits |= (long) c << (i << 3);
        }
        return bits;
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

    /** The literal child with this level, or null. */
    public final N literal(String level) {
        return literal(level, level.hashCode(), packed(level, 0, level.length()));
    }

    /**
     * The literal child with this level, or null. {@code level} is a String or a CharSequence whose
     * {@code equals(String)} compares characters; {@code hash} is {@code hashCode()} of the level as
     * a String and {@code bits} its {@link #packed} form.
     */
    @SuppressWarnings({"unchecked", "UndefinedEquals"}) // String or probe
    public final N literal(CharSequence level, int hash, long bits) {
        Object current = children;
        if (current instanceof TrieNode<?> only) {
            return only.is(level, hash, bits) ? (N) only : null;
        }
        if (current == null) {
            return null;
        }
        TrieNode<?>[] table = (TrieNode<?>[]) current;
        int mask = table.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            TrieNode<?> child = (TrieNode<?>) SLOT.getAcquire(table, i);
            if (child == null) {
                return null;
            }
            if (child.is(level, hash, bits)) {
                return (N) child;
            }
        }
    }

    @SuppressWarnings("UndefinedEquals")
    private boolean is(CharSequence other, int hash, long bits) {
        return levelHash == hash && (bits == NOT_PACKED ? other.equals(level) : bits == levelBits);
    }

    /** The child for a level of a path; subclasses with other kinds of child override this. */
    public N child(String level) {
        return literal(level);
    }

    /** A snapshot of the literal children (weakly consistent); for walks off a lookup path. */
    @SuppressWarnings("unchecked")
    public final List<N> literals() {
        Object current = children;
        if (current instanceof TrieNode<?> only) {
            return List.of((N) only);
        }
        if (current == null) {
            return List.of(); // most nodes are leaves
        }
        TrieNode<?>[] table = (TrieNode<?>[]) current;
        List<N> live = new ArrayList<>(table.length / 2);
        for (int i = 0; i < table.length; i++) {
            TrieNode<?> child = (TrieNode<?>) SLOT.getAcquire(table, i);
            if (child != null && child != REMOVED) {
                live.add((N) child);
            }
        }
        return live;
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
    protected final boolean hasNoLiterals() {
        return children == null;
    }

    /** Caller holds this node's monitor; there is no child with the same level yet. */
    protected final void addLiteral(N child) {
        Object current = children;
        if (current == null) {
            children = child;
            childCount = 1;
            return;
        }
        TrieNode<?>[] table =
                current instanceof TrieNode<?>[] t && (usedSlots + 1) * 2 <= t.length ? t : rebuild(childCount + 1);
        int mask = table.length - 1;
        int i = slot(((TrieNode<?>) child).levelHash, mask);
        while (table[i] != null && table[i] != REMOVED) {
            i = (i + 1) & mask;
        }
        if (table[i] == null) {
            usedSlots++;
        }
        SLOT.setRelease(table, i, child);
        childCount++;
    }

    /** Caller holds this node's and the child's monitor. */
    @SuppressWarnings("ReferenceEquality") // that very node, not an equal one
    protected final void removeLiteral(N child) {
        Object current = children;
        if (current == child) {
            children = null;
            childCount = 0;
            return;
        }
        if (!(current instanceof TrieNode<?>[] table)) {
            return;
        }
        int mask = table.length - 1;
        for (int i = slot(((TrieNode<?>) child).levelHash, mask); table[i] != null; i = (i + 1) & mask) {
            if (table[i] == child) {
                SLOT.setRelease(table, i, REMOVED);
                childCount--;
                if (childCount == 1 || childCount * 8 < table.length) {
                    rebuild(childCount);
                }
                return;
            }
        }
    }

    /**
     * Publishes the live children in a new table at most half full for {@code live} of them (or, for
     * one, the child alone) and returns the table; caller holds this node's monitor. Readers still
     * probing the old table find what it held.
     */
    private TrieNode<?>[] rebuild(int live) {
        List<N> current = literals();
        usedSlots = 0;
        if (live <= 1 && current.size() <= 1) {
            children = current.isEmpty() ? null : current.get(0);
            return null;
        }
        TrieNode<?>[] next = new TrieNode<?>[Math.max(2, Integer.highestOneBit(live * 2 - 1) << 1)];
        int mask = next.length - 1;
        for (N child : current) {
            int i = slot(((TrieNode<?>) child).levelHash, mask);
            while (next[i] != null) {
                i = (i + 1) & mask;
            }
            next[i] = child;
        }
        usedSlots = current.size();
        children = next; // volatile: publishes the filled table
        return next;
    }

    /** The first slot to probe: the hash's high bits folded in, as sequential ids differ in the low ones only. */
    private static int slot(int hash, int mask) {
        return (hash ^ (hash >>> 16)) & mask;
    }

    @SuppressWarnings("unchecked")
    private N self() {
        return (N) this;
    }

    /** The {@link #REMOVED} mark's type; no topic level contains U+0000 [MQTT-4.7.3-2], so it matches none. */
    private static final class Removed extends TrieNode<Removed> {
        Removed() {
            super(null, "\u0000");
        }

        @Override
        protected Removed newChild(String level) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected boolean isEmpty() {
            return true;
        }
    }
}
