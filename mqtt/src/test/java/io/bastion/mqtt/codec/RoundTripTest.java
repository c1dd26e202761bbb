package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.CodecAssertions.assertSamePacket;
import static io.bastion.mqtt.codec.CodecAssertions.client;
import static io.bastion.mqtt.codec.CodecAssertions.decode;
import static io.bastion.mqtt.codec.CodecAssertions.encode;
import static io.bastion.mqtt.codec.CodecAssertions.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.MqttPacket;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** encode then decode gives the same packet, for every packet type in each version and direction. */
class RoundTripTest {

    static Stream<Arguments> clientPackets() {
        return Stream.of(MqttVersion.values())
                .flatMap(v -> SamplePackets.fromClient(v).stream().map(p -> Arguments.of(v, p)));
    }

    static Stream<Arguments> serverPackets() {
        return Stream.of(MqttVersion.values())
                .flatMap(v -> SamplePackets.fromServer(v).stream().map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientPackets")
    @DisplayName("client packets survive encode and decode by the server decoder")
    void clientToServer(MqttVersion version, MqttPacket packet) {
        byte[] bytes = encode(packet, version);
        MqttDecoder decoder = packet instanceof Connect ? MqttDecoder.forServer(1 << 20) : server(version);
        assertSamePacket(decode(decoder, bytes), packet);
        assertThat(decoder.version()).isEqualTo(version);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serverPackets")
    @DisplayName("server packets survive encode and decode by the client decoder")
    void serverToClient(MqttVersion version, MqttPacket packet) {
        assertSamePacket(decode(client(version), encode(packet, version)), packet);
    }
}
