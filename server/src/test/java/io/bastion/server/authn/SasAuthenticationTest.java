package io.bastion.server.authn;

import static io.bastion.server.authn.Clients.connectV3;
import static io.bastion.server.authn.Clients.connectV5;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.bastion.server.BastionServer;
import io.bastion.server.cli.CliHarness;
import io.bastion.server.config.BastionConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: sas}: Azure SAS tokens, computed in the test with the JDK's HMAC and with openssl. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SasAuthenticationTest {
    static final String HUB = "acme-hub.azure-devices.net";
    static final byte[] KEY = "a device key of 32 bytes exactly".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "another key that is 32 bytes lng".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;

    static BastionServer server;

    @BeforeAll
    static void start() throws Exception {
        Path registry = dir.resolve("devices");
        Path keyFile = dir.resolve("sensor-7.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(KEY) + "\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run(
                        "device",
                        "add",
                        "sensor-7",
                        "--key",
                        keyFile.toString(),
                        "--format",
                        "SYMMETRIC_KEY",
                        "--registry",
                        registry.toString()))
                .as(cli.err())
                .isZero();
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners: [{port: 0}]
                security:
                  anonymous: deny
                  authentication:
                    - type: sas
                      registry: %s
                      hostname: %s
                """.formatted(registry, HUB)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The Azure recipe: sig = base64(HMAC-SHA256(key, url-encoded(sr) + "\n" + se)), url-encoded into the token. */
    static String token(byte[] key, String resource, long expiry, String policy) throws Exception {
        String encoded = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String sig = Base64.getEncoder()
                .encodeToString(mac.doFinal((encoded + "\n" + expiry).getBytes(StandardCharsets.UTF_8)));
        return "SharedAccessSignature sr=" + encoded + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&se="
                + expiry + (policy == null ? "" : "&skn=" + policy);
    }

    /** The same, with the HMAC computed by openssl (fields in another order). */
    static String tokenByOpenssl(String resource, long expiry) throws Exception {
        String encoded = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        Path input = dir.resolve("sas.input");
        Files.writeString(input, encoded + "\n" + expiry);
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "dgst",
                "-sha256",
                "-mac",
                "HMAC",
                "-macopt",
                "hexkey:" + HexFormat.of().formatHex(KEY),
                "-binary",
                "-out",
                dir.resolve("sas.sig").toString(),
                input.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String sig = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("sas.sig")));
        return "SharedAccessSignature se=" + expiry + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8) + "&sr="
                + encoded;
    }

    static long inOneHour() {
        return Instant.now().getEpochSecond() + 3600;
    }

    static String user() {
        return HUB + "/sensor-7/?api-version=2021-04-12";
    }

    @Test
    void validTokensConnect() throws Exception {
        assertThat(connectV5(
                        server.port(), "sensor-7", user(), token(KEY, HUB + "/devices/sensor-7", inOneHour(), null)))
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(connectV3(server.port(), "sensor-7", user(), tokenByOpenssl(HUB + "/devices/sensor-7", inOneHour())))
                .isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
    }

    @Test
    void expiredWronglyScopedOrWronglySignedTokensAreRefused() throws Exception {
        long past = Instant.now().getEpochSecond() - 10;
        List<String> bad = List.of(
                token(KEY, HUB + "/devices/sensor-7", past, null),
                token(KEY, HUB + "/devices/sensor-8", inOneHour(), null),
                token(KEY, "other-hub.azure-devices.net/devices/sensor-7", inOneHour(), null),
                token(KEY, HUB, inOneHour(), null),
                token(OTHER_KEY, HUB + "/devices/sensor-7", inOneHour(), null),
                token(KEY, HUB + "/devices/sensor-7", inOneHour(), "iothubowner"),
                "SharedAccessSignature sr=" + HUB + "&se=1",
                "SharedAccessSignature sr=x&sig=y&se=soon");
        for (String token : bad) {
            assertThat(connectV5(server.port(), "sensor-7", user(), token))
                    .as(token)
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        assertThat(connectV3(server.port(), "sensor-7", user(), token(KEY, HUB + "/devices/sensor-7", past, null)))
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void unknownDeviceIsNotAuthorizedAndOtherPasswordsArePassedOn() throws Exception {
        assertThat(connectV5(
                        server.port(), "sensor-9", user(), token(KEY, HUB + "/devices/sensor-9", inOneHour(), null)))
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(connectV5(server.port(), "sensor-7", "u", "plain password"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
}
