package io.bastion.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.bastion.broker.store.StoreException;
import io.bastion.server.BastionServer;
import io.bastion.server.cli.CliHarness;
import io.bastion.server.config.BastionConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** State kept in the RocksDB store survives a restart of the server (in-process, real files, real clients). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DurableStateTest {
    @TempDir
    Path dir;

    private BastionServer server;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    private BastionServer start() {
        server = BastionServer.start(BastionConfig.fromYaml("listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]\n"
                + "store:\n  path: " + dir.resolve("data") + "\n"));
        return server;
    }

    private void restart() {
        server.close();
        start();
    }

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildBlocking();
        clients.add(c);
        return c;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Mqtt5Publish p) {
        return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] [MQTT-4.4.0-1] a persistent session resumes after a restart with Session Present"
            + " and its queue in order, with subscription identifiers")
    void persistentSessionAndQueueSurviveARestart() throws Exception {
        start();
        Mqtt5BlockingClient sub = client("durable-sub");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith()
                .topicFilter("d/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .userProperties()
                .applyUserProperties()
                .send();
        sub.disconnect();
        Mqtt5BlockingClient pub = client("durable-pub");
        pub.connect();
        for (int i = 0; i < 300; i++) {
            Mqtt5PublishResult r = pub.publishWith()
                    .topic("d/" + i)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("m" + i))
                    .send();
            assertThat(r.getError()).isEmpty();
        }
        pub.disconnect();

        restart();
        assertThat(server.broker().sessions().get("durable-sub")).isNotNull();
        Mqtt5BlockingClient again = client("durable-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck ack = again.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send();
            assertThat(ack.isSessionPresent()).isTrue();
            for (int i = 0; i < 300; i++) {
                Optional<Mqtt5Publish> m = publishes.receive(10, TimeUnit.SECONDS);
                assertThat(m).as("message %d", i).isPresent();
                assertThat(text(m.get())).isEqualTo("m" + i);
                assertThat(m.get().getTopic().toString()).isEqualTo("d/" + i);
            }
            assertThat(publishes.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
        }
        // the subscription itself came back too: a new message reaches the resumed session
        Mqtt5BlockingClient pub2 = client("durable-pub2");
        pub2.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            pub2.publishWith()
                    .topic("d/new")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("new"))
                    .send();
            assertThat(publishes.receive(10, TimeUnit.SECONDS))
                    .hasValueSatisfying(m -> assertThat(text(m)).isEqualTo("new"));
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.2-6] retained messages survive a restart with their properties and expiry")
    void retainedMessagesSurviveARestart() throws Exception {
        start();
        Mqtt5BlockingClient pub = client("retain-pub");
        pub.connect();
        pub.publishWith()
                .topic("r/kept")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .contentType("text/plain")
                .userProperties()
                .add("k", "v")
                .applyUserProperties()
                .payload(utf8("kept"))
                .send();
        pub.publishWith()
                .topic("r/expiring")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .messageExpiryInterval(3600)
                .payload(utf8("expiring"))
                .send();
        pub.publishWith()
                .topic("r/gone")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(utf8("x"))
                .send();
        pub.publishWith()
                .topic("r/gone")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(new byte[0])
                .send();
        pub.disconnect();

        restart();
        List<String> topics = new ArrayList<>();
        server.broker().retained().match("r/#", System.currentTimeMillis(), r -> topics.add(r.topic()));
        assertThat(topics).containsExactlyInAnyOrder("r/kept", "r/expiring");
        Mqtt5BlockingClient sub = client("retain-sub");
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<Mqtt5Publish> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(publishes.receive(10, TimeUnit.SECONDS).orElseThrow());
            }
            Mqtt5Publish kept = got.stream()
                    .filter(p -> p.getTopic().toString().equals("r/kept"))
                    .findFirst()
                    .orElseThrow();
            assertThat(kept.isRetain()).isTrue();
            assertThat(kept.getContentType())
                    .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("text/plain"));
            assertThat(kept.getUserProperties().asList()).hasSize(1);
            Mqtt5Publish expiring = got.stream()
                    .filter(p -> p.getTopic().toString().equals("r/expiring"))
                    .findFirst()
                    .orElseThrow();
            assertThat(expiring.getMessageExpiryInterval()).isPresent();
            assertThat(expiring.getMessageExpiryInterval().getAsLong()).isBetween(3000L, 3600L);
            assertThat(publishes.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] a will with a delay that was pending at shutdown is published after the restart")
    void delayedWillFiresAfterRestart() throws Exception {
        start();
        Mqtt5BlockingClient device = client("will-device");
        device.connectWith()
                .sessionExpiryInterval(3600)
                .willPublish()
                .topic("w/device")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("gone"))
                .delayInterval(2)
                .applyWillPublish()
                .send();
        restart(); // the device's connection is lost (no normal DISCONNECT from the client): the will is pending

        Mqtt5BlockingClient watcher = client("will-watcher");
        watcher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith()
                    .topicFilter("w/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Optional<Mqtt5Publish> will = publishes.receive(20, TimeUnit.SECONDS);
            assertThat(will).hasValueSatisfying(w -> assertThat(text(w)).isEqualTo("gone"));
        }
        assertThat(server.broker().metrics().willsPublished.sum()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] a session whose expiry passes while the broker is down is gone after the restart,"
            + " and its will is published")
    void sessionExpiryPassingWhileDown() throws Exception {
        start();
        Mqtt5BlockingClient shortLived = client("short-lived");
        shortLived
                .connectWith()
                .sessionExpiryInterval(1)
                .willPublish()
                .topic("e/will")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(utf8("expired"))
                .delayInterval(3600) // longer than the session: the will goes when the session ends
                .applyWillPublish()
                .send();
        shortLived.subscribeWith().topicFilter("e/x").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient watcher = client("expiry-watcher");
        watcher.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        watcher.subscribeWith().topicFilter("e/will").qos(MqttQos.AT_LEAST_ONCE).send();
        watcher.disconnect();
        server.close();
        Thread.sleep(1500); // the broker is down longer than the session's expiry interval
        start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.broker().sessions().get("short-lived") == null);
        Mqtt5BlockingClient back = client("short-lived");
        assertThat(back.connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(1)
                        .send()
                        .isSessionPresent())
                .isFalse();
        Mqtt5BlockingClient watcherAgain = client("expiry-watcher");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = watcherAgain.publishes(MqttGlobalPublishFilter.ALL)) {
            watcherAgain
                    .connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(3600)
                    .send();
            assertThat(publishes.receive(10, TimeUnit.SECONDS))
                    .hasValueSatisfying(w -> assertThat(text(w)).isEqualTo("expired"));
        }
    }

    @Test
    @DisplayName("the $SYS totals go on counting after a restart")
    void sysTotalsSurviveARestart() {
        start();
        Mqtt5BlockingClient pub = client("sys-pub");
        pub.connect();
        for (int i = 0; i < 5; i++) {
            pub.publishWith()
                    .topic("s/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("x"))
                    .send();
        }
        pub.disconnect();
        long before = server.broker().metrics().messagesReceived.sum();
        assertThat(before).isGreaterThanOrEqualTo(5);
        restart();
        assertThat(server.broker().metrics().messagesReceived.sum()).isEqualTo(before);
    }

    @Test
    @DisplayName("bastion store stats and sessions show what the store holds, and a missing store is one line")
    void storeToolReportsSessionsAndTotals() throws Exception {
        start();
        Mqtt5BlockingClient sub = client("tool-sub");
        sub.connectWith().sessionExpiryInterval(600).send();
        sub.subscribeWith().topicFilter("tool/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = client("tool-pub");
        pub.connect();
        for (int i = 0; i < 3; i++) {
            pub.publishWith()
                    .topic("tool/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(utf8("x"))
                    .send();
        }
        pub.publishWith()
                .topic("elsewhere/r")
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .payload(utf8("r"))
                .send();
        pub.disconnect();

        String data = dir.resolve("data").toString();
        CliHarness stats = new CliHarness();
        assertThat(stats.run("store", "stats", "-p", data)).isZero();
        assertThat(stats.out())
                .contains("sessions:           1")
                .contains("subscriptions:      1")
                .contains("queued messages:    3")
                .contains("retained messages:  1");
        CliHarness sessions = new CliHarness();
        assertThat(sessions.run("store", "sessions", "-p", data)).isZero();
        assertThat(sessions.out())
                .containsPattern("tool-sub +600 +\\S+ +1 +3 +0 -")
                .contains("1 persistent session");

        CliHarness missing = new CliHarness();
        assertThat(missing.run("store", "stats", "-p", dir.resolve("nowhere").toString()))
                .isEqualTo(1);
        assertThat(missing.err())
                .isEqualTo("bastion store stats: no store at " + dir.resolve("nowhere") + " (no CURRENT file)"
                        + System.lineSeparator());
    }

    @Test
    @DisplayName("a damaged store stops the start with one clear message and is left as it was")
    void corruptStoreStopsTheStart() throws Exception {
        start();
        Mqtt5BlockingClient sub = client("corrupt-sub");
        sub.connectWith().sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("c/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        server.close();
        server = null;
        Path data = dir.resolve("data");
        Path manifest;
        try (var files = Files.list(data)) {
            manifest = files.filter(f -> f.getFileName().toString().startsWith("MANIFEST-"))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] damaged = Files.readAllBytes(manifest);
        for (int i = 0; i < damaged.length; i += 7) {
            damaged[i] ^= 0x5A;
        }
        Files.write(manifest, damaged);
        assertThatThrownBy(this::start)
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("the store at " + data + " cannot be opened: ")
                .hasMessageContaining("nothing was changed");
        assertThat(Files.readAllBytes(manifest)).isEqualTo(damaged);
    }

    @Test
    @DisplayName("a store path that is a file, or a directory of other files, is refused")
    void unusableStorePathsAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");
        assertThatThrownBy(this::start).isInstanceOf(StoreException.class).hasMessageContaining("is not a directory");
        Files.delete(file);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/notes.txt"), "someone else's");
        assertThatThrownBy(this::start)
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("holds files but no store");
    }
}
