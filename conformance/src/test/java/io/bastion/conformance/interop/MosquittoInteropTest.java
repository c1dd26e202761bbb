package io.bastion.conformance.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.conformance.BrokerFixture;
import io.bastion.conformance.PahoClient;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.RawClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability with Debian's {@code mosquitto_pub} / {@code mosquitto_sub} (package
 * mosquitto-clients) against the in-process broker, MQTT 3.1.1 and 5.0. {@code .ci/run} installs the
 * package; set {@code BASTION_SKIP_INTEROP=1} to skip these tests on a machine without it.
 */
class MosquittoInteropTest {
    private static final Path SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final Path PUB = Path.of("/usr/bin/mosquitto_pub");

    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void requireMosquittoClients() {
        Assumptions.assumeFalse("1".equals(System.getenv("BASTION_SKIP_INTEROP")), "BASTION_SKIP_INTEROP=1");
        if (!Files.isExecutable(SUB) || !Files.isExecutable(PUB)) {
            fail("mosquitto_sub / mosquitto_pub not found in /usr/bin: install them with"
                    + " 'apt-get install -y mosquitto-clients' (or set BASTION_SKIP_INTEROP=1 to skip)");
        }
    }

    /** A running mosquitto client whose combined output is collected line by line. */
    private final class Tool {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Tool(List<String> command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            processes.add(process);
            Thread reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void awaitLine(String contains, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(l -> l.contains(contains))) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            fail("no output line containing '" + contains + "' within " + wait + "; output: " + lines);
        }

        int awaitExit(Duration wait) throws InterruptedException {
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("process did not exit within " + wait + "; output: " + lines);
            }
            Thread.sleep(50); // let the reader drain
            return process.exitValue();
        }

