package io.bastion.broker.retain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.packet.Publish;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemoryRetainedMessagesTest {
    private static final long NOW = 1_000_000L;
    private final InMemoryRetainedMessages store = new InMemoryRetainedMessages();

    private static RetainedMessage message(String topic, String payload) {
        return new RetainedMessage(topic, 1, payload.getBytes(UTF_8), MqttProperties.EMPTY, Long.MAX_VALUE);
    }

    private static RetainedMessage expiring(String topic, long expiresAt) {
        return new RetainedMessage(topic, 0, new byte[] {1}, MqttProperties.EMPTY, expiresAt);
    }

    private List<String> topicsMatching(String filter) {
        return messagesMatching(filter, NOW).stream()
                .map(RetainedMessage::topic)
                .sorted()
                .toList();
    }

    private List<RetainedMessage> messagesMatching(String filter, long now) {
        List<RetainedMessage> found = new ArrayList<>();
        store.match(filter, now, found::add);
        return found;
    }

    private void putAll(String... topics) {
        for (String topic : topics) {
            store.put(message(topic, topic));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] a retained message replaces the topic's previous one")
    void putReplaces() {
        store.put(message("a/b", "one"));
        RetainedMessage second = message("a/b", "two");
        store.put(second);
        assertThat(store.size()).isEqualTo(1);
        assertThat(messagesMatching("a/b", NOW)).containsExactly(second);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-6] [MQTT-3.3.1-7] an empty payload removes the retained message and is not stored")
    void emptyPayloadDeletes() {
        putAll("a/b", "a/b/c");
        store.put(message("a/b", ""));
        assertThat(topicsMatching("#")).containsExactly("a/b/c");
        store.put(message("x/y", ""));
        assertThat(store.size()).isEqualTo(1);
        store.put(message("a/b/c", ""));
        assertThat(store.size()).isZero();
        assertThat(store.nodeCount()).as("empty nodes are pruned").isEqualTo(1);
    }

    @Test
    @DisplayName("remove deletes only that topic")
    void remove() {
        putAll("a", "a/b", "a/b/c");
        store.remove("a/b");
        store.remove("nothing/here");
        assertThat(topicsMatching("#")).containsExactly("a", "a/b/c");
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    @DisplayName("[4.7.1] + and # find the matching retained messages")
    void wildcardLookup() {
        putAll("sport", "sport/tennis", "sport/tennis/player1", "sport/golf", "news", "/finance", "a//b");
        assertThat(topicsMatching("sport/tennis/player1")).containsExactly("sport/tennis/player1");
        assertThat(topicsMatching("sport/+")).containsExactly("sport/golf", "sport/tennis");
        assertThat(topicsMatching("sport/#"))
                .containsExactly("sport", "sport/golf", "sport/tennis", "sport/tennis/player1");
        assertThat(topicsMatching("+")).containsExactly("news", "sport");
        assertThat(topicsMatching("+/+")).containsExactly("/finance", "sport/golf", "sport/tennis");
        assertThat(topicsMatching("a/+/b")).containsExactly("a//b");
        assertThat(topicsMatching("#")).hasSize(7);
        assertThat(topicsMatching("missing/#")).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-4.7.1-2] sport/# returns the message retained on sport itself")
    void multiLevelWildcardIncludesParent() {
        putAll("sport");
        assertThat(topicsMatching("sport/#")).containsExactly("sport");
        assertThat(topicsMatching("sport/+")).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] filters starting with a wildcard do not return $-topics")
    void dollarTopics() {
        putAll("$SYS/uptime", "$SYS", "SYS/uptime");
        assertThat(topicsMatching("#")).containsExactly("SYS/uptime");
        assertThat(topicsMatching("+/uptime")).containsExactly("SYS/uptime");
        assertThat(topicsMatching("$SYS/#")).containsExactly("$SYS", "$SYS/uptime");
        assertThat(topicsMatching("$SYS/+")).containsExactly("$SYS/uptime");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] expired messages are not returned, and are removed lazily")
    void expiredMessagesAreSkippedAndRemoved() {
        store.put(expiring("a/old", NOW - 1));
        store.put(expiring("a/now", NOW));
        store.put(expiring("a/later", NOW + 1));
        store.put(message("a/never", "x"));
        assertThat(store.size()).isEqualTo(4);
        assertThat(topicsMatching("a/+")).containsExactly("a/later", "a/never");
        assertThat(store.size()).isEqualTo(2);
        assertThat(messagesMatching("a/+", NOW + 1))
                .extracting(RetainedMessage::topic)
                .containsExactly("a/never");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    @DisplayName("purgeExpired removes every expired message and counts them")
    void purgeExpired() {
        store.put(expiring("a/1", NOW - 10));
        store.put(expiring("a/b/2", NOW));
        store.put(expiring("$SYS/3", NOW - 1));
        store.put(expiring("a/4", NOW + 10));
        store.put(message("a/5", "x"));
        assertThat(store.purgeExpired(NOW)).isEqualTo(3);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.purgeExpired(NOW)).isZero();
        assertThat(store.purgeExpired(Long.MAX_VALUE - 1)).isEqualTo(1);
        assertThat(topicsMatching("#")).containsExactly("a/5");
    }

    @Test
    @DisplayName("[3.3.2.3.3] from(Publish) keeps the message and turns Message Expiry Interval into a deadline")
    void fromPublish() {
        MqttProperties expiry =
                MqttProperties.builder().messageExpiryInterval(30L).build();
        Publish withExpiry = new Publish("t", 1, true, false, 5, expiry, new byte[] {7});
        RetainedMessage retained = RetainedMessage.from(withExpiry, NOW);
        assertThat(retained.expiresAtMillis()).isEqualTo(NOW + 30_000);
        assertThat(retained.properties()).isSameAs(expiry);
        assertThat(retained.isExpired(NOW + 29_999)).isFalse();
        assertThat(retained.isExpired(NOW + 30_000)).isTrue();
        Publish plain = new Publish("t", 0, true, false, 0, MqttProperties.EMPTY, new byte[] {7});
        assertThat(RetainedMessage.from(plain, NOW).expiresAtMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-2] a topic with wildcards cannot be retained")
    void rejectsInvalidTopics() {
        assertThatThrownBy(() -> store.put(message("a/+", "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put(message("", "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a shared filter is looked up by its filter part")
    void sharedFilter() {
        putAll("a/b");
        assertThat(topicsMatching("$share/g/a/+")).containsExactly("a/b");
    }

    @Test
    @DisplayName("topics of 20,000 levels neither overflow the stack nor fail")
    void veryDeepTopics() {
        String deep = "x/".repeat(20_000) + "end";
        store.put(message(deep, "deep"));
        assertThat(topicsMatching("#")).containsExactly(deep);
        assertThat(topicsMatching(deep)).containsExactly(deep);
        assertThat(topicsMatching("+/".repeat(20_000) + "+")).containsExactly(deep);
        store.remove(deep);
        assertThat(store.nodeCount()).isEqualTo(1);
    }
}
