package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Out.Sub;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared subscriptions {@code $share/{ShareName}/{filter}} (4.8.2). */
class SharedSubscriptionTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    /** Receives and acknowledges PUBLISH packets until none arrives for {@code quiet}; returns the payloads. */
    private static List<String> drain(RawClient c, Duration quiet) {
        List<String> got = new ArrayList<>();
        while (true) {
            In p = c.poll(quiet);
            if (p == null) {
                return got;
            }
            assertThat(p).isInstanceOf(In.Publish.class);
            In.Publish pub = (In.Publish) p;
            c.ack(pub);
            got.add(pub.payloadString());
        }
    }

    private static List<String> payloads(int n) {
        return IntStream.range(0, n).mapToObj(i -> "m" + i).toList();
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.8.2] each message of a shared subscription goes to exactly one member, spread over the members")
    void oneMemberPerMessage() {
        RawClient a = broker.raw5("share-a");
        RawClient b = broker.raw5("share-b");
        a.subscribe("$share/g/sh/t", 1);
        b.subscribe("$share/g/sh/t", 1);
        RawClient pub = broker.raw5("share-pub");
        for (String m : payloads(20)) {
            pub.publish("sh/t", 1, m);
        }
        List<String> gotA = drain(a, Duration.ofMillis(500));
        List<String> gotB = drain(b, Duration.ofMillis(500));
        List<String> all = new ArrayList<>(gotA);
        all.addAll(gotB);
        assertThat(all)
                .as("every message exactly once over the group")
                .containsExactlyInAnyOrderElementsOf(payloads(20));
        assertThat(gotA.size())
                .as("member a's share (a got %s, b got %s)", gotA, gotB)
                .isGreaterThanOrEqualTo(4);
        assertThat(gotB.size()).as("member b's share").isGreaterThanOrEqualTo(4);
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.8.2] a shared group, another group and a non-shared subscription each get every message once")
    void groupsAndPlainSubscriptions() {
        RawClient a = broker.raw5("g1-a");
        RawClient b = broker.raw5("g1-b");
        RawClient c = broker.raw5("g2-c");
        RawClient plain = broker.raw5("plain");
        a.subscribe("$share/g1/grp/+", 1);
        b.subscribe("$share/g1/grp/+", 1);
        c.subscribe("$share/g2/grp/#", 1);
        plain.subscribe("grp/t", 1);
        RawClient pub = broker.raw5("grp-pub");
        for (String m : payloads(10)) {
            pub.publish("grp/t", 1, m);
        }
        List<String> g1 = new ArrayList<>(drain(a, Duration.ofMillis(500)));
        g1.addAll(drain(b, Duration.ofMillis(300)));
        assertThat(g1).containsExactlyInAnyOrderElementsOf(payloads(10));
        assertThat(drain(c, Duration.ofMillis(300))).containsExactlyElementsOf(payloads(10));
        assertThat(drain(plain, Duration.ofMillis(300))).containsExactlyElementsOf(payloads(10));
    }

    @Test
    @DisplayName("[MQTT-4.8.2-3] each member gets messages at the QoS granted to its own subscription")
    void grantedQosPerMember() {
        RawClient q0 = broker.raw5("share-q0");
        RawClient q1 = broker.raw5("share-q1");
        q0.subscribe("$share/q/qos/t", 0);
        q1.subscribe("$share/q/qos/t", 1);
        RawClient pub = broker.raw5("qos-pub");
        for (String m : payloads(10)) {
            pub.publish("qos/t", 1, m);
        }
        Set<String> all = new HashSet<>();
        for (RawClient c : List.of(q0, q1)) {
            while (true) {
                In p = c.poll(Duration.ofMillis(500));
                if (p == null) {
                    break;
                }
                In.Publish m = (In.Publish) p;
                assertThat(m.qos())
                        .as("QoS to %s", c == q0 ? "the QoS 0 member" : "the QoS 1 member")
                        .isEqualTo(c == q0 ? 0 : 1);
                c.ack(m);
                all.add(m.payloadString());
            }
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(payloads(10));
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.8.2] a member leaving (session ends) with unacknowledged QoS 1 messages: they go to another member")
    void unackedMessagesOfLeavingMemberRedelivered() {
        RawClient leaver = broker.raw5("leaver"); // Session Expiry 0: the session ends with the connection
        RawClient stayer = broker.raw5("stayer");
        leaver.subscribe("$share/w/work", 1);
        stayer.subscribe("$share/w/work", 1);
        RawClient pub = broker.raw5("work-pub");
        for (String m : payloads(10)) {
            pub.publish("work", 1, m);
        }
        List<String> unacked = new ArrayList<>();
        while (true) {
            In p = leaver.poll(Duration.ofMillis(500));
            if (p == null) {
                break;
            }
            unacked.add(((In.Publish) p).payloadString()); // never acknowledged
        }
        assertThat(unacked).as("the leaving member got some work (round robin)").isNotEmpty();
        leaver.abort();
        Set<String> stayerGot = new HashSet<>(drain(stayer, Duration.ofMillis(1000)));
        assertThat(stayerGot)
                .as("messages the leaver never acknowledged %s are delivered to the other member", unacked)
                .containsAll(unacked);
        assertThat(stayerGot).as("nothing lost over the group").containsExactlyInAnyOrderElementsOf(payloads(10));
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.8.2] [MQTT-4.4.0-1] a member with a persistent session leaving with unacknowledged QoS 1: redelivered to another member or on its reconnect, none lost")
    void unackedMessagesOfPersistentMemberNotLost() {
        RawClient leaver = broker.raw(Out.Connect.v5("p-leaver").sessionExpiry(300));
        RawClient stayer = broker.raw5("p-stayer");
        leaver.subscribe("$share/p/job", 1);
        stayer.subscribe("$share/p/job", 1);
        RawClient pub = broker.raw5("job-pub");
        for (String m : payloads(10)) {
            pub.publish("job", 1, m);
        }
        List<String> unacked = new ArrayList<>();
        while (true) {
            In p = leaver.poll(Duration.ofMillis(500));
            if (p == null) {
                break;
            }
            unacked.add(((In.Publish) p).payloadString());
        }
        assertThat(unacked).isNotEmpty();
        leaver.abort();
        Set<String> got = new HashSet<>(drain(stayer, Duration.ofMillis(1000)));
        RawClient back = broker.raw(Out.Connect.v5("p-leaver").cleanStart(false).sessionExpiry(300));
        got.addAll(drain(back, Duration.ofMillis(1000)));
        assertThat(got).as("unacknowledged %s not lost", unacked).containsAll(unacked);
        assertThat(got).containsExactlyInAnyOrderElementsOf(payloads(10));
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] No Local on a shared subscription is a Protocol Error → DISCONNECT 0x82")
    void noLocalOnSharedSubscription() {
        RawClient c = broker.raw5("share-nolocal");
        c.send(Out.subscribe(5, 1, Props.none(), Sub.of("$share/g/t", 1).withNoLocal()));
        c.expectDisconnect(Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName(
            "[MQTT-5 §3.3.1.3] retained messages are sent for new non-shared subscriptions only, not for a shared one")
    void noRetainedOnSharedSubscribe() {
        RawClient r = broker.raw5("share-retainer");
        r.publish("sret/t", 0, true, Props.none(), Wire.utf8("retained"));
        r.ping();
        RawClient member = broker.raw5("share-ret-member");
        member.subscribe("$share/g/sret/t", 0);
        r.publish("sret/t", 0, "MARKER");
        assertThat(member.expectPublish().payloadString()).isEqualTo("MARKER");
    }

    @Test
    @DisplayName(
            "[MQTT-3.10.4-2] a member that unsubscribes from the shared subscription gets no more messages; the rest of the group gets all")
    void unsubscribedMemberGetsNothing() {
        RawClient a = broker.raw5("us-a");
        RawClient b = broker.raw5("us-b");
        a.subscribe("$share/u/us/t", 1);
        b.subscribe("$share/u/us/t", 1);
        In.UnsubAck ack = a.unsubscribe("$share/u/us/t");
        assertThat(ack.reasonCodes()).containsExactly(Rc.SUCCESS);
        RawClient pub = broker.raw5("us-pub");
        for (String m : payloads(6)) {
            pub.publish("us/t", 1, m);
        }
        assertThat(drain(b, Duration.ofMillis(500))).containsExactlyElementsOf(payloads(6));
        a.expectNothing(Duration.ofMillis(200));
    }

    @Test
    @DisplayName("[MQTT-5 §4.8.2] HiveMQ v5 clients in a shared group: every message delivered once")
    void hiveMqSharedGroup() throws InterruptedException {
        Mqtt5BlockingClient a = broker.hivemq5("hive-share-a");
        Mqtt5BlockingClient b = broker.hivemq5("hive-share-b");
        a.connect();
        b.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes pa = a.publishes(MqttGlobalPublishFilter.ALL);
                Mqtt5BlockingClient.Mqtt5Publishes pb = b.publishes(MqttGlobalPublishFilter.ALL)) {
            a.subscribeWith()
                    .topicFilter("$share/hive/ht")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            b.subscribeWith()
                    .topicFilter("$share/hive/ht")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            Mqtt5BlockingClient pub = broker.hivemq5("hive-share-pub");
            pub.connect();
            for (String m : payloads(10)) {
                pub.publishWith()
                        .topic("ht")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(m.getBytes(StandardCharsets.UTF_8))
                        .send();
            }
            List<String> got = new ArrayList<>();
            for (Mqtt5BlockingClient.Mqtt5Publishes p : List.of(pa, pb)) {
                Optional<Mqtt5Publish> m;
                while ((m = p.receive(500, TimeUnit.MILLISECONDS)).isPresent()) {
                    got.add(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                }
            }
            assertThat(got).containsExactlyInAnyOrderElementsOf(payloads(10));
        }
    }
}
