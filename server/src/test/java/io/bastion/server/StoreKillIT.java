package io.bastion.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real broker process (the packaged jar through {@code ./bastion}) in the middle of a flood of
 * PUBLISH to a persistent subscriber: after the restart on the same store every acknowledged message is
 * delivered, and at QoS 2 none twice. Counted, not eyeballed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StoreKillIT {
    private static final Path LAUNCHER =
            Path.of("..", "bastion").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on mqtt://127\\.0\\.0\\.1:(\\d+)");
    private static final int FLOOD = 20_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void killAll() {
        processes.forEach(Process::destroyForcibly);
    }

    /** Starts {@code bastion serve} on the test's store and returns its port. */
    private int startBroker(Process[] started) throws Exception {
        Path config = Files.writeString(dir.resolve("bastion.yaml"), """
                listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]
                limits: {max_queued_messages: 100000, max_inflight: 100}
                store: {path: %s}
                """.formatted(dir.resolve("data")));
        ProcessBuilder builder =
                new ProcessBuilder(LAUNCHER.toString(), "serve", "-c", config.toString()).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BASTION_"));
        builder.environment().put("BASTION_NO_BUILD", "1");
        Process p = builder.start();
        processes.add(p);
        started[0] = p;
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    log.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("broker exited: " + log));
        });
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }

    private static Mqtt5BlockingClient client(String id, int port) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    /**
     * Floods {@code k/t} at {@code qos} and kill -9s the broker once {@code killAfter} messages are acknowledged;
     * returns the acknowledged sequence numbers.
     */
    private Set<Integer> floodAndKill(int port, MqttQos qos, int killAfter, Process broker) throws Exception {
        Mqtt5AsyncClient pub = client("kill-pub", port).toAsync();
        pub.connect().get(10, TimeUnit.SECONDS);
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < FLOOD; i++) {
            int seq = i;
            pub.publishWith()
                    .topic("k/t")
                    .qos(qos)
                    .payload(Integer.toString(seq).getBytes(StandardCharsets.UTF_8))
                    .send()
                    .whenComplete((r, e) -> {
                        if (e == null && r.getError().isEmpty()) {
                            acked.add(seq);
                        }
                    });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= killAfter);
        broker.destroyForcibly(); // SIGKILL: no shutdown hook, no final sync
        assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Set<Integer> snapshot = new HashSet<>(acked);
        pub.disconnect();
        return snapshot;
    }

    @Test
    @DisplayName("[MQTT-4.3.2] kill -9 during a QoS 1 flood: every PUBACKed message reaches the persistent subscriber")
    void qos1FloodSurvivesKill9() throws Exception {
        Process[] broker = new Process[1];
        int port = startBroker(broker);
        Mqtt5BlockingClient sub = client("kill-sub", port);
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("k/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();

        Set<Integer> acked = floodAndKill(port, MqttQos.AT_LEAST_ONCE, 3_000, broker[0]);

        int port2 = startBroker(broker);
        Mqtt5BlockingClient again = client("kill-sub", port2);
        List<Integer> received = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(again.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(3600)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            for (var m = publishes.receive(3, TimeUnit.SECONDS);
                    m.isPresent();
                    m = publishes.receive(3, TimeUnit.SECONDS)) {
                received.add(Integer.parseInt(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
        }
        Set<Integer> missing = new HashSet<>(acked);
        missing.removeAll(received);
        System.out.printf(
                "kill -9 QoS 1: %d acknowledged before the kill, %d delivered after the restart, %d missing%n",
                acked.size(), received.size(), missing.size());
        assertThat(acked).hasSizeGreaterThanOrEqualTo(3_000);
        assertThat(missing).as("acknowledged but not delivered").isEmpty();
        // queued messages come in publish order
        assertThat(received).isSorted();
        again.disconnect();
    }

    @Test
    @DisplayName("[MQTT-4.3.3] kill -9 during a QoS 2 flood: every acknowledged message is delivered, none twice")
    void qos2FloodSurvivesKill9ExactlyOnce() throws Exception {
        Process[] broker = new Process[1];
        int port = startBroker(broker);
        Mqtt5BlockingClient sub = client("kill2-sub", port);
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("k/#").qos(MqttQos.EXACTLY_ONCE).send();
        sub.disconnect();

        Set<Integer> acked = floodAndKill(port, MqttQos.EXACTLY_ONCE, 2_000, broker[0]);

        int port2 = startBroker(broker);
        Mqtt5BlockingClient again = client("kill2-sub", port2);
        List<Integer> received = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            for (var m = publishes.receive(3, TimeUnit.SECONDS);
                    m.isPresent();
                    m = publishes.receive(3, TimeUnit.SECONDS)) {
                received.add(Integer.parseInt(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
        }
        Set<Integer> distinct = new HashSet<>(received);
        Set<Integer> missing = new HashSet<>(acked);
        missing.removeAll(distinct);
        System.out.printf(
                "kill -9 QoS 2: %d acknowledged before the kill, %d delivered after the restart (%d distinct), %d missing%n",
                acked.size(), received.size(), distinct.size(), missing.size());
        assertThat(acked).hasSizeGreaterThanOrEqualTo(2_000);
        assertThat(missing).as("acknowledged but not delivered").isEmpty();
        assertThat(received).as("delivered twice").hasSameSizeAs(distinct);
        again.disconnect();
    }
}
