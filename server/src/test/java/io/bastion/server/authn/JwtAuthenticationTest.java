package io.bastion.server.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bastion.server.BastionServer;
import io.bastion.server.cli.CliHarness;
import io.bastion.server.config.BastionConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: jwt}, the Cloud IoT Core scheme, through a real server: keys made by openssl and by the JOSE
 * library, registered with {@code bastion device add}; tokens signed by nimbus and by {@code openssl dgst}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JwtAuthenticationTest {
    static final String PROJECT = "acme-iot";
    static final String EC_DEVICE = "projects/acme-iot/locations/europe-west1/registries/meters/devices/m-1";
    static final String RSA_DEVICE = "projects/acme-iot/locations/europe-west1/registries/meters/devices/m-2";
    static final String OLD_KEY_DEVICE = "projects/acme-iot/locations/europe-west1/registries/meters/devices/m-3";

    @TempDir
    static Path dir;

    static Path registry;
    static ECKey ecKey;
    static BastionServer server;

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    static CliHarness device(int expectedExit, String... args) {
        CliHarness cli = new CliHarness();
        List<String> all = new ArrayList<>(List.of("device"));
        all.addAll(List.of(args));
        all.addAll(List.of("--registry", registry.toString()));
        assertThat(cli.run(all.toArray(String[]::new))).as(cli.err()).isEqualTo(expectedExit);
        return cli;
    }

    @BeforeAll
    static void start() throws Exception {
        registry = dir.resolve("devices");
        ecKey = new ECKeyGenerator(Curve.P_256).generate();
        Path ecPem = dir.resolve("ec.pub");
        Files.writeString(ecPem, pem("PUBLIC KEY", ecKey.toECPublicKey().getEncoded()));
        device(0, "add", EC_DEVICE, "--key", ecPem.toString(), "--format", "ES256_PEM");
        // RSA: a self-signed certificate as Cloud IoT's RSA_X509_PEM
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "rsa.key",
                "-out",
                "rsa.crt",
                "-days",
                "2",
                "-subj",
                "/CN=m-2");
        device(0, "add", RSA_DEVICE, "--key", dir.resolve("rsa.crt").toString(), "--format", "RSA_X509_PEM");
        device(0, "add", OLD_KEY_DEVICE, "--key", ecPem.toString(), "--format", "ES256_PEM", "--expires", "2020-01-01");
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners: [{port: 0}]
                security:
                  anonymous: deny
                  authentication:
                    - type: jwt
                      registry: %s
                      reload_interval: 100ms
                """.formatted(registry)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    static JWTClaimsSet claims(String aud, Instant iat, Instant exp) {
        return new JWTClaimsSet.Builder()
                .audience(aud)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .build();
    }

    static String es256(ECKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    static String validEs256() throws Exception {
        Instant now = Instant.now();
        return es256(ecKey, claims(PROJECT, now, now.plus(Duration.ofHours(1))));
    }

    /** RS256 signed by openssl: base64url(header).base64url(claims), signed with PKCS#1 v1.5 SHA-256. */
    static String rs256ByOpenssl(JWTClaimsSet claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("jwt.input"), input);
        openssl("dgst", "-sha256", "-sign", "rsa.key", "-out", "jwt.sig", "jwt.input");
        return input + "." + b64.encodeToString(Files.readAllBytes(dir.resolve("jwt.sig")));
    }

    static Mqtt5ConnAckReasonCode connect(String clientId, String token) {
        return Clients.connectV5(server.port(), clientId, "unused", token);
    }

    @Test
    void registeredDevicesConnectWithES256FromJoseAndRS256FromOpenssl() throws Exception {
        assertThat(connect(EC_DEVICE, validEs256())).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        Instant now = Instant.now();
        String rsaToken = rs256ByOpenssl(claims(PROJECT, now, now.plus(Duration.ofHours(23))));
        assertThat(Clients.connectV3(server.port(), RSA_DEVICE, "unused", rsaToken))
                .isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        assertThat(Clients.mosquittoPub(server.port(), "mqttv311", "-i", EC_DEVICE, "-u", "unused", "-P", validEs256())
                        .exitCode())
                .isZero();
    }

    @Test
    void everyBadTokenIsRefusedWithBadUserNameOrPassword() throws Exception {
        Instant now = Instant.now();
        ECKey otherKey = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(PROJECT, now, now.plusSeconds(60)));
        hs256.sign(new MACSigner(new byte[32]));
        List<String> bad = List.of(
                es256(ecKey, claims("other-project", now, now.plusSeconds(600))), // wrong aud
                es256(ecKey, claims(PROJECT, now.minusSeconds(7200), now.minusSeconds(60))), // expired
                es256(ecKey, claims(PROJECT, now, now.plus(Duration.ofHours(25)))), // longer than 24 h
                es256(ecKey, claims(PROJECT, now.plus(Duration.ofMinutes(30)), now.plus(Duration.ofHours(1)))),
                es256(otherKey, claims(PROJECT, now, now.plusSeconds(600))), // not the device's key
                rs256ByOpenssl(claims(PROJECT, now, now.plusSeconds(600))), // RSA key of another device
                hs256.serialize(),
                "not-a-jwt");
        for (String token : bad) {
            assertThat(connect(EC_DEVICE, token)).as(token).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(connect(EC_DEVICE, null)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        // iat a little ahead is within the 10 minutes of clock skew
        assertThat(connect(EC_DEVICE, es256(ecKey, claims(PROJECT, now.plusSeconds(120), now.plusSeconds(600)))))
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }

    @Test
    void expiredKeyUnknownDeviceAndOtherClientIds() throws Exception {
        assertThat(connect(OLD_KEY_DEVICE, validEs256())).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(connect(EC_DEVICE.replace("m-1", "m-9"), validEs256()))
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        // not a device path: the jwt provider passes, nobody else accepts the credentials
        assertThat(connect("plain-client", validEs256())).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        Mqtt3ConnAckException v3 = catchThrowableOfType(
                Mqtt3ConnAckException.class,
                () -> Clients.v3(server.port(), EC_DEVICE.replace("m-1", "m-9"))
                        .connectWith()
                        .simpleAuth()
                        .username("u")
                        .password(validEs256().getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth()
                        .send());
        assertThat(v3.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
    }

    /** The connection ends when the token does: DISCONNECT 0xA0 Maximum connect time [MQTT-3.14.2]. */
    @Test
    void connectionIsClosedWhenTheTokenExpires() throws Exception {
        Instant now = Instant.now();
        String shortLived = es256(ecKey, claims(PROJECT, now, now.plusSeconds(5)));
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(EC_DEVICE)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause()))
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username("u")
                .password(shortLived.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        Throwable cause = disconnected.get(30, TimeUnit.SECONDS);
        assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
        assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5DisconnectReasonCode.MAXIMUM_CONNECT_TIME);
        assertThat(Instant.now()).isAfterOrEqualTo(now.plusSeconds(5).minusMillis(1000));
    }

    @Test
    void mqtt311ConnectionIsClosedWhenTheTokenExpires() throws Exception {
        Instant now = Instant.now();
        String shortLived = es256(ecKey, claims(PROJECT, now, now.plusSeconds(5)));
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        var client = MqttClient.builder()
                .useMqttVersion3()
                .identifier(EC_DEVICE)
                .serverHost("127.0.0.1")
                .serverPort(server.port())
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause()))
                .buildBlocking();
        client.connectWith()
                .simpleAuth()
                .username("u")
                .password(shortLived.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        Throwable cause = disconnected.get(30, TimeUnit.SECONDS);
        assertThat(cause).isNotNull();
        assertThat(Instant.now()).as(cause.toString()).isAfterOrEqualTo(now.plusSeconds(4));
    }

    @Test
    void deviceMayUseOnlyItsCloudIotTopics() throws Exception {
        Mqtt5BlockingClient client = Clients.v5(server.port(), EC_DEVICE);
        client.connectWith()
                .simpleAuth()
                .username("u")
                .password(validEs256().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try {
            for (String topic :
                    List.of("/devices/m-1/events", "/devices/m-1/events/alarms/high", "/devices/m-1/state")) {
                client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            for (String topic :
                    List.of("/devices/m-2/events", "/devices/m-1/config", "/devices/m-1/commands/x", "other")) {
                Mqtt5PubAckException denied = catchThrowableOfType(
                        Mqtt5PubAckException.class,
                        () -> client.publishWith()
                                .topic(topic)
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .send());
                assertThat(denied).as(topic).isNotNull();
                assertThat(denied.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
            }
            var granted = client.subscribeWith()
                    .topicFilter("/devices/m-1/config")
                    .addSubscription()
                    .topicFilter("/devices/m-1/commands/#")
                    .applySubscription()
                    .addSubscription()
                    .topicFilter("/devices/m-1/commands/+/reboot")
                    .applySubscription()
                    .send();
            assertThat(granted.getReasonCodes()).allMatch(c -> !c.isError());
            for (String filter : List.of("/devices/m-1/#", "/devices/+/config", "/devices/m-1/events", "#")) {
                var refused = catchThrowableOfType(
                        com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
                        () -> client.subscribeWith().topicFilter(filter).send());
                assertThat(refused).as(filter).isNotNull();
                assertThat(refused.getMqttMessage().getReasonCodes())
                        .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            }
        } finally {
            client.disconnect();
        }
    }

    @Test
    void listAndRemoveDevicesWhileTheBrokerRuns() throws Exception {
        String temp = EC_DEVICE.replace("m-1", "m-temp");
        device(
                0,
                "add",
                temp,
                "--key",
                dir.resolve("ec.pub").toString(),
                "--format",
                "ES256_PEM",
                "--expires",
                "2099-01-01T00:00:00Z");
        assertThat(device(0, "list").out())
                .contains(temp + " ES256_PEM(expires 2099-01-01T00:00:00Z)")
                .contains(RSA_DEVICE + " RSA_X509_PEM");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> connect(temp, validEs256()) == Mqtt5ConnAckReasonCode.SUCCESS);

        device(0, "remove", temp);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> connect(temp, validEs256()) == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(device(1, "remove", temp).err()).contains("is not registered");
    }

    @Test
    void deviceAddRefusesKeysThatAreNotWhatTheFormatSays() throws Exception {
        String d = EC_DEVICE.replace("m-1", "m-bad");
        assertThat(device(2, "add", d, "--key", dir.resolve("ec.pub").toString(), "--format", "RSA_PEM")
                        .err())
                .contains("not a RSA_PEM key");
        assertThat(device(2, "add", d, "--key", dir.resolve("rsa.crt").toString(), "--format", "ES256_X509_PEM")
                        .err())
                .contains("not a ES256_X509_PEM key");
        assertThat(device(2, "add", d, "--key", dir.resolve("nope").toString(), "--format", "ES256_PEM")
                        .err())
                .contains("does not exist");
        assertThat(device(
                                2,
                                "add",
                                d,
                                "--key",
                                dir.resolve("ec.pub").toString(),
                                "--format",
                                "ES256_PEM",
                                "--expires",
                                "soon")
                        .err())
                .contains("--expires must be like");
    }
}
