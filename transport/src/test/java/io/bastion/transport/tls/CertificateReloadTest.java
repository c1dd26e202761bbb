package io.bastion.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.bastion.broker.Broker;
import io.bastion.broker.BrokerSettings;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.MqttServer;
import io.bastion.transport.TransportSettings;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server certificate is replaced on disk: new connections get it, open ones stay up. */
@Timeout(60)
class CertificateReloadTest {
    @TempDir
    Path dir;

    private static BigInteger serialSeenBy(int port, TestPki.Issued ca) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, TlsClients.trustManager(ca.certificate()).getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return ((java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void aNewServerCertificateIsServedWithoutDroppingConnections() throws Exception {
        TestPki.Issued ca = TestPki.ca(dir, "ca");
        TestPki.Issued first = TestPki.issue(dir, "server", ca, "localhost", true);
        TlsSettings tls = TlsSettings.of(first.certFile(), first.keyFile())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200));
        MqttServer mqtt = new MqttServer(
                new Broker(BrokerSettings.defaults()),
                List.of(ListenerSettings.tls("tls", "127.0.0.1", 0, tls)),
                new TransportSettings(1, 256 * 1024, 128 * 1024));
        int port = mqtt.start().get(0).address().getPort();
        try {
            assertThat(serialSeenBy(port, ca)).isEqualTo(first.certificate().getSerialNumber());
            Mqtt5BlockingClient client = Mqtt5Client.builder()
                    .identifier("long-lived")
                    .serverHost("127.0.0.1")
                    .serverPort(port)
                    .sslConfig(MqttClientSslConfig.builder()
                            .trustManagerFactory(TlsClients.trustManager(ca.certificate()))
                            .build())
                    .buildBlocking();
            client.connect();

            // renewal writes a new key and certificate over the old files (key first, as certbot-like tools do)
            Path stage = Files.createDirectory(dir.resolve("renewed"));
            TestPki.Issued renewed = TestPki.issue(stage, "server", ca, "localhost", true);
            TestPki.writeAtomically(first.keyFile(), Files.readString(renewed.keyFile()));
            TestPki.writeAtomically(first.certFile(), Files.readString(renewed.certFile()));

            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            serialSeenBy(port, ca).equals(renewed.certificate().getSerialNumber()));

            assertThat(client.getState().isConnected()).isTrue();
            try (var in = client.publishes(MqttGlobalPublishFilter.ALL)) {
                client.subscribeWith().topicFilter("still/#").send();
                client.publishWith()
                        .topic("still/up")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .send();
                assertThat(in.receive(5, TimeUnit.SECONDS)).isPresent();
            }
            client.disconnect();

            // a broken file is not taken: the last good certificate stays
            Files.writeString(first.certFile(), "not a certificate");
            Thread.sleep(600);
            assertThat(serialSeenBy(port, ca)).isEqualTo(renewed.certificate().getSerialNumber());
        } finally {
            mqtt.shutdown(Duration.ofSeconds(1));
        }
    }
}
