package io.bastion.broker.trie;

import java.util.Random;

/**
 * Random topic names and filters for the property tests of the topic tries, drawn from a few levels
 * ({@code a}, {@code b}, empty and {@code $SYS}) so that different draws share and clash often.
 */
public final class RandomTopics {
    private static final String[] LEVELS = {"a", "b", "", "$SYS"};

    private RandomTopics() {}

    /** A topic name of one to four levels. */
    public static String topic(Random random) {
        int depth = 1 + random.nextInt(4);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                s.append('/');
            }
            s.append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return s.length() == 0 ? "/" : s.toString();
    }

    /** A topic filter of one to four levels, with {@code +} and a trailing {@code #} mixed in. */
    public static String filter(Random random) {
        return filter(random, false);
    }

    /**
     * A topic filter of one to four levels; with {@code mayShare}, one in ten has a {@code $share/g/}
     * prefix.
     */
    public static String filter(Random random, boolean mayShare) {
        int depth = 1 + random.nextInt(4);
        StringBuilder s = new StringBuilder(mayShare && random.nextInt(10) == 0 ? "$share/g/" : "");
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                s.append('/');
            }
            int pick = random.nextInt(LEVELS.length + 2);
            if (pick == LEVELS.length + 1 && i == depth - 1) {
                s.append('#');
            } else if (pick >= LEVELS.length) {
                s.append('+');
            } else {
                s.append(LEVELS[pick]);
            }
        }
        return s.length() == 0 ? "/" : s.toString();
    }
}
