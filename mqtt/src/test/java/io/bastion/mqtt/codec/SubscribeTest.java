package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.CodecAssertions.assertRejected;
import static io.bastion.mqtt.codec.CodecAssertions.client;
import static io.bastion.mqtt.codec.CodecAssertions.decode;
import static io.bastion.mqtt.codec.CodecAssertions.encode;
import static io.bastion.mqtt.codec.CodecAssertions.server;
import static io.bastion.mqtt.codec.CodecAssertions.unhex;
import static io.bastion.mqtt.codec.PacketBytes.block;
import static io.bastion.mqtt.codec.PacketBytes.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.SubAck;
import io.bastion.mqtt.packet.Subscribe;
import io.bastion.mqtt.packet.Subscription;
import io.bastion.mqtt.packet.UnsubAck;
import io.bastion.mqtt.packet.Unsubscribe;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK (3.8-3.11). */
class SubscribeTest {

    @Test
    @DisplayName("(3.8.3 example) MQTT 3.1.1 SUBSCRIBE a/b QoS 1 and c/d QoS 2, by hand")
    void specExampleV311() {
        byte[] bytes = unhex("82 0E 000A 0003 612F62 01 0003 632F64 02");
        Subscribe s = (Subscribe) decode(server(MqttVersion.V3_1_1), bytes);
        assertThat(s)
                .isEqualTo(new Subscribe(
                        10, List.of(Subscription.of("a/b", 1), Subscription.of("c/d", 2)), MqttProperties.EMPTY));
        assertThat(encode(s, MqttVersion.V3_1_1)).containsExactly(bytes);
    }

    @Test
    @DisplayName("(3.8.3.1) MQTT 5 Subscription Options: QoS, No Local, Retain As Published, Retain Handling")
    void subscriptionOptionsV5() {
        Subscribe s = (Subscribe) decode(
                server(MqttVersion.V5),
                packet(0x82)
                        .u16(1)
                        .props(block().u8(0x0B).vbi(99))
                        .str("a/#")
                        .u8(0x2E)
                        .str("b")
                        .u8(0x10));
        assertThat(s.subscriptions())
                .containsExactly(new Subscription("a/#", 2, true, true, 2), new Subscription("b", 0, false, false, 1));
        assertThat(s.properties().subscriptionIdentifiers()).containsExactly(99);
    }

