package io.bastion.mqtt.codec;

import static io.bastion.mqtt.codec.CodecAssertions.assertRejected;
import static io.bastion.mqtt.codec.CodecAssertions.client;
import static io.bastion.mqtt.codec.CodecAssertions.decode;
import static io.bastion.mqtt.codec.CodecAssertions.encode;
import static io.bastion.mqtt.codec.CodecAssertions.hex;
import static io.bastion.mqtt.codec.CodecAssertions.unhex;
import static io.bastion.mqtt.codec.PacketBytes.block;
import static io.bastion.mqtt.codec.PacketBytes.packet;
import static io.bastion.mqtt.codec.SamplePackets.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Will;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT (3.1) and CONNACK (3.2). */
class ConnectTest {

    private static MqttDecoder server() {
        return MqttDecoder.forServer(1 << 20);
    }

    /** A CONNECT header of {@code version} with these connect flags, keep alive 10, ready for its payload. */
    private static PacketBytes connect(MqttVersion version, int flags) {
        PacketBytes p = packet(0x10)
                .str(version.protocolName())
                .u8(version.level())
                .u8(flags)
                .u16(10);
        return version.isV5() ? p.noProps() : p;
    }

    @Test
    @DisplayName("(3.1.2.10 example) MQTT 3.1.1 CONNECT with will, user name and password, by hand")
    void specExampleV311() {
        // flags 0xCE: user name, password, will QoS 1, will, clean session; keep alive 10
        byte[] bytes = unhex("10 2C 0004 4D515454 04 CE 000A"
                + " 0002 6431" // client id "d1"
                + " 000A 642F312F737461747573" // will topic "d/1/status"
                + " 0003 6F6666" // will payload "off"
                + " 0004 75736572" // user name "user"
                + " 0004 70617373"); // password "pass"
        Connect c = (Connect) decode(server(), fixLength(bytes));
        assertThat(c.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(c.clientId()).isEqualTo("d1");
        assertThat(c.cleanStart()).isTrue();
        assertThat(c.keepAlive()).isEqualTo(10);
        assertThat(c.username()).isEqualTo("user");
        assertThat(c.password()).containsExactly(utf8("pass"));
        assertThat(c.will().topic()).isEqualTo("d/1/status");
        assertThat(c.will().payload()).containsExactly(utf8("off"));
        assertThat(c.will().qos()).isEqualTo(1);
        assertThat(c.will().retain()).isFalse();
        assertThat(c.properties()).isSameAs(MqttProperties.EMPTY);
    }

    /** Rewrites the one-byte Remaining Length of a hand-written packet to what follows it. */
    private static byte[] fixLength(byte[] bytes) {
        bytes[1] = (byte) (bytes.length - 2);
        return bytes;
    }

    @Test
    @DisplayName("(3.1.2.11 example) MQTT 5 CONNECT variable header with Session Expiry Interval 10, by hand")
    void specExampleV5() {
        byte[] bytes = fixLength(unhex("10 00 0004 4D515454 05 C2 000A 05 11 0000000A 0000 0001 75 0001 70"));
        Connect c = (Connect) decode(server(), bytes);
        assertThat(c.version()).isEqualTo(MqttVersion.V5);
        assertThat(c.properties().sessionExpiryInterval()).isEqualTo(10L);
        assertThat(c.clientId()).isEmpty();
        assertThat(hex(encode(c, MqttVersion.V5))).isEqualTo(hex(bytes));
    }

    @Test
    @DisplayName("MQTT 3.1 (MQIsdp, level 3) CONNECT is accepted and written back the same")
    void mqtt31() {
        byte[] bytes =
                packet(0x10).str("MQIsdp").u8(3).u8(0x02).u16(30).str("c").bytes();
        MqttDecoder d = server();
        Connect c = (Connect) decode(d, bytes);
        assertThat(c.version()).isEqualTo(MqttVersion.V3_1);
        assertThat(d.version()).isEqualTo(MqttVersion.V3_1);
        assertThat(encode(c, MqttVersion.V3_1)).containsExactly(bytes);
    }

    @ParameterizedTest
    @CsvSource({"MQTT, 3", "MQTT, 6", "MQTT, 0", "MQIsdp, 4", "MQTX, 4", "mqtt, 4", "MQTT, 132"})
    @DisplayName("[MQTT-3.1.2-2] an unknown protocol name or level is UNSUPPORTED_PROTOCOL_VERSION")
    void unsupportedProtocol(String name, int level) {
        MqttDecoder d = server();
        assertRejected(
                d, packet(0x10).str(name).u8(level).u8(0x02).u16(10).str("c"), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
        assertThat(d.version()).isNull();
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("[MQTT-3.1.2-3] the reserved CONNECT flag set is malformed")
    void reservedFlag(MqttVersion version) {
        assertRejected(server(), connect(version, 0x03).str("c"), ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x08, 0x10, 0x18})
    @DisplayName("[MQTT-3.1.2-13] (v5 [MQTT-3.1.2-11]) Will QoS set without the Will Flag is malformed")
    void willQosWithoutWill(int flags) {
        assertRejected(server(), connect(MqttVersion.V3_1_1, flags).str("c"), ReasonCode.MALFORMED_PACKET);
        assertRejected(server(), connect(MqttVersion.V5, flags).str("c"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-15] (v5 [MQTT-3.1.2-13]) Will Retain set without the Will Flag is malformed")
    void willRetainWithoutWill() {
        assertRejected(server(), connect(MqttVersion.V3_1_1, 0x20).str("c"), ReasonCode.MALFORMED_PACKET);
        assertRejected(server(), connect(MqttVersion.V5, 0x20).str("c"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-14] (v5 [MQTT-3.1.2-12]) Will QoS 3 is malformed")
    void willQos3() {
        PacketBytes p = connect(MqttVersion.V3_1_1, 0x1C).str("c").str("w").str("x");
        assertRejected(server(), p, ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] MQTT 3.1.1: Password Flag without User Name Flag is malformed")
    void passwordWithoutUserNameV311() {
        assertRejected(server(), connect(MqttVersion.V3_1_1, 0x42).str("c").str("pw"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.1.2.9) MQTT 5 allows a password without a user name")
    void passwordWithoutUserNameV5() {
        Connect c = (Connect)
                decode(server(), connect(MqttVersion.V5, 0x42).str("c").str("pw"));
        assertThat(c.username()).isNull();
        assertThat(c.password()).containsExactly(utf8("pw"));
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] an empty Client Identifier is decoded; accepting it is the broker's decision")
    void emptyClientId() {
        Connect c = (Connect) decode(server(), connect(MqttVersion.V3_1_1, 0x02).str(""));
        assertThat(c.clientId()).isEmpty();
    }

    @Test
    @DisplayName("[MQTT-3.1.3-4] a Client Identifier of ill-formed UTF-8 is malformed")
    void clientIdNotUtf8() {
        assertRejected(server(), connect(MqttVersion.V5, 0x02).bin(unhex("C0 80")), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-4.7.1-1] (v5 [MQTT-4.7.0-1]) a Will Topic with a wildcard is a protocol error")
    void willTopicWildcard() {
        PacketBytes p = connect(MqttVersion.V3_1_1, 0x06).str("c").str("a/#").str("x");
        assertRejected(server(), p, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.1.2.11.10) Authentication Data without Authentication Method is a protocol error")
    void authDataWithoutMethod() {
        PacketBytes p = packet(0x10)
                .str("MQTT")
                .u8(5)
                .u8(0x02)
                .u16(10)
                .props(block().u8(0x16).bin(new byte[] {1}))
                .str("c");
        assertRejected(server(), p, ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.1.3.2) Will Properties in CONNECT are read into the Will")
    void willProperties() {
        PacketBytes p = connect(MqttVersion.V5, 0x2E)
                .str("c")
                .props(block().u8(0x18).u32(5).u8(0x01).u8(1))
                .str("w/t")
                .bin(utf8("bye"));
        Connect c = (Connect) decode(server(), p);
        Will w = c.will();
        assertThat(w.qos()).isEqualTo(1);
        assertThat(w.retain()).isTrue();
        assertThat(w.properties().willDelayInterval()).isEqualTo(5L);
        assertThat(w.properties().payloadFormatIndicator()).isEqualTo(1);
    }

    @Test
    @DisplayName("the server decoder keeps the first CONNECT's version; a second CONNECT is still decoded")
    void secondConnect() {
        MqttDecoder d = server();
        decode(d, encode(SamplePackets.connect(MqttVersion.V5), MqttVersion.V5));
        Connect second = (Connect) decode(d, encode(SamplePackets.connect(MqttVersion.V3_1_1), MqttVersion.V3_1_1));
        assertThat(second.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(d.version()).isEqualTo(MqttVersion.V5);
    }

    @Test
    @DisplayName("(3.2 example) MQTT 3.1.1 CONNACK 20 02 01 00: session present, accepted")
    void connAckV311ByHand() {
        ConnAck a = (ConnAck) decode(client(MqttVersion.V3_1_1), unhex("20 02 01 00"));
        assertThat(a).isEqualTo(new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        assertThat(encode(a, MqttVersion.V3_1_1)).containsExactly(unhex("20 02 01 00"));
    }

    @ParameterizedTest
    @CsvSource({
        "UNSUPPORTED_PROTOCOL_VERSION, 1",
        "CLIENT_IDENTIFIER_NOT_VALID, 2",
        "SERVER_UNAVAILABLE, 3",
        "SERVER_BUSY, 3",
        "BAD_USER_NAME_OR_PASSWORD, 4",
        "NOT_AUTHORIZED, 5",
        "BANNED, 5"
    })
    @DisplayName(
            "[MQTT-3.2.2-4] (table 3.1) MQTT 3.1.1 CONNACK carries the return code, Session Present only on success")
    void connAckV311ReturnCodes(ReasonCode reason, int returnCode) {
        byte[] bytes = encode(new ConnAck(true, reason, MqttProperties.EMPTY), MqttVersion.V3_1_1);
        assertThat(bytes).containsExactly(0x20, 0x02, 0x00, returnCode);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-1] CONNACK acknowledge flags bits 7-1 set are malformed")
    void connAckReservedFlags() {
        assertRejected(client(MqttVersion.V3_1_1), unhex("20 02 02 00"), ReasonCode.MALFORMED_PACKET);
        assertRejected(client(MqttVersion.V5), unhex("20 03 80 00 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-4] (v5 [MQTT-3.2.2-6]) Session Present with a refusal is a protocol error")
    void connAckSessionPresentOnRefusal() {
        assertRejected(client(MqttVersion.V3_1_1), unhex("20 02 01 05"), ReasonCode.PROTOCOL_ERROR);
        assertRejected(client(MqttVersion.V5), unhex("20 03 01 87 00"), ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("(3.2.2.3) reserved MQTT 3.1.1 return code 6 is malformed")
    void connAckReservedReturnCode() {
        assertRejected(client(MqttVersion.V3_1_1), unhex("20 02 00 06"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.2.2-8] a CONNACK reason code not in the CONNACK table (0x04) is malformed")
    void connAckWrongReason() {
        assertRejected(client(MqttVersion.V5), unhex("20 03 00 04 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.2.2.3) MQTT 5 CONNACK must carry its property length")
    void connAckV5NeedsPropertyLength() {
        assertRejected(client(MqttVersion.V5), unhex("20 02 00 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("MQTT 5 CONNACK 0x84 as the connection layer answers an unsupported version")
    void connAckUnsupportedV5() {
        byte[] bytes = encode(
                new ConnAck(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, MqttProperties.EMPTY), MqttVersion.V5);
        assertThat(bytes).containsExactly(0x20, 0x03, 0x00, 0x84, 0x00);
    }
}
