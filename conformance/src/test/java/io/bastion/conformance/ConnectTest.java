package io.bastion.conformance;

import static io.bastion.conformance.raw.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONNECT validation and CONNACK (sections 3.1 and 3.2 of MQTT 5.0 and 3.1.1). */
class ConnectTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    // ---- protocol name and level

    @Test
    @DisplayName("[MQTT-3.1.2-2] v5: unsupported protocol level 6 → CONNACK 0x84 (or 3.1.1 return code 1), then close")
    void unsupportedProtocolLevel() {
        RawClient c = broker.rawOpen().speaking(5);
        // CONNECT "MQTT" level 6, clean start, keep alive 60, empty properties, client id "a"
        c.send(hex("10 0e 00 04 4d 51 54 54 06 02 00 3c 00 00 01 61"));
        In.ConnAck ack = c.expectRefusedOrClosed(Rc.UNSUPPORTED_PROTOCOL_VERSION, Rc.V3_UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(ack)
                .as("a CONNACK telling the client the version is unsupported")
                .isNotNull();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] v3.1.1: protocol name MQTT with level 3 → CONNACK return code 1, then close")
    void v311UnacceptableProtocolLevel() {
        RawClient c = broker.rawOpen().speaking(4);
        // CONNECT "MQTT" level 3 (only "MQIsdp" may use level 3), clean session, keep alive 60, client id "a"
        c.send(hex("10 0d 00 04 4d 51 54 54 03 02 00 3c 00 01 61"));
        In.ConnAck ack = c.expectRefusedOrClosed(Rc.V3_UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(ack).as("CONNACK 0x01 unacceptable protocol version").isNotNull();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-1] v5: protocol name other than \"MQTT\" → no CONNACK 0x00, connection closed")
    void wrongProtocolName() {
        RawClient c = broker.rawOpen().speaking(5);
        // CONNECT "MQTX" level 5
        c.send(hex("10 0e 00 04 4d 51 54 58 05 02 00 3c 00 00 01 61"));
        c.expectRefusedOrClosed(Rc.UNSUPPORTED_PROTOCOL_VERSION, Rc.V3_UNACCEPTABLE_PROTOCOL_VERSION);
    }

    @Test
    @DisplayName("[MQTT-3.1.1 §3.1.2.2] MQTT 3.1 CONNECT (\"MQIsdp\", level 3) is accepted and can publish/subscribe")
    void mqtt31Accepted() {
        RawClient c = broker.raw(Out.Connect.v31("mqtt31-client"));
        assertThat(c.subscribe("t31", 1)).containsExactly(1);
        c.publish("t31", 1, "hello 3.1");
        assertThat(c.expectPublishAndAck().payloadString()).isEqualTo("hello 3.1");
    }

    // ---- reserved flag and flag consistency

    @Test
    @DisplayName("[MQTT-3.1.2-3] [MQTT-3.1.4-1] v5: CONNECT with the reserved flag set → closed (CONNACK 0x81 allowed)")
    void reservedFlagV5() {
        RawClient c = broker.rawOpen().speaking(5);
        c.send(hex("10 0e 00 04 4d 51 54 54 05 03 00 3c 00 00 01 61"));
        c.expectRefusedOrClosed(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-3] [MQTT-3.1.4-1] v3.1.1: CONNECT with the reserved flag set → closed without CONNACK")
    void reservedFlagV311() {
        RawClient c = broker.rawOpen().speaking(4);
        c.send(hex("10 0d 00 04 4d 51 54 54 04 03 00 3c 00 01 61"));
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-11] v5: Will Flag 0 with Will QoS 1 → closed (CONNACK 0x81/0x82 allowed)")
    void willQosWithoutWillFlagV5() {
        RawClient c = broker.rawOpen().speaking(5);
        c.send(hex("10 0e 00 04 4d 51 54 54 05 0a 00 3c 00 00 01 61"));
        c.expectRefusedOrClosed(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-13] [MQTT-3.1.2-11 v3.1.1: MQTT-3.1.2-15] Will Flag 0 with Will Retain 1 → closed")
    void willRetainWithoutWillFlag() {
        RawClient v5 = broker.rawOpen().speaking(5);
        v5.send(hex("10 0e 00 04 4d 51 54 54 05 22 00 3c 00 00 01 61"));
        v5.expectRefusedOrClosed(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        RawClient v3 = broker.rawOpen().speaking(4);
        v3.send(hex("10 0d 00 04 4d 51 54 54 04 22 00 3c 00 01 61"));
        v3.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-13] v3.1.1: Will Flag 0 with Will QoS 1 → closed without CONNACK")
    void willQosWithoutWillFlagV311() {
        RawClient c = broker.rawOpen().speaking(4);
        c.send(hex("10 0d 00 04 4d 51 54 54 04 0a 00 3c 00 01 61"));
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-12] [v3.1.1: MQTT-3.1.2-14] Will QoS 3 → closed")
    void willQos3() {
        RawClient v5 = broker.rawOpen().speaking(5);
        // flags 0x1e: clean start, will flag, will QoS 3; will props empty, will topic "w", will payload "x"
        v5.send(hex("10 15 00 04 4d 51 54 54 05 1e 00 3c 00 00 01 61 00 00 01 77 00 01 78"));
        v5.expectRefusedOrClosed(Rc.MALFORMED_PACKET, Rc.PROTOCOL_ERROR);
        RawClient v3 = broker.rawOpen().speaking(4);
        v3.send(hex("10 13 00 04 4d 51 54 54 04 1e 00 3c 00 01 61 00 01 77 00 01 78"));
        v3.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] v3.1.1: Password Flag 1 with User Name Flag 0 → closed without CONNACK")
    void passwordWithoutUserNameV311() {
        RawClient c = broker.rawOpen().speaking(4);
        c.send(hex("10 10 00 04 4d 51 54 54 04 42 00 3c 00 01 61 00 01 70"));
        c.expectClosed();
    }

    // ---- client identifier

    @Test
    @DisplayName("[MQTT-3.1.3-8] v3.1.1: empty client id with Clean Session 0 → CONNACK return code 2, then close")
    void emptyClientIdWithoutCleanSessionV311() {
        RawClient c = broker.rawOpen();
        In.ConnAck ack = c.connect(Out.Connect.v311("").cleanStart(false));
        assertThat(ack.reasonCode()).as("CONNACK return code").isEqualTo(Rc.V3_IDENTIFIER_REJECTED);
        assertThat(ack.sessionPresent())
                .as("Session Present [MQTT-3.2.2-4 v3.1.1]")
                .isFalse();
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] v3.1.1: empty client id with Clean Session 1 → accepted with a unique id assigned")
    void emptyClientIdWithCleanSessionV311() {
        RawClient a = broker.raw(Out.Connect.v311(""));
        RawClient b = broker.raw(Out.Connect.v311(""));
        // both stay connected: the server gave them different identities (no takeover)
        assertThat(a.subscribe("empty-id", 0)).containsExactly(0);
        assertThat(b.subscribe("empty-id", 0)).containsExactly(0);
        b.publish("empty-id", 0, "x");
        assertThat(a.expectPublish().payloadString()).isEqualTo("x");
        assertThat(b.expectPublish().payloadString()).isEqualTo("x");
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-16] [MQTT-3.1.3-6] [MQTT-3.1.3-7] v5: empty client id → CONNACK with a unique Assigned Client Identifier")
    void assignedClientIdentifier() {
        RawClient a = broker.raw(Out.Connect.v5("").sessionExpiry(60));
        RawClient b = broker.raw(Out.Connect.v5(""));
        String idA = a.connAck().props().string(Props.ASSIGNED_CLIENT_IDENTIFIER);
        String idB = b.connAck().props().string(Props.ASSIGNED_CLIENT_IDENTIFIER);
        assertThat(idA).as("Assigned Client Identifier").isNotBlank();
        assertThat(idB).as("Assigned Client Identifier").isNotBlank().isNotEqualTo(idA);
        // the CONNECT was processed as if the client had sent that id: its session can be resumed by it
        a.subscribe("assigned", 1);
        a.disconnect();
        RawClient again = broker.raw(Out.Connect.v5(idA).cleanStart(false).sessionExpiry(60));
        assertThat(again.connAck().sessionPresent())
                .as("session of the assigned id resumed")
                .isTrue();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-5] client ids of 1-23 characters [0-9a-zA-Z] are accepted (v5 and v3.1.1)")
    void shortAlphanumericClientIds() {
        broker.raw(Out.Connect.v5("abcdefghijklmnopqrstuvw"));
        broker.raw(Out.Connect.v311("ABCDEFGHIJ0123456789xyz"));
        broker.raw(Out.Connect.v5("0"));
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.3-8] v5 (v3.1.1: MQTT-3.1.3-9): client id longer than max_client_id_length → 0x85 / return code 2")
    void clientIdTooLong() {
        broker.limit("max_client_id_length", 30);
        String tooLong = "x".repeat(31);
        broker.raw(Out.Connect.v5("x".repeat(30))); // at the limit: accepted
        RawClient v5 = broker.rawOpen();
        In.ConnAck ack5 = v5.connect(Out.Connect.v5(tooLong));
        assertThat(ack5.reasonCode()).as("v5 CONNACK reason").isEqualTo(Rc.CLIENT_IDENTIFIER_NOT_VALID);
        v5.expectClosed();
        RawClient v3 = broker.rawOpen();
        In.ConnAck ack3 = v3.connect(Out.Connect.v311(tooLong));
        assertThat(ack3.reasonCode()).as("v3.1.1 CONNACK return code").isEqualTo(Rc.V3_IDENTIFIER_REJECTED);
        v3.expectClosed();
    }

    // ---- first and second CONNECT

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT (PINGREQ, PUBLISH) closes the connection")
    void firstPacketMustBeConnect() {
        RawClient ping = broker.rawOpen().speaking(5);
        ping.send(hex("c0 00"));
        ping.expectClosed();
        RawClient publish = broker.rawOpen().speaking(5);
        publish.send(hex("30 05 00 01 61 68 69")); // QoS 0 PUBLISH "a" "hi"
        publish.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] v5: a second CONNECT is a Protocol Error → DISCONNECT 0x82 and close")
    void secondConnectV5() {
        RawClient c = broker.raw5("twice");
        c.send(Out.Connect.v5("twice").encode());
        c.expectDisconnect(Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] v3.1.1: a second CONNECT closes the connection")
    void secondConnectV311() {
        RawClient c = broker.raw311("twice311");
        c.send(Out.Connect.v311("twice311").encode());
        c.expectClosed();
    }

    // ---- CONNACK properties

    @Test
    @DisplayName(
            "[MQTT-3.2.2-1] [MQTT-3.2.2-9] [MQTT-5 §3.2.2.3] v5 CONNACK carries the configured Receive Maximum, Topic Alias Maximum, Maximum Packet Size")
    void connAckPropertiesDefaults() {
        broker.limit("receive_max", 100).limit("topic_alias_max", 10).limit("max_packet_size", 1048576);
        broker.limit("max_qos", 2);
        RawClient c = broker.raw5("props");
        In.ConnAck ack = c.connAck();
        Props p = ack.props();
        assertThat(ack.flags() & 0xFE)
                .as("reserved CONNACK flags [MQTT-3.2.2-1]")
                .isZero();
        assertThat(p.integer(Props.RECEIVE_MAXIMUM)).as("Receive Maximum").isEqualTo(100);
        assertThat(p.integer(Props.TOPIC_ALIAS_MAXIMUM))
                .as("Topic Alias Maximum")
                .isEqualTo(10);
        assertThat(p.fourByte(Props.MAXIMUM_PACKET_SIZE))
                .as("Maximum Packet Size")
                .isEqualTo(1048576L);
        assertThat(p.integer(Props.MAXIMUM_QOS))
                .as("Maximum QoS absent when QoS 2 is supported (2 is not a legal value)")
                .isNull();
        assertThat(p.integer(Props.RETAIN_AVAILABLE)).as("Retain Available").isIn(null, 1);
        assertThat(p.integer(Props.WILDCARD_SUBSCRIPTION_AVAILABLE))
                .as("Wildcard Subscription Available")
                .isIn(null, 1);
        assertThat(p.integer(Props.SUBSCRIPTION_IDENTIFIER_AVAILABLE))
                .as("Subscription Identifiers Available")
                .isIn(null, 1);
        assertThat(p.integer(Props.SHARED_SUBSCRIPTION_AVAILABLE))
                .as("Shared Subscription Available")
                .isIn(null, 1);
        assertThat(p.has(Props.ASSIGNED_CLIENT_IDENTIFIER))
                .as("no Assigned Client Identifier for a client that sent one")
                .isFalse();
        assertThat(p.has(Props.AUTHENTICATION_METHOD))
                .as("no Authentication Method when the client sent none")
                .isFalse();
        for (Props.Entry e : p.entries()) {
            if (e.id() != Props.USER_PROPERTY) {
                assertThat(p.count(e.id()))
                        .as("property 0x%x at most once", e.id())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-9] [MQTT-5 §3.2.2.3] v5 CONNACK announces Maximum QoS 1, Retain/Wildcard/Subscription Identifier/Shared unavailable as configured")
    void connAckPropertiesRestricted() {
        broker.limit("receive_max", 50).limit("max_packet_size", 65536).limit("max_qos", 1);
        broker.feature("retain_available", false)
                .feature("wildcard_subscriptions", false)
                .feature("subscription_identifiers", false)
                .feature("shared_subscriptions", false);
        Props p = broker.raw5("restricted").connAck().props();
        assertThat(p.integer(Props.RECEIVE_MAXIMUM)).as("Receive Maximum").isEqualTo(50);
        assertThat(p.fourByte(Props.MAXIMUM_PACKET_SIZE))
                .as("Maximum Packet Size")
                .isEqualTo(65536L);
        assertThat(p.integer(Props.MAXIMUM_QOS)).as("Maximum QoS").isEqualTo(1);
        assertThat(p.integer(Props.RETAIN_AVAILABLE)).as("Retain Available").isEqualTo(0);
        assertThat(p.integer(Props.WILDCARD_SUBSCRIPTION_AVAILABLE))
                .as("Wildcard Subscription Available")
                .isEqualTo(0);
        assertThat(p.integer(Props.SUBSCRIPTION_IDENTIFIER_AVAILABLE))
                .as("Subscription Identifiers Available")
                .isEqualTo(0);
        assertThat(p.integer(Props.SHARED_SUBSCRIPTION_AVAILABLE))
                .as("Shared Subscription Available")
                .isEqualTo(0);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-12] v5: Will QoS above the broker's Maximum QoS → CONNACK 0x9B, then close")
    void willQosAboveMaximum() {
        broker.limit("max_qos", 1);
        RawClient c = broker.rawOpen();
        In.ConnAck ack = c.connect(Out.Connect.v5("willqos").will("w", "x", 2, false));
        assertThat(ack.reasonCode()).as("CONNACK reason").isEqualTo(Rc.QOS_NOT_SUPPORTED);
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-13] v5: Will Retain 1 when retain is not available → CONNACK 0x9A, then close")
    void willRetainWhenRetainUnavailable() {
        broker.feature("retain_available", false);
        RawClient c = broker.rawOpen();
        In.ConnAck ack = c.connect(Out.Connect.v5("willretain").will("w", "x", 0, true));
        assertThat(ack.reasonCode()).as("CONNACK reason").isEqualTo(Rc.RETAIN_NOT_SUPPORTED);
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-11] [MQTT-5 §3.2.2.3.4] v5: PUBLISH above Maximum QoS → DISCONNECT 0x9B")
    void publishAboveMaximumQos() {
        broker.limit("max_qos", 1);
        RawClient c = broker.raw5("qos2pub");
        c.send(Out.publish(5, "t", 2, false, false, 1, Props.none(), new byte[] {1}));
        c.expectDisconnect(Rc.QOS_NOT_SUPPORTED);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-10] v5: with Maximum QoS 1 a SUBSCRIBE at QoS 2 is still accepted (granted ≤ 1)")
    void subscribeQos2WithMaximumQos1() {
        broker.limit("max_qos", 1);
        RawClient c = broker.raw5("sub2");
        assertThat(c.subscribe("t", 2)).singleElement().isIn(0, 1);
    }

    @Test
    @DisplayName(
            "[MQTT-5 §3.2.2.3.2] v5: a Session Expiry Interval above session_expiry_max is cut and announced in CONNACK")
    void sessionExpiryCapped() {
        broker.limit("session_expiry_max", 100);
        In.ConnAck ack =
                broker.raw(Out.Connect.v5("expiry").sessionExpiry(1000)).connAck();
        assertThat(ack.props().fourByte(Props.SESSION_EXPIRY_INTERVAL))
                .as("CONNACK Session Expiry Interval")
                .isEqualTo(100L);
        In.ConnAck ok = broker.raw(Out.Connect.v5("expiry2").sessionExpiry(50)).connAck();
        assertThat(ok.props().fourByte(Props.SESSION_EXPIRY_INTERVAL))
                .as("CONNACK Session Expiry Interval when the client's value is accepted")
                .isIn(null, 50L);
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-21] [MQTT-5 §3.2.2.3.14] v5: keep alive above max_keepalive (or 0) → CONNACK Server Keep Alive = max_keepalive")
    void serverKeepAliveMaximum() {
        broker.limit("max_keepalive", 30);
        Props p = broker.raw(Out.Connect.v5("ka60").keepAlive(60)).connAck().props();
        assertThat(p.integer(Props.SERVER_KEEP_ALIVE))
                .as("Server Keep Alive for 60")
                .isEqualTo(30);
        Props zero = broker.raw(Out.Connect.v5("ka0").keepAlive(0)).connAck().props();
        assertThat(zero.integer(Props.SERVER_KEEP_ALIVE))
                .as("Server Keep Alive for 0 (no keep alive)")
                .isEqualTo(30);
        Props within =
                broker.raw(Out.Connect.v5("ka20").keepAlive(20)).connAck().props();
        assertThat(within.integer(Props.SERVER_KEEP_ALIVE))
                .as("Server Keep Alive for 20 (within bounds)")
                .isIn(null, 20);
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-21] [MQTT-5 §3.2.2.3.14] v5: keep alive below min_keepalive → CONNACK Server Keep Alive = min_keepalive")
    void serverKeepAliveMinimum() {
        broker.limit("min_keepalive", 5);
        Props p = broker.raw(Out.Connect.v5("ka2").keepAlive(2)).connAck().props();
        assertThat(p.integer(Props.SERVER_KEEP_ALIVE)).as("Server Keep Alive").isEqualTo(5);
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] v3.1.1: keep alive above max_keepalive → refused (non-zero return code) and closed")
    void v311KeepAliveAboveMaximumRefused() {
        broker.limit("max_keepalive", 30);
        RawClient c = broker.rawOpen();
        In.ConnAck ack = c.connect(Out.Connect.v311("ka311").keepAlive(60));
        assertThat(ack.reasonCode()).as("CONNACK return code").isNotZero();
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-28] v5: Request Response Information 0 → no Response Information in CONNACK")
    void noResponseInformationUnlessRequested() {
        Props p = broker.raw(Out.Connect.v5("rri0").requestResponseInformation(0))
                .connAck()
                .props();
        assertThat(p.has(Props.RESPONSE_INFORMATION)).isFalse();
        Props dflt = broker.raw5("rri-default").connAck().props();
        assertThat(dflt.has(Props.RESPONSE_INFORMATION))
                .as("Request Response Information defaults to 0")
                .isFalse();
    }

    // ---- time-outs and access

    @Test
    @DisplayName("[MQTT-5 §3.1.4] a connection that sends no CONNECT within connect_timeout is closed")
    void connectTimeout() {
        broker.limit("connect_timeout", "1s");
        RawClient idle = broker.rawOpen();
        RawClient partial = broker.rawOpen();
        partial.send(hex("10 0e 00 04")); // the start of a CONNECT, never finished
        long start = System.nanoTime();
        idle.expectClosed(Duration.ofSeconds(4));
        partial.expectClosed(Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("not closed before the timeout")
                .isGreaterThan(Duration.ofMillis(700));
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.4-5] [MQTT-3.2.2-2] anonymous clients from loopback are accepted by default (HiveMQ v5, Paho v3.1.1)")
    void anonymousLoopbackAccepted() {
        Mqtt5BlockingClient hive = broker.hivemq5("anon5");
        Mqtt5ConnAck ack = hive.connect();
        assertThat(ack.getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(ack.isSessionPresent()).isFalse();
        PahoClient paho = broker.paho("anon311");
        assertThat(paho.connect(true)).as("session present").isFalse();
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.4-2] [MQTT-3.2.2-7] security.anonymous: deny → v5 CONNACK 0x87 / v3.1.1 return code 5, then close")
    void anonymousDenied() {
        broker.security("anonymous", "deny");
        RawClient v5 = broker.rawOpen();
        assertThat(v5.connect(Out.Connect.v5("anon-denied")).reasonCode()).isEqualTo(Rc.NOT_AUTHORIZED);
        v5.expectClosed();
        RawClient v3 = broker.rawOpen();
        assertThat(v3.connect(Out.Connect.v311("anon-denied3")).reasonCode()).isEqualTo(Rc.V3_NOT_AUTHORIZED);
        v3.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.4-6] data sent after a refused CONNECT is not processed (a retained PUBLISH is not stored)")
    void nothingProcessedAfterRefusedConnect() {
        broker.limit("max_client_id_length", 30);
        RawClient refused = broker.rawOpen();
        // CONNECT (refused: id too long) immediately followed by a retained PUBLISH in the same write
        byte[] connect = Out.Connect.v5("x".repeat(40)).encode();
        byte[] publish = Out.publish(5, "after-refusal", 0, true, false, 0, Props.none(), new byte[] {1});
        refused.send(Wire.concat(connect, publish));
        refused.expectRefusedOrClosed(Rc.CLIENT_IDENTIFIER_NOT_VALID);
        RawClient watcher = broker.raw5("watcher");
        watcher.subscribe("after-refusal", 0);
        watcher.publish("after-refusal", 0, "marker");
        assertThat(watcher.expectPublish().payloadString())
                .as("first message on the topic: the marker, no retained message")
                .isEqualTo("marker");
    }
}
