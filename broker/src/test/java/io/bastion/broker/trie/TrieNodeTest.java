package io.bastion.broker.trie;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The literal children of a trie node: one child in a field, more in an open-addressing table that
 * grows, marks removed slots and shrinks, read without a lock; and the packed compare of short
 * levels.
 */
class TrieNodeTest {
    /** The smallest concrete node: children only. */
    static final class Node extends TrieNode<Node> {
        Node(Node parent, String level) {
            super(parent, level);
        }

        @Override
        protected Node newChild(String level) {
            return new Node(this, level);
        }

        @Override
        protected boolean isEmpty() {
            return hasNoLiterals();
        }

        Node add(String level) {
            synchronized (this) {
                Node child = newChild(level);
                addLiteral(child);
                return child;
            }
        }

        void remove(Node child) {
            synchronized (this) {
                synchronized (child) {
                    removeLiteral(child);
                }
            }
        }
    }

    /** A level inside a longer topic, looked up as the subscription trie does. */
    private static Node lookUp(Node node, String topic, int start, int end) {
        LevelProbe probe = new LevelProbe().set(topic, start, end);
        return node.literal(probe, probe.hashCode(), probe.bits());
    }

    @Test
    void childrenAreFoundAsTheTableGrowsAndShrinks() {
        Node root = new Node(null, "");
        List<Node> children = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            children.add(root.add("device-" + i));
            if (Integer.bitCount(i + 1) == 1) { // at 1, 2, 4, 8, ... children: every one found, no other
                for (int j = 0; j <= i; j++) {
                    assertThat(root.literal("device-" + j)).isSameAs(children.get(j));
                }
                assertThat(root.literal("device-" + (i + 1))).isNull();
                assertThat(root.literals()).hasSize(i + 1);
            }
        }
        for (int i = 0; i < 9_999; i++) {
            root.remove(children.get(i));
            if (i % 1_000 == 0) {
                assertThat(root.literal("device-" + i)).isNull();
                assertThat(root.literal("device-9999")).isSameAs(children.get(9_999));
                assertThat(root.literals()).hasSize(10_000 - i - 1);
            }
        }
        assertThat(root.literals()).containsExactly(children.get(9_999));
        root.remove(children.get(9_999));
        assertThat(root.literals()).isEmpty();
        synchronized (root) {
            assertThat(root.hasNoLiterals()).isTrue();
        }
    }

    @Test
    void aProbeGoesOnPastARemovedChildWithTheSameHash() {
        // "Aa" and "BB" (and their concatenations) have the same String hash: one probe sequence
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        Node root = new Node(null, "");
        Node aaaa = root.add("AaAa");
        Node aabb = root.add("AaBB");
        Node bbaa = root.add("BBAa");
        Node bbbb = root.add("BBBB");
        root.remove(aaaa);
        root.remove(bbaa);
        assertThat(root.literal("AaAa")).isNull();
        assertThat(root.literal("BBAa")).isNull();
        assertThat(root.literal("AaBB")).isSameAs(aabb);
        assertThat(root.literal("BBBB")).isSameAs(bbbb);
        Node again = root.add("AaAa"); // reuses a removed slot
        assertThat(root.literal("AaAa")).isSameAs(again);
        assertThat(root.literal("BBBB")).isSameAs(bbbb);
        assertThat(root.literals()).containsExactlyInAnyOrder(again, aabb, bbbb);
    }

    @Test
    void theEmptyLevelIsNotTakenForARemovedSlot() {
        Node root = new Node(null, "");
        Node a = root.add("a");
        Node b = root.add("b");
        Node c = root.add("c");
        root.remove(a);
        root.remove(b); // removed marks left in the table
        assertThat(root.literal("")).isNull();
        Node empty = root.add("");
        assertThat(root.literal("")).isSameAs(empty);
        assertThat(root.literal("c")).isSameAs(c);
    }

    @Test
    void shortLevelsComparePackedAndEveryOtherLevelByItsCharacters() {
        assertThat(TrieNode.packed("abcdefg", 0, 7)).isNotEqualTo(TrieNode.NOT_PACKED);
        assertThat(TrieNode.packed("abcdefgh", 0, 8)).isEqualTo(TrieNode.NOT_PACKED);
        assertThat(TrieNode.packed("\u00e9t\u00e9", 0, 3)).isNotEqualTo(TrieNode.NOT_PACKED); // Latin-1
        assertThat(TrieNode.packed("\u20ac", 0, 1)).isEqualTo(TrieNode.NOT_PACKED); // beyond Latin-1
        // the length is part of the packed form: a level and the same level with a NUL-free suffix differ
        assertThat(TrieNode.packed("ab", 0, 2)).isNotEqualTo(TrieNode.packed("ab\u0001", 0, 3));
        assertThat(TrieNode.packed("", 0, 0)).isNotEqualTo(TrieNode.packed("\u0000", 0, 1));

        Node root = new Node(null, "");
        String[] levels = {"cmd", "", "\u00e9t\u00e9", "\u20ac-price", "0123456", "01234567", "a-longer-device-id-0001"
        };
        List<Node> children = new ArrayList<>();
        for (String level : levels) {
            children.add(root.add(level));
        }
        String topic = "x/" + String.join("/", levels) + "/y";
        int start = 2;
        for (int i = 0; i < levels.length; i++) {
            int end = start + levels[i].length();
            assertThat(lookUp(root, topic, start, end)).as(levels[i]).isSameAs(children.get(i));
            start = end + 1;
        }
        assertThat(root.literal("cmdx")).isNull();
        assertThat(root.literal("0123457")).isNull();
        assertThat(root.literal("a-longer-device-id-0002")).isNull();
    }

    @Test
    void aChildThatStaysIsAlwaysFoundWhileOthersComeAndGo() throws Exception {
        Node root = new Node(null, "");
        Node stays = root.add("stays");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                if (root.literal("stays") != stays) {
                    failure.set("a lookup missed a child that was never removed");
                    return;
                }
            }
        });
        reader.start();
        try {
            for (int round = 0; round < 200; round++) { // every round grows the table to 64 slots and back
                List<Node> others = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    others.add(root.add("other-" + round + "-" + i));
                }
                for (Node other : others) {
                    root.remove(other);
                }
            }
        } finally {
            done.set(true);
            reader.join(10_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(root.literals()).containsExactly(stays);
    }
}
