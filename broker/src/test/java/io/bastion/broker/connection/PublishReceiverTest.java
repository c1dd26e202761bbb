package io.bastion.broker.connection;

import static io.bastion.broker.connection.Packets.bytes;
import static io.bastion.broker.connection.Packets.connect311;
import static io.bastion.broker.connection.Packets.connect5;
import static io.bastion.broker.connection.Packets.persistent5;
import static io.bastion.broker.connection.Packets.publish;
import static io.bastion.broker.connection.Packets.subscribe;
import static io.bastion.broker.connection.Packets.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerMetrics.Drop;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.SubAck;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishReceiverTest {
    private static final byte[] NOT_UTF8 = {(byte) 0xC3, (byte) 0x28};

    private BrokerFixture f;

    private TestClient connectedV5(Consumer<Settings> configure, String id) {
        f = new BrokerFixture(configure);
        TestClient c = f.client();
        c.connected(connect5(id));
        return c;
    }

    private TestClient subscriber(String id, String filter, int qos) {
        TestClient s = f.client();
        s.connected(connect5(id));
        s.send(subscribe(1, filter, qos));
        s.expect(SubAck.class);
        return s;
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static MqttProperties alias(int alias) {
        return MqttProperties.builder().topicAlias(alias).build();
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] Topic Alias 0 is invalid: DISCONNECT 0x94")
    void topicAliasZero() {
        TestClient c = connectedV5(s -> s.topicAliasMaximum = 5, "a");
        c.send(publish("t", 0, 0, "x", alias(0)));
        c.expectDisconnect(ReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-9] Topic Alias above the broker's Topic Alias Maximum: DISCONNECT 0x94")
    void topicAliasAboveMaximum() {
        TestClient c = connectedV5(s -> s.topicAliasMaximum = 5, "a");
        c.send(publish("t", 0, 0, "x", alias(5)));
        c.expectNothing();
        c.send(publish("t", 0, 0, "x", alias(6)));
        c.expectDisconnect(ReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-17/18] with Topic Alias Maximum 0 any Topic Alias is invalid: DISCONNECT 0x94")
    void topicAliasWhenDisabled() {
        TestClient c = connectedV5(s -> s.topicAliasMaximum = 0, "a");
        c.send(publish("t", 0, 0, "x", alias(1)));
        c.expectDisconnect(ReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] an alias never set, with an empty topic: DISCONNECT 0x82")
    void unknownTopicAlias() {
        TestClient c = connectedV5(s -> s.topicAliasMaximum = 5, "a");
        c.send(publish("", 0, 0, "x", alias(3)));
        c.expectDisconnect(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("an empty topic without Topic Alias: DISCONNECT 0x82")
    void emptyTopicWithoutAlias() {
        TestClient c = connectedV5(s -> {}, "a");
        c.send(publish("", 0, 0, "x"));
        c.expectDisconnect(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-10/11] a Topic Alias set with a topic resolves later PUBLISH with an empty topic")
    void topicAliasResolves() {
        f = new BrokerFixture();
        TestClient sub = subscriber("s", "long/topic/name", 0);
        TestClient c = f.client();
        c.connected(connect5("a"));
        c.send(publish("long/topic/name", 0, 0, "one", alias(2)), publish("", 0, 0, "two", alias(2)));
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("one", "two");
        assertThat(sub.written())
                .filteredOn(Publish.class::isInstance)
                .map(p -> ((Publish) p).properties().topicAlias())
                .as("the inbound alias is not forwarded")
                .containsOnlyNulls();
    }

    @Test
    @DisplayName("[MQTT-3.3.4-8] more unacknowledged QoS 2 PUBLISH than Receive Maximum: DISCONNECT 0x93")
    void receiveMaximumExceeded() {
        TestClient c = connectedV5(s -> s.receiveMaximum = 2, "a");
        c.send(publish("t", 2, 1, "1"), publish("t", 2, 2, "2"));
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(1);
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(2);
        c.send(publish("t", 2, 3, "3"));
        c.expectDisconnect(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-8] completing a QoS 2 flow frees its place in the Receive Maximum")
    void receiveMaximumFreedByPubRel() {
        TestClient c = connectedV5(s -> s.receiveMaximum = 1, "a");
        c.send(publish("t", 2, 1, "1"));
        c.expect(PubRec.class);
        c.send(new PubRel(1));
        c.expect(PubComp.class);
        c.send(publish("t", 2, 2, "2"));
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(2);
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] a QoS 2 PUBLISH resent with DUP on reconnect does not count against Receive Maximum")
    void resentQos2AtReceiveMaximum() {
        f = new BrokerFixture(s -> s.receiveMaximum = 2);
        TestClient c = f.client();
        c.connected(persistent5("a", 300));
        c.send(publish("t", 2, 1, "1"), publish("t", 2, 2, "2"));
        c.drop(); // the PUBRECs never reached the client
        TestClient again = f.client();
        assertThat(again.connected(persistent5("a", 300)).sessionPresent()).isTrue();
        again.send(new Publish("t", 2, false, true, 1, MqttProperties.EMPTY, bytes("1")));
        assertThat(again.expect(PubRec.class).packetId()).isEqualTo(1);
        assertThat(again.isClosed()).isFalse();
    }

    @Test
    @DisplayName("Payload Format Indicator 1 with invalid UTF-8 at QoS 1: PUBACK 0x99, not routed")
    void payloadFormatInvalidQos1() {
        f = new BrokerFixture();
        TestClient sub = subscriber("s", "t", 1);
        TestClient c = f.client();
        c.connected(connect5("a"));
        MqttProperties utf8 = MqttProperties.builder().payloadFormatIndicator(1).build();
        c.send(new Publish("t", 1, false, false, 7, utf8, NOT_UTF8));
        PubAck ack = c.expect(PubAck.class);
        assertThat(ack.packetId()).isEqualTo(7);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.properties().reasonString())
                .as("problem information allowed by default")
                .isNotNull();
        sub.expectNothing();
        c.send(publish("t", 1, 8, "ok", utf8));
        assertThat(c.expect(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(text(sub.expectPublish())).isEqualTo("ok");
    }

    @Test
    @DisplayName("Payload Format Indicator 1 with invalid UTF-8 at QoS 2: PUBREC 0x99 ends the flow")
    void payloadFormatInvalidQos2() {
        TestClient c = connectedV5(s -> s.receiveMaximum = 1, "a");
        MqttProperties utf8 = MqttProperties.builder().payloadFormatIndicator(1).build();
        c.send(new Publish("t", 2, false, false, 7, utf8, NOT_UTF8));
        assertThat(c.expect(PubRec.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        c.send(publish("t", 2, 8, "ok"));
        assertThat(c.expect(PubRec.class).reasonCode())
                .as("the refused packet does not hold a Receive Maximum slot")
                .isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-29] with Request Problem Information 0 the PUBACK carries no Reason String")
    void noReasonStringWhenProblemInformationOff() {
        f = new BrokerFixture();
        TestClient c = f.client();
        c.connected(connect5(
                "a", true, MqttProperties.builder().requestProblemInformation(0).build()));
        MqttProperties utf8 = MqttProperties.builder().payloadFormatIndicator(1).build();
        c.send(new Publish("t", 1, false, false, 7, utf8, NOT_UTF8));
        PubAck ack = c.expect(PubAck.class);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID);
        assertThat(ack.properties().reasonString()).isNull();
        assertThat(ack.properties().userProperties()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-4.3.3-9/10] a QoS 2 PUBLISH resent before PUBREL is acknowledged again but not routed twice")
    void qos2DuplicateNotRoutedTwice() {
        f = new BrokerFixture();
        TestClient sub = subscriber("s", "t", 2);
        TestClient c = f.client();
        c.connected(connect5("a"));
        c.send(publish("t", 2, 5, "once"));
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(5);
        c.send(new Publish("t", 2, false, true, 5, MqttProperties.EMPTY, bytes("once")));
        assertThat(c.expect(PubRec.class).packetId()).isEqualTo(5);
        c.send(new PubRel(5));
        PubComp comp = c.expect(PubComp.class);
        assertThat(comp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("once");
        // after PUBREL the packet id is free: the same id is a new message [MQTT-4.3.3-*]
        c.send(publish("t", 2, 5, "again"));
        c.expect(PubRec.class);
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("again");
    }

    @Test
    @DisplayName("[MQTT-4.3.3-*] incoming QoS 2 state survives a reconnect: the resent PUBLISH is not routed twice")
    void qos2DuplicateAfterReconnect() {
        f = new BrokerFixture();
        TestClient sub = subscriber("s", "t", 2);
        TestClient c = f.client();
        c.connected(persistent5("a", 300));
        c.send(publish("t", 2, 5, "once"));
        c.drop();
        TestClient again = f.client();
        again.connected(persistent5("a", 300));
        again.send(new Publish("t", 2, false, true, 5, MqttProperties.EMPTY, bytes("once")));
        again.expect(PubRec.class);
        again.send(new PubRel(5));
        again.expect(PubComp.class);
        assertThat(sub.publishes()).extracting(Packets::text).containsExactly("once");
    }

    @Test
    @DisplayName("[MQTT-3.6.4-*] PUBREL for an unknown packet id: PUBCOMP 0x92 (v5), plain PUBCOMP (v3.1.1)")
    void pubrelUnknown() {
        TestClient c = connectedV5(s -> {}, "a");
        c.send(new PubRel(42));
        PubComp comp = c.expect(PubComp.class);
        assertThat(comp.packetId()).isEqualTo(42);
        assertThat(comp.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
        TestClient v3 = f.client();
        v3.connected(connect311("b", true));
        v3.send(new PubRel(42));
        assertThat(v3.expect(PubComp.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName("no matching subscribers: PUBACK 0x10 (v5), PUBACK success (v3.1.1)")
    void noMatchingSubscribers() {
        TestClient c = connectedV5(s -> {}, "a");
        c.send(publish("nobody/listens", 1, 1, "x"));
        assertThat(c.expect(PubAck.class).reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
        TestClient v3 = f.client();
        v3.connected(connect311("b", true));
        v3.send(publish("nobody/listens", 1, 1, "x"));
        assertThat(v3.expect(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-6] a PUBLISH from a client carrying a Subscription Identifier: DISCONNECT 0x82")
    void publishWithSubscriptionIdentifier() {
        TestClient c = connectedV5(s -> {}, "a");
        c.send(publish(
                "t",
                0,
                0,
                "x",
                MqttProperties.builder().subscriptionIdentifier(3).build()));
        c.expectDisconnect(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-11] PUBLISH above the broker's Maximum QoS: DISCONNECT 0x9B")
    void publishAboveMaximumQos() {
        TestClient c = connectedV5(s -> s.maximumQos = 1, "a");
        c.send(publish("t", 2, 1, "x"));
        c.expectDisconnect(ReasonCode.QOS_NOT_SUPPORTED);
    }

    private TestClient offlineSubscriberWithFullQueue() {
        TestClient sub = f.client();
        sub.connected(persistent5("s", 300));
        sub.send(subscribe(1, "t", 1));
        sub.expect(SubAck.class);
        sub.drop();
        return sub;
    }

    @Test
    @DisplayName("REJECT_NEW: a full subscriber queue gets the v5 publisher PUBACK 0x97 Quota exceeded")
    void rejectNewQuotaExceeded() {
        f = new BrokerFixture(s -> {
            s.maximumQueuedMessages = 1;
            s.queueOverflow = QueueOverflowPolicy.REJECT_NEW;
        });
        offlineSubscriberWithFullQueue();
        TestClient pub = f.client();
        pub.connected(connect5("p"));
        pub.send(publish("t", 1, 1, "first"));
        assertThat(pub.expect(PubAck.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        pub.send(publish("t", 1, 2, "second"));
        PubAck refused = pub.expect(PubAck.class);
        assertThat(refused.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        pub.send(publish("t", 2, 3, "third"));
        assertThat(pub.expect(PubRec.class).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        pub.send(new PubRel(3));
        assertThat(pub.expect(PubComp.class).reasonCode())
                .as("an error PUBREC ends the exchange")
                .isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);

        TestClient back = f.client();
        assertThat(back.connected(persistent5("s", 300)).sessionPresent()).isTrue();
        assertThat(back.publishes()).extracting(Packets::text).containsExactly("first");
    }

    @Test
    @DisplayName("REJECT_NEW: publishes arriving in one read each see the queue limit (0x97 once it is full)")
    void rejectNewBurst() {
        f = new BrokerFixture(s -> {
            s.maximumQueuedMessages = 1;
            s.queueOverflow = QueueOverflowPolicy.REJECT_NEW;
        });
        offlineSubscriberWithFullQueue();
        TestClient pub = f.client();
        pub.connected(connect5("p"));
        pub.send(publish("t", 1, 1, "a"), publish("t", 1, 2, "b"), publish("t", 1, 3, "c"));
        assertThat(pub.readAll())
                .extracting(p -> ((PubAck) p).reasonCode())
                .containsExactly(ReasonCode.SUCCESS, ReasonCode.QUOTA_EXCEEDED, ReasonCode.QUOTA_EXCEEDED);
        assertThat(f.broker.metrics().drops(Drop.QUEUE_FULL))
                .as("nothing acknowledged with success is dropped")
                .isZero();
    }
}
