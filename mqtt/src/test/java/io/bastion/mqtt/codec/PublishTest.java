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
import io.bastion.mqtt.packet.Publish;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PUBLISH (3.3). */
class PublishTest {

    @Test
    @DisplayName("(3.3.2.3 example) PUBLISH topic a/b, packet id 10, by hand; the shortest form is written back")
    void specExample() {
        byte[] bytes = unhex("32 09 0003 612F62 000A 6869"); // QoS 1, payload "hi"
        Publish p = (Publish) decode(server(MqttVersion.V3_1_1), bytes);
        assertThat(p.topic()).isEqualTo("a/b");
        assertThat(p.packetId()).isEqualTo(10);
        assertThat(p.qos()).isEqualTo(1);
        assertThat(p.payload()).containsExactly('h', 'i');
        assertThat(p.properties()).isSameAs(MqttProperties.EMPTY);
        assertThat(encode(p, MqttVersion.V3_1_1)).containsExactly(bytes);
    }

    @Test
    @DisplayName("(1.5.4 example) a topic with U+2A6D4 encoded as F0 AA 9B 94 is decoded")
    void supplementaryCharacter() {
        Publish p = (Publish) decode(server(MqttVersion.V3_1_1), unhex("30 07 0005 41F0AA9B94"));
        assertThat(p.topic()).isEqualTo("A\uD869\uDED4");
        assertThat(p.payload()).isEmpty();
    }

    @Test
    @DisplayName("flags: retain, DUP and QoS come from the fixed header")
    void flags() {
        Publish p = (Publish)
                decode(server(MqttVersion.V5), packet(0x3D).str("t").u16(7).noProps());
        assertThat(p.qos()).isEqualTo(2);
        assertThat(p.dup()).isTrue();
        assertThat(p.retain()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("[MQTT-2.2.1-3] PUBLISH QoS > 0 with Packet Identifier 0 is a protocol error")
    void packetIdZero(MqttVersion v) {
        PacketBytes p = packet(0x32).str("t").u16(0);
        assertRejected(server(v), v.isV5() ? p.noProps() : p, ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/+", "+", "#", "a/#", "a+b", "sport#"})
    @DisplayName("[MQTT-3.3.2-2] a Topic Name with a wildcard character is a protocol error")
    void wildcardTopic(String topic) {
        assertRejected(server(MqttVersion.V3_1_1), packet(0x30).str(topic), ReasonCode.PROTOCOL_ERROR);
        assertRejected(server(MqttVersion.V5), packet(0x30).str(topic).noProps(), ReasonCode.PROTOCOL_ERROR);
        assertRejected(client(MqttVersion.V5), packet(0x30).str(topic).noProps(), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] MQTT 3.1.1: an empty Topic Name is a protocol error")
    void emptyTopicV311() {
        assertRejected(server(MqttVersion.V3_1_1), packet(0x30).str(""), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.3.2.1) MQTT 5: an empty Topic Name with a Topic Alias is decoded; the alias is the connection's")
    void emptyTopicWithAlias() {
        Publish p = (Publish) decode(
                server(MqttVersion.V5),
                packet(0x30).str("").props(block().u8(0x23).u16(4)));
        assertThat(p.topic()).isEmpty();
        assertThat(p.properties().topicAlias()).isEqualTo(4);
    }

    @Test
    @DisplayName("(3.3.2.1) MQTT 5: an empty Topic Name without a Topic Alias is a protocol error")
    void emptyTopicWithoutAlias() {
        assertRejected(server(MqttVersion.V5), packet(0x30).str("").noProps(), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] Topic Alias 0 is a protocol error")
    void topicAliasZero() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x30).str("t").props(block().u8(0x23).u16(0)),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-1.5.4-1] a Topic Name holding an encoded surrogate is malformed")
    void surrogateInTopic() {
        assertRejected(server(MqttVersion.V3_1_1), packet(0x30).bin(unhex("61 ED A0 80")), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-1.5.4-2] a Topic Name holding U+0000 is malformed")
    void nulInTopic() {
        assertRejected(server(MqttVersion.V3_1_1), packet(0x30).bin(unhex("61 00 62")), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.3.4-6] a PUBLISH from a client carrying a Subscription Identifier is a protocol error")
    void subscriptionIdentifierFromClient() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x30).str("t").props(block().u8(0x0B).vbi(5)),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.3.2.3.8) a PUBLISH from the server may carry several Subscription Identifiers, kept in order")
    void subscriptionIdentifiersFromServer() {
        Publish p = (Publish) decode(
                client(MqttVersion.V5),
                packet(0x30).str("t").props(block().u8(0x0B).vbi(300).u8(0x0B).vbi(2)));
        assertThat(p.properties().subscriptionIdentifiers()).containsExactly(300, 2);
    }

    @Test
    @DisplayName("[MQTT-3.3.2-14] a Response Topic with a wildcard is a protocol error")
    void responseTopicWildcard() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x30).str("t").props(block().u8(0x08).str("r/+")),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.3.3) the payload is everything after the variable header, possibly empty")
    void payload() {
        Publish p = (Publish)
                decode(server(MqttVersion.V5), packet(0x30).str("t").noProps().u8(0, 1, 2));
        assertThat(p.payload()).containsExactly(0, 1, 2);
        Publish empty =
                (Publish) decode(server(MqttVersion.V5), packet(0x30).str("t").noProps());
        assertThat(empty.payload()).isEmpty();
    }

    @Test
    @DisplayName("(3.3.2.3.2) payload bytes are not checked against the Payload Format Indicator by the codec")
    void payloadFormatNotChecked() {
        Publish p = (Publish) decode(
                server(MqttVersion.V5),
                packet(0x30).str("t").props(block().u8(0x01).u8(1)).u8(0xFF));
        assertThat(p.properties().payloadFormatIndicator()).isEqualTo(1);
        assertThat(Utf8.isWellFormed(p.payload())).isFalse();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-2] the encoder never sets DUP on QoS 0")
    void encoderClearsDupForQos0() {
        byte[] bytes =
                encode(new Publish("t", 0, false, true, 0, MqttProperties.EMPTY, new byte[0]), MqttVersion.V3_1_1);
        assertThat(bytes[0]).isEqualTo((byte) 0x30);
    }

    @Test
    @DisplayName("[MQTT-2.2.1-3] the encoder refuses QoS > 0 with packet id 0")
    void encoderRefusesPacketIdZero() {
        Publish p = new Publish("t", 1, false, false, 0, MqttProperties.EMPTY, new byte[0]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> encode(p, MqttVersion.V5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("encodedSize matches the bytes written even for a lone surrogate, which is written as '?'")
    void loneSurrogateSizeConsistent() {
        Publish p = new Publish("a\uD800b", 0, false, false, 0, MqttProperties.EMPTY, new byte[0]);
        Publish decoded = (Publish) decode(server(MqttVersion.V3_1_1), encode(p, MqttVersion.V3_1_1));
        assertThat(decoded.topic()).isEqualTo("a?b");
    }
}
