package io.bastion.mqtt.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary bytes into both decoders. In {@code mvn test} this replays the seed inputs under
 * src/test/resources/io/bastion/mqtt/codec/MqttDecoderFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class MqttDecoderFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] data) {
        DecoderInvariants.check(data);
    }
}