        /** Output lines that are not libmosquitto debug lines. */
        List<String> messages() {
            synchronized (lines) {
                return lines.stream()
                        .filter(l -> !l.startsWith("Client ") && !l.startsWith("Subscribed (mid"))
                        .toList();
            }
        }
    }

    private List<String> base(Path tool, String version) {
        List<String> c = new ArrayList<>(
                List.of(tool.toString(), "-h", "127.0.0.1", "-p", String.valueOf(broker.port()), "-V", version));
        return c;
    }

    private Tool sub(String version, String... args) throws Exception {
        List<String> c = new ArrayList<>(List.of("stdbuf", "-oL")); // line-buffered, to see SUBACK at once
        c.addAll(base(SUB, version));
        c.addAll(List.of(args));
        c.add("-d");
        Tool t = new Tool(c);
        t.awaitLine("SUBACK", Duration.ofSeconds(5));
        return t;
    }

    private Tool pub(String version, String... args) throws Exception {
        List<String> c = base(PUB, version);
        c.addAll(List.of(args));
        c.add("-d");
        Tool t = new Tool(c);
        assertThat(t.awaitExit(Duration.ofSeconds(10)))
                .as("mosquitto_pub exit code; output %s", t.lines)
                .isZero();
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName("[MQTT-4.3.2-1] [MQTT-4.3.2-2] mosquitto_sub / mosquitto_pub at QoS 1")
    void qos1(String version) throws Exception {
        Tool sub = sub(version, "-t", "interop/q1", "-q", "1", "-C", "1", "-W", "10", "-v");
        pub(version, "-t", "interop/q1", "-m", "hello " + version, "-q", "1");
        assertThat(sub.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(sub.messages()).containsExactly("interop/q1 hello " + version);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName(
            "[MQTT-4.3.3-1] QoS 2 end to end: mosquitto_pub PUBLISH/PUBREC/PUBREL/PUBCOMP, mosquitto_sub receives at QoS 2")
    void qos2(String version) throws Exception {
        Tool sub = sub(version, "-t", "interop/q2", "-q", "2", "-C", "1", "-W", "10", "-v");
        Tool pub = pub(version, "-t", "interop/q2", "-m", "exactly once", "-q", "2");
        assertThat(String.join("\n", pub.lines)).contains("PUBREC").contains("PUBCOMP");
        assertThat(sub.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(sub.messages()).containsExactly("interop/q2 exactly once");
        assertThat(String.join("\n", sub.lines)).contains("q2").contains("PUBREL");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName(
            "[MQTT-3.3.1-5] [MQTT-3.3.1-6] (v3.1.1 numbering) retained message: mosquitto_pub -r, later mosquitto_sub gets it with RETAIN; -r -n deletes it")
    void retained(String version) throws Exception {
        pub(version, "-t", "interop/retained", "-m", "kept", "-q", "1", "-r");
        Tool sub = sub(version, "-t", "interop/retained", "-C", "1", "-W", "10", "-F", "%t %p %r");
        assertThat(sub.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(sub.messages()).containsExactly("interop/retained kept 1");
        pub(version, "-t", "interop/retained", "-n", "-r");
        Tool none = sub(version, "-t", "interop/retained", "-C", "1", "-W", "2", "-F", "%t %p %r");
        none.awaitExit(Duration.ofSeconds(6));
        assertThat(none.messages()).noneMatch(l -> l.contains("kept"));
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-17] [MQTT-3.3.2-20] mosquitto_pub -V mqttv5 -D PUBLISH user-property/content-type reach a HiveMQ subscriber unaltered")
    void v5PropertiesFromMosquitto() throws Exception {
        Mqtt5BlockingClient c = broker.hivemq5("interop-hive");
        c.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            c.subscribeWith()
                    .topicFilter("interop/props")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            pub(
                    "mqttv5",
                    "-t",
                    "interop/props",
                    "-m",
                    "p",
                    "-q",
                    "1",
                    "-D",
                    "PUBLISH",
                    "user-property",
                    "device",
                    "d-17",
                    "-D",
                    "PUBLISH",
                    "content-type",
                    "text/plain");
            Optional<Mqtt5Publish> m = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(m).isPresent();
            assertThat(m.get().getContentType().map(Object::toString)).contains("text/plain");
            assertThat(m.get().getUserProperties().asList())
                    .extracting(Mqtt5UserProperty::getName, Mqtt5UserProperty::getValue)
                    .extracting(Object::toString)
                    .containsExactly("(device, d-17)");
        }
    }

    @Test
    @DisplayName("[MQTT-4.3.2-1] HiveMQ v5 publisher → mosquitto_sub v5; mosquitto_pub v3.1.1 → Paho subscriber")
    void crossClients() throws Exception {
        Tool sub = sub("mqttv5", "-t", "interop/cross", "-q", "1", "-C", "1", "-W", "10", "-v");
        Mqtt5BlockingClient hive = broker.hivemq5("interop-hive-pub");
        hive.connect();
        hive.publishWith()
                .topic("interop/cross")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("from hivemq".getBytes(StandardCharsets.UTF_8))
                .send();
        assertThat(sub.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(sub.messages()).containsExactly("interop/cross from hivemq");
        PahoClient paho = broker.paho("interop-paho");
        paho.connect(true);
        paho.subscribe("interop/cross2", 2);
        pub("mqttv311", "-t", "interop/cross2", "-m", "from mosquitto", "-q", "2");
        PahoClient.Message m = paho.receive(Duration.ofSeconds(5));
        assertThat(m.payload()).isEqualTo("from mosquitto");
        assertThat(m.qos()).isEqualTo(2);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] the will of a killed mosquitto_sub (--will-topic) is published")
    void willOfKilledClient() throws Exception {
        RawClient watcher = broker.raw5("interop-will-watcher");
        watcher.subscribe("interop/will", 1);
        Tool sub = sub(
                "mqttv311",
                "-t",
                "interop/nothing",
                "--will-topic",
                "interop/will",
                "--will-payload",
                "mosquitto died",
                "--will-qos",
                "1");
        sub.process.destroyForcibly();
        In.Publish will = watcher.expectPublishAndAck();
        assertThat(will.payloadString()).isEqualTo("mosquitto died");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    @DisplayName(
            "[MQTT-3.1.2-23] [MQTT-4.4.0-1] mosquitto_sub -c (persistent session) gets a QoS 1 message published while it was away")
    void persistentSession(String version) throws Exception {
        String id = "interop-persist-" + version;
        Tool first = sub(version, "-t", "interop/persist", "-q", "1", "-c", "-i", id, "-E");
        assertThat(first.awaitExit(Duration.ofSeconds(5))).isZero();
        pub(version, "-t", "interop/persist", "-m", "while away", "-q", "1");
        Tool again = new Tool(concat(
                base(SUB, version),
                List.of("-t", "interop/persist", "-q", "1", "-c", "-i", id, "-C", "1", "-W", "10", "-v")));
        assertThat(again.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(again.messages()).containsExactly("interop/persist while away");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    @org.junit.jupiter.api.AfterEach
    void killProcesses() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
    }
}
