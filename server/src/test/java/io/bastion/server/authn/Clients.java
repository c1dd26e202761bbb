package io.bastion.server.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real MQTT clients (HiveMQ for 5.0 and 3.1.1, mosquitto_pub) connecting with credentials. */
final class Clients {
    private Clients() {}

    static Mqtt5BlockingClient v5(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    static Mqtt3BlockingClient v3(int port, String clientId) {
        return MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    /** Connects over 5.0 with a user name and password (either may be null), then disconnects. */
    static Mqtt5ConnAckReasonCode connectV5(int port, String clientId, String user, String password) {
        Mqtt5BlockingClient client = v5(port, clientId);
        var connect = client.connectWith();
        if (user != null) {
            var auth = connect.simpleAuth().username(user);
            if (password != null) {
                auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
            }
            connect = auth.applySimpleAuth();
        } else if (password != null) {
            connect = connect.simpleAuth()
                    .password(password.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        var c = connect;
        Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, c::send);
        if (refused != null) {
            return refused.getMqttMessage().getReasonCode();
        }
        disconnect(client::disconnect);
        return Mqtt5ConnAckReasonCode.SUCCESS;
    }

    /** Connects over 3.1.1 with a user name and password (either may be null), then disconnects. */
    static Mqtt3ConnAckReturnCode connectV3(int port, String clientId, String user, String password) {
        Mqtt3BlockingClient client = v3(port, clientId);
        var connect = client.connectWith();
        if (user != null) {
            var auth = connect.simpleAuth().username(user);
            if (password != null) {
                auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
            }
            connect = auth.applySimpleAuth();
        }
        var c = connect;
        Mqtt3ConnAckException refused = catchThrowableOfType(Mqtt3ConnAckException.class, c::send);
        if (refused != null) {
            return refused.getMqttMessage().getReturnCode();
        }
        disconnect(client::disconnect);
        return Mqtt3ConnAckReturnCode.SUCCESS;
    }

    /**
     * Disconnects a client that was accepted. The broker may already have closed it: a user or device removed
     * while the test connects is disconnected by the broker right after its CONNACK, which still counts as
     * accepted.
     */
    static void disconnect(Runnable disconnect) {
        try {
            disconnect.run();
        } catch (MqttClientStateException | ConnectionClosedException alreadyClosedByBroker) {
            // nothing left to close (which of the two depends on how far the broker's close had got)
        }
    }

    /** Runs {@code mosquitto_pub} (3.1.1 or 5) and returns its exit code and output. */
    static ProcessResult mosquittoPub(int port, String version, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-V",
                version,
                "-t",
                "t",
                "-m",
                "hello"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    record ProcessResult(int exitCode, String output) {}
}
