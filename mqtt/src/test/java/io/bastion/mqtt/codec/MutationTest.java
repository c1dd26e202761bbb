package io.bastion.mqtt.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.MqttPacket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The fuzz invariants over seeded random mutations of valid packets: deterministic, and quick enough
 * for every build, so it guards the decoder even where Jazzer is not fuzzing.
 */
class MutationTest {

    @Test
    @DisplayName("mutated valid packets: only MqttCodecException escapes, accepted packets round-trip")
    void mutatedPackets() {
        List<byte[]> seeds = seeds();
        Random random = new Random(1);
        for (int i = 0; i < 50_000; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            DecoderInvariants.check(mutate(seed, random));
        }
    }

    @Test
    @DisplayName("every Jazzer seed input is a stream of valid packets, decoded to the last byte")
    void seedCorpusIsValid() throws IOException, URISyntaxException {
        Path dir = Path.of(MutationTest.class
                .getResource("MqttDecoderFuzzTestInputs/decode")
                .toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> seeds = files.toList();
            assertThat(seeds).isNotEmpty();
            for (Path seed : seeds) {
                DecoderInvariants.Decoded d = DecoderInvariants.decodeAll(Files.readAllBytes(seed));
                assertThat(d.packets()).as(seed.toString()).hasSizeGreaterThan(1);
                assertThat(d.leftover()).as(seed.toString()).isZero();
            }
        }
    }

    /** Each sample packet, prefixed with the mode byte that selects the matching decoder. */
    static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        MqttVersion[] versions = MqttVersion.values();
        for (int v = 0; v < versions.length; v++) {
            for (MqttPacket p : SamplePackets.fromClient(versions[v])) {
                seeds.add(withMode(0x0C | v, CodecAssertions.encode(p, versions[v])));
            }
            for (MqttPacket p : SamplePackets.fromServer(versions[v])) {
                seeds.add(withMode(v, CodecAssertions.encode(p, versions[v])));
            }
        }
        return seeds;
    }

    private static byte[] withMode(int mode, byte[] packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(mode);
        out.writeBytes(packet);
        return out.toByteArray();
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = 1 + random.nextInt(b.length - 1);
            switch (random.nextInt(4)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> b[at] = (byte) (random.nextBoolean() ? 0 : 0xFF);
                default -> {
                    byte[] shorter = new byte[at];
                    System.arraycopy(b, 0, shorter, 0, at);
                    b = shorter.length > 1 ? shorter : b;
                }
            }
        }
        return b;
    }
}
