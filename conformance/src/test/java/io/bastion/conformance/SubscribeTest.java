package io.bastion.conformance;

import static io.bastion.conformance.raw.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAck;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Out.Sub;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SUBSCRIBE / UNSUBSCRIBE, topic filters and wildcards (3.8-3.11, 4.7), subscription options and identifiers. */
class SubscribeTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    /** Payloads received until (excluding) the marker, which {@code pub} publishes on {@code markerTopic}. */
    private static List<String> receivedBeforeMarker(RawClient sub, RawClient pub, String markerTopic) {
        pub.publish(markerTopic, 0, "MARKER");
        List<String> got = new ArrayList<>();
        while (true) {
            In.Publish p = sub.expectPublishAndAck();
            if (p.payloadString().equals("MARKER")) {
                return got;
            }
            got.add(p.topic());
        }
    }

    @Test
    @DisplayName("[MQTT-4.7.1-2] [MQTT-3.3.2-3] '+' matches exactly one topic level (including an empty one)")
    void singleLevelWildcard() {
        RawClient sub = broker.raw5("plus");
        sub.subscribe("sport/+/player", 0);
        sub.subscribe("marker", 0);
        RawClient pub = broker.raw5("plus-pub");
        for (String t :
                List.of("sport/tennis/player", "sport/tennis/x/player", "sport//player", "sport/player", "sport/a/b")) {
            pub.publish(t, 0, t);
        }
        assertThat(receivedBeforeMarker(sub, pub, "marker")).containsExactly("sport/tennis/player", "sport//player");
    }

    @Test
    @DisplayName("[MQTT-4.7.1-1] '#' matches the parent level and every level below it")
    void multiLevelWildcard() {
        RawClient sub = broker.raw5("hash");
        sub.subscribe("finance/#", 0);
        sub.subscribe("marker", 0);
        RawClient pub = broker.raw5("hash-pub");
        for (String t : List.of("finance", "finance/stock", "finance/stock/ibm", "financex", "other/finance")) {
            pub.publish(t, 0, t);
        }
        assertThat(receivedBeforeMarker(sub, pub, "marker"))
                .containsExactly("finance", "finance/stock", "finance/stock/ibm");
    }

    @Test
    @DisplayName("[MQTT-4.7.1-1] [MQTT-4.7.1-2] v3.1.1 wildcards through Eclipse Paho")
    void wildcardsPaho() {
        PahoClient sub = broker.paho("paho-wild");
        sub.connect(true);
        sub.subscribe("p/+/c/#", 1);
        PahoClient pub = broker.paho("paho-wild-pub");
        pub.connect(true);
        pub.publish("p/b/c", "1", 1, false);
        pub.publish("p/b/x", "no", 1, false);
        pub.publish("p/b/c/d/e", "2", 1, false);
        assertThat(sub.receive(Duration.ofSeconds(5)).payload()).isEqualTo("1");
        assertThat(sub.receive(Duration.ofSeconds(5)).payload()).isEqualTo("2");
        assertThat(sub.poll(Duration.ofMillis(300))).isNull();
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] topic filters starting with a wildcard do not match topic names starting with '$'")
    void dollarTopicsNotMatchedByLeadingWildcards() {
        RawClient sub = broker.raw5("dollar");
        sub.subscribe(Sub.of("#", 0), Sub.of("+/info", 0), Sub.of("+/+", 0));
        RawClient explicit = broker.raw5("dollar-explicit");
        explicit.subscribe("$x/#", 0);
        RawClient pub = broker.raw5("dollar-pub");
        pub.publish("$x/info", 0, "dollar");
        assertThat(explicit.expectPublish().topic())
                .as("the message was routed ($x/# matches)")
                .isEqualTo("$x/info");
        pub.publish("m/info", 0, "MARKER");
        In.Publish p = sub.expectPublish();
        assertThat(p.payloadString())
                .as("no $-topic message via #, +/info or +/+")
                .isEqualTo("MARKER");
    }

    private void expectFilterRejected(int version, String filter) {
        String clientId = "bad-filter-" + Integer.toHexString(filter.hashCode());
        RawClient c = broker.raw(version == 5 ? Out.Connect.v5(clientId) : Out.Connect.v311(clientId));
        int id = c.nextPacketId();
        c.send(Out.subscribe(version, id, Props.none(), Sub.of(filter, 0)));
        In p = c.poll(Duration.ofSeconds(5));
        if (p instanceof In.SubAck ack) {
            assertThat(ack.reasonCodes())
                    .as("SUBACK for invalid filter '%s'", filter)
                    .singleElement()
                    .isEqualTo(version == 5 ? Rc.TOPIC_FILTER_INVALID : Rc.V3_SUBACK_FAILURE);
        } else if (p instanceof In.Disconnect d) {
            assertThat(d.reasonCode())
                    .as("DISCONNECT for invalid filter '%s'", filter)
                    .isIn(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR, Rc.TOPIC_FILTER_INVALID);
            c.expectClosed(Duration.ofSeconds(2));
        } else {
            assertThat(p)
                    .as("SUBACK failure or DISCONNECT/close for '%s'", filter)
                    .isNull();
            assertThat(c.isClosed()).as("closed for '%s'", filter).isTrue();
            assertThat(version)
                    .as("only a v3.1.1 connection may be closed without a reason code")
                    .isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {4, 5})
    @DisplayName(
            "[MQTT-4.7.1-1] [MQTT-4.7.1-2] [MQTT-4.7.3-1] invalid filters (a/#/b, a/b#, a+/b, empty) → SUBACK 0x8F (v5) / 0x80 (v3.1.1) or disconnect")
    void invalidFilters(int version) {
        for (String f : List.of("a/#/b", "a/b#", "a+/b", "")) {
            expectFilterRejected(version, f);
        }
    }

    @Test
    @DisplayName(
            "[MQTT-4.8.2-1] [MQTT-4.8.2-2] invalid shared subscription filters ($share/g, $share//t, $share/g+/t) are refused")
    void invalidSharedFilters() {
        for (String f : List.of("$share/g", "$share//t", "$share/g+/t", "$share/g#/t")) {
            expectFilterRejected(5, f);
        }
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.4-2] [MQTT-3.3.4-3] [MQTT-3.3.4-4] v5 overlapping subscriptions: one copy at the highest QoS carrying every Subscription Identifier")
    void overlappingSubscriptionsV5() {
        RawClient sub = broker.raw5("overlap");
        sub.subscribe(Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 1), Sub.of("ov/#", 0));
        sub.subscribe(Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 2), Sub.of("ov/+", 2));
        RawClient pub = broker.raw5("overlap-pub");
        pub.publish("ov/x", 2, "both");
        In.Publish p = sub.expectPublishAndAck();
        assertThat(p.payloadString()).isEqualTo("both");
        assertThat(p.qos()).as("highest granted QoS").isEqualTo(2);
        assertThat(p.props().integers(Props.SUBSCRIPTION_IDENTIFIER))
                .as("every matching Subscription Identifier")
                .containsExactlyInAnyOrder(1, 2);
        pub.publish("ov/y", 0, "MARKER");
        assertThat(sub.expectPublish().payloadString()).as("one copy only").isEqualTo("MARKER");
    }

    @Test
    @DisplayName("[MQTT-3.3.5-1] v3.1.1 overlapping subscriptions: delivered once at the highest granted QoS")
    void overlappingSubscriptionsV311() {
        RawClient sub = broker.raw311("overlap311");
        sub.subscribe("ov3/#", 1);
        sub.subscribe("ov3/+", 0);
        RawClient pub = broker.raw311("overlap311-pub");
        pub.publish("ov3/x", 1, "both");
        In.Publish p = sub.expectPublishAndAck();
        assertThat(p.qos()).isEqualTo(1);
        pub.publish("ov3/y", 0, "MARKER");
        assertThat(sub.expectPublish().payloadString()).isEqualTo("MARKER");
    }

    @Test
    @DisplayName("[MQTT-3.8.3-3] v5 No Local: a client's own messages are not sent back to it, others still get them")
    void noLocal() {
        RawClient self = broker.raw5("nolocal");
        self.subscribe(Sub.of("nl/t", 1).withNoLocal());
        RawClient other = broker.raw5("nolocal-other");
        other.subscribe("nl/t", 1);
        self.publish("nl/t", 1, "own");
        assertThat(other.expectPublishAndAck().payloadString()).isEqualTo("own");
        other.publish("nl/t", 1, "from other");
        assertThat(self.expectPublishAndAck().payloadString())
                .as("first message to the No Local subscriber")
                .isEqualTo("from other");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.4-3] [MQTT-3.8.4-3] v5 Subscription Identifier sent with matching messages, replaced on re-subscribe, absent without one")
    void subscriptionIdentifiers() {
        RawClient sub = broker.raw5("subid");
        sub.subscribe(Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 42), Sub.of("sid/a", 0));
        sub.subscribe(Sub.of("sid/b", 0));
        RawClient pub = broker.raw5("subid-pub");
        pub.publish("sid/a", 0, "a");
        assertThat(sub.expectPublish().props().integers(Props.SUBSCRIPTION_IDENTIFIER))
                .containsExactly(42);
        pub.publish("sid/b", 0, "b");
        assertThat(sub.expectPublish().props().has(Props.SUBSCRIPTION_IDENTIFIER))
                .as("no identifier for a subscription made without one")
                .isFalse();
        sub.subscribe(Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 268435455), Sub.of("sid/a", 0));
        pub.publish("sid/a", 0, "a2");
        assertThat(sub.expectPublish().props().integers(Props.SUBSCRIPTION_IDENTIFIER))
                .as("identifier of the replacing subscription (maximum value)")
                .containsExactly(268435455);
    }

    @Test
    @DisplayName("[MQTT-5 §3.8.2.1.2] v5: Subscription Identifier 0 is a Protocol Error → DISCONNECT")
    void subscriptionIdentifierZero() {
        RawClient c = broker.raw5("subid0");
        c.send(Out.subscribe(5, 1, Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 0), Sub.of("x", 0)));
        c.expectDisconnect(Rc.PROTOCOL_ERROR, Rc.MALFORMED_PACKET);
    }

    @Test
    @DisplayName(
            "[MQTT-3.8.4-3] a SUBSCRIBE with an existing filter replaces the subscription (new QoS, no duplicate delivery)")
    void resubscribeReplaces() {
        RawClient sub = broker.raw5("resub");
        sub.subscribe("rs/t", 2);
        assertThat(sub.subscribe("rs/t", 0)).containsExactly(0);
        RawClient pub = broker.raw5("resub-pub");
        pub.publish("rs/t", 2, "once");
        In.Publish p = sub.expectPublish();
        assertThat(p.qos()).isZero();
        pub.publish("rs/t", 0, "MARKER");
        assertThat(sub.expectPublish().payloadString()).isEqualTo("MARKER");
    }

    @Test
    @DisplayName(
            "[MQTT-3.8.4-5] [MQTT-3.8.4-6] [MQTT-3.8.4-7] (v3.1.1: MQTT-3.8.4-4/5, MQTT-3.9.3-1) one SUBACK with a code per filter, in order")
    void subAckOrderAndCount() {
        RawClient v5 = broker.raw5("order5");
        assertThat(v5.subscribe(Sub.of("o/1", 1), Sub.of("o/2", 0), Sub.of("o/3", 2)))
                .containsExactly(1, 0, 2);
        RawClient v3 = broker.raw311("order311");
        assertThat(v3.subscribe(Sub.of("o/3", 2), Sub.of("o/1", 1), Sub.of("o/2", 0)))
                .containsExactly(2, 1, 0);
    }

    @Test
    @DisplayName(
            "[MQTT-5 §3.2.2.3.11] [MQTT-5 §3.2.2.3.13] wildcard / shared subscriptions disabled → SUBACK 0xA2 / 0x9E per filter")
    void disabledSubscriptionFeatures() {
        broker.feature("wildcard_subscriptions", false).feature("shared_subscriptions", false);
        RawClient c = broker.raw5("nofeatures");
        assertThat(c.subscribe(Sub.of("x/y", 1), Sub.of("x/+", 1), Sub.of("x/#", 0), Sub.of("$share/g/x", 1)))
                .containsExactly(
                        1,
                        Rc.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                        Rc.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                        Rc.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
    }

    @Test
    @DisplayName("[MQTT-5 §3.2.2.3.12] subscription identifiers disabled → a SUBSCRIBE with one gets DISCONNECT 0xA1")
    void subscriptionIdentifiersDisabled() {
        broker.feature("subscription_identifiers", false);
        RawClient c = broker.raw5("nosubids");
        c.send(Out.subscribe(5, 1, Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 5), Sub.of("x", 0)));
        c.expectDisconnect(Rc.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED);
    }

    @Test
    @DisplayName(
            "[MQTT-3.10.4-4] [MQTT-3.10.4-5] [MQTT-3.10.4-6] [MQTT-3.10.4-2] v5 UNSUBACK codes 0x00/0x11 in order, delivery stops")
    void unsubscribe() {
        RawClient sub = broker.raw5("unsub");
        sub.subscribe(Sub.of("us/a", 1), Sub.of("us/b", 1));
        In.UnsubAck ack = sub.unsubscribe("us/a", "us/never");
        assertThat(ack.reasonCodes()).containsExactly(Rc.SUCCESS, Rc.NO_SUBSCRIPTION_EXISTED);
        RawClient pub = broker.raw5("unsub-pub");
        pub.publish("us/a", 1, "after unsubscribe");
        pub.publish("us/b", 1, "MARKER");
        assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("MARKER");
    }

    @Test
    @DisplayName(
            "[MQTT-3.10.4-4] [MQTT-3.10.4-5] v3.1.1: UNSUBACK with the packet id, also when no subscription existed")
    void unsubscribeV311() {
        RawClient sub = broker.raw311("unsub311");
        sub.subscribe("us3/a", 0);
        sub.unsubscribe("us3/a");
        sub.unsubscribe("us3/none");
        sub.publish("us3/a", 0, "x");
        sub.expectNothing(Duration.ofMillis(500));
    }

    @Test
    @DisplayName("[MQTT-3.8.4-1] [MQTT-3.10.4-4] HiveMQ v5 client: SUBACK granted QoS and UNSUBACK reason codes")
    void hiveMqSubscribeUnsubscribe() {
        Mqtt5BlockingClient c = broker.hivemq5("hive-sub");
        c.connect();
        Mqtt5SubAck ack = c.subscribeWith()
                .addSubscription()
                .topicFilter("h/+/t")
                .qos(MqttQos.EXACTLY_ONCE)
                .applySubscription()
                .addSubscription()
                .topicFilter("h/#")
                .qos(MqttQos.AT_MOST_ONCE)
                .applySubscription()
                .send();
        assertThat(ack.getReasonCodes())
                .containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_2, Mqtt5SubAckReasonCode.GRANTED_QOS_0);
        Mqtt5UnsubAck unsub = c.unsubscribeWith().topicFilter("h/#").send();
        assertThat(unsub.getReasonCodes()).containsExactly(Mqtt5UnsubAckReasonCode.SUCCESS);
    }

    @Test
    @DisplayName(
            "[MQTT-3.8.3-2] (v3.1.1: MQTT-3.8.3-3) a SUBSCRIBE without any topic filter → DISCONNECT 0x81/0x82 (v5) / closed (v3.1.1)")
    void subscribeWithoutFilters() {
        RawClient v5 = broker.raw5("empty-sub5");
        v5.send(hex("82 03 00 01 00")); // packet id 1, empty properties, no filters
        v5.expectDisconnect(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        RawClient v3 = broker.raw311("empty-sub3");
        v3.send(hex("82 02 00 01"));
        v3.expectClosed();
    }

    @Test
    @DisplayName(
            "[MQTT-3.8.3-5] [MQTT-5 §3.8.3.1] v5: reserved subscription option bits or Retain Handling 3 → DISCONNECT 0x81/0x82")
    void reservedSubscriptionOptions() {
        RawClient reserved = broker.raw5("opts-reserved");
        reserved.send(hex("82 07 00 01 00 00 01 61 c0")); // options 0xc0: reserved bits 6-7 set
        reserved.expectDisconnect(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        RawClient rh3 = broker.raw5("opts-rh3");
        rh3.send(hex("82 07 00 01 00 00 01 61 30")); // Retain Handling 3
        rh3.expectDisconnect(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        RawClient qos3 = broker.raw5("opts-qos3");
        qos3.send(hex("82 07 00 01 00 00 01 61 03")); // Maximum QoS 3
        qos3.expectDisconnect(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] (v3.1.1) requested QoS with reserved bits or QoS 3 → closed")
    void reservedRequestedQosV311() {
        RawClient reserved = broker.raw311("qos-reserved");
        reserved.send(hex("82 06 00 01 00 01 61 04"));
        reserved.expectClosed();
        RawClient qos3 = broker.raw311("qos3");
        qos3.send(hex("82 06 00 01 00 01 61 03"));
        qos3.expectClosed();
    }

    @Test
    @DisplayName(
            "[MQTT-3.8.1-1] (v3.1.1: MQTT-3.8.1-1) SUBSCRIBE / UNSUBSCRIBE with fixed header flags other than 0010 → closed")
    void subscribeFixedHeaderFlags() {
        RawClient v5 = broker.raw5("sub-flags5");
        v5.send(hex("80 07 00 01 00 00 01 61 00"));
        v5.expectDisconnect(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        RawClient v3 = broker.raw311("sub-flags3");
        v3.send(hex("80 06 00 01 00 01 61 00"));
        v3.expectClosed();
        RawClient unsub = broker.raw311("unsub-flags3");
        unsub.send(hex("a0 05 00 01 00 01 61"));
        unsub.expectClosed();
    }
}
