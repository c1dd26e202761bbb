package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.RawClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code $SYS/broker/...} topics with Mosquitto's names, published every {@code sys.interval} (issue §3). */
class SysTopicsTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private static final List<String> MOSQUITTO_NAMES = List.of(
            "version",
            "uptime",
            "clients/connected",
            "clients/total",
            "messages/received",
            "messages/sent",
            "bytes/received",
            "bytes/sent",
            "subscriptions/count",
            "retained messages/count");

    @BeforeEach
    void fastSys() {
        broker.sys("interval", "1s");
    }

    /**
     * Reads $SYS PUBLISHes published after the subscription (retained snapshots sent on subscribe are
     * skipped) until {@code done} holds for the latest values, or fails after {@code wait}.
     */
    private static Map<String, String> readUntil(RawClient c, Duration wait, Predicate<Map<String, String>> done) {
        Map<String, String> latest = new HashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (!done.test(latest)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("$SYS values never satisfied the condition; latest: " + latest);
            }
            In p = c.poll(Duration.ofNanos(left));
            if (p instanceof In.Publish pub && !pub.retain()) { // a fresh publication, not the retained snapshot
                latest.put(pub.topic().substring("$SYS/broker/".length()), pub.payloadString());
            }
        }
        return latest;
    }

    private static long number(Map<String, String> values, String name) {
        return Long.parseLong(values.get(name).trim());
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.7.2] $SYS/broker/ publishes version, uptime, clients, messages, bytes, subscriptions and retained counts (Mosquitto names)")
    void mosquittoNames() {
        RawClient c = broker.raw5("sys-all");
        c.subscribe("$SYS/broker/#", 0);
        Map<String, String> v =
                readUntil(c, Duration.ofSeconds(4), m -> m.keySet().containsAll(MOSQUITTO_NAMES));
        assertThat(v.get("version")).as("version").isNotBlank().containsPattern("\\d");
        assertThat(v.get("uptime")).as("uptime, as Mosquitto writes it").matches("\\d+ seconds");
        for (String counter : MOSQUITTO_NAMES.subList(2, MOSQUITTO_NAMES.size())) {
            assertThat(v.get(counter)).as(counter).matches("\\d+");
        }
        assertThat(number(v, "clients/connected"))
                .as("clients/connected counts this client")
                .isGreaterThanOrEqualTo(1);
        assertThat(number(v, "subscriptions/count"))
                .as("subscriptions/count counts $SYS/broker/#")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-5 §4.7.2] $SYS/broker/uptime grows and values are re-published every interval")
    void uptimeGrows() {
        RawClient c = broker.raw5("sys-uptime");
        c.subscribe("$SYS/broker/uptime", 0);
        String first = readUntil(c, Duration.ofSeconds(3), m -> m.containsKey("uptime"))
                .get("uptime");
        long firstSeconds = Long.parseLong(first.split(" ")[0]);
        readUntil(
                c,
                Duration.ofSeconds(4),
                m -> m.containsKey("uptime") && Long.parseLong(m.get("uptime").split(" ")[0]) > firstSeconds);
    }

    @Test
    @DisplayName("[MQTT-5 §4.7.2] $SYS/broker/clients/connected follows clients connecting and leaving")
    void clientsConnected() {
        RawClient c = broker.raw5("sys-clients");
        c.subscribe("$SYS/broker/clients/connected", 0);
        RawClient a = broker.raw5("sys-a");
        RawClient b = broker.raw311("sys-b");
        broker.raw5("sys-c");
        readUntil(
                c,
                Duration.ofSeconds(4),
                m -> m.containsKey("clients/connected") && number(m, "clients/connected") >= 4);
        a.disconnect();
        b.disconnect();
        readUntil(
                c,
                Duration.ofSeconds(4),
                m -> m.containsKey("clients/connected") && number(m, "clients/connected") == 2);
    }

    @Test
    @DisplayName("[MQTT-5 §4.7.2] $SYS/broker/messages/received and messages/sent count PUBLISH traffic")
    void messageCounters() {
        RawClient c = broker.raw5("sys-msgs");
        c.subscribe("$SYS/broker/messages/#", 0);
        Map<String, String> before = readUntil(
                c, Duration.ofSeconds(3), m -> m.containsKey("messages/received") && m.containsKey("messages/sent"));
        long received = number(before, "messages/received");
        long sent = number(before, "messages/sent");
        RawClient sub = broker.raw5("sys-sub");
        sub.subscribe("counted/t", 1);
        RawClient pub = broker.raw5("sys-pub");
        for (int i = 0; i < 10; i++) {
            pub.publish("counted/t", 1, "x");
        }
        sub.receivePayloads(10);
        readUntil(
                c,
                Duration.ofSeconds(4),
                m -> m.containsKey("messages/received")
                        && m.containsKey("messages/sent")
                        && number(m, "messages/received") >= received + 10
                        && number(m, "messages/sent") >= sent + 10);
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] a '#' subscription never receives the $SYS topics")
    void hashDoesNotMatchSys() {
        RawClient c = broker.raw5("sys-hash");
        c.subscribe("#", 0);
        RawClient sys = broker.raw(Out.Connect.v5("sys-proof"));
        sys.subscribe("$SYS/broker/uptime", 0);
        sys.expectPublish(Duration.ofSeconds(3)); // $SYS is being published meanwhile
        c.expectNothing(Duration.ofMillis(2200));
    }
}
