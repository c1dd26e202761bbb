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
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Will Messages (3.1.2.5, 3.1.3.2) and the v5 Will Delay Interval. */
class WillTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private RawClient watcher(String filter) {
        RawClient w = broker.raw5("watcher-" + System.nanoTime());
        w.subscribe(filter, 2);
        return w;
    }

    /** The will must not have arrived: a marker published now on the watched topic comes first. */
    private void expectNoWill(RawClient watcher, String topic) {
        broker.raw5("marker-" + System.nanoTime()).publish(topic, 0, "marker");
        assertThat(watcher.expectPublish().payloadString())
                .as("first message on the will topic: the marker, no will")
                .isEqualTo("marker");
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-8] [MQTT-3.1.2-7] v5 (HiveMQ watcher): a will is published when the socket closes without DISCONNECT")
    void willOnSocketClose() throws InterruptedException {
        Mqtt5BlockingClient watcher = broker.hivemq5("will-watcher");
        watcher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes pubs = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
            watcher.subscribeWith()
                    .topicFilter("will/close")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            RawClient c = broker.raw(Out.Connect.v5("dying").will("will/close", "dead", 1, false));
            c.abort();
            Optional<Mqtt5Publish> will = pubs.receive(5, TimeUnit.SECONDS);
            assertThat(will).as("will message").isPresent();
            assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("dead");
            assertThat(will.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(will.get().isRetain())
                    .as("Will Retain 0 → not retained [MQTT-3.1.2-14]")
                    .isFalse();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] v3.1.1: a will is published when the socket closes without DISCONNECT (Paho watcher)")
    void willOnSocketCloseV311() {
        PahoClient watcher = broker.paho("will311-watcher");
        watcher.connect(true);
        watcher.subscribe("will/311", 1);
        RawClient c = broker.raw(Out.Connect.v311("dying311").will("will/311", "dead311", 1, false));
        c.close();
        PahoClient.Message m = watcher.receive(Duration.ofSeconds(5));
        assertThat(m.payload()).isEqualTo("dead311");
        assertThat(m.topic()).isEqualTo("will/311");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] [MQTT-3.14.4-3] v5: no will after DISCONNECT 0x00 (Normal disconnection)")
    void noWillAfterNormalDisconnect() throws InterruptedException {
        RawClient watcher = watcher("will/normal");
        RawClient c = broker.raw(Out.Connect.v5("polite").will("will/normal", "should not", 0, false));
        c.send(Out.disconnect(5, Rc.SUCCESS, Props.none()));
        c.expectClosed(Duration.ofSeconds(3)); // [MQTT-3.14.4-1]: the server closes after DISCONNECT
        Thread.sleep(300);
        expectNoWill(watcher, "will/normal");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-10] [MQTT-3.14.4-3] v3.1.1: no will after DISCONNECT")
    void noWillAfterDisconnectV311() throws InterruptedException {
        RawClient watcher = watcher("will/normal311");
        RawClient c = broker.raw(Out.Connect.v311("polite311").will("will/normal311", "should not", 0, false));
        c.send(Out.disconnect(4, 0, Props.none()));
        c.expectClosed(Duration.ofSeconds(3));
        Thread.sleep(300);
        expectNoWill(watcher, "will/normal311");
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-8] [MQTT-4.13.1-1] v5: a protocol error (malformed packet) closes the connection and publishes the will")
    void willOnProtocolError() {
        RawClient watcher = watcher("will/error");
        RawClient c = broker.raw(Out.Connect.v5("broken").will("will/error", "malformed", 0, false));
        c.send(Wire.hex("32 06 00 01 61 00 00 00")); // QoS 1 PUBLISH "a", packet id 0 [MQTT-2.2.1-3], no properties
        c.expectDisconnect(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        assertThat(watcher.expectPublish().payloadString()).isEqualTo("malformed");
    }

    @Test
    @DisplayName("[MQTT-5 §3.14.2.1] v5: DISCONNECT with reason 0x04 (Disconnect with Will Message) publishes the will")
    void disconnectWithWillMessage() {
        RawClient watcher = watcher("will/04");
        RawClient c = broker.raw(Out.Connect.v5("leaver").will("will/04", "on purpose", 0, false));
        c.send(Out.disconnect(5, Rc.DISCONNECT_WITH_WILL_MESSAGE, Props.none()));
        c.expectClosed(Duration.ofSeconds(3));
        assertThat(watcher.expectPublish().payloadString()).isEqualTo("on purpose");
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-8] [MQTT-5 §3.1.3.2.2] v5 Will Delay Interval 1 s: the will is published after the delay, not at once")
    void willDelay() {
        RawClient watcher = watcher("will/delay");
        Props wp = Props.create().add(Props.WILL_DELAY_INTERVAL, 1L);
        RawClient c = broker.raw(
                Out.Connect.v5("delayed").sessionExpiry(60).will("will/delay", Wire.utf8("late"), 0, false, wp));
        long start = System.nanoTime();
        c.abort();
        In.Publish will = watcher.expectPublish();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(will.payloadString()).isEqualTo("late");
        assertThat(took).as("published after the Will Delay Interval").isGreaterThan(Duration.ofMillis(800));
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] v5: reconnecting (Clean Start 0) within the Will Delay Interval cancels the will")
    void reconnectWithinWillDelayCancelsWill() throws InterruptedException {
        RawClient watcher = watcher("will/cancel");
        Props wp = Props.create().add(Props.WILL_DELAY_INTERVAL, 2L);
        RawClient c = broker.raw(
                Out.Connect.v5("flaky").sessionExpiry(60).will("will/cancel", Wire.utf8("should not"), 0, false, wp));
        c.abort();
        Thread.sleep(500);
        broker.raw(Out.Connect.v5("flaky").cleanStart(false).sessionExpiry(60));
        Thread.sleep(2200); // past the original delay
        expectNoWill(watcher, "will/cancel");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] v5: the will goes out when the session ends if that is before the Will Delay Interval")
    void willAtSessionEnd() {
        RawClient watcher = watcher("will/session");
        Props wp = Props.create().add(Props.WILL_DELAY_INTERVAL, 30L);
        RawClient c = broker.raw(Out.Connect.v5("short-session")
                .sessionExpiry(1)
                .will("will/session", Wire.utf8("session over"), 0, false, wp));
        long start = System.nanoTime();
        c.abort();
        In.Publish will = watcher.expectPublish(Duration.ofSeconds(5));
        assertThat(will.payloadString()).isEqualTo("session over");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] v5: with Session Expiry 0 the will goes out at once despite a Will Delay Interval")
    void willDelayWithoutSession() {
        RawClient watcher = watcher("will/nosession");
        Props wp = Props.create().add(Props.WILL_DELAY_INTERVAL, 30L);
        RawClient c = broker.raw(Out.Connect.v5("no-session").will("will/nosession", Wire.utf8("now"), 0, false, wp));
        c.abort();
        assertThat(watcher.expectPublish(Duration.ofSeconds(3)).payloadString()).isEqualTo("now");
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.3-10] [MQTT-3.3.2-17] [MQTT-3.3.2-4] v5 will properties are forwarded: content type, response topic, correlation data, user properties in order, payload format")
    void willPropertiesForwarded() {
        RawClient watcher = watcher("will/props");
        Props wp = Props.create()
                .add(Props.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(Props.CONTENT_TYPE, "text/plain")
                .add(Props.RESPONSE_TOPIC, "will/reply")
                .add(Props.CORRELATION_DATA, new byte[] {1, 2, 3})
                .add(Props.MESSAGE_EXPIRY_INTERVAL, 120L)
                .userProperty("b", "2")
                .userProperty("a", "1")
                .userProperty("b", "3");
        RawClient c = broker.raw(Out.Connect.v5("propwill").will("will/props", Wire.utf8("bye"), 1, false, wp));
        c.abort();
        In.Publish will = watcher.expectPublishAndAck();
        Props p = will.props();
        assertThat(p.integer(Props.PAYLOAD_FORMAT_INDICATOR)).isEqualTo(1);
        assertThat(p.string(Props.CONTENT_TYPE)).isEqualTo("text/plain");
        assertThat(p.string(Props.RESPONSE_TOPIC)).isEqualTo("will/reply");
        assertThat(p.binary(Props.CORRELATION_DATA)).containsExactly(1, 2, 3);
        assertThat(p.fourByte(Props.MESSAGE_EXPIRY_INTERVAL)).isBetween(100L, 120L);
        assertThat(p.userProperties()).containsExactly("b=2", "a=1", "b=3");
        assertThat(p.has(Props.WILL_DELAY_INTERVAL))
                .as("Will Delay Interval is not a PUBLISH property")
                .isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-15] (v3.1.1: MQTT-3.1.2-17) Will Retain 1 → the will is published as a retained message")
    void retainedWill() {
        RawClient c = broker.raw(Out.Connect.v5("retwill").will("will/retained", "kept", 1, true));
        c.abort();
        // a subscriber arriving later gets it as a retained message
        RawClient late = broker.raw5("late");
        late.subscribe("will/retained", 1);
        In.Publish p = late.expectPublish(Duration.ofSeconds(5));
        assertThat(p.payloadString()).isEqualTo("kept");
        assertThat(p.retain()).isTrue();
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.4-3] [MQTT-3.1.2-8] v5: the will of a connection that is taken over (Clean Start 1) is published")
    void willOnTakeover() {
        RawClient watcher = watcher("will/takeover");
        RawClient first = broker.raw(Out.Connect.v5("taken").will("will/takeover", "taken over", 0, false));
        broker.raw5("taken");
        first.expectDisconnect(Rc.SESSION_TAKEN_OVER);
        assertThat(watcher.expectPublish().payloadString()).isEqualTo("taken over");
    }
}
