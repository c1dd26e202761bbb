package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Out.Sub;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** v5 PUBLISH properties forwarded to subscribers (3.3.2.3) and problem information on acknowledgements. */
class PropertiesTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    @Test
    @DisplayName(
            "[MQTT-3.3.2-6] Message Expiry Interval is forwarded, reduced by the time the message waited in the broker")
    void messageExpiryRemainingTime() throws InterruptedException {
        RawClient live = broker.raw5("exp-live");
        live.subscribe("exp/t", 1);
        RawClient offline = broker.raw(Out.Connect.v5("exp-offline").sessionExpiry(60));
        offline.subscribe("exp/t", 1);
        offline.disconnect();
        RawClient pub = broker.raw5("exp-pub");
        pub.publish("exp/t", 1, false, Props.create().add(Props.MESSAGE_EXPIRY_INTERVAL, 10L), Wire.utf8("x"));
        In.Publish now = live.expectPublishAndAck();
        assertThat(now.props().fourByte(Props.MESSAGE_EXPIRY_INTERVAL))
                .as("forwarded at once")
                .isBetween(9L, 10L);
        Thread.sleep(2100);
        RawClient back =
                broker.raw(Out.Connect.v5("exp-offline").cleanStart(false).sessionExpiry(60));
        In.Publish later = back.expectPublishAndAck();
        assertThat(later.props().fourByte(Props.MESSAGE_EXPIRY_INTERVAL))
                .as("after waiting 2 s in the queue")
                .isBetween(1L, 8L);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] a queued message whose Message Expiry Interval has passed is not delivered")
    void expiredMessageNotDelivered() throws InterruptedException {
        RawClient offline = broker.raw(Out.Connect.v5("expired").sessionExpiry(60));
        offline.subscribe("expired/t", 1);
        offline.disconnect();
        RawClient pub = broker.raw5("expired-pub");
        pub.publish("expired/t", 1, false, Props.create().add(Props.MESSAGE_EXPIRY_INTERVAL, 1L), Wire.utf8("old"));
        pub.publish("expired/t", 1, false, Props.none(), Wire.utf8("no expiry"));
        Thread.sleep(2100);
        RawClient back = broker.raw(Out.Connect.v5("expired").cleanStart(false).sessionExpiry(60));
        assertThat(back.expectPublishAndAck().payloadString()).isEqualTo("no expiry");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] [MQTT-5 §3.3.2.3.3] an expired retained message is not sent to new subscribers")
    void expiredRetainedNotSent() throws InterruptedException {
        RawClient pub = broker.raw5("exp-ret-pub");
        pub.publish("expret/t", 0, true, Props.create().add(Props.MESSAGE_EXPIRY_INTERVAL, 1L), Wire.utf8("old"));
        Thread.sleep(2100);
        RawClient sub = broker.raw5("exp-ret-sub");
        sub.subscribe("expret/t", 0);
        pub.publish("expret/t", 0, "MARKER");
        assertThat(sub.expectPublish().payloadString()).isEqualTo("MARKER");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-4] [MQTT-3.3.2-15] [MQTT-3.3.2-16] [MQTT-3.3.2-17] [MQTT-3.3.2-18] [MQTT-3.3.2-20] PUBLISH properties forwarded unaltered, user properties in order")
    void propertiesForwardedUnaltered() {
        RawClient sub = broker.raw5("props-sub");
        sub.subscribe("props/t", 1);
        RawClient pub = broker.raw5("props-pub");
        Props p = Props.create()
                .add(Props.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(Props.CONTENT_TYPE, "application/json; charset=utf-8")
                .add(Props.RESPONSE_TOPIC, "props/reply/42")
                .add(Props.CORRELATION_DATA, new byte[] {0, (byte) 0xFF, 7})
                .userProperty("z", "last-name-first")
                .userProperty("a", "1")
                .userProperty("a", "2")
                .userProperty("ünïcödé", "✓");
        pub.publish("props/t", 1, false, p, Wire.utf8("{\"v\":1}"));
        In.Publish got = sub.expectPublishAndAck();
        Props r = got.props();
        assertThat(r.integer(Props.PAYLOAD_FORMAT_INDICATOR)).isEqualTo(1);
        assertThat(r.string(Props.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(r.string(Props.RESPONSE_TOPIC)).isEqualTo("props/reply/42");
        assertThat(r.binary(Props.CORRELATION_DATA)).containsExactly(0, 0xFF, 7);
        assertThat(r.userProperties()).containsExactly("z=last-name-first", "a=1", "a=2", "ünïcödé=✓");
        assertThat(got.payloadString()).isEqualTo("{\"v\":1}");
    }

    @Test
    @DisplayName("[MQTT-3.3.2-4] Payload Format Indicator 0 is forwarded unaltered too, and absent stays absent")
    void payloadFormatZeroForwarded() {
        RawClient sub = broker.raw5("pfi0-sub");
        sub.subscribe("pfi0/t", 0);
        RawClient pub = broker.raw5("pfi0-pub");
        pub.publish(
                "pfi0/t", 0, false, Props.create().add(Props.PAYLOAD_FORMAT_INDICATOR, 0), new byte[] {(byte) 0xFF});
        pub.publish("pfi0/t", 0, "plain");
        assertThat(sub.expectPublish().props().integer(Props.PAYLOAD_FORMAT_INDICATOR))
                .isEqualTo(0);
        assertThat(sub.expectPublish().props().entries()).isEmpty();
    }

    @Test
    @DisplayName(
            "[MQTT-5 §3.3.2.3.2] Payload Format Indicator 1 with invalid UTF-8 → PUBACK 0x99 or DISCONNECT 0x99, not delivered")
    void invalidUtf8Payload() {
        RawClient sub = broker.raw5("pfi-sub");
        sub.subscribe("pfi/t", 1);
        RawClient pub = broker.raw5("pfi-pub");
        int id = pub.nextPacketId();
        pub.send(Out.publish(
                5, "pfi/t", 1, false, false, id, Props.create().add(Props.PAYLOAD_FORMAT_INDICATOR, 1), new byte[] {
                    'o', 'k', (byte) 0xC3, (byte) 0x28
                }));
        In answer = pub.next(RawClient.DEFAULT_WAIT);
        if (answer instanceof In.Ack ack) {
            assertThat(ack.type()).isEqualTo(4);
            assertThat(ack.reasonCode()).isEqualTo(Rc.PAYLOAD_FORMAT_INVALID);
        } else {
            assertThat(answer).isInstanceOf(In.Disconnect.class);
            assertThat(((In.Disconnect) answer).reasonCode()).isEqualTo(Rc.PAYLOAD_FORMAT_INVALID);
        }
        broker.raw5("pfi-marker").publish("pfi/t", 1, "MARKER");
        assertThat(sub.expectPublishAndAck().payloadString())
                .as("invalid payload not delivered")
                .isEqualTo("MARKER");
    }

    @Test
    @DisplayName("[MQTT-3.3.4-6] a PUBLISH from a client carrying a Subscription Identifier → DISCONNECT 0x82")
    void subscriptionIdentifierFromClient() {
        RawClient c = broker.raw5("pub-subid");
        c.send(Out.publish(
                5, "t", 0, false, false, 0, Props.create().add(Props.SUBSCRIPTION_IDENTIFIER, 3), Wire.utf8("x")));
        c.expectDisconnect(Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-14] a Response Topic with wildcards → DISCONNECT (Protocol Error / Malformed / Topic Name invalid)")
    void wildcardResponseTopic() {
        RawClient c = broker.raw5("bad-response");
        c.send(Out.publish(
                5, "t", 0, false, false, 0, Props.create().add(Props.RESPONSE_TOPIC, "reply/#"), Wire.utf8("x")));
        c.expectDisconnect(Rc.PROTOCOL_ERROR, Rc.MALFORMED_PACKET, Rc.TOPIC_NAME_INVALID);
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-29] Request Problem Information 0: no Reason String or User Properties on SUBACK, PUBACK, UNSUBACK")
    void requestProblemInformationZero() {
        broker.feature("wildcard_subscriptions", false);
        RawClient c = broker.raw(Out.Connect.v5("rpi0").requestProblemInformation(0));
        int subId = c.nextPacketId();
        c.send(Out.subscribe(5, subId, Props.none(), Sub.of("a/+", 1), Sub.of("$share/g/#", 0)));
        In.SubAck subAck = c.expect(In.SubAck.class);
        assertThat(subAck.reasonCodes()).allSatisfy(code -> assertThat(code).isGreaterThanOrEqualTo(0x80));
        assertThat(subAck.props().has(Props.REASON_STRING))
                .as("Reason String on SUBACK")
                .isFalse();
        assertThat(subAck.props().has(Props.USER_PROPERTY))
                .as("User Property on SUBACK")
                .isFalse();
        int pubId = c.nextPacketId();
        c.send(Out.publish(
                5, "rpi/t", 1, false, false, pubId, Props.create().add(Props.PAYLOAD_FORMAT_INDICATOR, 1), new byte[] {
                    (byte) 0xFF
                }));
        In answer = c.next(RawClient.DEFAULT_WAIT);
        if (answer instanceof In.Ack ack) {
            assertThat(ack.props().has(Props.REASON_STRING))
                    .as("Reason String on PUBACK")
                    .isFalse();
            assertThat(ack.props().has(Props.USER_PROPERTY))
                    .as("User Property on PUBACK")
                    .isFalse();
            In.UnsubAck unsub = c.unsubscribe("never/subscribed");
            assertThat(unsub.props().has(Props.REASON_STRING))
                    .as("Reason String on UNSUBACK")
                    .isFalse();
        } else {
            assertThat(answer).as("PUBACK 0x99 or DISCONNECT").isInstanceOf(In.Disconnect.class);
        }
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.2-15] [MQTT-3.3.2-16] request/response through HiveMQ v5 clients: Response Topic and Correlation Data round trip")
    void requestResponseHiveMq() throws InterruptedException {
        Mqtt5BlockingClient responder = broker.hivemq5("responder");
        responder.connect();
        Mqtt5BlockingClient requester = broker.hivemq5("requester");
        requester.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes requests = responder.publishes(MqttGlobalPublishFilter.ALL);
                Mqtt5BlockingClient.Mqtt5Publishes replies = requester.publishes(MqttGlobalPublishFilter.ALL)) {
            responder
                    .subscribeWith()
                    .topicFilter("rr/request")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            requester
                    .subscribeWith()
                    .topicFilter("rr/reply/me")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            requester
                    .publishWith()
                    .topic("rr/request")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .responseTopic("rr/reply/me")
                    .correlationData("corr-1".getBytes(StandardCharsets.UTF_8))
                    .contentType("text/plain")
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .userProperties()
                    .add("k", "v1")
                    .add("k", "v2")
                    .applyUserProperties()
                    .payload("question".getBytes(StandardCharsets.UTF_8))
                    .send();
            Optional<Mqtt5Publish> request = requests.receive(5, TimeUnit.SECONDS);
            assertThat(request).isPresent();
            Mqtt5Publish req = request.get();
            assertThat(req.getResponseTopic().map(Object::toString)).contains("rr/reply/me");
            assertThat(req.getContentType().map(Object::toString)).contains("text/plain");
            assertThat(req.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
            assertThat(req.getUserProperties().asList())
                    .extracting(Mqtt5UserProperty::getValue)
                    .map(Object::toString)
                    .containsExactly("v1", "v2");
            ByteBuffer corr = req.getCorrelationData().orElseThrow();
            responder
                    .publishWith()
                    .topic(req.getResponseTopic().orElseThrow())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .correlationData(corr)
                    .payload("answer".getBytes(StandardCharsets.UTF_8))
                    .send();
            Optional<Mqtt5Publish> reply = replies.receive(5, TimeUnit.SECONDS);
            assertThat(reply).isPresent();
            assertThat(StandardCharsets.UTF_8
                            .decode(reply.get().getCorrelationData().orElseThrow())
                            .toString())
                    .isEqualTo("corr-1");
            assertThat(List.of(new String(reply.get().getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .containsExactly("answer");
        }
    }
}
