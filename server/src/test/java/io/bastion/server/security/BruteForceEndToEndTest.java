package io.bastion.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failed-CONNECT back-off and the connection rate limit, driven by a real client against a real broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BruteForceEndToEndTest {
    private BastionServer server;
    private SecurityClients clients;

    private void start(String security) {
        server = BastionServer.start(
                BastionConfig.fromYaml("listeners: [{name: tcp, port: 0}]\nsecurity:\n" + security));
        clients = new SecurityClients(server.port());
    }

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Mqtt5ConnAckReasonCode refusal(String clientId, String user) {
        Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, () -> clients.v5(clientId, user));
        assertThat(e).as("CONNECT of %s was accepted", clientId).isNotNull();
        return e.getMqttMessage().getReasonCode();
    }

    @Test
    void pastMaxFailuresConnectsAreRefusedBeforeCheckingCredentials() {
        // anonymous: deny refuses every client without a certificate, so each CONNECT is a failed attempt
        start("  anonymous: deny\n  brute_force:\n    max_failures: 3\n    backoff: 1m\n    exempt: []\n");
        for (int i = 0; i < 3; i++) {
            assertThat(refusal("c" + i, "eve")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        }
        assertThat(refusal("c9", "someone-else")).isEqualTo(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED);
        assertThat(server.security().metrics().authFailures.sum()).isEqualTo(3);
        assertThat(server.security().metrics().refusedBackingOff.sum()).isEqualTo(1);
        assertThat(server.security().metrics().backoffsStarted.sum())
                .as("address and user")
                .isEqualTo(2);
    }

    @Test
    void loopbackIsExemptByDefault() {
        start("  anonymous: deny\n  brute_force:\n    max_failures: 2\n");
        for (int i = 0; i < 4; i++) {
            assertThat(refusal("c" + i, "eve")).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        }
    }

    @Test
    void connectionRatePerAddress() {
        start("  anonymous: allow\n  brute_force:\n    connection_rate: 3\n    rate_window: 1h\n    exempt: []\n");
        for (int i = 0; i < 3; i++) {
            assertThat(clients.v5("ok-" + i, null).client().getState().isConnected())
                    .isTrue();
        }
        assertThat(refusal("one-too-many", null)).isEqualTo(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED);
        assertThat(server.security().metrics().refusedConnectionRate.sum()).isEqualTo(1);
    }
}
