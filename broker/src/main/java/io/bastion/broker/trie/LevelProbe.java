package io.bastion.broker.trie;

/**
 * A reusable view of one level of a topic name, used to look up a child node by level without
 * allocating a substring per level.
 *
 * <p>Its hash and equality are those of the level as a String, and it carries the level's {@link
 * TrieNode#packed packed} form: {@link TrieNode#literal(CharSequence, int, long)} compares {@code
 * probe.equals(childLevel)}. The converse ({@code String.equals(probe)}) is false, so a probe must
 * never be stored in, or used as the key of, a map.
 */
public final class LevelProbe implements CharSequence {
    private String topic = "";
    private int start;
    private int end;
    private int hash;
    private long bits;

    /** Points the probe at {@code topic[start, end)}. */
    public LevelProbe set(String topic, int start, int end) {
        this.topic = topic;
        this.start = start;
        this.end = end;
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + topic.charAt(i);
        }
        this.hash = h;
        this.bits = TrieNode.packed(topic, start, end);
        return this;
    }

    /** {@link TrieNode#packed} of the level. */
    public long bits() {
        return bits;
    }

    /** Drops the reference to the topic so a pooled probe does not keep it alive. */
    public void clear() {
        topic = "";
        start = 0;
        end = 0;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        if (other instanceof String s) {
            return s.length() == end - start && topic.regionMatches(start, s, 0, s.length());
        }
        return other == this;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        return topic.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return topic.substring(start + from, start + to);
    }

    @Override
    public String toString() {
        return topic.substring(start, end);
    }
}
