package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client identifier take-over, Clean Start / Clean Session and Session Present. */
class TakeoverTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    @Test
    @DisplayName(
            "[MQTT-3.1.4-3] v5: a second connection with the same client id → the older one gets DISCONNECT 0x8E and is closed")
    void takeoverV5() {
        RawClient first = broker.raw5("dup-id");
        RawClient second = broker.raw5("dup-id");
        first.expectDisconnect(Rc.SESSION_TAKEN_OVER);
        second.ping(); // the new connection is alive
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.4-2] v3.1.1: a second connection with the same client id → the older one is closed (no DISCONNECT)")
    void takeoverV311() {
        RawClient first = broker.raw311("dup-id-311");
        RawClient second = broker.raw311("dup-id-311");
        first.expectClosed();
        second.ping();
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] take-over across versions: a v3.1.1 connection takes over a v5 one (DISCONNECT 0x8E)")
    void takeoverAcrossVersions() {
        RawClient first = broker.raw5("mixed");
        RawClient second = broker.raw311("mixed");
        first.expectDisconnect(Rc.SESSION_TAKEN_OVER);
        second.ping();
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-3] [MQTT-3.1.2-5] v5 take-over with Clean Start 0 → Session Present 1 and the subscriptions are handed over")
    void takeoverHandsSessionOver() {
        RawClient first = broker.raw(Out.Connect.v5("handover").sessionExpiry(300));
        first.subscribe("handover/t", 1);
        RawClient second =
                broker.raw(Out.Connect.v5("handover").cleanStart(false).sessionExpiry(300));
        assertThat(second.connAck().sessionPresent()).as("Session Present").isTrue();
        first.expectDisconnect(Rc.SESSION_TAKEN_OVER);
        RawClient pub = broker.raw5("handover-pub");
        pub.publish("handover/t", 1, "after take-over");
        assertThat(second.expectPublishAndAck().payloadString()).isEqualTo("after take-over");
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-2] [MQTT-3.1.2-4] v5 take-over with Clean Start 1 → Session Present 0 and the old subscriptions are gone")
    void takeoverWithCleanStartDiscardsSession() {
        RawClient first = broker.raw(Out.Connect.v5("discard").sessionExpiry(300));
        first.subscribe("discard/old", 1);
        RawClient second = broker.raw(Out.Connect.v5("discard").cleanStart(true).sessionExpiry(300));
        assertThat(second.connAck().sessionPresent()).as("Session Present").isFalse();
        first.expectDisconnect(Rc.SESSION_TAKEN_OVER);
        second.subscribe("discard/marker", 0);
        RawClient pub = broker.raw5("discard-pub");
        pub.publish("discard/old", 1, "must not arrive");
        pub.publish("discard/marker", 0, "marker");
        assertThat(second.expectPublish().payloadString())
                .as("only the marker: the old subscription was discarded")
                .isEqualTo("marker");
    }

    @Test
    @DisplayName("[MQTT-3.2.2-3] [MQTT-3.1.2-6] v5: Clean Start 0 without an existing session → Session Present 0")
    void cleanStartZeroWithoutSession() {
        RawClient c = broker.raw(Out.Connect.v5("fresh").cleanStart(false).sessionExpiry(60));
        assertThat(c.connAck().sessionPresent()).isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-3] [MQTT-3.1.2-23] v5: reconnect with Clean Start 0 to a stored session → Session Present 1, subscriptions kept")
    void resumeAfterDisconnect() {
        RawClient first = broker.raw(Out.Connect.v5("resume").sessionExpiry(60));
        first.subscribe("resume/t", 1);
        first.disconnect();
        RawClient again = broker.raw(Out.Connect.v5("resume").cleanStart(false).sessionExpiry(60));
        assertThat(again.connAck().sessionPresent()).as("Session Present").isTrue();
        broker.raw5("resume-pub").publish("resume/t", 1, "kept");
        assertThat(again.expectPublishAndAck().payloadString()).isEqualTo("kept");
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] v5: reconnect with Clean Start 1 to a stored session → Session Present 0")
    void cleanStartDiscardsStoredSession() {
        RawClient first = broker.raw(Out.Connect.v5("clean").sessionExpiry(60));
        first.subscribe("clean/t", 1);
        first.disconnect();
        RawClient again = broker.raw(Out.Connect.v5("clean").cleanStart(true).sessionExpiry(60));
        assertThat(again.connAck().sessionPresent()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] v5: Session Expiry Interval 0 (absent) → the session ends with the connection")
    void sessionExpiryZero() {
        RawClient first = broker.raw(Out.Connect.v5("noexpiry"));
        first.subscribe("noexpiry/t", 1);
        first.disconnect();
        RawClient again = broker.raw(Out.Connect.v5("noexpiry").cleanStart(false));
        assertThat(again.connAck().sessionPresent()).isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-23] [MQTT-5 §4.1.2] v5: a session is discarded once its Session Expiry Interval has passed")
    void sessionExpires() throws InterruptedException {
        RawClient first = broker.raw(Out.Connect.v5("expires").sessionExpiry(1));
        first.subscribe("expires/t", 1);
        first.disconnect();
        Thread.sleep(2200);
        RawClient again = broker.raw(Out.Connect.v5("expires").cleanStart(false).sessionExpiry(1));
        assertThat(again.connAck().sessionPresent())
                .as("Session Present after expiry")
                .isFalse();
        again.subscribe("expires/marker", 0);
        RawClient pub = broker.raw5("expires-pub");
        pub.publish("expires/t", 1, "must not arrive");
        pub.publish("expires/marker", 0, "marker");
        assertThat(again.expectPublish().payloadString()).isEqualTo("marker");
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-1] [MQTT-3.2.2-2] [MQTT-3.2.2-3] v3.1.1 (HiveMQ client): Session Present exact for Clean Session 1 / 0")
    void sessionPresentV311() throws InterruptedException {
        Mqtt3BlockingClient c = broker.hivemq3("sp311");
        assertThat(c.connectWith().cleanSession(false).send().isSessionPresent())
                .as("first connect, no session")
                .isFalse();
        c.subscribeWith().topicFilter("sp311/t").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        assertThat(c.connectWith().cleanSession(false).send().isSessionPresent())
                .as("Clean Session 0 with stored session")
                .isTrue();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt3BlockingClient pub = broker.hivemq3("sp311-pub");
            pub.connect();
            pub.publishWith()
                    .topic("sp311/t")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("kept".getBytes())
                    .send();
            Optional<Mqtt3Publish> m = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(m).as("subscription kept in the session").isPresent();
        }
        c.disconnect();
        assertThat(c.connectWith().cleanSession(true).send().isSessionPresent())
                .as("Clean Session 1")
                .isFalse();
        c.disconnect();
        assertThat(c.connectWith().cleanSession(false).send().isSessionPresent())
                .as("Clean Session 1 discarded the session")
                .isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] v3.1.1 take-over with Clean Session 0 keeps the session (Session Present 1)")
    void takeoverV311KeepsSession() {
        RawClient first = broker.raw(Out.Connect.v311("keep311").cleanStart(false));
        first.subscribe("keep311/t", 1);
        RawClient second = broker.raw(Out.Connect.v311("keep311").cleanStart(false));
        assertThat(second.connAck().sessionPresent()).isTrue();
        first.expectClosed(Duration.ofSeconds(5));
        broker.raw311("keep311-pub").publish("keep311/t", 1, "x");
        assertThat(second.expectPublishAndAck().payloadString()).isEqualTo("x");
    }
}
