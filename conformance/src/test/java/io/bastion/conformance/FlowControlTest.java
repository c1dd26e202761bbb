package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import io.bastion.conformance.raw.Wire;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** v5 flow control (4.9, Receive Maximum) and Maximum Packet Size in both directions. */
class FlowControlTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    private static final Duration QUIET = Duration.ofMillis(600);

    @Test
    @DisplayName(
            "[MQTT-3.3.4-9] [MQTT-4.9.0-2] the broker never has more unacknowledged QoS 1 PUBLISHes to a client than its Receive Maximum (2)")
    void receiveMaximumQos1() {
        RawClient sub = broker.raw(Out.Connect.v5("rm-sub").receiveMaximum(2));
        sub.subscribe("rm/t", 1);
        RawClient pub = broker.raw5("rm-pub");
        for (int i = 0; i < 5; i++) {
            pub.publish("rm/t", 1, "m" + i);
        }
        In.Publish p0 = sub.expectPublish();
        In.Publish p1 = sub.expectPublish();
        sub.expectNothing(QUIET); // window full
        sub.ack(p0);
        In.Publish p2 = sub.expectPublish();
        sub.expectNothing(QUIET);
        sub.ack(p1);
        sub.ack(p2);
        In.Publish p3 = sub.expectPublish();
        In.Publish p4 = sub.expectPublish();
        sub.ack(p3);
        sub.ack(p4);
        assertThat(List.of(p0, p1, p2, p3, p4))
                .extracting(In.Publish::payloadString)
                .containsExactly("m0", "m1", "m2", "m3", "m4");
        sub.expectNothing(QUIET);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] QoS 2 PUBLISHes count against Receive Maximum until PUBCOMP, not PUBREC")
    void receiveMaximumQos2() {
        RawClient sub = broker.raw(Out.Connect.v5("rm2-sub").receiveMaximum(1));
        sub.subscribe("rm2/t", 2);
        RawClient pub = broker.raw5("rm2-pub");
        pub.publish("rm2/t", 2, "first");
        pub.publish("rm2/t", 2, "second");
        In.Publish first = sub.expectPublish();
        sub.send(Out.ack(5, 5, first.packetId(), 0)); // PUBREC
        In.Ack rel = sub.expect(In.Ack.class);
        assertThat(rel.type()).isEqualTo(6);
        sub.expectNothing(QUIET); // still one in flight until PUBCOMP
        sub.send(Out.ack(5, 7, first.packetId(), 0)); // PUBCOMP
        assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("second");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.4-10] [MQTT-4.9.0-3] QoS 0 messages are not held back when the Receive Maximum quota is used up")
    void qos0NotBlockedByQuota() {
        RawClient sub = broker.raw(Out.Connect.v5("q0-sub").receiveMaximum(1));
        sub.subscribe("q0/t", 1);
        RawClient pub = broker.raw5("q0-pub");
        pub.publish("q0/t", 1, "held");
        pub.publish("q0/t", 1, "waiting");
        In.Publish held = sub.expectPublish();
        pub.publish("q0/t", 0, "qos0");
        In.Publish next = sub.expectPublish();
        assertThat(next.payloadString())
                .as("QoS 0 message delivered despite a full window")
                .isEqualTo("qos0");
        sub.ping(); // and other packets are answered [MQTT-4.9.0-3]
        sub.ack(held);
        assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("waiting");
    }

    @Test
    @DisplayName("[MQTT-5 §4.9] limits.max_inflight also bounds unacknowledged PUBLISHes when the client allows more")
    void maxInflightBoundsWindow() {
        broker.limit("max_inflight", 3);
        RawClient sub = broker.raw(Out.Connect.v5("inflight-sub").receiveMaximum(100));
        sub.subscribe("inflight/t", 1);
        RawClient pub = broker.raw5("inflight-pub");
        for (int i = 0; i < 6; i++) {
            pub.publish("inflight/t", 1, "m" + i);
        }
        List<In.Publish> window = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            window.add(sub.expectPublish());
        }
        sub.expectNothing(QUIET);
        for (In.Publish p : window) {
            sub.ack(p);
        }
        assertThat(sub.receivePayloads(3)).containsExactly("m3", "m4", "m5");
    }

    @Test
    @DisplayName(
            "[MQTT-3.3.4-7] [MQTT-5 §3.3.4] a client exceeding the broker's Receive Maximum (2) gets DISCONNECT 0x93")
    void clientExceedsReceiveMaximum() {
        broker.limit("receive_max", 2);
        RawClient c = broker.raw5("flooder");
        assertThat(c.connAck().props().integer(Props.RECEIVE_MAXIMUM)).isEqualTo(2);
        // three QoS 2 PUBLISHes without PUBREL: each stays unacknowledged until PUBCOMP
        c.send(Out.publish(5, "rmx/t", 2, false, false, 1, Props.none(), Wire.utf8("1")));
        c.send(Out.publish(5, "rmx/t", 2, false, false, 2, Props.none(), Wire.utf8("2")));
        c.send(Out.publish(5, "rmx/t", 2, false, false, 3, Props.none(), Wire.utf8("3")));
        c.expectDisconnect(Rc.RECEIVE_MAXIMUM_EXCEEDED);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-7] a client that stays within the broker's Receive Maximum is not disconnected")
    void clientWithinReceiveMaximum() {
        broker.limit("receive_max", 2);
        RawClient c = broker.raw5("polite-flooder");
        for (int round = 0; round < 3; round++) {
            int a = c.nextPacketId();
            int b = c.nextPacketId();
            c.send(Out.publish(5, "rmx/ok", 2, false, false, a, Props.none(), Wire.utf8("a")));
            c.send(Out.publish(5, "rmx/ok", 2, false, false, b, Props.none(), Wire.utf8("b")));
            assertThat(c.expect(In.Ack.class).type()).isEqualTo(5);
            assertThat(c.expect(In.Ack.class).type()).isEqualTo(5);
            c.send(Out.ack(5, 6, a, 0));
            c.send(Out.ack(5, 6, b, 0));
            assertThat(c.expect(In.Ack.class).type()).isEqualTo(7);
            assertThat(c.expect(In.Ack.class).type()).isEqualTo(7);
        }
        c.ping();
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-24] [MQTT-3.1.2-25] the broker does not send a PUBLISH larger than the client's Maximum Packet Size; it drops it")
    void serverRespectsClientMaximumPacketSize() {
        RawClient sub = broker.raw(Out.Connect.v5("mps-sub").maximumPacketSize(128));
        sub.subscribe("mps/t", 1);
        RawClient pub = broker.raw5("mps-pub");
        pub.publish("mps/t", 1, "x".repeat(300));
        pub.publish("mps/t", 1, "small");
        In.Publish p = sub.expectPublishAndAck();
        assertThat(p.payloadString()).as("the oversized message was discarded").isEqualTo("small");
        sub.expectNothing(QUIET);
    }

    @Test
    @DisplayName(
            "[MQTT-3.1.2-25] a discarded oversized QoS 1 message counts as delivered: it does not use up the Receive Maximum window")
    void oversizedMessageDoesNotBlockWindow() {
        RawClient sub =
                broker.raw(Out.Connect.v5("mps-win").maximumPacketSize(128).receiveMaximum(1));
        sub.subscribe("mpsw/t", 1);
        RawClient pub = broker.raw5("mps-win-pub");
        for (int i = 0; i < 3; i++) {
            pub.publish("mpsw/t", 1, "x".repeat(300));
        }
        pub.publish("mpsw/t", 1, "small");
        assertThat(sub.expectPublishAndAck().payloadString()).isEqualTo("small");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] a retained message too large for the subscriber is not sent on subscribe")
    void oversizedRetainedNotSent() {
        RawClient r = broker.raw5("mps-retainer");
        r.publish("mpsr/t", 0, true, Props.none(), Wire.utf8("y".repeat(500)));
        RawClient sub = broker.raw(Out.Connect.v5("mps-ret-sub").maximumPacketSize(100));
        sub.subscribe("mpsr/t", 0);
        r.publish("mpsr/t", 0, "small");
        assertThat(sub.expectPublish().payloadString()).isEqualTo("small");
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-15] [MQTT-5 §3.2.2.3.6] v5: a packet larger than the broker's Maximum Packet Size → DISCONNECT 0x95")
    void clientExceedsMaximumPacketSize() {
        broker.limit("max_packet_size", 1024);
        RawClient c = broker.raw5("big");
        assertThat(c.connAck().props().fourByte(Props.MAXIMUM_PACKET_SIZE)).isEqualTo(1024L);
        c.send(Out.publish(5, "big/t", 0, false, false, 0, Props.none(), new byte[2000]));
        c.expectDisconnect(Rc.PACKET_TOO_LARGE);
    }

    @Test
    @DisplayName(
            "[MQTT-3.2.2-15] [MQTT-4.8.0-1 v3.1.1] v3.1.1: a packet larger than max_packet_size closes the connection")
    void clientExceedsMaximumPacketSizeV311() {
        broker.limit("max_packet_size", 1024);
        RawClient c = broker.raw311("big311");
        c.send(Out.publish(4, "big/t", 0, false, false, 0, Props.none(), new byte[2000]));
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-15] a packet of exactly the broker's Maximum Packet Size is accepted")
    void packetAtMaximumSizeAccepted() {
        broker.limit("max_packet_size", 1024);
        RawClient sub = broker.raw5("exact-sub");
        sub.subscribe("exact", 0);
        RawClient c = broker.raw5("exact");
        // 1 type byte + 2 remaining-length bytes (1021) + 7 topic + 1 property length + 1013 payload = 1024
        byte[] packet = Out.publish(5, "exact", 0, false, false, 0, Props.none(), new byte[1024 - 1 - 2 - 7 - 1]);
        assertThat(packet).hasSize(1024);
        c.send(packet);
        c.ping();
        assertThat(sub.expectPublish().payload()).hasSize(1013);
    }

    @Test
    @DisplayName(
            "[MQTT-5 §3.1.2.11.3] [MQTT-5 §3.1.2.11.4] CONNECT with Receive Maximum 0 or Maximum Packet Size 0 is a Protocol Error")
    void invalidFlowControlProperties() {
        RawClient rm0 = broker.rawOpen();
        rm0.send(Out.Connect.v5("rm0").receiveMaximum(0).encode());
        rm0.speaking(5).expectRefusedOrClosed(Rc.PROTOCOL_ERROR, Rc.MALFORMED_PACKET);
        RawClient mps0 = broker.rawOpen();
        mps0.send(Out.Connect.v5("mps0").maximumPacketSize(0).encode());
        mps0.speaking(5).expectRefusedOrClosed(Rc.PROTOCOL_ERROR, Rc.MALFORMED_PACKET);
    }
}
