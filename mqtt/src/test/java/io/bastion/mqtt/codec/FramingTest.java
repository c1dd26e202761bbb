package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.CodecAssertions.assertRejected;
import static io.bastion.mqtt.codec.CodecAssertions.assertSamePacket;
import static io.bastion.mqtt.codec.CodecAssertions.client;
import static io.bastion.mqtt.codec.CodecAssertions.encode;
import static io.bastion.mqtt.codec.CodecAssertions.server;
import static io.bastion.mqtt.codec.CodecAssertions.unhex;
import static io.bastion.mqtt.codec.PacketBytes.packet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.PingReq;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixed header (2.1), Remaining Length (1.5.5), size limits and stream handling. */
class FramingTest {

    @ParameterizedTest
    @CsvSource({
        // first byte of a packet the server accepts, with one reserved flag bit set
        "0x11",
        "0x12",
        "0x14",
        "0x18", // CONNECT
        "0x41",
        "0x42",
        "0x48", // PUBACK
        "0x51",
        "0x58", // PUBREC
        "0x60",
        "0x63",
        "0x6A", // PUBREL must be 0010
        "0x71", // PUBCOMP
        "0x80",
        "0x83",
        "0x8A", // SUBSCRIBE must be 0010
        "0xA0",
        "0xA3", // UNSUBSCRIBE must be 0010
        "0xC1", // PINGREQ
        "0xE8", // DISCONNECT
        "0xF1" // AUTH
    })
    @DisplayName("[MQTT-2.2.2-1] [MQTT-2.2.2-2] (v5 [MQTT-2.1.3-1]) invalid fixed header flags are malformed")
    void reservedFlags(String firstByte) {
        // the decision comes from the first byte alone, before the rest arrives
        assertRejected(
                server(MqttVersion.V5),
                new byte[] {(byte) Integer.decode(firstByte).intValue()},
                ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-2.2.2-1] client side: invalid flags on SUBACK, PINGRESP and CONNACK are malformed")
    void reservedFlagsClientSide() {
        for (int b : new int[] {0x91, 0xD2, 0x24}) {
            assertRejected(client(MqttVersion.V3_1_1), new byte[] {(byte) b, 0}, ReasonCode.MALFORMED_PACKET);
        }
    }

    @Test
    @DisplayName("[MQTT-2.1.2] packet type 0 is reserved: malformed")
    void reservedType() {
        assertRejected(server(MqttVersion.V5), new byte[] {0x00, 0x00}, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-4] PUBLISH with QoS 3 is malformed")
    void publishQos3() {
        assertRejected(server(MqttVersion.V5), new byte[] {0x36}, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.3.1-2] PUBLISH with QoS 0 and DUP 1 is malformed")
    void publishDupQos0() {
        assertRejected(server(MqttVersion.V3_1_1), new byte[] {0x38}, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-2.1.2] AUTH (type 15) is reserved before MQTT 5: malformed")
    void authBeforeV5() {
        assertRejected(server(MqttVersion.V3_1_1), new byte[] {(byte) 0xF0, 0}, ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x20, 0x90, 0xB0, 0xD0})
    @DisplayName("(2.1.2 direction of flow) the server rejects packets only a server sends: protocol error")
    void serverRejectsServerPackets(int firstByte) {
        assertRejected(server(MqttVersion.V5), new byte[] {(byte) firstByte}, ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x10, 0x82, 0xA2, 0xC0})
    @DisplayName("(2.1.2 direction of flow) the client rejects packets only a client sends: protocol error")
    void clientRejectsClientPackets(int firstByte) {
        assertRejected(client(MqttVersion.V5), new byte[] {(byte) firstByte}, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] before CONNECT the server decoder rejects any other packet: protocol error")
    void firstPacketMustBeConnect() {
        assertRejected(MqttDecoder.forServer(1000), new byte[] {(byte) 0xC0, 0}, ReasonCode.PROTOCOL_ERROR);
        assertThat(MqttDecoder.forServer(1000).version()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "127, 7F",
        "128, 80 01",
        "16383, FF 7F",
        "16384, 80 80 01",
        "2097151, FF FF 7F",
        "2097152, 80 80 80 01",
        "268435455, FF FF FF 7F"
    })
    @DisplayName("[MQTT-1.5.5] Variable Byte Integer: the examples of table 1-1 encode as the spec shows")
    void variableByteIntegerExamples(int value, String hex) {
        ByteBuf out = Unpooled.buffer();
        Wire.writeVariableByteInteger(out, value);
        assertThat(CodecAssertions.hex(io.netty.buffer.ByteBufUtil.getBytes(out)))
                .isEqualToIgnoringCase(hex.replace(" ", ""));
        assertThat(Wire.variableByteIntegerSize(value)).isEqualTo(out.readableBytes());
        PacketReader r = new PacketReader();
        r.reset(out, out.writerIndex());
        assertThat(r.readVariableByteInteger()).isEqualTo(value);
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a Remaining Length of five bytes is malformed")
    void remainingLengthTooLong() {
        assertRejected(server(MqttVersion.V5), unhex("30 FF FF FF FF 01"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a Remaining Length not in its shortest form is malformed")
    void remainingLengthNotMinimal() {
        assertRejected(server(MqttVersion.V5), unhex("C0 80 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-2.1.4] bytes beyond what the packet holds, inside the Remaining Length, are malformed")
    void extraBytes() {
        assertRejected(server(MqttVersion.V5), unhex("C0 01 00"), ReasonCode.MALFORMED_PACKET);
        assertRejected(server(MqttVersion.V3_1_1), packet(0x40).u16(1).u8(0).bytes(), ReasonCode.MALFORMED_PACKET);
        assertRejected(server(MqttVersion.V3_1_1), packet(0xE0).u8(0).bytes(), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-2.1.4] a Remaining Length too short for the packet's fields is malformed")
    void missingBytes() {
        assertRejected(server(MqttVersion.V5), packet(0x40).u8(1).bytes(), ReasonCode.MALFORMED_PACKET);
        assertRejected(server(MqttVersion.V5), packet(0x30).u16(5).u8('a').bytes(), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName(
            "(v5 3.2.2.3.6) a packet larger than the maximum packet size is PACKET_TOO_LARGE before its body arrives")
    void tooLargeBeforeBody() {
        MqttDecoder d = MqttDecoder.forServer(100);
        d.version(MqttVersion.V5);
        // only the fixed header of a 2 + 99 byte PUBLISH is there
        ByteBuf in = Unpooled.wrappedBuffer(unhex("30 63"));
        assertThatThrownBy(() -> d.decode(in))
                .isInstanceOf(MqttCodecException.class)
                .extracting(e -> ((MqttCodecException) e).reasonCode())
                .isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    @DisplayName("the maximum packet size counts the whole packet, fixed header included, and may change")
    void maximumIsInclusive() {
        Publish p = new Publish("t", 0, false, false, 0, MqttProperties.EMPTY, new byte[95]);
        byte[] bytes = encode(p, MqttVersion.V5);
        assertThat(bytes).hasSize(101);
        MqttDecoder d = MqttDecoder.forServer(101);
        d.version(MqttVersion.V5);
        assertSamePacket(CodecAssertions.decode(d, bytes), p);
        d.maximumPacketSize(100);
        assertRejected(d, bytes, ReasonCode.PACKET_TOO_LARGE);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("partial input returns null and consumes nothing, for every prefix of every packet")
    void partialInput(MqttVersion version) {
        for (MqttPacket p : SamplePackets.fromClient(version)) {
            byte[] bytes = encode(p, version);
            for (int n = 0; n < bytes.length; n++) {
                ByteBuf in = Unpooled.wrappedBuffer(bytes, 0, n);
                MqttDecoder d =
                        p instanceof io.bastion.mqtt.packet.Connect ? MqttDecoder.forServer(1 << 20) : server(version);
                assertThat(d.decode(in))
                        .as("%s with %d of %d bytes", p, n, bytes.length)
                        .isNull();
                assertThat(in.readerIndex()).isZero();
            }
        }
    }

    @Test
    @DisplayName("several packets in one buffer are decoded one at a time, the last partial one waits")
    void streamOfPackets() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(encode(PingReq.INSTANCE, MqttVersion.V5));
        in.writeBytes(encode(new PubAck(5), MqttVersion.V5));
        byte[] third = encode(new PubAck(6, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY), MqttVersion.V5);
        in.writeBytes(third, 0, 2);
        MqttDecoder d = server(MqttVersion.V5);
        assertThat(d.decode(in)).isEqualTo(PingReq.INSTANCE);
        assertThat(d.decode(in)).isEqualTo(new PubAck(5));
        int before = in.readerIndex();
        assertThat(d.decode(in)).isNull();
        assertThat(in.readerIndex()).isEqualTo(before);
        in.writeBytes(third, 2, third.length - 2);
        assertThat(d.decode(in)).isEqualTo(new PubAck(6, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY));
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    @DisplayName("decoding honours the buffer's reader index (a packet behind other bytes)")
    void readerIndexRespected() {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(new byte[] {9, 9, 9});
        in.writeBytes(encode(new PubAck(77), MqttVersion.V3_1_1));
        in.readerIndex(3);
        assertThat(server(MqttVersion.V3_1_1).decode(in)).isEqualTo(new PubAck(77));
    }

    @Test
    @DisplayName("the encoder refuses a packet larger than a Remaining Length can describe")
    void encoderRejectsHugePacket() {
        Publish p = new Publish("t", 0, false, false, 0, MqttProperties.EMPTY, new byte[268_435_455]);
        assertThatThrownBy(() -> MqttEncoder.encodedSize(p, MqttVersion.V3_1_1))
                .isInstanceOf(IllegalArgumentException.class);
        ByteBuf out = Unpooled.buffer();
        assertThatThrownBy(() -> MqttEncoder.encode(p, MqttVersion.V3_1_1, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.writerIndex()).isZero();
    }
}
