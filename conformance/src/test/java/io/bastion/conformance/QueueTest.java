package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Offline queueing of QoS 1/2 messages for persistent sessions, and what a full queue does (issue §4). */
class QueueTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private static List<String> payloads(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "m" + i).toList();
    }

    private RawClient offlineSubscriber(String id) {
        RawClient sub = broker.raw(Out.Connect.v5(id).sessionExpiry(300));
        sub.subscribe("queue/" + id, 2);
        sub.disconnect();
        return sub;
    }

    private RawClient reconnect(String id) {
        RawClient c = broker.raw(Out.Connect.v5(id).cleanStart(false).sessionExpiry(300));
        assertThat(c.connAck().sessionPresent()).isTrue();
        return c;
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-23] [MQTT-4.4.0-1] QoS 1 and 2 messages published while a persistent session is offline are delivered, in order, on reconnect")
    void queuedWhileOffline() {
        offlineSubscriber("q-off");
        RawClient pub = broker.raw5("q-off-pub");
        for (int i = 0; i < 5; i++) {
            pub.publish("queue/q-off", 1, "m" + i);
        }
        for (int i = 0; i < 5; i++) {
            pub.publish("queue/q-off", 2, false, Props.none(), Wire.utf8("n" + i));
        }
        RawClient back = reconnect("q-off");
        List<String> qos1 = new ArrayList<>();
        List<String> qos2 = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            In.Publish p = back.expectPublishAndAck();
            (p.qos() == 1 ? qos1 : qos2).add(p.payloadString());
        }
        assertThat(qos1).as("QoS 1 messages in order [MQTT-4.6.0-6]").containsExactlyElementsOf(payloads(0, 5));
        assertThat(qos2).as("QoS 2 messages in order [MQTT-4.6.0-6]").containsExactly("n0", "n1", "n2", "n3", "n4");
        back.expectNothing(Duration.ofMillis(300));
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-23] queue_overflow drop_oldest: a full offline queue (max_queued_messages 5) keeps the newest 5")
    void dropOldest() {
        broker.limit("max_queued_messages", 5).limit("queue_overflow", "drop_oldest");
        offlineSubscriber("q-drop");
        RawClient pub = broker.raw5("q-drop-pub");
        for (int i = 0; i < 8; i++) {
            assertThat(pub.publish("queue/q-drop", 1, "m" + i))
                    .as("PUBACK for m%d", i)
                    .isIn(0x00, 0x10);
        }
        RawClient back = reconnect("q-drop");
        assertThat(back.receivePayloads(5)).containsExactlyElementsOf(payloads(3, 8));
        back.expectNothing(Duration.ofMillis(300));
    }

    @Test
    @DisplayName(
            "[MQTT-5 §3.4.2.1] queue_overflow reject_new: a v5 publisher gets PUBACK / PUBREC 0x97 once the queue (5) is full; the first 5 are kept")
    void rejectNew() {
        broker.limit("max_queued_messages", 5).limit("queue_overflow", "reject_new");
        offlineSubscriber("q-reject");
        RawClient pub = broker.raw5("q-reject-pub");
        for (int i = 0; i < 5; i++) {
            assertThat(pub.publish("queue/q-reject", 1, "m" + i))
                    .as("PUBACK for m%d", i)
                    .isIn(0x00, 0x10);
        }
        assertThat(pub.publish("queue/q-reject", 1, "m5"))
                .as("PUBACK when full")
                .isEqualTo(Rc.QUOTA_EXCEEDED);
        assertThat(pub.publish("queue/q-reject", 2, false, Props.none(), Wire.utf8("m6")))
                .as("PUBREC when full")
                .isEqualTo(Rc.QUOTA_EXCEEDED);
        RawClient back = reconnect("q-reject");
        assertThat(back.receivePayloads(5)).containsExactlyElementsOf(payloads(0, 5));
        back.expectNothing(Duration.ofMillis(300));
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.9] messages beyond the client's Receive Maximum wait in the session queue and all arrive once it acknowledges")
    void queuedBehindInflightWindow() {
        RawClient sub = broker.raw(Out.Connect.v5("q-window").receiveMaximum(2));
        sub.subscribe("queue/window", 1);
        RawClient pub = broker.raw5("q-window-pub");
        for (int i = 0; i < 30; i++) {
            pub.publish("queue/window", 1, "m" + i);
        }
        assertThat(sub.receivePayloads(30)).containsExactlyElementsOf(payloads(0, 30));
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-4 v3.1.1] [MQTT-4.4.0-1] v3.1.1 (HiveMQ client): Clean Session 0 queues QoS 1 messages while offline")
    void queuedWhileOfflineV311() throws InterruptedException {
        Mqtt3BlockingClient sub = broker.hivemq3("q311");
        sub.connectWith().cleanSession(false).send();
        sub.subscribeWith().topicFilter("queue/311").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt3BlockingClient pub = broker.hivemq3("q311-pub");
        pub.connect();
        for (int i = 0; i < 5; i++) {
            pub.publishWith()
                    .topic("queue/311")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(sub.connectWith().cleanSession(false).send().isSessionPresent())
                    .isTrue();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Optional<Mqtt3Publish> m = publishes.receive(5, TimeUnit.SECONDS);
                assertThat(m).as("queued message %d", i).isPresent();
                got.add(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertThat(got).containsExactlyElementsOf(payloads(0, 5));
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] [MQTT-5 §4.1] queued messages are discarded with the session when it expires")
    void queueDiscardedWithExpiredSession() throws InterruptedException {
        RawClient sub = broker.raw(Out.Connect.v5("q-expire").sessionExpiry(1));
        sub.subscribe("queue/expire", 1);
        sub.disconnect();
        broker.raw5("q-expire-pub").publish("queue/expire", 1, "lost with the session");
        Thread.sleep(2100);
        RawClient back = broker.raw(Out.Connect.v5("q-expire").cleanStart(false).sessionExpiry(1));
        assertThat(back.connAck().sessionPresent()).isFalse();
        back.expectNothing(Duration.ofMillis(500));
    }
}
