package io.bastion.server.authn;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.MqttVersion;
import io.bastion.security.authn.AuthenticationMetrics.Outcome;
import io.bastion.security.authn.Verdict;
import io.bastion.security.authn.x509.X509Provider;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: x509} behind a real mutual-TLS listener, certificates made by openssl, mosquitto_pub as client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class X509AuthenticationTest {
    @TempDir
    static Path dir;

    static BastionServer server;

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

    /** A certificate signed by the test CA for {@code subject}. */
    static void issue(String name, String subject, String extensions) throws Exception {
        Files.writeString(dir.resolve(name + ".ext"), extensions);
        openssl(
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                name + ".key",
                "-subj",
                subject,
                "-out",
                name + ".csr");
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                name + ".ext",
                "-out",
                name + ".crt");
    }

    @BeforeAll
    static void start() throws Exception {
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
                "/CN=Test CA");
        issue("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        issue("device", "/O=Acme/CN=acme-dev-1", "extendedKeyUsage=clientAuth\n");
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners:
                  - name: mtls
                    type: tls
                    bind: 127.0.0.1
                    port: 0
                    tls: {cert: %1$s/server.crt, key: %1$s/server.key, ca: %1$s/ca.crt, client_auth: optional}
                security:
                  anonymous: deny
                  authentication:
                    - type: x509
                      identity: certificate
                      client_id_must_match: true
                      listeners: [mtls]
                """.formatted(dir)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Clients.ProcessResult pub(String version, String... extra) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("--cafile", dir.resolve("ca.crt").toString()));
        args.addAll(List.of(extra));
        return Clients.mosquittoPub(server.port(), version, args.toArray(String[]::new));
    }

    @Test
    void clientWithItsCertificateAndMatchingClientIdConnects() throws Exception {
        for (String version : List.of("mqttv5", "mqttv311")) {
            Clients.ProcessResult r = pub(
                    version,
                    "-i",
                    "acme-dev-1",
                    "--cert",
                    dir.resolve("device.crt").toString(),
                    "--key",
                    dir.resolve("device.key").toString());
            assertThat(r.exitCode()).as(r.output()).isZero();
        }
        assertThat(server.authentication().metrics().count("x509", Outcome.ALLOW))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void clientIdThatIsNotTheCertificateIdentityIsRefused() throws Exception {
        for (String version : List.of("mqttv5", "mqttv311")) {
            Clients.ProcessResult r = pub(
                    version,
                    "-i",
                    "acme-dev-2",
                    "--cert",
                    dir.resolve("device.crt").toString(),
                    "--key",
                    dir.resolve("device.key").toString());
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.output()).containsIgnoringCase("not authori");
        }
    }

    @Test
    void clientWithoutCertificateIsLeftToTheOtherRules() throws Exception {
        Clients.ProcessResult r = pub("mqttv5", "-i", "acme-dev-1");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).containsIgnoringCase("not authori");
        assertThat(server.authentication().metrics().count("x509", Outcome.IGNORE))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void identityIsTheListenerIdentityOrTheSubjectDnAndTheCertificateExpiryEndsTheConnection() throws Exception {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(dir.resolve("device.crt"))) {
            certificate =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        ClientCredentials credentials = new ClientCredentials(
                "any",
                null,
                null,
                new InetSocketAddress("127.0.0.1", 1),
                "mtls",
                MqttVersion.V5,
                "acme-dev-1",
                certificate);

        AuthDecision byCertificate = new X509Provider(X509Provider.Identity.CERTIFICATE, false)
                .authenticate(credentials)
                .toCompletableFuture()
                .get()
                .decision();
        assertThat(byCertificate.identity()).isEqualTo("acme-dev-1");
        assertThat(byCertificate.expiresAt())
                .isEqualTo(certificate.getNotAfter().toInstant());
        Verdict bySubject = new X509Provider(X509Provider.Identity.SUBJECT, false)
                .authenticate(credentials)
                .toCompletableFuture()
                .get();
        assertThat(bySubject.decision().identity()).isEqualTo("CN=acme-dev-1,O=Acme");
        Verdict mismatch = new X509Provider(X509Provider.Identity.SUBJECT, true)
                .authenticate(credentials)
                .toCompletableFuture()
                .get();
        assertThat(mismatch.kind()).isEqualTo(Verdict.Kind.DENY);
    }
}
