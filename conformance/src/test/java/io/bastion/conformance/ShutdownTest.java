package io.bastion.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.bastion.conformance.raw.RawClient;
import io.bastion.conformance.raw.Rc;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Graceful shutdown (issue §2): v5 clients are told 0x8B Server shutting down. */
class ShutdownTest {
    @RegisterExtension
    final BrokerFixture broker = BrokerFixture.create();

    @Test
    @DisplayName(
            "[MQTT-5 §3.14.2.1] [MQTT-3.14.4-2] graceful close: v5 clients get DISCONNECT 0x8B and are closed; v3.1.1 clients are closed")
    void disconnectServerShuttingDown() {
        RawClient v5a = broker.raw5("shut-a");
        RawClient v5b = broker.raw5("shut-b");
        RawClient v3 = broker.raw311("shut-c");
        broker.stop();
        v5a.expectDisconnect(Rc.SERVER_SHUTTING_DOWN);
        v5b.expectDisconnect(Rc.SERVER_SHUTTING_DOWN);
        v3.expectClosed(Duration.ofSeconds(3));
    }

    @Test
    @DisplayName("[MQTT-5 §3.14.2.1] HiveMQ v5 client sees the server's DISCONNECT 0x8B")
    void hiveMqSeesShutdown() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier("shut-hive")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .addDisconnectedListener(ctx -> cause.complete(ctx.getCause()))
                .buildBlocking();
        c.connect();
        broker.stop();
        Throwable t = cause.get(5, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) t).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
    }

    @Test
    @DisplayName("[issue §2] after a graceful close the listener accepts no new connections")
    void noNewConnectionsAfterClose() {
        int port = broker.port();
        broker.stop();
        assertThatThrownBy(() -> RawClient.open(port).close()).isInstanceOf(AssertionError.class);
    }
}
