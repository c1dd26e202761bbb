package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** QoS 0/1/2 flows in both directions, packet identifiers, downgrade and resumption (4.3, 4.4). */
class QosTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("[MQTT-4.3.1-1] [MQTT-4.3.2-1] [MQTT-4.3.3-1] v5 end to end with the HiveMQ client at QoS 0, 1, 2")
    void endToEndHiveMq(int qos) throws InterruptedException {
        Mqtt5BlockingClient sub = broker.hivemq5("e2e-sub");
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("e2e/t").qos(MqttQos.fromCode(qos)).send();
            Mqtt5BlockingClient pub = broker.hivemq5("e2e-pub");
            pub.connect();
            pub.publishWith()
                    .topic("e2e/t")
                    .qos(MqttQos.fromCode(qos))
                    .payload("q".getBytes(StandardCharsets.UTF_8))
                    .send();
            Optional<Mqtt5Publish> m = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(m).isPresent();
            assertThat(m.get().getQos().getCode()).isEqualTo(qos);
            assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("q");
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("[MQTT-4.3.1-1] [MQTT-4.3.2-1] [MQTT-4.3.3-1] v3.1.1 end to end with Eclipse Paho at QoS 0, 1, 2")
    void endToEndPaho(int qos) {
        PahoClient sub = broker.paho("paho-sub");
        sub.connect(true);
        sub.subscribe("paho/t", qos);
        PahoClient pub = broker.paho("paho-pub");
        pub.connect(true);
        pub.publish("paho/t", "p" + qos, qos, false);
        PahoClient.Message m = sub.receive(Duration.ofSeconds(5));
        assertThat(m.payload()).isEqualTo("p" + qos);
        assertThat(m.qos()).isEqualTo(qos);
        assertThat(m.retained()).isFalse();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5})
    @DisplayName(
            "[MQTT-4.3.2-2] [MQTT-2.2.1-5] [MQTT-2.2.1-4] QoS 1: PUBACK carries the PUBLISH's packet id; the subscriber gets QoS 1, DUP 0, a non-zero id")
    void qos1Flow(int version) {
        RawClient sub = broker.raw(version == 5 ? Out.Connect.v5("q1-sub") : Out.Connect.v311("q1-sub"));
        sub.subscribe("q1/t", 1);
        RawClient pub = broker.raw(version == 5 ? Out.Connect.v5("q1-pub") : Out.Connect.v311("q1-pub"));
        pub.send(Out.publish(version, "q1/t", 1, false, false, 4242, Props.none(), Wire.utf8("one")));
        In.Ack ack = pub.expect(In.Ack.class);
        assertThat(ack.type()).as("PUBACK").isEqualTo(4);
        assertThat(ack.packetId()).isEqualTo(4242);
        assertThat(ack.reasonCode()).as("reason").isIn(0x00, 0x10);
        In.Publish p = sub.expectPublish();
        assertThat(p.qos()).isEqualTo(1);
        assertThat(p.dup()).as("DUP on first delivery [MQTT-3.3.1-3]").isFalse();
        assertThat(p.packetId()).isNotZero();
        assertThat(p.payloadString()).isEqualTo("one");
        sub.ack(p);
        sub.ping();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5})
    @DisplayName(
            "[MQTT-4.3.3-1] [MQTT-2.2.1-5] QoS 2 inbound: PUBLISH → PUBREC, PUBREL → PUBCOMP with the same packet id")
    void qos2InboundFlow(int version) {
        RawClient sub = broker.raw(version == 5 ? Out.Connect.v5("q2-sub") : Out.Connect.v311("q2-sub"));
        sub.subscribe("q2/t", 2);
        RawClient pub = broker.raw(version == 5 ? Out.Connect.v5("q2-pub") : Out.Connect.v311("q2-pub"));
        pub.send(Out.publish(version, "q2/t", 2, false, false, 77, Props.none(), Wire.utf8("two")));
        In.Ack rec = pub.expect(In.Ack.class);
        assertThat(rec.type()).as("PUBREC").isEqualTo(5);
        assertThat(rec.packetId()).isEqualTo(77);
        pub.send(Out.ack(version, 6, 77, 0));
        In.Ack comp = pub.expect(In.Ack.class);
        assertThat(comp.type()).as("PUBCOMP").isEqualTo(7);
        assertThat(comp.packetId()).isEqualTo(77);
        In.Publish p = sub.expectPublish();
        assertThat(p.qos()).isEqualTo(2);
        assertThat(p.payloadString()).isEqualTo("two");
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5})
    @DisplayName(
            "[MQTT-4.3.3-1] [MQTT-2.2.1-5] QoS 2 outbound: broker PUBLISH, client PUBREC → broker PUBREL (same id), client PUBCOMP")
    void qos2OutboundFlow(int version) {
        RawClient sub = broker.raw(version == 5 ? Out.Connect.v5("q2o-sub") : Out.Connect.v311("q2o-sub"));
        sub.subscribe("q2o/t", 2);
        broker.raw5("q2o-pub").publish("q2o/t", 2, "x");
        In.Publish p = sub.expectPublish();
        assertThat(p.qos()).isEqualTo(2);
        assertThat(p.packetId()).isNotZero();
        sub.send(Out.ack(version, 5, p.packetId(), 0));
        In.Ack rel = sub.expect(In.Ack.class);
        assertThat(rel.type()).as("PUBREL").isEqualTo(6);
        assertThat(rel.packetId()).isEqualTo(p.packetId());
        sub.send(Out.ack(version, 7, p.packetId(), 0));
        sub.expectNothing(Duration.ofMillis(500));
    }

    @Test
    @DisplayName(
            "[MQTT-5 §4.3.3] QoS 2: a re-sent PUBLISH (DUP 1) before PUBREL is answered with PUBREC and not delivered twice")
    void qos2ExactlyOnce() {
        RawClient sub = broker.raw5("once-sub");
        sub.subscribe("once/t", 2);
        RawClient pub = broker.raw5("once-pub");
        byte[] first = Out.publish(5, "once/t", 2, false, false, 9, Props.none(), Wire.utf8("once"));
        byte[] again = Out.publish(5, "once/t", 2, false, true, 9, Props.none(), Wire.utf8("once"));
        pub.send(first);
        assertThat(pub.expect(In.Ack.class).type()).isEqualTo(5);
        pub.send(again);
        In.Ack rec2 = pub.expect(In.Ack.class);
        assertThat(rec2.type()).as("PUBREC for the duplicate").isEqualTo(5);
        assertThat(rec2.packetId()).isEqualTo(9);
        pub.send(Out.ack(5, 6, 9, 0));
        assertThat(pub.expect(In.Ack.class).type()).isEqualTo(7);
        pub.publish("once/t", 0, "marker");
        assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("once");
        assertThat(sub.expectPublish().payloadString())
                .as("next message is the marker, not a second copy")
                .isEqualTo("marker");
    }

    @ParameterizedTest(name = "subscribed at QoS {0}, published at QoS {1} → delivered at QoS {2}")
    @CsvSource({"0,2,0", "1,2,1", "2,1,1", "0,1,0", "2,0,0", "1,1,1"})
    @DisplayName("[MQTT-3.8.4-8] (v3.1.1: MQTT-3.8.4-6) delivered QoS = min(published QoS, granted QoS)")
    void qosDowngrade(int subscribed, int published, int expected) {
        RawClient sub = broker.raw5("down-sub");
        assertThat(sub.subscribe("down/t", subscribed)).containsExactly(subscribed);
        broker.raw5("down-pub").publish("down/t", published, "d");
        In.Publish p = sub.expectPublishAndAck();
        assertThat(p.qos()).isEqualTo(expected);
    }

    @Test
    @DisplayName("[MQTT-2.2.1-4] packet ids of unacknowledged QoS 1 PUBLISHes to one client are distinct and non-zero")
    void distinctPacketIds() {
        RawClient sub = broker.raw5("ids-sub");
        sub.subscribe("ids/t", 1);
        RawClient pub = broker.raw5("ids-pub");
        for (int i = 0; i < 10; i++) {
            pub.publish("ids/t", 1, "m" + i);
        }
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            In.Publish p = sub.expectPublish();
            assertThat(p.payloadString()).as("order [MQTT-4.6.0-6]").isEqualTo("m" + i);
            assertThat(p.packetId()).isNotZero();
            ids.add(p.packetId());
        }
        assertThat(ids).hasSize(10);
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] the broker does not re-send an unacknowledged PUBLISH while the connection is open")
    void noResendWhileConnected() {
        RawClient sub = broker.raw5("noresend-sub");
        sub.subscribe("noresend/t", 1);
        broker.raw5("noresend-pub").publish("noresend/t", 1, "once");
        sub.expectPublish();
        sub.expectNothing(Duration.ofMillis(2500));
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5})
    @DisplayName(
            "[MQTT-4.4.0-1] [MQTT-3.3.1-1] unacknowledged QoS 1 PUBLISH is re-sent with DUP 1 and the same packet id on session resumption")
    void resendUnackedPublishOnResume(int version) {
        Out.Connect connect = version == 5
                ? Out.Connect.v5("resend").sessionExpiry(300)
                : Out.Connect.v311("resend").cleanStart(false);
        RawClient sub = broker.raw(connect);
        sub.subscribe("resend/t", 1);
        broker.raw5("resend-pub").publish("resend/t", 1, "unacked");
        In.Publish first = sub.expectPublish();
        assertThat(first.dup()).isFalse();
        sub.abort(); // no PUBACK
        Out.Connect again = version == 5
                ? Out.Connect.v5("resend").cleanStart(false).sessionExpiry(300)
                : Out.Connect.v311("resend").cleanStart(false);
        RawClient resumed = broker.raw(again);
        assertThat(resumed.connAck().sessionPresent()).isTrue();
        In.Publish p = resumed.expectPublish();
        assertThat(p.payloadString()).isEqualTo("unacked");
        assertThat(p.dup()).as("DUP flag on re-delivery").isTrue();
        assertThat(p.packetId()).as("original packet id").isEqualTo(first.packetId());
        resumed.ack(p);
        resumed.expectNothing(Duration.ofMillis(500));
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5})
    @DisplayName("[MQTT-4.4.0-1] PUBREL is re-sent (same packet id) on session resumption when PUBCOMP was missing")
    void resendPubRelOnResume(int version) {
        Out.Connect connect = version == 5
                ? Out.Connect.v5("pubrel").sessionExpiry(300)
                : Out.Connect.v311("pubrel").cleanStart(false);
        RawClient sub = broker.raw(connect);
        sub.subscribe("pubrel/t", 2);
        broker.raw5("pubrel-pub").publish("pubrel/t", 2, "q2");
        In.Publish p = sub.expectPublish();
        sub.send(Out.ack(version, 5, p.packetId(), 0)); // PUBREC
        In.Ack rel = sub.expect(In.Ack.class);
        assertThat(rel.type()).isEqualTo(6);
        sub.abort(); // no PUBCOMP
        Out.Connect again = version == 5
                ? Out.Connect.v5("pubrel").cleanStart(false).sessionExpiry(300)
                : Out.Connect.v311("pubrel").cleanStart(false);
        RawClient resumed = broker.raw(again);
        In.Ack rel2 = resumed.expect(In.Ack.class);
        assertThat(rel2.type()).as("PUBREL re-sent, not the PUBLISH").isEqualTo(6);
        assertThat(rel2.packetId()).isEqualTo(p.packetId());
        resumed.send(Out.ack(version, 7, p.packetId(), 0));
        resumed.expectNothing(Duration.ofMillis(500));
    }

    @Test
    @DisplayName(
            "[MQTT-4.3.3-1] [MQTT-5 §4.3.3] inbound QoS 2 completes across a reconnect: PUBREL after resumption → PUBCOMP, delivered once")
    void inboundQos2AcrossReconnect() {
        RawClient sub = broker.raw5("in2-sub");
        sub.subscribe("in2/t", 2);
        RawClient pub = broker.raw(Out.Connect.v5("in2-pub").sessionExpiry(300));
        pub.send(Out.publish(5, "in2/t", 2, false, false, 11, Props.none(), Wire.utf8("across")));
        assertThat(pub.expect(In.Ack.class).type()).isEqualTo(5);
        pub.abort();
        RawClient again = broker.raw(Out.Connect.v5("in2-pub").cleanStart(false).sessionExpiry(300));
        assertThat(again.connAck().sessionPresent()).isTrue();
        again.send(Out.ack(5, 6, 11, 0));
        In.Ack comp = again.expect(In.Ack.class);
        assertThat(comp.type()).isEqualTo(7);
        assertThat(comp.packetId()).isEqualTo(11);
        again.publish("in2/t", 0, "marker");
        assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("across");
        assertThat(sub.expectPublish().payloadString()).isEqualTo("marker");
    }

    @Test
    @DisplayName(
            "[MQTT-4.6.0-5] [MQTT-4.6.0-6] messages from one publisher on one topic arrive in the order published (QoS 1)")
    void ordering() {
        RawClient sub = broker.raw5("order-sub");
        sub.subscribe("order/t", 2);
        RawClient pub = broker.raw5("order-pub");
        for (int i = 0; i < 20; i++) {
            pub.publish("order/t", 1, "m" + i);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("m" + i);
        }
    }
}
