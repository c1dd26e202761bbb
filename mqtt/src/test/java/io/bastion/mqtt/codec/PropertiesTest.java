package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.CodecAssertions.assertRejected;
import static io.bastion.mqtt.codec.CodecAssertions.client;
import static io.bastion.mqtt.codec.CodecAssertions.decode;
import static io.bastion.mqtt.codec.CodecAssertions.server;
import static io.bastion.mqtt.codec.PacketBytes.block;
import static io.bastion.mqtt.codec.PacketBytes.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.PropertyId;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.UserProperty;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Publish;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The MQTT 5 property block (2.2.2) as carried by CONNECT, CONNACK and PUBLISH. */
class PropertiesTest {

    /** A CONNECT whose connect properties are {@code content}. */
    private static PacketBytes connectWith(PacketBytes content) {
        return packet(0x10).str("MQTT").u8(5).u8(0x02).u16(10).props(content).str("c");
    }

    /** A CONNACK whose properties are {@code content}. */
    private static PacketBytes connAckWith(PacketBytes content) {
        return packet(0x20).u8(0).u8(0).props(content);
    }

    /** A QoS 0 PUBLISH to "t" whose properties are {@code content}. */
    private static PacketBytes publishWith(PacketBytes content) {
        return packet(0x30).str("t").props(content);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x04, 0x0A, 0x10, 0x14, 0x2B, 0x7F, 0x80, 0xFF})
    @DisplayName("(2.2.2.2) an unknown property identifier is malformed")
    void unknownIdentifier(int id) {
        assertRejected(server(MqttVersion.V5), publishWith(block().u8(id).u8(0)), ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @CsvSource({
        "0x23, 2", // Topic Alias
        "0x01, 1", // Payload Format Indicator
        "0x12, 2", // Assigned Client Identifier (a string of length 0 would be 00 00)
        "0x1F, 2", // Reason String
        "0x0B, 1", // Subscription Identifier
        "0x24, 1" // Maximum QoS
    })
    @DisplayName("(2.2.2.2) a property not allowed in CONNECT is malformed")
    void notAllowedInConnect(String id, int valueBytes) {
        PacketBytes content = block().u8(Integer.decode(id));
        for (int i = 0; i < valueBytes; i++) {
            content.u8(i == 0 && valueBytes == 1 ? 1 : 0);
        }
        assertRejected(MqttDecoder.forServer(1000), connectWith(content), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(2.2.2.2) a property not allowed in PUBLISH (Session Expiry Interval) is malformed")
    void notAllowedInPublish() {
        assertRejected(server(MqttVersion.V5), publishWith(block().u8(0x11).u32(1)), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(2.2.2.2) a Will Delay Interval among the CONNECT properties (not the Will properties) is malformed")
    void willDelayOutsideWill() {
        assertRejected(MqttDecoder.forServer(1000), connectWith(block().u8(0x18).u32(1)), ReasonCode.MALFORMED_PACKET);
    }

    static Stream<Arguments> singleValued() {
        return Stream.of(
                Arguments.of(
                        PropertyId.SESSION_EXPIRY_INTERVAL, block().u8(0x11).u32(1), "connect"),
                Arguments.of(PropertyId.RECEIVE_MAXIMUM, block().u8(0x21).u16(1), "connect"),
                Arguments.of(PropertyId.MAXIMUM_PACKET_SIZE, block().u8(0x27).u32(100), "connect"),
                Arguments.of(PropertyId.TOPIC_ALIAS_MAXIMUM, block().u8(0x22).u16(1), "connect"),
                Arguments.of(
                        PropertyId.REQUEST_RESPONSE_INFORMATION,
                        block().u8(0x19).u8(1),
                        "connect"),
                Arguments.of(
                        PropertyId.REQUEST_PROBLEM_INFORMATION, block().u8(0x17).u8(1), "connect"),
                Arguments.of(PropertyId.AUTHENTICATION_METHOD, block().u8(0x15).str("m"), "connect"),
                Arguments.of(
                        PropertyId.ASSIGNED_CLIENT_IDENTIFIER, block().u8(0x12).str("a"), "connack"),
                Arguments.of(PropertyId.SERVER_KEEP_ALIVE, block().u8(0x13).u16(1), "connack"),
                Arguments.of(PropertyId.RESPONSE_INFORMATION, block().u8(0x1A).str("r"), "connack"),
                Arguments.of(PropertyId.SERVER_REFERENCE, block().u8(0x1C).str("s"), "connack"),
                Arguments.of(PropertyId.REASON_STRING, block().u8(0x1F).str("s"), "connack"),
                Arguments.of(PropertyId.MAXIMUM_QOS, block().u8(0x24).u8(1), "connack"),
                Arguments.of(PropertyId.RETAIN_AVAILABLE, block().u8(0x25).u8(1), "connack"),
                Arguments.of(
                        PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE,
                        block().u8(0x28).u8(1),
                        "connack"),
                Arguments.of(
                        PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                        block().u8(0x29).u8(1),
                        "connack"),
                Arguments.of(
                        PropertyId.SHARED_SUBSCRIPTION_AVAILABLE,
                        block().u8(0x2A).u8(1),
                        "connack"),
                Arguments.of(
                        PropertyId.AUTHENTICATION_DATA,
                        block().u8(0x15).str("m").u8(0x16).u16(0),
                        "connack"),
                Arguments.of(
                        PropertyId.PAYLOAD_FORMAT_INDICATOR, block().u8(0x01).u8(0), "publish"),
                Arguments.of(
                        PropertyId.MESSAGE_EXPIRY_INTERVAL, block().u8(0x02).u32(1), "publish"),
                Arguments.of(PropertyId.CONTENT_TYPE, block().u8(0x03).str("c"), "publish"),
                Arguments.of(PropertyId.RESPONSE_TOPIC, block().u8(0x08).str("r"), "publish"),
                Arguments.of(PropertyId.CORRELATION_DATA, block().u8(0x09).u16(0), "publish"),
                Arguments.of(PropertyId.TOPIC_ALIAS, block().u8(0x23).u16(1), "publish"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleValued")
    @DisplayName(
            "(3.x.2.x \"It is a Protocol Error to include ... more than once\") a repeated single-valued property is a protocol error")
    void repeated(PropertyId id, PacketBytes once, String packetType) {
        byte[] one = once.bytes();
        PacketBytes twice = block().raw(one).raw(one);
        Function<PacketBytes, PacketBytes> packet = packetFor(packetType);
        // once is fine
        if (packetType.equals("connack")) {
            decode(client(MqttVersion.V5), packet.apply(block().raw(one)));
            assertRejected(client(MqttVersion.V5), packet.apply(twice), ReasonCode.PROTOCOL_ERROR);
        } else {
            decode(freshOrV5(packetType), packet.apply(block().raw(one)));
            assertRejected(freshOrV5(packetType), packet.apply(twice), ReasonCode.PROTOCOL_ERROR);
        }
    }

    private static MqttDecoder freshOrV5(String packetType) {
        return packetType.equals("connect") ? MqttDecoder.forServer(1000) : server(MqttVersion.V5);
    }

    private static Function<PacketBytes, PacketBytes> packetFor(String packetType) {
        return switch (packetType) {
            case "connect" -> PropertiesTest::connectWith;
            case "connack" -> PropertiesTest::connAckWith;
            default -> PropertiesTest::publishWith;
        };
    }

    @ParameterizedTest
    @CsvSource({
        "0x21, 0000, Receive Maximum 0", // 3.1.2.11.3
        "0x27, 00000000, Maximum Packet Size 0", // 3.1.2.11.4
        "0x17, 02, Request Problem Information 2", // 3.1.2.11.7
        "0x19, 02, Request Response Information 2" // 3.1.2.11.6
    })
    @DisplayName("(3.1.2.11) CONNECT property values outside their range are protocol errors")
    void connectRanges(String id, String valueHex, String what) {
        PacketBytes content = block().u8(Integer.decode(id)).raw(CodecAssertions.unhex(valueHex));
        assertRejected(MqttDecoder.forServer(1000), connectWith(content), ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @CsvSource({
        "0x24, 02", // Maximum QoS
        "0x25, 02", // Retain Available
        "0x28, 02", // Wildcard Subscription Available
        "0x29, 02", // Subscription Identifier Available
        "0x2A, FF", // Shared Subscription Available
        "0x21, 0000", // Receive Maximum
        "0x27, 00000000" // Maximum Packet Size
    })
    @DisplayName("(3.2.2.3) CONNACK property values outside their range are protocol errors")
    void connAckRanges(String id, String valueHex) {
        PacketBytes content = block().u8(Integer.decode(id)).raw(CodecAssertions.unhex(valueHex));
        assertRejected(client(MqttVersion.V5), connAckWith(content), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.3.2.3.2) a Payload Format Indicator other than 0 or 1 is a protocol error")
    void payloadFormatIndicatorRange() {
        assertRejected(server(MqttVersion.V5), publishWith(block().u8(0x01).u8(2)), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.1.2.11.8) User Properties may repeat, also with the same name, and keep their order")
    void userPropertiesKeepOrder() {
        PacketBytes content = block().u8(0x26)
                .str("b")
                .str("1")
                .u8(0x26)
                .str("a")
                .str("2")
                .u8(0x26)
                .str("b")
                .str("3");
        Publish p = (Publish) decode(server(MqttVersion.V5), publishWith(content));
        assertThat(p.properties().userProperties())
                .containsExactly(new UserProperty("b", "1"), new UserProperty("a", "2"), new UserProperty("b", "3"));
    }

    @Test
    @DisplayName("(2.2.2.2) four-byte integers are unsigned: 0xFFFFFFFF is 4294967295")
    void unsignedFourByteIntegers() {
        Connect c = (Connect)
                decode(MqttDecoder.forServer(1000), connectWith(block().u8(0x11).u32(0xFFFF_FFFFL)));
        assertThat(c.properties().sessionExpiryInterval()).isEqualTo(4_294_967_295L);
    }

    @Test
    @DisplayName("(2.2.2.1) a property length running past the end of the packet is malformed")
    void propertyLengthTooLong() {
        assertRejected(
                server(MqttVersion.V5), packet(0x30).str("t").u8(10).u8(0x01, 0x00), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(2.2.2.1) a property value running past the end of the property block is malformed")
    void valuePastBlock() {
        // the block is 3 bytes long but the string inside claims 5; the bytes after belong to the payload
        PacketBytes p = packet(0x30).str("t").u8(3).u8(0x03).u16(5).u8('a', 'b', 'c', 'd', 'e');
        assertRejected(server(MqttVersion.V5), p, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-1.5.4-1] a property string of ill-formed UTF-8 is malformed")
    void illFormedPropertyString() {
        PacketBytes content = block().u8(0x26).str("k").bin(CodecAssertions.unhex("ED A0 80"));
        assertRejected(server(MqttVersion.V5), publishWith(content), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(1.5.5) a Subscription Identifier of five bytes is malformed")
    void subscriptionIdentifierTooLong() {
        PacketBytes content = block().u8(0x0B).u8(0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertRejected(client(MqttVersion.V5), publishWith(content), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.2.2.3) every CONNACK property is read into the model")
    void allConnAckProperties() {
        ConnAck a = new ConnAck(false, ReasonCode.SUCCESS, SamplePackets.connAckProperties());
        ConnAck decoded = (ConnAck) decode(client(MqttVersion.V5), CodecAssertions.encode(a, MqttVersion.V5));
        assertThat(decoded.properties()).isEqualTo(SamplePackets.connAckProperties());
    }

    @Test
    @DisplayName("a packet without properties shares MqttProperties.EMPTY (nothing allocated)")
    void emptyIsShared() {
        Publish p =
                (Publish) decode(server(MqttVersion.V5), packet(0x30).str("t").noProps());
        assertThat(p.properties()).isSameAs(MqttProperties.EMPTY);
    }
}
