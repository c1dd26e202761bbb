package io.bastion.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.MqttPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold for any input bytes: the decoders throw nothing but {@link MqttCodecException}, and
 * whatever they accept encodes to exactly {@link MqttEncoder#encodedSize} bytes and decodes back to
 * the same packet. Shared by the Jazzer fuzz test and the seeded mutation test.
 */
final class DecoderInvariants {
    private static final MqttVersion[] VERSIONS = MqttVersion.values();

    private DecoderInvariants() {}

    /**
     * The first byte picks the decoder: bit 0-1 the version, bit 2 server or client, bit 3 whether a
     * server already saw CONNECT, bit 4 a small maximum packet size. The rest is the byte stream.
     */
    static void check(byte[] data) {
        try {
            decodeAll(data);
        } catch (MqttCodecException expected) {
            assertThat(expected.reasonCode()).isNotNull();
        }
    }

    /** Decodes every whole packet, checking each round trip; returns them and the bytes left over. */
    static Decoded decodeAll(byte[] data) {
        List<MqttPacket> packets = new ArrayList<>();
        if (data.length == 0) {
            return new Decoded(packets, 0);
        }
        int mode = data[0] & 0xFF;
        MqttVersion version = VERSIONS[(mode & 0x03) % VERSIONS.length];
        boolean server = (mode & 0x04) != 0;
        int maximum = (mode & 0x10) != 0 ? 64 : 1 << 16;
        MqttDecoder decoder = server ? MqttDecoder.forServer(maximum) : MqttDecoder.forClient(version, maximum);
        if (server && (mode & 0x08) != 0) {
            decoder.version(version);
        }
        ByteBuf in = Unpooled.wrappedBuffer(data, 1, data.length - 1);
        MqttPacket packet;
        while ((packet = decoder.decode(in)) != null) {
            assertRoundTrip(packet, server, decoder.version());
            packets.add(packet);
        }
        return new Decoded(packets, in.readableBytes());
    }

    record Decoded(List<MqttPacket> packets, int leftover) {}

    private static void assertRoundTrip(MqttPacket packet, boolean server, MqttVersion decoderVersion) {
        MqttVersion version = packet instanceof Connect c ? c.version() : decoderVersion;
        ByteBuf out = Unpooled.buffer();
        MqttEncoder.encode(packet, version, out);
        assertThat(out.readableBytes())
                .as("encodedSize of %s", packet)
                .isEqualTo(MqttEncoder.encodedSize(packet, version));
        MqttDecoder again =
                server ? MqttDecoder.forServer(Integer.MAX_VALUE) : MqttDecoder.forClient(version, Integer.MAX_VALUE);
        if (server && !(packet instanceof Connect)) {
            again.version(version);
        }
        MqttPacket decoded = again.decode(out);
        assertThat(decoded).as("re-decoded %s", packet).isNotNull();
        assertThat(out.isReadable())
                .as("bytes left after re-decoding %s", packet)
                .isFalse();
        CodecAssertions.assertSamePacket(decoded, packet);
    }
}
