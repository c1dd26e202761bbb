package io.bastion.broker.subscription;

import io.bastion.broker.trie.LevelProbe;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;

/**
 * Per-thread scratch space for {@link SubscriptionTree#match}: an explicit stack of (node, level
 * start) pairs and a {@link LevelProbe}. Reusing it keeps matching free of allocation, and an
 * explicit stack (rather than recursion) keeps a topic of thousands of empty levels from
 * overflowing the event loop's stack.
 */
final class MatchCursor {
    private static final FastThreadLocal<MatchCursor> LOCAL = new FastThreadLocal<>() {
        @Override
        protected MatchCursor initialValue() {
            return new MatchCursor();
        }
    };

    final LevelProbe probe = new LevelProbe();
    private TopicNode[] nodes = new TopicNode[16];
    private int[] starts = new int[16];
    private int size;
    private boolean inUse;

    /** This thread's cursor, or a fresh one if a visitor re-entered match on the same thread. */
    static MatchCursor acquire() {
        MatchCursor cursor = LOCAL.get();
        if (cursor.inUse) {
            cursor = new MatchCursor();
        }
        cursor.inUse = true;
        return cursor;
    }

    void release() {
        Arrays.fill(nodes, 0, size, null);
        size = 0;
        probe.clear();
        inUse = false;
    }

    void push(TopicNode node, int start) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
        }
        nodes[size] = node;
        starts[size] = start;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Pops the top pair: returns its node; its start is then {@link #poppedStart()}. */
    TopicNode pop() {
        size--;
        TopicNode node = nodes[size];
        nodes[size] = null;
        return node;
    }

    int poppedStart() {
        return starts[size];
    }
}
