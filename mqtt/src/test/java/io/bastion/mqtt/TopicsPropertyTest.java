package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Topics against a plain split()-based reading of 4.7, over seeded random filters and topics. */
class TopicsPropertyTest {
    private static final String[] LEVELS = {"a", "b", "ab", "", "$SYS", "$"};

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "[4.7] matches agrees with the reference matcher, seed {0}")
    @MethodSource("seeds")
    void matchesAgreesWithReference(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            String filter = randomFilter(random);
            String topic = randomTopic(random);
            assertThat(Topics.matches(filter, topic))
                    .as("%s vs %s", filter, topic)
                    .isEqualTo(referenceMatches(filter, topic));
        }
    }

    @ParameterizedTest(name = "[4.7.1, 4.8.2] isValidTopicFilter agrees with the reference, seed {0}")
    @MethodSource("seeds")
    void filterValidityAgreesWithReference(long seed) {
        Random random = new Random(seed);
        String alphabet = "a/+#$";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder s = new StringBuilder(random.nextInt(4) == 0 ? "$share/" : "");
            int length = random.nextInt(7);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String filter = s.toString();
            assertThat(Topics.isValidTopicFilter(filter)).as(filter).isEqualTo(referenceValidFilter(filter));
            assertThat(Topics.isValidTopicName(filter))
                    .as(filter)
                    .isEqualTo(!filter.isEmpty() && !filter.contains("+") && !filter.contains("#"));
        }
    }

    @Test
    @DisplayName("matches allocates nothing")
    void matchesDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        String[][] cases = {
            {"sport/tennis/+/#", "sport/tennis/player1/ranking"}, {"$share/g/+/+", "/finance"}, {"#", "$SYS/x"}
        };
        int hits = 0;
        for (int i = 0; i < 20_000; i++) { // warm up
            hits += Topics.matches(cases[i % 3][0], cases[i % 3][1]) ? 1 : 0;
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            hits += Topics.matches(cases[i % 3][0], cases[i % 3][1]) ? 1 : 0;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(hits).isPositive();
        assertThat(allocated).as("bytes allocated by 100,000 matches").isLessThan(10_000);
    }

    static String randomTopic(Random random) {
        int depth = 1 + random.nextInt(4);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                s.append('/');
            }
            s.append(LEVELS[random.nextInt(LEVELS.length)]);
        }
        return s.length() == 0 ? "/" : s.toString(); // a topic name is never empty
    }

    static String randomFilter(Random random) {
        int depth = 1 + random.nextInt(4);
        StringBuilder s = new StringBuilder(random.nextInt(8) == 0 ? "$share/g/" : "");
        for (int i = 0; i < depth; i++) {
            if (i > 0) {
                s.append('/');
            }
            int pick = random.nextInt(LEVELS.length + 3);
            if (i == depth - 1 && pick == LEVELS.length + 2) {
                s.append('#');
            } else if (pick >= LEVELS.length) {
                s.append('+');
            } else {
                s.append(LEVELS[pick]);
            }
        }
        return s.length() == 0 ? "/" : s.toString(); // a filter is never empty
    }

    /** 4.7 read literally, with split(). */
    static boolean referenceMatches(String filter, String topic) {
        if (filter.startsWith("$share/")) {
            filter = filter.substring(filter.indexOf('/', 7) + 1);
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (t[0].startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    static boolean referenceValidFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        if (filter.startsWith("$share/")) {
            String rest = filter.substring(7);
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return false;
            }
            String group = rest.substring(0, slash);
            filter = rest.substring(slash + 1);
            if (group.contains("+") || group.contains("#") || filter.isEmpty()) {
                return false;
            }
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && !(level.equals("#") && i == levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }
}