    @Test
    @DisplayName("topic filters are not judged by the codec: odd and empty filters reach the broker")
    void filtersNotValidated() {
        Subscribe s = (Subscribe) decode(
                server(MqttVersion.V3_1_1),
                packet(0x82).u16(1).str("a/#/b").u8(0).str("").u8(0));
        assertThat(s.subscriptions()).extracting(Subscription::topicFilter).containsExactly("a/#/b", "");
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("[MQTT-3.8.3-3] (v5 [MQTT-3.8.3-2]) SUBSCRIBE without a topic filter is a protocol error")
    void subscribeEmpty(MqttVersion v) {
        PacketBytes p = packet(0x82).u16(1);
        assertRejected(server(v), v.isV5() ? p.noProps() : p, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-2.2.1-3] SUBSCRIBE with Packet Identifier 0 is a protocol error")
    void subscribePacketIdZero() {
        assertRejected(server(MqttVersion.V3_1_1), packet(0x82).u16(0).str("a").u8(0), ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x04, 0x80, 0xFC})
    @DisplayName("[MQTT-3.8.3-4] MQTT 3.1.1: reserved bits of the Requested QoS byte, or QoS 3, are malformed")
    void requestedQosV311(int qosByte) {
        assertRejected(
                server(MqttVersion.V3_1_1), packet(0x82).u16(1).str("a").u8(qosByte), ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x80, 0xC1})
    @DisplayName("[MQTT-3.8.3-5] MQTT 5: reserved bits 6-7 of the Subscription Options are malformed")
    void reservedOptionBitsV5(int options) {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x82).u16(1).noProps().str("a").u8(options),
                ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.8.3.1) MQTT 5: Maximum QoS 3 is a protocol error")
    void maxQos3V5() {
        assertRejected(
                server(MqttVersion.V5), packet(0x82).u16(1).noProps().str("a").u8(0x03), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.8.3.1) MQTT 5: Retain Handling 3 is a protocol error")
    void retainHandling3() {
        assertRejected(
                server(MqttVersion.V5), packet(0x82).u16(1).noProps().str("a").u8(0x30), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] MQTT 5: No Local on a Shared Subscription is a protocol error")
    void noLocalShared() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x82).u16(1).noProps().str("$share/g/a").u8(0x04),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.8.2.1.2) Subscription Identifier 0 is a protocol error")
    void subscriptionIdentifierZero() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x82).u16(1).props(block().u8(0x0B).vbi(0)).str("a").u8(0),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.8.2.1.2) a second Subscription Identifier in SUBSCRIBE is a protocol error")
    void subscriptionIdentifierTwice() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x82)
                        .u16(1)
                        .props(block().u8(0x0B).vbi(1).u8(0x0B).vbi(2))
                        .str("a")
                        .u8(0),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.9.3) MQTT 3.1.1 SUBACK: return codes 0, 1, 2 and 0x80; every refusal is written as 0x80")
    void subAckV311() {
        SubAck a = (SubAck) decode(client(MqttVersion.V3_1_1), unhex("90 06 0001 00 01 02 80"));
        assertThat(a.reasonCodes())
                .containsExactly(
                        ReasonCode.GRANTED_QOS_0,
                        ReasonCode.GRANTED_QOS_1,
                        ReasonCode.GRANTED_QOS_2,
                        ReasonCode.UNSPECIFIED_ERROR);
        SubAck refusals = new SubAck(
                1,
                List.of(ReasonCode.NOT_AUTHORIZED, ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.GRANTED_QOS_1),
                MqttProperties.EMPTY);
        assertThat(encode(refusals, MqttVersion.V3_1_1)).containsExactly(unhex("90 05 0001 80 80 01"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x03, 0x87, 0x8F})
    @DisplayName("(3.9.3) MQTT 3.1.1 SUBACK return codes other than 0, 1, 2, 0x80 are malformed")
    void subAckV311Reserved(int code) {
        assertRejected(client(MqttVersion.V3_1_1), packet(0x90).u16(1).u8(code), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.9.3) MQTT 5 SUBACK reason codes outside the table (0x04) are malformed")
    void subAckV5Wrong() {
        assertRejected(client(MqttVersion.V5), packet(0x90).u16(1).noProps().u8(0x04), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.9.3) a SUBACK without reason codes is a protocol error")
    void subAckEmpty() {
        assertRejected(client(MqttVersion.V3_1_1), packet(0x90).u16(1), ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("[MQTT-3.10.3-2] UNSUBSCRIBE without a topic filter is a protocol error")
    void unsubscribeEmpty(MqttVersion v) {
        PacketBytes p = packet(0xA2).u16(1);
        assertRejected(server(v), v.isV5() ? p.noProps() : p, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.10 example) UNSUBSCRIBE a/b and c/d, by hand")
    void unsubscribeByHand() {
        byte[] bytes = unhex("A2 0C 000A 0003 612F62 0003 632F64");
        Unsubscribe u = (Unsubscribe) decode(server(MqttVersion.V3_1_1), bytes);
        assertThat(u.topicFilters()).containsExactly("a/b", "c/d");
        assertThat(encode(u, MqttVersion.V3_1_1)).containsExactly(bytes);
    }

    @Test
    @DisplayName("(2.2.2.2) UNSUBSCRIBE may carry only User Properties: Subscription Identifier is malformed")
    void unsubscribeWrongProperty() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0xA2).u16(1).props(block().u8(0x0B).vbi(1)).str("a"),
                ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.11) MQTT 3.1.1 UNSUBACK has no payload; a reason code byte there is malformed")
    void unsubAckV311() {
        assertThat(decode(client(MqttVersion.V3_1_1), unhex("B0 02 0005")))
                .isEqualTo(new UnsubAck(5, List.of(), MqttProperties.EMPTY));
        assertThat(encode(
                        new UnsubAck(5, List.of(ReasonCode.NOT_AUTHORIZED), MqttProperties.EMPTY), MqttVersion.V3_1_1))
                .containsExactly(unhex("B0 02 0005"));
        assertRejected(client(MqttVersion.V3_1_1), unhex("B0 03 0005 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName(
            "(3.11.3) MQTT 5 UNSUBACK reason codes outside the table (0x01) are malformed; none is a protocol error")
    void unsubAckV5() {
        assertRejected(client(MqttVersion.V5), packet(0xB0).u16(1).noProps().u8(0x01), ReasonCode.MALFORMED_PACKET);
        assertRejected(client(MqttVersion.V5), packet(0xB0).u16(1).noProps(), ReasonCode.PROTOCOL_ERROR);
    }
}
