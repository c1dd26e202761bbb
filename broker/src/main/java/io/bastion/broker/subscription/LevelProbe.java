package io.bastion.broker.subscription;

/**
 * A reusable view of one level of a topic name, used to look up a child node by level without
 * allocating a substring per level.
 *
 * <p>Its hash and equality are those of the level as a String. In a node's map of children that
 * works because {@link java.util.concurrent.ConcurrentHashMap#get} hashes the argument and
 * calls {@code argument.equals(storedKey)}: the probe's hash is {@link String#hashCode()} of the
 * level and it equals a String with the same characters. The converse ({@code String.equals(probe)})
 * is false, so a probe must never be stored in, or used to update, a map.
 */
final class LevelProbe implements CharSequence {
    private String topic = "";
    private int start;
    private int end;
    private int hash;

    /** Points the probe at {@code topic[start, end)}. */
    LevelProbe set(String topic, int start, int end) {
        this.topic = topic;
        this.start = start;
        this.end = end;
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + topic.charAt(i);
        }
        this.hash = h;
        return this;
    }

    /** Drops the reference to the topic so a pooled probe does not keep it alive. */
    void clear() {
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
