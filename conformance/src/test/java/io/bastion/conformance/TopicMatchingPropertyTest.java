package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out.Sub;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-based check of topic matching through the running broker (issue §7): random filters and
 * topic names, each filter subscribed with its own Subscription Identifier; every delivered message
 * must carry exactly the identifiers of the filters a simple reference matcher says match, and a
 * topic no filter matches must not be delivered at all.
 */
class TopicMatchingPropertyTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private static final String[] LEVELS = {"a", "b", "c", "", "$x"};

    /** The reference: section 4.7 read literally. */
    static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false; // [MQTT-4.7.2-1]
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true; // matches the parent level too [MQTT-4.7.1-1]
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    private static String randomTopic(Random r) {
        int n = 1 + r.nextInt(4);
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String level = LEVELS[r.nextInt(LEVELS.length)];
            levels.add(i > 0 && level.startsWith("$") ? "d" : level); // '$' only leads
        }
        String t = String.join("/", levels);
        return t.isEmpty() ? "a" : t;
    }

    private static String randomFilter(Random r) {
        int n = 1 + r.nextInt(4);
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(10);
            if (pick < 3) {
                levels.add("+");
            } else if (pick == 3) {
                levels.add("#");
                break;
            } else {
                String level = LEVELS[r.nextInt(LEVELS.length)];
                levels.add(i > 0 && level.startsWith("$") ? "d" : level);
            }
        }
        String f = String.join("/", levels);
        return f.isEmpty() ? "+" : f;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    @DisplayName(
            "[MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.2-1] [MQTT-3.3.4-3] random filters vs random topics agree with a reference matcher")
    void randomFiltersAndTopics(long seed) {
        Random r = new Random(seed);
        Set<String> filterSet = new LinkedHashSet<>();
        while (filterSet.size() < 20) {
            filterSet.add(randomFilter(r));
        }
        List<String> filters = new ArrayList<>(filterSet);
        RawClient sub = broker.raw5("matcher-" + seed);
        for (int i = 0; i < filters.size(); i++) {
            List<Integer> granted =
                    sub.subscribe(Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, i + 1), Sub.of(filters.get(i), 0));
            assertThat(granted).as("filter %s", filters.get(i)).containsExactly(0);
        }
        sub.subscribe("marker/end", 0);
        RawClient pub = broker.raw5("matcher-pub-" + seed);
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            topics.add(randomTopic(r));
        }
        topics.add("$none/a"); // matched by no generated filter, whatever the seed
        for (int i = 0; i < topics.size(); i++) {
            pub.publish(topics.get(i), 0, String.valueOf(i));
        }
        pub.publish("marker/end", 0, "END");
        List<String> expectedDelivered = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            String topic = topics.get(i);
            if (filters.stream().anyMatch(f -> matches(f, topic))) {
                expectedDelivered.add(String.valueOf(i));
            }
        }
        assertThat(expectedDelivered).as("the seed exercises some matches").isNotEmpty();
        assertThat(expectedDelivered.size())
                .as("the seed exercises some non-matches")
                .isLessThan(topics.size());
        List<String> delivered = new ArrayList<>();
        while (true) {
            In.Publish p = sub.expectPublish();
            if (p.payloadString().equals("END")) {
                break;
            }
            int index = Integer.parseInt(p.payloadString());
            String topic = topics.get(index);
            assertThat(p.topic()).isEqualTo(topic);
            Set<Integer> expectedIds = new HashSet<>();
            for (int i = 0; i < filters.size(); i++) {
                if (matches(filters.get(i), topic)) {
                    expectedIds.add(i + 1);
                }
            }
            assertThat(new HashSet<>(p.props().integers(Props.SUBSCRIPTION_IDENTIFIER)))
                    .as("subscription identifiers of the filters matching '%s' (filters %s)", topic, filters)
                    .isEqualTo(expectedIds);
            delivered.add(p.payloadString());
        }
        assertThat(delivered)
                .as(
                        "messages delivered once each, in order, exactly for topics some filter matches (topics %s, filters %s)",
                        topics, filters)
                .containsExactlyElementsOf(expectedDelivered);
    }
}
