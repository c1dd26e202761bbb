package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.CodecAssertions.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    private static boolean mqtt(byte[] b) {
        return Utf8.isMqttString(Unpooled.wrappedBuffer(b), 0, b.length);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a",
                "sensors/room-1/temperature",
                "exactly8",
                "more than eight bytes of ascii, then é and 😀 then ascii again",
                "Ā߿ࠀ퟿豈￿𐀀\uDBFF\uDFFF",
                "A\uD869\uDED4"
            })
    @DisplayName("[MQTT-1.5.4-1] well-formed UTF-8 is accepted, also next to the ASCII fast path")
    void acceptsWellFormed(String s) {
        assertThat(mqtt(s.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "C0 80", // overlong U+0000
                "C1 BF", // overlong
                "E0 9F BF", // overlong 3-byte
                "F0 8F BF BF", // overlong 4-byte
                "ED A0 80", // U+D800, a surrogate
                "ED BF BF", // U+DFFF, a surrogate
                "ED A0 BD ED B8 80", // CESU-8 surrogate pair
                "F4 90 80 80", // above U+10FFFF
                "F5 80 80 80",
                "FF",
                "80", // stray continuation byte
                "C3", // truncated
                "E2 82", // truncated
                "F0 9F 98", // truncated
                "C3 28", // bad continuation
                "41 41 41 41 41 41 41 41 41 C3" // truncated after the fast path
            })
    @DisplayName("[MQTT-1.5.4-1] ill-formed UTF-8 (overlong, surrogates, > U+10FFFF, truncated) is rejected")
    void rejectsIllFormed(String hex) {
        byte[] b = unhex(hex);
        assertThat(mqtt(b)).isFalse();
        assertThat(Utf8.isWellFormed(b)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "41 00", "41 41 41 41 41 41 41 00", "41 41 41 41 41 41 41 41 41 41 00 41"})
    @DisplayName("[MQTT-1.5.4-2] U+0000 is not allowed in an MQTT string but is well-formed UTF-8")
    void nulIsNotAnMqttCharacter(String hex) {
        byte[] b = unhex(hex);
        assertThat(mqtt(b)).isFalse();
        assertThat(Utf8.isWellFormed(b)).isTrue();
    }

    @Test
    @DisplayName("[MQTT-1.5.4-3] a BOM (U+FEFF) is an ordinary character, not skipped or rejected")
    void byteOrderMarkIsKept() {
        assertThat(mqtt(unhex("EF BB BF 41"))).isTrue();
    }

    @Test
    @DisplayName("validation honours index and length within a larger buffer")
    void honoursRegion() {
        byte[] b = unhex("FF 41 42 FF");
        assertThat(Utf8.isMqttString(Unpooled.wrappedBuffer(b), 1, 2)).isTrue();
        assertThat(Utf8.isMqttString(Unpooled.wrappedBuffer(b), 1, 3)).isFalse();
    }

    @Test
    @DisplayName("agrees with the JDK's strict UTF-8 decoder on random input")
    void agreesWithJdk() {
        Random random = new Random(42);
        byte[] alphabet = unhex("00 41 7F 80 9F A0 BF C2 DF E0 ED EF F0 F4 F5");
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[random.nextInt(12)];
            for (int j = 0; j < b.length; j++) {
                b[j] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt();
            }
            if (Utf8.isWellFormed(b) != jdkAccepts(b)) {
                fail("disagrees with the JDK on " + CodecAssertions.hex(b));
            }
        }
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
