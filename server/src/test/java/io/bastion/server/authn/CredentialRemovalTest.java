package io.bastion.server.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.bastion.server.BastionServer;
import io.bastion.server.cli.CliHarness;
import io.bastion.server.config.BastionConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run-time control: a user removed from the password file, or a device removed from the registry, is disconnected
 * (v5: DISCONNECT 0x87 Not authorized; 3.1.1: the connection is closed) while other clients stay connected.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CredentialRemovalTest {
    static final String PROJECT = "acme-iot";
    static final String DEVICE_1 = "projects/acme-iot/locations/europe-west1/registries/meters/devices/r-1";
    static final String DEVICE_2 = "projects/acme-iot/locations/europe-west1/registries/meters/devices/r-2";

    @TempDir
    Path dir;

    Path passwd;
    Path registry;
    ECKey key;
    BastionServer server;
    final List<Runnable> closers = new ArrayList<>();

    private static void cli(String... args) {
        CliHarness cli = new CliHarness();
        assertThat(cli.run(args)).as(cli.err()).isZero();
    }

    @BeforeEach
    void start() throws Exception {
        passwd = dir.resolve("passwd");
        registry = dir.resolve("devices");
        cli("passwd", "-c", "-b", passwd.toString(), "alice", "pw-alice");
        cli("passwd", "-b", "--iterations", "200", passwd.toString(), "bob", "pw-bob");
        key = new ECKeyGenerator(Curve.P_256).generate();
        Path pem = dir.resolve("ec.pub");
        Files.writeString(
                pem, JwtAuthenticationTest.pem("PUBLIC KEY", key.toECPublicKey().getEncoded()));
        for (String device : List.of(DEVICE_1, DEVICE_2)) {
            cli(
                    "device",
                    "add",
                    device,
                    "--key",
                    pem.toString(),
                    "--format",
                    "ES256_PEM",
                    "--registry",
                    registry.toString());
        }
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners: [{port: 0}]
                security:
                  anonymous: deny
                  authentication:
                    - type: password_file
                      path: %s
                      reload_interval: 100ms
                    - type: jwt
                      registry: %s
                      reload_interval: 100ms
                """.formatted(passwd, registry)));
    }

    @AfterEach
    void stop() {
        closers.forEach(Runnable::run);
        server.close();
    }

    /** A connected v5 client; the future completes with the cause of its disconnection. */
    private CompletableFuture<Throwable> v5(String clientId, String user, String password) {
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause()))
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(user)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        closers.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return disconnected;
    }

    private Mqtt3BlockingClient v3(String clientId, String user, String password) {
        Mqtt3BlockingClient client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username(user)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        closers.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    private static void assertNotAuthorized(Throwable cause) {
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
    }

    private String token() throws Exception {
        Instant now = Instant.now();
        return JwtAuthenticationTest.es256(key, JwtAuthenticationTest.claims(PROJECT, now, now.plusSeconds(3600)));
    }

    @Test
    void aUserRemovedFromThePasswordFileIsDisconnected() throws Exception {
        CompletableFuture<Throwable> alice = v5("alice-1", "alice", "pw-alice");
        CompletableFuture<Throwable> bob = v5("bob-1", "bob", "pw-bob");
        Mqtt3BlockingClient alice3 = v3("alice-3", "alice", "pw-alice");
        CompletableFuture<Throwable> device = v5(DEVICE_1, "unused", token());

        cli("passwd", "-D", passwd.toString(), "alice");

        assertNotAuthorized(alice.get(20, TimeUnit.SECONDS));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !alice3.getState().isConnected());
        Thread.sleep(500); // several polls: the others must stay
        assertThat(bob).isNotDone();
        assertThat(device).isNotDone();
    }

    @Test
    void aChangedPasswordDoesNotEndTheSession() throws Exception {
        CompletableFuture<Throwable> alice = v5("alice-1", "alice", "pw-alice");
        cli("passwd", "-b", passwd.toString(), "alice", "pw-new");
        Thread.sleep(1000);
        assertThat(alice).isNotDone();
    }

    @Test
    void aDeviceRemovedFromTheRegistryIsDisconnected() throws Exception {
        CompletableFuture<Throwable> removed = v5(DEVICE_1, "unused", token());
        CompletableFuture<Throwable> kept = v5(DEVICE_2, "unused", token());
        CompletableFuture<Throwable> bob = v5("bob-1", "bob", "pw-bob");

        cli("device", "remove", DEVICE_1, "--registry", registry.toString());

        assertNotAuthorized(removed.get(20, TimeUnit.SECONDS));
        Thread.sleep(500);
        assertThat(kept).isNotDone();
        assertThat(bob).isNotDone();
    }
}
