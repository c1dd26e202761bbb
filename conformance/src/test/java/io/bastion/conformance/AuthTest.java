package io.bastion.conformance;

import static io.bastion.conformance.raw.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.conformance.raw.In;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.Props;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** v5 enhanced authentication (4.12) and the AUTH packet (3.15), with no methods configured yet. */
class AuthTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    @Test
    @DisplayName("[MQTT-4.12.0-1] CONNECT with an unsupported Authentication Method → CONNACK 0x8C, then close")
    void unknownAuthenticationMethod() {
        RawClient c = broker.rawOpen();
        In.ConnAck ack = c.connect(Out.Connect.v5("scram").property(Props.AUTHENTICATION_METHOD, "SCRAM-SHA-1"));
        assertThat(ack.reasonCode()).isEqualTo(Rc.BAD_AUTHENTICATION_METHOD);
        assertThat(ack.sessionPresent()).as("[MQTT-3.2.2-6]").isFalse();
        c.expectClosed();
    }

    @Test
    @DisplayName(
            "[MQTT-4.12.0-1] CONNECT with an unsupported Authentication Method and Authentication Data → CONNACK 0x8C")
    void unknownAuthenticationMethodWithData() {
        RawClient c = broker.rawOpen();
        In.ConnAck ack = c.connect(Out.Connect.v5("scram-data")
                .property(Props.AUTHENTICATION_METHOD, "GS2-KRB5")
                .property(Props.AUTHENTICATION_DATA, new byte[] {1, 2, 3}));
        assertThat(ack.reasonCode()).isEqualTo(Rc.BAD_AUTHENTICATION_METHOD);
        c.expectClosed();
    }

    @Test
    @DisplayName(
            "[MQTT-4.12.0-7] [MQTT-5 §3.15] AUTH from a client that sent no Authentication Method → DISCONNECT 0x82")
    void authWithoutMethodIsProtocolError() {
        RawClient c = broker.raw5("auth-unexpected");
        c.send(Out.auth(0x19, Props.create().add(Props.AUTHENTICATION_METHOD, "SCRAM-SHA-1"))); // Re-authenticate
        c.expectDisconnect(Rc.PROTOCOL_ERROR);
    }

    @Test
    @DisplayName(
            "[MQTT-4.12.0-6] without an Authentication Method in CONNECT the broker sends no AUTH and no Authentication Method in CONNACK")
    void noAuthWithoutMethod() {
        RawClient c = broker.raw5("plain-auth");
        assertThat(c.connAck().props().has(Props.AUTHENTICATION_METHOD)).isFalse();
        assertThat(c.connAck().props().has(Props.AUTHENTICATION_DATA)).isFalse();
        c.ping();
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] AUTH as the first packet (before CONNECT) closes the connection")
    void authBeforeConnect() {
        RawClient c = broker.rawOpen().speaking(5);
        c.send(hex("f0 00"));
        c.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.1 §2.2.1] v3.1.1: packet type 15 is forbidden → closed")
    void authPacketFromV311Client() {
        RawClient c = broker.raw311("auth311");
        c.send(hex("f0 00"));
        c.expectClosed();
    }
}
