package io.bastion.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.bastion.broker.Broker;
import io.bastion.broker.BrokerSettings;
import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.MqttServer;
import io.bastion.transport.TransportSettings;
import io.bastion.transport.tls.TestPki.Issued;
import io.bastion.transport.tls.TlsSettings.ClientAuth;
import io.bastion.transport.tls.TlsSettings.IdentitySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS against real clients (mosquitto_pub / mosquitto_sub, openssl s_client, the HiveMQ Java
 * client) with certificates made in the test: a good device, a revoked one, an expired one, one from
 * another CA, one with an encrypted key; a CRL swapped at run time.
 */
@Timeout(60)
class MutualTlsTest {
    @TempDir
    static Path dir;

    static Issued ca;
    static Issued otherCa;
    static Issued server;
    static Issued good;
    static Issued revoked;
    static Issued expired;
    static Issued foreign;
    static Issued encrypted;
    static Issued victim;
    static Path encryptedKeyFile;
    static Path crl;
    static MqttServer mqtt;
    static int tlsPort;
    static int strictPort;
    static int sanPort;
    static Issued spiffe;
    static final Queue<ClientIdentity> identities = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        ca = TestPki.ca(dir, "ca");
        otherCa = TestPki.ca(dir, "other-ca");
        server = TestPki.issue(dir, "server", ca, "localhost", true);
        good = TestPki.issue(dir, "good", ca, "acme:device-1", false);
        revoked = TestPki.issue(dir, "revoked", ca, "acme:revoked", false);
        victim = TestPki.issue(dir, "victim", ca, "acme:victim", false);
        Instant now = Instant.now();
        expired = TestPki.issue(
                dir,
                "expired",
                ca,
                TestPki.ecKey(),
                "acme:expired",
                false,
                now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)));
        foreign = TestPki.issue(dir, "foreign", otherCa, "acme:device-1", false);
        encrypted = TestPki.issue(dir, "encrypted", ca, "acme:encrypted", false);
        spiffe = TestPki.issue(
                dir,
                "spiffe",
                ca,
                "ignored-cn",
                false,
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://acme/device-9"));
        encryptedKeyFile = dir.resolve("encrypted-pkcs8.key");
        Files.writeString(encryptedKeyFile, TestPki.encryptedPkcs8(encrypted.key(), "open sesame"));
        crl = dir.resolve("ca.crl");
        TestPki.crl(ca, crl, List.of(revoked.certificate()));

        TlsSettings tls = TlsSettings.of(server.certFile(), server.keyFile())
                .withClientAuth(ClientAuth.REQUIRED, ca.certFile(), crl)
                .withIdentity(IdentitySource.CN, true, false)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200));
        Authorizer recording = new Authorizer() {
            @Override
            public boolean canPublish(ClientIdentity client, String topic, int qos, boolean retain) {
                identities.add(client);
                return true;
            }

            @Override
            public boolean canSubscribe(ClientIdentity client, String topicFilter, int qos) {
                return true;
            }
        };
        BrokerSettings settings = BrokerSettings.defaults();
        Broker broker = new Broker(
                settings, new AnonymousAccessAuthenticator(BrokerSettings.AnonymousAccess.DENY), List.of(), recording);
        mqtt = new MqttServer(
                broker,
                List.of(
                        ListenerSettings.tls("mtls", "127.0.0.1", 0, tls),
                        ListenerSettings.tls(
                                "strict", "127.0.0.1", 0, tls.withIdentity(IdentitySource.CN, false, true)),
                        ListenerSettings.tls(
                                "san", "127.0.0.1", 0, tls.withIdentity(IdentitySource.SAN_URI, false, false))),
                new TransportSettings(2, 256 * 1024, 128 * 1024));
        List<MqttServer.BoundListener> bound = mqtt.start();
        tlsPort = bound.get(0).address().getPort();
        strictPort = bound.get(1).address().getPort();
        sanPort = bound.get(2).address().getPort();
    }

    @AfterAll
    static void stop() {
        if (mqtt != null) {
            mqtt.shutdown(Duration.ofSeconds(1));
        }
    }

    private static List<String> mosquitto(String tool, Issued device, Path keyFile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                "/usr/bin/" + tool,
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(tlsPort),
                "--cafile",
                ca.certFile().toString()));
        if (device != null) {
            cmd.addAll(List.of("--cert", device.certFile().toString(), "--key", keyFile.toString()));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void goodDevicePublishesAndSubscribesWithMosquittoClients() throws Exception {
        TlsClients.Result pub = TlsClients.run(
                20,
                mosquitto(
                        "mosquitto_pub",
                        good,
                        good.keyFile(),
                        "-i",
                        "acme:device-1",
                        "-t",
                        "devices/1/state",
                        "-m",
                        "on",
                        "-q",
                        "1",
                        "-r"));
        assertThat(pub.exitCode()).as(pub.output()).isZero();
        TlsClients.Result sub = TlsClients.run(
                20,
                mosquitto(
                        "mosquitto_sub",
                        good,
                        good.keyFile(),
                        "-i",
                        "acme:device-1-sub",
                        "-t",
                        "devices/1/#",
                        "-C",
                        "1",
                        "-W",
                        "10",
                        "-v"));
        assertThat(sub.exitCode()).as(sub.output()).isZero();
        assertThat(sub.output()).contains("devices/1/state on");
        // the certificate identity is the user name and the identity that authorization sees
        assertThat(identities)
                .anySatisfy(id -> assertThat(id.identity()).isEqualTo("acme:device-1"))
                .allSatisfy(id -> assertThat(id.username()).isEqualTo(id.identity()));
    }

    @Test
    void aDeviceWithAPassphraseEncryptedKeyConnects() throws Exception {
        // mosquitto_pub asks for the passphrase on a terminal; the Java client reads the same file here
        TlsClients.Result pub = TlsClients.run(
                20,
                mosquitto(
                        "mosquitto_pub", encrypted, encrypted.keyFile(), "-i", "enc", "-t", "devices/enc", "-m", "x"));
        assertThat(pub.exitCode()).as(pub.output()).isZero();
        var key = PemFiles.readPrivateKey(encryptedKeyFile, "open sesame".toCharArray(), "key");
        Issued fromEncrypted = new Issued(encrypted.certificate(), key, encrypted.certFile(), encryptedKeyFile);
        Mqtt5BlockingClient client = client(fromEncrypted, "enc-java", tlsPort, null);
        assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void revokedExpiredForeignAndMissingCertificatesAreRefused() throws Exception {
        for (Issued bad : new Issued[] {revoked, expired, foreign}) {
            TlsClients.Result pub = TlsClients.run(
                    20,
                    mosquitto(
                            "mosquitto_pub",
                            bad,
                            bad.keyFile(),
                            "-i",
                            "bad",
                            "-t",
                            "devices/bad",
                            "-m",
                            "x",
                            "-q",
                            "1"));
            assertThat(pub.exitCode())
                    .as(bad.certificate().getSubjectX500Principal() + ": " + pub.output())
                    .isNotZero();
        }
        TlsClients.Result none = TlsClients.run(
                20, mosquitto("mosquitto_pub", null, null, "-i", "none", "-t", "devices/none", "-m", "x", "-q", "1"));
        assertThat(none.exitCode()).as(none.output()).isNotZero();
        assertThat(identities).noneSatisfy(id -> assertThat(id.clientId()).isIn("bad", "none"));
    }

    @Test
    void tls10And11AreRefused() throws Exception {
        for (String version : new String[] {"-tls1", "-tls1_1"}) {
            TlsClients.Result r = TlsClients.run(
                    20,
                    List.of(
                            "openssl",
                            "s_client",
                            "-connect",
                            "127.0.0.1:" + tlsPort,
                            version,
                            "-cipher",
                            "DEFAULT@SECLEVEL=0",
                            "-cert",
                            good.certFile().toString(),
                            "-key",
                            good.keyFile().toString()));
            assertThat(r.output()).as(version).doesNotContain("no protocols available");
            assertThat(r.exitCode()).as(r.output()).isNotZero();
            assertThat(r.output()).as(version).containsAnyOf("alert protocol version", "unsupported protocol");
        }
        TlsClients.Result tls12 = TlsClients.run(
                20,
                List.of(
                        "openssl",
                        "s_client",
                        "-connect",
                        "127.0.0.1:" + tlsPort,
                        "-tls1_2",
                        "-CAfile",
                        ca.certFile().toString(),
                        "-cert",
                        good.certFile().toString(),
                        "-key",
                        good.keyFile().toString()));
        assertThat(tls12.output()).contains("Protocol  : TLSv1.2").contains("Verify return code: 0 (ok)");
    }

    @Test
    void identityMustMatchTheClientIdWhereTheListenerSaysSo() throws Exception {
        Mqtt5BlockingClient wrong = client(good, "someone-else", strictPort, null);
        assertThatThrownBy(wrong::connect)
                .isInstanceOfSatisfying(
                        Mqtt5ConnAckException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        Mqtt5BlockingClient right = client(good, "acme:device-1", strictPort, null);
        assertThat(right.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        right.publishWith().topic("strict/x").qos(MqttQos.AT_LEAST_ONCE).send();
        right.disconnect();
        assertThat(identities)
                .anySatisfy(id -> assertThat(id)
                        .extracting(ClientIdentity::clientId, ClientIdentity::identity, ClientIdentity::listenerName)
                        .containsExactly("acme:device-1", "acme:device-1", "strict"));
    }

    @Test
    void identityFromASubjectAlternativeName() throws Exception {
        Mqtt5BlockingClient client = client(spiffe, "device-9", sanPort, null);
        assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.publishWith().topic("san/x").send();
        client.disconnect();
        assertThat(identities)
                .anySatisfy(id -> assertThat(id)
                        .extracting(ClientIdentity::identity, ClientIdentity::username, ClientIdentity::listenerName)
                        .containsExactly("spiffe://acme/device-9", null, "san"));
        // a certificate without that kind of name cannot be named, so it is refused
        Mqtt5BlockingClient unnamed = client(good, "device-1", sanPort, null);
        assertThatThrownBy(unnamed::connect).isNotInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void aCrlSwappedAtRunTimeDisconnectsTheConnectedDevice() throws Exception {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Mqtt5BlockingClient client = client(victim, "acme:victim", tlsPort, cause);
        assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        Mqtt5BlockingClient bystander = client(good, "bystander", tlsPort, null);
        bystander.connect();

        TestPki.crl(ca, crl, List.of(revoked.certificate(), victim.certificate()));

        await().atMost(Duration.ofSeconds(15)).until(() -> cause.get() != null);
        assertThat(cause.get())
                .isInstanceOfSatisfying(
                        Mqtt5DisconnectException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        assertThat(bystander.getState().isConnected()).isTrue();
        bystander.publishWith().topic("still/here").send();
        bystander.disconnect();
        // and it cannot come back
        TlsClients.Result again = TlsClients.run(
                20, mosquitto("mosquitto_pub", victim, victim.keyFile(), "-i", "v2", "-t", "x", "-m", "x", "-q", "1"));
        assertThat(again.exitCode()).as(again.output()).isNotZero();
    }

    static Mqtt5BlockingClient client(Issued device, String id, int port, AtomicReference<Throwable> disconnectCause)
            throws Exception {
        var builder = Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .sslConfig(MqttClientSslConfig.builder()
                        .keyManagerFactory(TlsClients.keyManager(device))
                        .trustManagerFactory(TlsClients.trustManager(ca.certificate()))
                        .handshakeTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                        .build());
        if (disconnectCause != null) {
            builder = builder.addDisconnectedListener(ctx -> disconnectCause.compareAndSet(null, ctx.getCause()));
        }
        return builder.buildBlocking();
    }
}
