package io.bastion.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.MqttPacket;
import io.bastion.mqtt.packet.Publish;
import io.bastion.mqtt.packet.Will;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Shared helpers: decoders in a known state, encode/decode with checks, packet equality. */
final class CodecAssertions {
    static final int MAX = 1 << 20;

    private CodecAssertions() {}

    /** A server decoder that has already seen a CONNECT of {@code version}. */
    static MqttDecoder server(MqttVersion version) {
        MqttDecoder d = MqttDecoder.forServer(MAX);
        d.version(version);
        return d;
    }

    static MqttDecoder client(MqttVersion version) {
        return MqttDecoder.forClient(version, MAX);
    }

    /** Decodes exactly one packet that spans all of {@code bytes}. */
    static MqttPacket decode(MqttDecoder d, byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        MqttPacket p = d.decode(in);
        assertThat(p).as("decoded packet").isNotNull();
        assertThat(in.readableBytes()).as("bytes left").isZero();
        return p;
    }

    static MqttPacket decode(MqttDecoder d, PacketBytes bytes) {
        return decode(d, bytes.bytes());
    }

    static void assertRejected(MqttDecoder d, PacketBytes bytes, ReasonCode reason) {
        assertRejected(d, bytes.bytes(), reason);
    }

    static void assertRejected(MqttDecoder d, byte[] bytes, ReasonCode reason) {
        assertThatThrownBy(() -> d.decode(Unpooled.wrappedBuffer(bytes)))
                .isInstanceOf(MqttCodecException.class)
                .extracting(e -> ((MqttCodecException) e).reasonCode())
                .isEqualTo(reason);
    }

    /** Encodes and checks that {@link MqttEncoder#encodedSize} predicted the size exactly. */
    static byte[] encode(MqttPacket p, MqttVersion version) {
        ByteBuf out = Unpooled.buffer();
        MqttEncoder.encode(p, version, out);
        assertThat(out.readableBytes()).as("encodedSize of %s", p).isEqualTo(MqttEncoder.encodedSize(p, version));
        return ByteBufUtil.getBytes(out);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] unhex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** Packets holding byte arrays compare those by content, not identity. */
    static void assertSamePacket(MqttPacket actual, MqttPacket expected) {
        assertThat(comparable(actual)).isEqualTo(comparable(expected));
    }

    private static Object comparable(MqttPacket p) {
        if (p instanceof Publish x) {
            return List.of(
                    "Publish", x.topic(), x.qos(), x.retain(), x.dup(), x.packetId(), x.properties(), hex(x.payload()));
        }
        if (p instanceof Connect c) {
            return Arrays.asList(
                    "Connect",
                    c.version(),
                    c.clientId(),
                    c.cleanStart(),
                    c.keepAlive(),
                    c.username(),
                    c.password() == null ? null : hex(c.password()),
                    comparable(c.will()),
                    c.properties());
        }
        return p;
    }

    private static Object comparable(Will w) {
        return w == null ? null : List.of("Will", w.topic(), hex(w.payload()), w.qos(), w.retain(), w.properties());
    }
}
