package io.bastion.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the publisher of a durable QoS 1 PUBLISH for an online persistent session is acknowledged: at once
 * after the subscriber's PUBACK (the message is delivered, nothing is left to keep), or, when that PUBACK
 * does not come within {@code store.inflight_write_delay}, only after the inflight record is written and
 * synced — which a restart then proves. The delay is one second here (its maximum), so the two cases are
 * far apart in time even on a loaded machine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AckAfterDeliveryTest {
    private static final Duration DELAY = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private BastionServer server;
    private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

    private void start() {
        server = BastionServer.start(BastionConfig.fromYaml("listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]\n"
                + "store: {path: " + dir.resolve("data") + ", inflight_write_delay: " + DELAY.toMillis() + "ms}\n"));
    }

    @AfterEach
    void stop() {
        for (Mqtt5AsyncClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect().join();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    private Mqtt5AsyncClient client(String id) {
        Mqtt5AsyncClient c = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildAsync();
        clients.add(c);
        return c;
    }

    /** A persistent subscriber on {@code t}; acknowledges what it gets only when the test says so. */
    private List<Mqtt5Publish> subscriberHoldingItsAcks(String id) {
        List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient sub = client(id);
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send().join();
        sub.subscribeWith()
                .topicFilter("t")
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(received::add)
                .manualAcknowledgement(true)
                .send()
                .join();
        return received;
    }

    /** Publishes one QoS 1 message and returns how long its PUBACK took. */
    private Duration publish(Mqtt5BlockingClient pub, String text) {
        long start = System.nanoTime();
        Mqtt5PublishResult r = pub.publishWith()
                .topic("t")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8))
                .send();
        assertThat(r.getError()).isEmpty();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private Mqtt5BlockingClient publisher() {
        Mqtt5BlockingClient pub = client("pub").toBlocking();
        pub.connect();
        return pub;
    }

    @Test
    @DisplayName(
            "[MQTT-4.3.2-4] a subscriber's PUBACK within the delay lets the publisher's PUBACK go at once, without a write")
    void aSubscriberThatAcknowledgesAtOnceLetsThePublisherBeAcknowledgedAtOnce() {
        start();
        List<Mqtt5Publish> received = subscriberHoldingItsAcks("fast");
        Mqtt5BlockingClient pub = publisher();
        Thread acker = new Thread(() -> {
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> !received.isEmpty());
            received.get(0).acknowledge();
        });
        acker.setDaemon(true);
        acker.start();
        Duration took = publish(pub, "quick");
        assertThat(took)
                .as("acknowledged with the subscriber's PUBACK, not after the delay")
                .isLessThan(DELAY);
        assertThat(received).hasSize(1);
    }

    @Test
    @DisplayName(
            "[MQTT-4.3.2-4] without the subscriber's PUBACK the publisher waits for the written record, which a restart resends")
    void aSubscriberThatDoesNotAnswerMakesThePublisherWaitForTheWrittenRecord() throws Exception {
        start();
        List<Mqtt5Publish> received = subscriberHoldingItsAcks("slow");
        Mqtt5BlockingClient pub = publisher();
        Duration took = publish(pub, "kept");
        assertThat(took).as("held for the delay, then written and synced").isGreaterThanOrEqualTo(DELAY);
        assertThat(received)
                .extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                .containsExactly("kept");

        server.close(); // the subscriber never acknowledged: its session's inflight record must be on disk
        clients.clear();
        start();
        Mqtt5BlockingClient again = client("slow").toBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(again.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(3600)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            Optional<Mqtt5Publish> resent = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(resent).isPresent();
            assertThat(new String(resent.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("kept");
        }
    }
}
