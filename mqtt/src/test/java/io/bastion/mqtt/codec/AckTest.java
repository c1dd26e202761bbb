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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.packet.Auth;
import io.bastion.mqtt.packet.Disconnect;
import io.bastion.mqtt.packet.PubAck;
import io.bastion.mqtt.packet.PubComp;
import io.bastion.mqtt.packet.PubRec;
import io.bastion.mqtt.packet.PubRel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PUBACK, PUBREC, PUBREL, PUBCOMP (3.4-3.7), DISCONNECT (3.14) and AUTH (3.15). */
class AckTest {
    private static final MqttProperties REASON =
            MqttProperties.builder().reasonString("r").build();

    @Test
    @DisplayName("(3.4.2.1) MQTT 5 PUBACK of Remaining Length 2 means Success and no properties")
    void pubAckShortest() {
        assertThat(decode(server(MqttVersion.V5), unhex("40 02 0007"))).isEqualTo(new PubAck(7));
    }

    @Test
    @DisplayName("(3.4.2.2) MQTT 5 PUBACK of Remaining Length 3 has a reason code and no properties")
    void pubAckReasonOnly() {
        assertThat(decode(server(MqttVersion.V5), unhex("40 03 0007 10")))
                .isEqualTo(new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, MqttProperties.EMPTY));
    }

    @Test
    @DisplayName("(3.4.2.2) MQTT 5 PUBACK with reason code and an empty property block")
    void pubAckEmptyProperties() {
        assertThat(decode(server(MqttVersion.V5), unhex("40 04 0007 00 00"))).isEqualTo(new PubAck(7));
    }

    @Test
    @DisplayName("(3.4.2.2) MQTT 5 PUBACK with a Reason String")
    void pubAckWithProperties() {
        assertThat(decode(client(MqttVersion.V5), unhex("40 08 0007 97 04 1F 0001 72")))
                .isEqualTo(new PubAck(7, ReasonCode.QUOTA_EXCEEDED, REASON));
    }

    @Test
    @DisplayName("the encoder writes the shortest MQTT 5 form: reason code and properties left out when it can")
    void shortestForms() {
        assertThat(encode(new PubAck(7), MqttVersion.V5)).containsExactly(unhex("40 02 0007"));
        assertThat(encode(new PubRec(7, ReasonCode.QUOTA_EXCEEDED, MqttProperties.EMPTY), MqttVersion.V5))
                .containsExactly(unhex("50 03 0007 97"));
        assertThat(encode(new PubRel(7, ReasonCode.SUCCESS, REASON), MqttVersion.V5))
                .containsExactly(unhex("62 08 0007 00 04 1F 0001 72"));
        assertThat(encode(Disconnect.NORMAL, MqttVersion.V5)).containsExactly(unhex("E0 00"));
        assertThat(encode(new Disconnect(ReasonCode.SERVER_BUSY, MqttProperties.EMPTY), MqttVersion.V5))
                .containsExactly(unhex("E0 01 89"));
        assertThat(encode(new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY), MqttVersion.V5))
                .containsExactly(unhex("F0 00"));
        assertThat(encode(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.EMPTY), MqttVersion.V5))
                .containsExactly(unhex("F0 02 18 00"));
    }

    @Test
    @DisplayName("MQTT 3.1.1 acknowledgements carry only the packet id, whatever the reason code")
    void v311Form() {
        assertThat(encode(new PubComp(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, REASON), MqttVersion.V3_1_1))
                .containsExactly(unhex("70 02 0009"));
        assertThat(encode(new PubRel(9), MqttVersion.V3_1_1)).containsExactly(unhex("62 02 0009"));
        assertThat(encode(new Disconnect(ReasonCode.SERVER_BUSY, REASON), MqttVersion.V3_1_1))
                .containsExactly(unhex("E0 00"));
    }

    @Test
    @DisplayName("MQTT 3.1.1 acknowledgements longer than the packet id are malformed")
    void v311TooLong() {
        assertRejected(server(MqttVersion.V3_1_1), unhex("40 03 0007 00"), ReasonCode.MALFORMED_PACKET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"40 02 0000", "50 02 0000", "62 02 0000", "70 02 0000"})
    @DisplayName("(2.2.1) an acknowledgement with Packet Identifier 0, which no PUBLISH has, is a protocol error")
    void packetIdZero(String hex) {
        assertRejected(server(MqttVersion.V5), unhex(hex), ReasonCode.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @CsvSource({
        "40 03 0001 92", // PUBACK has no 0x92
        "50 03 0001 04", // PUBREC has no 0x04
        "62 03 0001 10", // PUBREL knows only 0x00 and 0x92
        "62 03 0001 80",
        "70 03 0001 87", // PUBCOMP knows only 0x00 and 0x92
        "40 03 0001 FF" // no such reason code at all
    })
    @DisplayName(
            "[MQTT-3.4.2-1] [MQTT-3.5.2-1] [MQTT-3.6.2-1] [MQTT-3.7.2-1] a reason code outside the packet's table is malformed")
    void wrongReasonCode(String hex) {
        assertRejected(server(MqttVersion.V5), unhex(hex), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(2.2.2.2) a property a PUBACK may not carry (Topic Alias) is malformed")
    void wrongProperty() {
        assertRejected(
                server(MqttVersion.V5),
                packet(0x40).u16(1).u8(0).props(block().u8(0x23).u16(1)),
                ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.14.2.1) MQTT 5 DISCONNECT of Remaining Length 0 and 1")
    void disconnectShortForms() {
        assertThat(decode(server(MqttVersion.V5), unhex("E0 00"))).isEqualTo(Disconnect.NORMAL);
        assertThat(decode(server(MqttVersion.V5), unhex("E0 01 04")))
                .isEqualTo(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, MqttProperties.EMPTY));
    }

    @Test
    @DisplayName("(3.14.2.2.2) a client's DISCONNECT may carry a Session Expiry Interval")
    void disconnectSessionExpiryFromClient() {
        Disconnect d = (Disconnect) decode(
                server(MqttVersion.V5),
                packet(0xE0).u8(0).props(block().u8(0x11).u32(60)));
        assertThat(d.properties().sessionExpiryInterval()).isEqualTo(60L);
    }

    @Test
    @DisplayName("[MQTT-3.14.2-2] a DISCONNECT from the server with a Session Expiry Interval is a protocol error")
    void disconnectSessionExpiryFromServer() {
        assertRejected(
                client(MqttVersion.V5),
                packet(0xE0).u8(0x8B).props(block().u8(0x11).u32(60)),
                ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("[MQTT-3.14.2-1] a DISCONNECT reason code outside its table (0x01) is malformed")
    void disconnectWrongReason() {
        assertRejected(server(MqttVersion.V5), unhex("E0 01 01"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.14.2) MQTT 3.1.1 DISCONNECT with a non-zero Remaining Length is malformed")
    void disconnectV311() {
        assertRejected(server(MqttVersion.V3_1_1), unhex("E0 01 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("(3.15.2.1) AUTH of Remaining Length 0 is Success; a reason code needs the property length")
    void authForms() {
        assertThat(decode(server(MqttVersion.V5), unhex("F0 00")))
                .isEqualTo(new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY));
        assertThat(decode(
                        server(MqttVersion.V5),
                        packet(0xF0).u8(0x18).props(block().u8(0x15).str("M"))))
                .isEqualTo(new Auth(
                        ReasonCode.CONTINUE_AUTHENTICATION,
                        MqttProperties.builder().authenticationMethod("M").build()));
        assertRejected(server(MqttVersion.V5), unhex("F0 01 18"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.15.2-1] an AUTH reason code outside 0x00, 0x18, 0x19 is malformed")
    void authWrongReason() {
        assertRejected(server(MqttVersion.V5), unhex("F0 02 87 00"), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("the encoder refuses AUTH outside MQTT 5 and acknowledgements with packet id 0")
    void encoderRefusals() {
        assertThatThrownBy(() -> encode(new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY), MqttVersion.V3_1_1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encode(new PubAck(0), MqttVersion.V5)).isInstanceOf(IllegalArgumentException.class);
    }
}
