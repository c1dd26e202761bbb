package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import io.bastion.server.config.ConfigException;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.tls.TlsConfigException;
import io.bastion.transport.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS and WebSocket listener configuration and the TLS options of {@code bastion pub} / {@code sub},
 * with certificates made by openssl the way operators make them (an encrypted server key included).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsEndToEndTest {
    @TempDir
    static Path dir;

    static BastionServer server;
    static final Map<String, String> ENV = Map.of("TEST_SERVER_KEY_PASS", "server secret");

    static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    /** CA, a server certificate for localhost / 127.0.0.1 with an AES-encrypted key, a device certificate. */
    @BeforeAll
    static void pki() throws Exception {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "2",
                "-subj",
                "/CN=Bastion test CA");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        Files.writeString(dir.resolve("device.ext"), "extendedKeyUsage=clientAuth\n");
        openssl("genrsa", "-aes256", "-passout", "pass:server secret", "-out", "server.key", "2048");
        openssl(
                "req",
                "-new",
                "-key",
                "server.key",
                "-passin",
                "pass:server secret",
                "-subj",
                "/CN=localhost",
                "-out",
                "server.csr");
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "server.ext",
                "-out",
                "server.crt");
        openssl(
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-aes-128-cbc",
                "-pass",
                "pass:device secret",
                "-out",
                "device.key");
        openssl(
                "req",
                "-new",
                "-key",
                "device.key",
                "-passin",
                "pass:device secret",
                "-subj",
                "/CN=acme:dev-1",
                "-out",
                "device.csr");
        openssl(
                "x509",
                "-req",
                "-in",
                "device.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                "device.ext",
                "-out",
                "device.crt");
        Files.writeString(dir.resolve("key.pass"), "device secret\n");

        Path config = dir.resolve("bastion.yaml");
        Files.writeString(config, """
                listeners:
                  - {name: tcp, bind: 127.0.0.1, port: 0}
                  - name: mtls
                    type: tls
                    bind: 127.0.0.1
                    port: 0
                    tls:
                      cert: %1$s/server.crt
                      key: %1$s/server.key
                      key_password_env: TEST_SERVER_KEY_PASS
                      ca: %1$s/ca.crt
                      client_auth: required
                      identity: cn
                      identity_as_username: true
                      protocols: [TLSv1.3, TLSv1.2]
                      handshake_timeout: 5s
                  - name: wss
                    type: wss
                    bind: 127.0.0.1
                    port: 0
                    tls: {cert: %1$s/server.crt, key: %1$s/server.key, key_password_env: TEST_SERVER_KEY_PASS}
                  - {name: ws, type: ws, bind: 127.0.0.1, port: 0, ws: {path: /mqtt}, max_connection_lifetime: 1h}
                store: {durability: memory}
                """.formatted(dir));
        server = BastionServer.start(BastionConfig.load(config, ENV));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String port(String listener) {
        return String.valueOf(server.port(listener));
    }

    private static CliHarness run(int expectedExit, String... args) {
        CliHarness cli = new CliHarness();
        assertThat(cli.run(args))
                .as("exit code of %s; stderr: %s", String.join(" ", args), cli.err())
                .isEqualTo(expectedExit);
        return cli;
    }

    @Test
    void listenersAreBoundAsConfigured() {
        ListenerSettings mtls = server.listener("mtls").settings();
        assertThat(mtls.type()).isEqualTo(ListenerSettings.Type.TLS);
        assertThat(mtls.tls().clientAuth()).isEqualTo(TlsSettings.ClientAuth.REQUIRED);
        assertThat(mtls.tls().identityAsUsername()).isTrue();
        assertThat(mtls.tls().keyPassword()).isEqualTo("server secret");
        assertThat(mtls.tls().toString()).doesNotContain("server secret");
        assertThat(mtls.tls().handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
        ListenerSettings ws = server.listener("ws").settings();
        assertThat(ws.webSocketPath()).isEqualTo("/mqtt");
        assertThat(ws.maxConnectionLifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void pubAndSubWithClientCertificatesAndOverSecureWebSocket() {
        Path d = dir;
        run(
                0,
                "pub",
                "-h",
                "localhost",
                "-p",
                port("mtls"),
                "--cafile",
                d + "/ca.crt",
                "--cert",
                d + "/device.crt",
                "--key",
                d + "/device.key",
                "--key-pass",
                "device secret",
                "-t",
                "tls/e2e",
                "-m",
                "over mTLS",
                "-r",
                "-q",
                "1");
        CliHarness wss = run(
                0,
                "sub",
                "-L",
                "wss://127.0.0.1:" + port("wss") + "/mqtt",
                "--cafile",
                d + "/ca.crt",
                "-t",
                "tls/e2e",
                "-C",
                "1",
                "-W",
                "10",
                "-v");
        assertThat(wss.out()).isEqualTo("tls/e2e over mTLS\n");
        CliHarness ws = run(
                0, "sub", "-V", "311", "-L", "ws://127.0.0.1:" + port("ws"), "-t", "tls/e2e", "-C", "1", "-W", "10");
        assertThat(ws.out()).isEqualTo("over mTLS\n");
        CliHarness tls12 = run(
                0,
                "sub",
                "-L",
                "mqtts://127.0.0.1:" + port("mtls"),
                "--cafile",
                d + "/ca.crt",
                "--cert",
                d + "/device.crt",
                "--key",
                d + "/device.key",
                "--key-pass",
                "device secret",
                "--tls-version",
                "tlsv1.2",
                "-t",
                "tls/e2e",
                "-C",
                "1",
                "-W",
                "10");
        assertThat(tls12.out()).isEqualTo("over mTLS\n");
    }

    @Test
    void withoutAClientCertificateTheTlsListenerRefuses() {
        CliHarness cli =
                run(ExitCodes.FAILURE, "pub", "-p", port("mtls"), "--cafile", dir + "/ca.crt", "-t", "x", "-m", "x");
        assertThat(cli.err()).isNotEmpty();
    }

    @Test
    void aWrongKeyPassphraseIsAUsageErrorNamingTheFile() {
        CliHarness cli = run(
                ExitCodes.USAGE,
                "pub",
                "-p",
                port("mtls"),
                "--cafile",
                dir + "/ca.crt",
                "--cert",
                dir + "/device.crt",
                "--key",
                dir + "/device.key",
                "--key-pass",
                "wrong",
                "-t",
                "x",
                "-m",
                "x");
        assertThat(cli.err()).contains(dir + "/device.key").contains("wrong passphrase");
    }

    private static Path config(String name, String tls) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(
                file,
                "listeners:\n  - name: bad\n    type: tls\n    bind: 127.0.0.1\n    port: 0\n    tls: " + tls
                        + "\nstore: {durability: memory}\n");
        return file;
    }

    @Test
    void badTlsFilesStopTheStartWithOneMessageAndExitCode2() throws Exception {
        Path wrongPass = config(
                "wrong-pass.yaml", "{cert: " + dir + "/server.crt, key: " + dir + "/server.key, key_password: nope}");
        assertThatThrownBy(() -> BastionServer.start(BastionConfig.load(wrongPass, Map.of())))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(dir + "/server.key")
                .hasMessageContaining("wrong passphrase");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--config", wrongPass.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("config error:").contains("server.key").contains("wrong passphrase");

        Path mismatch = config("mismatch.yaml", "{cert: " + dir + "/server.crt, key: " + dir + "/ca.key}");
        assertThatThrownBy(() -> BastionServer.start(BastionConfig.load(mismatch, Map.of())))
                .hasMessageContaining("does not match the certificate " + dir + "/server.crt");

        Path missing = config("missing.yaml", "{cert: " + dir + "/nope.crt, key: " + dir + "/server.key}");
        assertThatThrownBy(() -> BastionServer.start(BastionConfig.load(missing, Map.of())))
                .hasMessageContaining(dir + "/nope.crt does not exist");

        Path noCa = config(
                "no-ca.yaml", "{cert: " + dir + "/server.crt, key: " + dir + "/server.key, client_auth: required}");
        assertThatThrownBy(() -> BastionConfig.load(noCa, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listeners[0].tls.ca");
    }
}
