package io.bastion.broker.session;

import static io.bastion.broker.connection.Packets.connect311;
import static io.bastion.broker.connection.Packets.connect5;
import static io.bastion.broker.connection.Packets.persistent5;
import static io.bastion.broker.connection.Packets.publish;
import static io.bastion.broker.connection.Packets.subscribe;
import static io.bastion.broker.connection.Packets.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerMetrics.Drop;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import io.bastion.broker.Message;
import io.bastion.broker.connection.BrokerFixture;
import io.bastion.broker.connection.Packets;
import io.bastion.broker.connection.Settings;
import io.bastion.broker.connection.TestClient;
import io.bastion.broker.routing.Router;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Outgoing QoS flows, the inflight window, the offline queue and session expiry, through real connections. */
class SessionFlowTest {
    private BrokerFixture f;
    private TestClient publisher;

    private void start(Consumer<Settings> configure) {
        f = new BrokerFixture(configure);
        publisher = f.client();
        publisher.connected(connect5("pub"));
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private TestClient subscriber(io.bastion.mqtt.packet.Connect connect, String filter, int qos) {
        TestClient s = f.client();
        s.connected(connect);
        s.send(subscribe(1, filter, qos));
        s.expect(SubAck.class);
        return s;
    }

    private void publish(int qos, String... payloads) {
        for (String payload : payloads) {
            publisher.send(Packets.publish("t", qos, qos == 0 ? 0 : nextId(), payload));
        }
        publisher.readAll(); // acknowledgements
    }

    private int id;

    private int nextId() {
        return ++id;
    }

    @Test
    @DisplayName("[MQTT-4.3.2-*] QoS 1 out: PUBLISH with a packet id, freed by PUBACK; ids are unique while in flight")
    void qos1Flow() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 1);
        publish(1, "a", "b");
        List<Publish> got = sub.publishes();
        assertThat(got).extracting(Packets::text).containsExactly("a", "b");
        assertThat(got).allSatisfy(p -> {
            assertThat(p.qos()).isEqualTo(1);
            assertThat(p.dup()).isFalse();
            assertThat(p.packetId()).isBetween(1, 65535);
        });
        assertThat(got.get(0).packetId())
                .as("[MQTT-2.2.1-3]")
                .isNotEqualTo(got.get(1).packetId());
        Session session = f.broker.sessions().get("s");
        assertThat(session.inflightCount()).isEqualTo(2);
        sub.send(new PubAck(got.get(0).packetId()));
        assertThat(session.inflightPacketIds()).containsExactly(got.get(1).packetId());
        sub.send(new PubAck(got.get(1).packetId()));
        assertThat(session.inflightCount()).isZero();
    }

    @Test
    @DisplayName("[MQTT-4.3.3-*] QoS 2 out: PUBLISH, PUBREC -> PUBREL, PUBCOMP completes")
    void qos2Flow() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 2);
        publish(2, "exactly-once");
        Publish p = sub.expectPublish();
        assertThat(p.qos()).isEqualTo(2);
        Session session = f.broker.sessions().get("s");
        sub.send(new PubRec(p.packetId()));
        PubRel rel = sub.expect(PubRel.class);
        assertThat(rel.packetId()).isEqualTo(p.packetId());
        assertThat(session.inflightCount()).as("held until PUBCOMP").isEqualTo(1);
        sub.send(new PubComp(p.packetId()));
        assertThat(session.inflightCount()).isZero();
        sub.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.8.4-8] delivered at the lower of the published and the granted QoS")
    void qosDowngrade() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 1);
        publish(2, "x");
        assertThat(sub.expectPublish().qos()).isEqualTo(1);
        TestClient zero = subscriber(connect5("z"), "t", 0);
        publish(1, "y");
        assertThat(zero.expectPublish().qos()).isZero();
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] the inflight window is the client's Receive Maximum when below the broker's limit")
    void inflightWindowClientReceiveMaximum() {
        start(s -> s.maximumInflight = 20);
        TestClient sub = subscriber(
                connect5("s", true, MqttProperties.builder().receiveMaximum(2).build()), "t", 1);
        publish(1, "1", "2", "3", "4", "5");
        List<Publish> first = sub.publishes();
        assertThat(first).extracting(Packets::text).containsExactly("1", "2");
        sub.send(new PubAck(first.get(0).packetId()));
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("3");
        Session session = f.broker.sessions().get("s");
        assertThat(session.inflightCount()).isEqualTo(2);
        assertThat(session.queuedCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] the inflight window is the broker's maximum inflight when below the client's")
    void inflightWindowBrokerMaximum() {
        start(s -> s.maximumInflight = 3);
        TestClient sub = subscriber(connect5("s"), "t", 2);
        publish(2, "1", "2", "3", "4", "5");
        List<Publish> first = sub.publishes();
        assertThat(first).extracting(Packets::text).containsExactly("1", "2", "3");
        // PUBREC does not free the slot, PUBCOMP does
        sub.send(new PubRec(first.get(0).packetId()));
        sub.expect(PubRel.class);
        sub.expectNothing();
        sub.send(new PubComp(first.get(0).packetId()));
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("4");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] QoS 1/2 messages are queued while the client is away and sent in order on return")
    void queueWhileOffline() {
        start(s -> {});
        TestClient sub = subscriber(persistent5("s", 300), "t", 2);
        sub.send(Packets.disconnect());
        publish(1, "a");
        publish(2, "b");
        publish(0, "qos0");
        assertThat(f.broker.sessions().get("s").queuedCount()).isEqualTo(2);
        assertThat(f.broker.metrics().drops(Drop.OFFLINE_QOS0)).isEqualTo(1);
        TestClient back = f.client();
        assertThat(back.connected(persistent5("s", 300)).sessionPresent()).isTrue();
        List<Publish> got = back.publishes();
        assertThat(got).extracting(Packets::text).containsExactly("a", "b");
        assertThat(got).extracting(Publish::qos).containsExactly(1, 2);
        assertThat(got).extracting(Publish::dup).containsOnly(false);
    }

    @Test
    @DisplayName(
            "[MQTT-4.4.0-1] on resumption unacknowledged PUBLISH are resent with DUP and the same id, PUBREL resent")
    void resumeResendsWithDup() {
        start(s -> {});
        TestClient sub = subscriber(persistent5("s", 300), "t", 2);
        publish(1, "q1");
        publish(2, "q2-unreceived", "q2-released");
        List<Publish> first = sub.publishes();
        assertThat(first).hasSize(3);
        Publish released = first.get(2);
        sub.send(new PubRec(released.packetId()));
        sub.expect(PubRel.class);
        sub.drop();

        TestClient back = f.client();
        assertThat(back.connected(persistent5("s", 300)).sessionPresent()).isTrue();
        List<io.bastion.mqtt.packet.MqttPacket> resent = back.readAll();
        assertThat(resent).hasSize(3);
        Publish r1 = (Publish) resent.get(0);
        Publish r2 = (Publish) resent.get(1);
        assertThat(r1.dup()).isTrue();
        assertThat(r1.packetId()).isEqualTo(first.get(0).packetId());
        assertThat(text(r1)).isEqualTo("q1");
        assertThat(r2.dup()).isTrue();
        assertThat(r2.packetId()).isEqualTo(first.get(1).packetId());
        assertThat(resent.get(2))
                .as("[MQTT-4.4.0-2] PUBREL, not PUBLISH, for the released one")
                .isEqualTo(new PubRel(released.packetId()));
        back.send(new PubAck(r1.packetId()));
        back.send(new PubComp(released.packetId()));
        assertThat(f.broker.sessions().get("s").inflightPacketIds()).containsExactly(r2.packetId());
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] v3.1.1 Clean Session 0: unacknowledged QoS 1 resent with DUP after reconnect")
    void resumeResendsV311() {
        start(s -> {});
        TestClient sub = subscriber(connect311("s", false), "t", 1);
        publish(1, "x");
        Publish p = sub.expectPublish();
        sub.drop();
        TestClient back = f.client();
        assertThat(back.connected(connect311("s", false)).sessionPresent()).isTrue();
        Publish again = back.expectPublish();
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(p.packetId());
    }

    @Test
    @DisplayName("DROP_OLDEST: a full queue drops the oldest, keeps the newest and counts the drops")
    void dropOldest() {
        start(s -> {
            s.maximumQueuedMessages = 2;
            s.queueOverflow = QueueOverflowPolicy.DROP_OLDEST;
        });
        TestClient sub = subscriber(persistent5("s", 300), "t", 1);
        sub.drop();
        publish(1, "1", "2", "3", "4");
        assertThat(f.broker.metrics().drops(Drop.QUEUE_FULL)).isEqualTo(2);
        TestClient back = f.client();
        back.connected(persistent5("s", 300));
        assertThat(back.publishes()).extracting(Packets::text).containsExactly("3", "4");
    }

    @Test
    @DisplayName("DROP_OLDEST: a full queue never refuses the publisher (PUBACK 0x00)")
    void dropOldestAcceptsPublisher() {
        start(s -> {
            s.maximumQueuedMessages = 1;
            s.queueOverflow = QueueOverflowPolicy.DROP_OLDEST;
        });
        TestClient sub = subscriber(persistent5("s", 300), "t", 1);
        sub.drop();
        publisher.send(Packets.publish("t", 1, 1, "a"), Packets.publish("t", 1, 2, "b"));
        assertThat(publisher.readAll())
                .extracting(p -> ((PubAck) p).reasonCode())
                .containsOnly(io.bastion.mqtt.ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName("REJECT_NEW: Router reports QUOTA_EXCEEDED for a full queue; the queue keeps the old messages")
    void rejectNewRouterOutcome() {
        start(s -> {
            s.maximumQueuedMessages = 2;
            s.queueOverflow = QueueOverflowPolicy.REJECT_NEW;
        });
        TestClient sub = subscriber(persistent5("s", 300), "t", 1);
        sub.drop();
        Router router = f.broker.router();
        assertThat(router.publish(message("1"), true)).isEqualTo(Router.Outcome.DELIVERED);
        f.settle();
        assertThat(router.publish(message("2"), true)).isEqualTo(Router.Outcome.DELIVERED);
        f.settle();
        assertThat(router.publish(message("3"), true)).isEqualTo(Router.Outcome.QUOTA_EXCEEDED);
        f.settle();
        assertThat(router.publish(message("4"), false))
                .as("a will or v3 publisher cannot be refused")
                .isEqualTo(Router.Outcome.DELIVERED);
        f.settle();
        assertThat(f.broker.metrics().drops(Drop.QUEUE_FULL))
                .as("the refused-late one is counted")
                .isEqualTo(1);
        TestClient back = f.client();
        back.connected(persistent5("s", 300));
        assertThat(back.publishes()).extracting(Packets::text).containsExactly("1", "2");
    }

    private static Message message(String payload) {
        return new Message("t", 1, false, Packets.bytes(payload), MqttProperties.EMPTY, "x", Message.NEVER);
    }

    @Test
    @DisplayName("QoS 0 to a client that is not reading (not writable) is dropped and counted; QoS 1 still goes out")
    void qos0DroppedForSlowConsumer() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 1);
        sub.setWritable(false);
        publish(0, "dropped");
        publish(1, "kept");
        assertThat(f.broker.metrics().drops(Drop.SLOW_CONSUMER)).isEqualTo(1);
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("kept");
        sub.setWritable(true);
        publish(0, "sent");
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("sent");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-6] the Message Expiry Interval forwarded is the remaining time, not the original")
    void remainingExpiryForwarded() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 1);
        publisher.send(Packets.publish(
                "t",
                1,
                1,
                "fresh",
                MqttProperties.builder().messageExpiryInterval(60L).build()));
        assertThat(sub.expectPublish().properties().messageExpiryInterval()).isEqualTo(60L);
        // a message that has been waiting: published with 60 s, 55 s of it already gone
        long now = System.currentTimeMillis();
        Message waited = new Message(
                "t",
                1,
                false,
                Packets.bytes("waited"),
                MqttProperties.builder().messageExpiryInterval(60L).build(),
                "pub",
                now + 5_000);
        f.broker.sessions().get("s").offer(new Delivery(waited, 1, false, Delivery.NO_IDS, null));
        Publish p = sub.expectPublish();
        assertThat(text(p)).isEqualTo("waited");
        assertThat(p.properties().messageExpiryInterval()).isBetween(1L, 5L);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] a queued message whose expiry passed is not delivered, and is counted")
    void expiredNotDelivered() {
        start(s -> {});
        TestClient sub = subscriber(persistent5("s", 300), "t", 1);
        sub.drop();
        long past = System.currentTimeMillis() - 1;
        Message expired = new Message("t", 1, false, Packets.bytes("old"), MqttProperties.EMPTY, "pub", past);
        Session session = f.broker.sessions().get("s");
        session.offer(new Delivery(expired, 1, false, Delivery.NO_IDS, null));
        f.settle();
        assertThat(f.broker.metrics().drops(Drop.EXPIRED)).isEqualTo(1);
        TestClient back = f.client();
        back.connected(persistent5("s", 300));
        back.expectNothing();
    }

    @Test
    @DisplayName("Session Expiry 0: the session ends when the connection closes, its subscriptions are removed")
    void sessionExpiryZeroEndsOnDisconnect() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 1);
        assertThat(f.broker.subscriptions().size()).isEqualTo(1);
        sub.drop();
        assertThat(f.broker.sessions().get("s")).isNull();
        assertThat(f.broker.subscriptions().size()).isZero();
        TestClient back = f.client();
        assertThat(back.connected(persistent5("s", 300)).sessionPresent()).isFalse();
    }

    @Test
    @DisplayName("Session Expiry N: the session is kept N seconds after the connection closes, then ends")
    void sessionExpiryTimer() {
        start(s -> {});
        TestClient sub = subscriber(persistent5("s", 3), "t", 1);
        sub.drop();
        f.world.advance(Duration.ofMillis(2900));
        assertThat(f.broker.sessions().get("s")).isNotNull();
        assertThat(f.broker.subscriptions().size()).isEqualTo(1);
        f.world.advance(Duration.ofMillis(200));
        assertThat(f.broker.sessions().get("s")).isNull();
        assertThat(f.broker.subscriptions().size()).isZero();
    }

    @Test
    @DisplayName("reconnecting before the Session Expiry cancels it")
    void reconnectCancelsExpiry() {
        start(s -> {});
        TestClient sub = subscriber(persistent5("s", 3), "t", 1);
        sub.drop();
        f.world.advance(Duration.ofSeconds(2));
        TestClient back = f.client();
        assertThat(back.connected(persistent5("s", 3)).sessionPresent()).isTrue();
        f.world.advance(Duration.ofSeconds(10));
        assertThat(f.broker.sessions().get("s")).isNotNull();
        publish(1, "still subscribed");
        assertThat(back.publishes()).extracting(Packets::text).containsExactly("still subscribed");
    }

    @Test
    @DisplayName("messages queued for a session that expires are discarded with it")
    void expiredSessionDropsQueue() {
        start(s -> {});
        TestClient sub = subscriber(persistent5("s", 1), "t", 1);
        sub.drop();
        publish(1, "lost");
        f.world.advance(Duration.ofSeconds(2));
        TestClient back = f.client();
        assertThat(back.connected(persistent5("s", 1)).sessionPresent()).isFalse();
        back.expectNothing();
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-25] a PUBLISH larger than the client's Maximum Packet Size is not sent, counted, and done")
    void outgoingMaximumPacketSize() {
        start(s -> {});
        TestClient sub = subscriber(
                connect5(
                        "s",
                        true,
                        MqttProperties.builder().maximumPacketSize(64L).build()),
                "t",
                1);
        publish(1, "x".repeat(200));
        publish(1, "small");
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("small");
        assertThat(f.broker.metrics().drops(Drop.PACKET_TOO_LARGE)).isEqualTo(1);
        assertThat(f.broker.sessions().get("s").inflightCount())
                .as("the dropped one holds no slot")
                .isEqualTo(1);
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-*] Topic Alias out: the first PUBLISH sets topic and alias, later ones carry only the alias")
    void outgoingTopicAlias() {
        start(s -> {});
        TestClient sub = subscriber(
                connect5(
                        "s", true, MqttProperties.builder().topicAliasMaximum(2).build()),
                "t",
                0);
        publish(0, "1", "2");
        List<Publish> got = sub.publishes();
        assertThat(got.get(0).topic()).isEqualTo("t");
        Integer alias = got.get(0).properties().topicAlias();
        assertThat(alias).isBetween(1, 2);
        assertThat(got.get(1).topic()).isEmpty();
        assertThat(got.get(1).properties().topicAlias()).isEqualTo(alias);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-26] no Topic Alias is sent to a client that did not allow any")
    void noOutgoingTopicAliasByDefault() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 0);
        publish(0, "1", "2");
        assertThat(sub.publishes()).allSatisfy(p -> {
            assertThat(p.topic()).isEqualTo("t");
            assertThat(p.properties().topicAlias()).isNull();
        });
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-*] Content Type, Response Topic, Correlation Data and User Properties are forwarded unchanged")
    void propertiesForwarded() {
        start(s -> {});
        TestClient sub = subscriber(connect5("s"), "t", 1);
        MqttProperties props = MqttProperties.builder()
                .payloadFormatIndicator(1)
                .contentType("application/json")
                .responseTopic("reply/here")
                .correlationData(new byte[] {9, 8})
                .userProperty("a", "1")
                .userProperty("a", "2")
                .build();
        publisher.send(Packets.publish("t", 1, 1, "{}", props));
        Publish p = sub.expectPublish();
        assertThat(p.properties().payloadFormatIndicator()).isEqualTo(1);
        assertThat(p.properties().contentType()).isEqualTo("application/json");
        assertThat(p.properties().responseTopic()).isEqualTo("reply/here");
        assertThat(p.properties().correlationData()).containsExactly(9, 8);
        assertThat(p.properties().userProperties()).isEqualTo(props.userProperties());
    }
}
