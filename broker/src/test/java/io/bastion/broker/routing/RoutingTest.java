package io.bastion.broker.routing;

import static io.bastion.broker.connection.Packets.connect5;
import static io.bastion.broker.connection.Packets.persistent5;
import static io.bastion.broker.connection.Packets.publish;
import static io.bastion.broker.connection.Packets.retained;
import static io.bastion.broker.connection.Packets.subscribe;
import static io.bastion.broker.connection.Packets.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.connection.BrokerFixture;
import io.bastion.broker.connection.Packets;
import io.bastion.broker.connection.TestClient;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.bastion.mqtt.packet.UnsubAck;
import io.bastion.mqtt.packet.Unsubscribe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Router behaviour seen from subscribers: overlapping and shared subscriptions, No Local, retained messages. */
class RoutingTest {
    private BrokerFixture f;
    private TestClient pub;
    private int packetId;

    @BeforeEach
    void start() {
        f = new BrokerFixture();
        pub = f.client();
        pub.connected(connect5("pub"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    private TestClient client(String id) {
        TestClient c = f.client();
        c.connected(connect5(id));
        return c;
    }

    private static SubAck subscribed(TestClient c, Subscribe s) {
        c.send(s);
        return c.expect(SubAck.class);
    }

    private void publishFrom(TestClient from, String topic, int qos, String payload) {
        from.send(publish(topic, qos, qos == 0 ? 0 : ++packetId, payload));
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.4-2/3/5] overlapping subscriptions: one PUBLISH at the highest QoS with every Subscription Identifier")
    void overlappingSubscriptions() {
        TestClient sub = client("s");
        subscribed(sub, subscribe(1, Subscription.of("a/+", 0), 11));
        subscribed(sub, subscribe(2, Subscription.of("a/#", 2), 22));
        subscribed(sub, subscribe(3, Subscription.of("a/b", 1), 0));
        publishFrom(pub, "a/b", 2, "x");
        List<Publish> got = sub.publishes();
        assertThat(got).hasSize(1);
        Publish p = got.get(0);
        assertThat(p.qos()).isEqualTo(2);
        assertThat(p.properties().subscriptionIdentifiers()).containsExactlyInAnyOrder(11, 22);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-2] overlapping subscriptions cap at the published QoS")
    void overlappingCappedByPublishedQos() {
        TestClient sub = client("s");
        subscribed(sub, Packets.subscribe(1, "a/+", 2));
        subscribed(sub, Packets.subscribe(2, "a/#", 1));
        publishFrom(pub, "a/b", 0, "x");
        List<Publish> got = sub.publishes();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).qos()).isZero();
        assertThat(got.get(0).properties().subscriptionIdentifiers()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] No Local: the publisher's own messages are not sent back on that subscription")
    void noLocal() {
        TestClient c = client("c");
        subscribed(c, subscribe(1, new Subscription("t", 1, true, false, 0), 0));
        TestClient other = client("o");
        subscribed(other, Packets.subscribe(1, "t", 1));
        publishFrom(c, "t", 1, "mine");
        assertThat(c.expect(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        c.expectNothing();
        assertThat(text(other.expectPublish())).isEqualTo("mine");
        publishFrom(pub, "t", 1, "theirs");
        assertThat(text(c.expectPublish())).isEqualTo("theirs");
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] No Local on one of two overlapping subscriptions: delivered through the other only")
    void noLocalOverlapping() {
        TestClient c = client("c");
        subscribed(c, subscribe(1, new Subscription("t", 2, true, false, 0), 5));
        subscribed(c, subscribe(2, Subscription.of("#", 1), 6));
        publishFrom(c, "t", 2, "mine");
        List<Publish> got = c.publishes();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).qos())
                .as("the No Local subscription does not raise the QoS")
                .isEqualTo(1);
        assertThat(got.get(0).properties().subscriptionIdentifiers()).containsExactly(6);
    }

    @Test
    @DisplayName("[MQTT-4.8.2-2] a shared subscription delivers each message to exactly one member")
    void sharedGroupOneMemberPerMessage() {
        TestClient a = client("a");
        TestClient b = client("b");
        subscribed(a, Packets.subscribe(1, "$share/g/jobs/+", 1));
        subscribed(b, Packets.subscribe(1, "$share/g/jobs/+", 1));
        for (int i = 0; i < 6; i++) {
            publishFrom(pub, "jobs/" + i, 1, "job" + i);
        }
        List<String> all = new ArrayList<>();
        List<Publish> toA = a.publishes();
        List<Publish> toB = b.publishes();
        toA.forEach(p -> all.add(text(p)));
        toB.forEach(p -> all.add(text(p)));
        assertThat(all).containsExactlyInAnyOrder("job0", "job1", "job2", "job3", "job4", "job5");
        assertThat(toA).as("round robin spreads the load").isNotEmpty();
        assertThat(toB).isNotEmpty();
    }

    @Test
    @DisplayName("[MQTT-4.8.2-*] a shared and a plain subscription of one client each get a copy")
    void sharedAndPlainBothDelivered() {
        TestClient a = client("a");
        subscribed(a, Packets.subscribe(1, "$share/g/t", 1));
        subscribed(a, Packets.subscribe(2, "t", 1));
        publishFrom(pub, "t", 1, "x");
        assertThat(a.publishes()).hasSize(2);
    }

    @Test
    @DisplayName("[MQTT-4.8.2-*] a member whose session ends with unacknowledged messages: they go to another member")
    void sharedRedeliveredWhenMemberSessionEnds() {
        TestClient a = client("a");
        TestClient b = client("b");
        subscribed(a, Packets.subscribe(1, "$share/g/t", 1));
        subscribed(b, Packets.subscribe(1, "$share/g/t", 1));
        for (int i = 0; i < 4; i++) {
            publishFrom(pub, "t", 1, "m" + i);
        }
        List<Publish> toA = a.publishes();
        List<Publish> toB = b.publishes();
        assertThat(toA).isNotEmpty();
        // b acknowledges its share; a acknowledges nothing and its connection (Session Expiry 0) is lost
        toB.forEach(p -> b.send(new PubAck(p.packetId())));
        a.drop();
        List<Publish> redelivered = b.publishes();
        assertThat(redelivered)
                .extracting(Packets::text)
                .containsExactlyInAnyOrderElementsOf(
                        toA.stream().map(Packets::text).toList());
        assertThat(redelivered).allSatisfy(p -> assertThat(p.qos()).isEqualTo(1));
    }

    @Test
    @DisplayName("[MQTT-4.8.2-*] messages queued for a disconnected member go to another member when its session ends")
    void sharedQueuedRedeliveredOnExpiry() {
        TestClient a = f.client();
        a.connected(persistent5("a", 1));
        subscribed(a, Packets.subscribe(1, "$share/g/t", 1));
        a.drop(); // session kept for 1 s
        publishFrom(pub, "t", 1, "waiting"); // only member with a session
        TestClient b = client("b");
        subscribed(b, Packets.subscribe(1, "$share/g/t", 1));
        b.expectNothing();
        f.world.advance(java.time.Duration.ofSeconds(2));
        assertThat(b.publishes()).extracting(Packets::text).containsExactly("waiting");
    }

    @Test
    @DisplayName("[MQTT-4.8.2-*] new messages prefer a connected member over one that is away")
    void sharedPrefersConnected() {
        TestClient a = f.client();
        a.connected(persistent5("a", 300));
        subscribed(a, Packets.subscribe(1, "$share/g/t", 1));
        TestClient b = client("b");
        subscribed(b, Packets.subscribe(1, "$share/g/t", 1));
        a.drop();
        for (int i = 0; i < 3; i++) {
            publishFrom(pub, "t", 1, "m" + i);
        }
        assertThat(b.publishes()).hasSize(3);
        assertThat(f.broker.sessions().get("a").queuedCount()).isZero();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-12] Retain As Published 0: a live retained message is forwarded with RETAIN 0")
    void retainAsPublishedOff() {
        TestClient s = client("s");
        subscribed(s, subscribe(1, new Subscription("t", 1, false, false, 2), 0));
        pub.send(retained("t", 1, 1, "r"));
        Publish p = s.expectPublish();
        assertThat(p.retain()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-13] Retain As Published 1: a live retained message keeps RETAIN 1")
    void retainAsPublishedOn() {
        TestClient s = client("s");
        subscribed(s, subscribe(1, new Subscription("t", 1, false, true, 2), 0));
        pub.send(retained("t", 1, 1, "r"));
        assertThat(s.expectPublish().retain()).isTrue();
        publishFrom(pub, "t", 1, "not retained");
        assertThat(s.expectPublish().retain()).isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.1-9] Retain Handling 0: retained messages are sent on every SUBSCRIBE, RETAIN 1, after SUBACK")
    void retainHandling0() {
        pub.send(retained("r/1", 1, 1, "one"), retained("r/2", 0, 0, "two"));
        TestClient s = client("s");
        s.send(subscribe(1, new Subscription("r/+", 1, false, false, 0), 9));
        s.expect(SubAck.class);
        List<Publish> got = s.publishes();
        assertThat(got).extracting(Packets::text).containsExactlyInAnyOrder("one", "two");
        assertThat(got).allSatisfy(p -> {
            assertThat(p.retain()).as("[MQTT-3.3.1-8]").isTrue();
            assertThat(p.properties().subscriptionIdentifiers()).containsExactly(9);
        });
        assertThat(got)
                .filteredOn(p -> text(p).equals("two"))
                .extracting(Publish::qos)
                .containsExactly(0);
        s.send(subscribe(2, new Subscription("r/+", 1, false, false, 0), 9));
        s.expect(SubAck.class);
        assertThat(s.publishes()).as("sent again on a repeated SUBSCRIBE").hasSize(2);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] Retain Handling 1: retained messages only when the subscription is new")
    void retainHandling1() {
        pub.send(retained("r", 1, 1, "one"));
        TestClient s = client("s");
        subscribed(s, subscribe(1, new Subscription("r", 1, false, false, 1), 0));
        assertThat(s.publishes()).hasSize(1);
        subscribed(s, subscribe(2, new Subscription("r", 1, false, false, 1), 0));
        assertThat(s.publishes()).isEmpty();
        s.send(new Unsubscribe(3, List.of("r"), MqttProperties.EMPTY));
        s.expect(UnsubAck.class);
        subscribed(s, subscribe(4, new Subscription("r", 1, false, false, 1), 0));
        assertThat(s.publishes()).as("new again after UNSUBSCRIBE").hasSize(1);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-11] Retain Handling 2: retained messages are never sent on SUBSCRIBE")
    void retainHandling2() {
        pub.send(retained("r", 1, 1, "one"));
        TestClient s = client("s");
        subscribed(s, subscribe(1, new Subscription("r", 1, false, false, 2), 0));
        s.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10/11 (3.1.1)] an empty retained PUBLISH deletes the retained message")
    void emptyRetainedDeletes() {
        pub.send(retained("r", 0, 0, "one"));
        pub.send(retained("r", 0, 0, ""));
        assertThat(f.broker.retained().size()).isZero();
        TestClient s = client("s");
        subscribed(s, Packets.subscribe(1, "r", 1));
        s.expectNothing();
    }

    @Test
    @DisplayName("retained messages are not sent for a shared subscription")
    void noRetainedForShared() {
        pub.send(retained("r", 1, 1, "one"));
        TestClient s = client("s");
        subscribed(s, Packets.subscribe(1, "$share/g/r", 1));
        s.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] a leading wildcard does not match $ topics")
    void dollarTopicsNotMatchedByWildcard() {
        TestClient s = client("s");
        subscribed(s, Packets.subscribe(1, "#", 1));
        subscribed(s, Packets.subscribe(2, "+/x", 1));
        f.broker
                .router()
                .publish(
                        new io.bastion.broker.Message(
                                "$SYS/x", 0, false, Packets.bytes("sys"), MqttProperties.EMPTY, "", Long.MAX_VALUE),
                        false);
        s.expectNothing();
    }

    @Test
    @DisplayName("[MQTT-3.10.4-*] UNSUBSCRIBE stops delivery; UNSUBACK 0x11 for a filter that was not subscribed")
    void unsubscribe() {
        TestClient s = client("s");
        subscribed(s, Packets.subscribe(1, "t", 1));
        s.send(new Unsubscribe(2, List.of("t", "other"), MqttProperties.EMPTY));
        UnsubAck ack = s.expect(UnsubAck.class);
        assertThat(ack.packetId()).isEqualTo(2);
        assertThat(ack.reasonCodes()).containsExactly(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED);
        publishFrom(pub, "t", 1, "x");
        s.expectNothing();
        assertThat(f.broker.subscriptions().size()).isZero();
    }
}
