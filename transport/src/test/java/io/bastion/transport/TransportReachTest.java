package io.bastion.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.bastion.broker.Broker;
import io.bastion.broker.BrokerSettings;
import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.Authorizer;
import io.bastion.transport.tls.TestPki;
import io.bastion.transport.tls.TlsClients;
import io.bastion.transport.tls.TlsSettings;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other ways in: WebSocket and secure WebSocket (the HiveMQ client's WebSocket transport) sharing
 * one broker with plain TCP, the PROXY protocol v1 and v2 from a load balancer, and the maximum
 * connection lifetime.
 */
@Timeout(60)
class TransportReachTest {
    @TempDir
    static Path dir;

    static TestPki.Issued ca;
    static MqttServer mqtt;
    static Map<String, Integer> ports;
    static final Queue<InetSocketAddress> authenticatedFrom = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        ca = TestPki.ca(dir, "ca");
        TestPki.Issued server = TestPki.issue(dir, "server", ca, "localhost", true);
        TlsSettings tls = TlsSettings.of(server.certFile(), server.keyFile());
        Authenticator loopbackOnly = new AnonymousAccessAuthenticator(BrokerSettings.AnonymousAccess.LOOPBACK);
        Authenticator recording = credentials -> {
            authenticatedFrom.add(credentials.remoteAddress());
            return loopbackOnly.authenticate(credentials);
        };
        Broker broker = new Broker(BrokerSettings.defaults(), recording, List.of(), Authorizer.PERMIT_ALL_BUT_SYS);
        mqtt = new MqttServer(
                broker,
                List.of(
                        new ListenerSettings("tcp", "127.0.0.1", 0),
                        ListenerSettings.webSocket("ws", "127.0.0.1", 0, null),
                        ListenerSettings.webSocket("wss", "127.0.0.1", 0, tls),
                        new ListenerSettings("proxied", "127.0.0.1", 0).withProxyProtocol(true),
                        new ListenerSettings("short", "127.0.0.1", 0).withMaxConnectionLifetime(Duration.ofSeconds(1))),
                new TransportSettings(2, 256 * 1024, 128 * 1024));
        ports = mqtt.start().stream()
                .collect(Collectors.toMap(
                        b -> b.settings().name(), b -> b.address().getPort()));
    }

    @AfterAll
    static void stop() {
        if (mqtt != null) {
            mqtt.shutdown(Duration.ofSeconds(1));
        }
    }

    private static Mqtt5BlockingClient v5(String id, String listener) throws Exception {
        var b = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(ports.get(listener));
        if (listener.startsWith("ws")) {
            b = b.webSocketConfig(MqttWebSocketConfig.builder()
                    .serverPath("mqtt")
                    .subprotocol("mqtt")
                    .build());
        }
        if (listener.equals("wss")) {
            b = b.sslConfig(MqttClientSslConfig.builder()
                    .trustManagerFactory(TlsClients.trustManager(ca.certificate()))
                    .build());
        }
        return b.buildBlocking();
    }

    @Test
    void clientsOnTcpWsAndWssShareOneBroker() throws Exception {
        Mqtt5BlockingClient wsSub = v5("ws-sub", "ws");
        Mqtt5BlockingClient wssSub = v5("wss-sub", "wss");
        Mqtt5BlockingClient tcpPub = v5("tcp-pub", "tcp");
        Mqtt5BlockingClient wssPub = v5("wss-pub", "wss");
        for (Mqtt5BlockingClient c : List.of(wsSub, wssSub, tcpPub, wssPub)) {
            c.connect();
        }
        try (Mqtt5BlockingClient.Mqtt5Publishes wsIn =
                        wsSub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
                Mqtt5BlockingClient.Mqtt5Publishes wssIn =
                        wssSub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            wsSub.subscribeWith()
                    .topicFilter("reach/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            wssSub.subscribeWith()
                    .topicFilter("reach/#")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            tcpPub.publishWith()
                    .topic("reach/tcp")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("from tcp".getBytes(StandardCharsets.UTF_8))
                    .send();
            wssPub.publishWith()
                    .topic("reach/wss")
                    .qos(MqttQos.EXACTLY_ONCE)
                    .payload(new byte[70_000]) // spans several WebSocket frames and TLS records
                    .send();
            for (Mqtt5BlockingClient.Mqtt5Publishes in : List.of(wsIn, wssIn)) {
                Mqtt5Publish first = in.receive(10, TimeUnit.SECONDS).orElseThrow();
                Mqtt5Publish second = in.receive(10, TimeUnit.SECONDS).orElseThrow();
                assertThat(first.getTopic().toString()).isEqualTo("reach/tcp");
                assertThat(new String(first.getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("from tcp");
                assertThat(second.getTopic().toString()).isEqualTo("reach/wss");
                assertThat(second.getPayloadAsBytes()).hasSize(70_000);
            }
        }
        // an MQTT 3.1.1 client over WebSocket sees the retained state the others left
        tcpPub.publishWith()
                .topic("reach/retained")
                .retain(true)
                .payload(new byte[] {1})
                .send();
        Mqtt3BlockingClient v3 = Mqtt3Client.builder()
                .identifier("ws-v3")
                .serverHost("127.0.0.1")
                .serverPort(ports.get("ws"))
                .webSocketConfig(
                        MqttWebSocketConfig.builder().serverPath("/mqtt").build())
                .buildBlocking();
        v3.connect();
        try (var in = v3.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            v3.subscribeWith().topicFilter("reach/retained").send();
            assertThat(in.receive(10, TimeUnit.SECONDS)).isPresent();
        }
        v3.disconnect();
        for (Mqtt5BlockingClient c : List.of(wsSub, wssSub, tcpPub, wssPub)) {
            c.disconnect();
        }
    }

    @Test
    void aWebSocketListenerServesNothingElse() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("ws") + "/index.html"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(400, 404);
    }

    private static byte[] connect311(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, (byte) id.length};
        byte[] packet = new byte[2 + variable.length + id.length];
        packet[0] = 0x10;
        packet[1] = (byte) (variable.length + id.length);
        System.arraycopy(variable, 0, packet, 2, variable.length);
        System.arraycopy(id, 0, packet, 2 + variable.length, id.length);
        return packet;
    }

    /** Sends {@code header} then CONNECT; the CONNACK return code, or -1 when the broker just closed. */
    private static int connectBehindProxy(byte[] header, String clientId) throws IOException {
        try (Socket s = new Socket("127.0.0.1", ports.get("proxied"))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(header);
            out.write(connect311(clientId));
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type = in.read();
            if (type < 0) {
                return -1;
            }
            assertThat(type).isEqualTo(0x20);
            assertThat(in.read()).isEqualTo(2);
            in.read();
            return in.read();
        }
    }

    private static InetSocketAddress lastAuthenticated() {
        InetSocketAddress last = null;
        for (InetSocketAddress a : authenticatedFrom) {
            last = a;
        }
        return last;
    }

    @Test
    void proxyProtocolV1GivesTheRealClientAddress() throws Exception {
        // a client from outside, as the load balancer saw it: anonymous access is loopback-only, so refused
        byte[] remote = "PROXY TCP4 203.0.113.7 127.0.0.1 40001 1883\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(connectBehindProxy(remote, "v1-remote")).isEqualTo(5); // 3.1.1 "not authorized"
        assertThat(lastAuthenticated()).isEqualTo(new InetSocketAddress("203.0.113.7", 40001));

        byte[] local = "PROXY TCP4 127.0.0.9 127.0.0.1 40002 1883\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(connectBehindProxy(local, "v1-local")).isZero();
        assertThat(lastAuthenticated()).isEqualTo(new InetSocketAddress("127.0.0.9", 40002));
    }

    @Test
    void proxyProtocolV2GivesTheRealClientAddress() throws Exception {
        assertThat(connectBehindProxy(v2Header(new byte[] {(byte) 198, 51, 100, 23}, 50_000), "v2-remote"))
                .isEqualTo(5);
        assertThat(lastAuthenticated()).isEqualTo(new InetSocketAddress("198.51.100.23", 50_000));
        assertThat(connectBehindProxy(v2Header(new byte[] {127, 0, 0, 5}, 50_001), "v2-local"))
                .isZero();
        assertThat(lastAuthenticated()).isEqualTo(new InetSocketAddress("127.0.0.5", 50_001));
    }

    @Test
    void aConnectionWithoutProxyHeaderIsClosed() throws Exception {
        assertThat(connectBehindProxy(new byte[0], "no-header")).isEqualTo(-1);
    }

    private static byte[] v2Header(byte[] source, int sourcePort) {
        byte[] h = new byte[16 + 12];
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        System.arraycopy(signature, 0, h, 0, 12);
        h[12] = 0x21; // version 2, PROXY
        h[13] = 0x11; // TCP over IPv4
        h[14] = 0;
        h[15] = 12;
        System.arraycopy(source, 0, h, 16, 4);
        System.arraycopy(new byte[] {127, 0, 0, 1}, 0, h, 20, 4);
        h[24] = (byte) (sourcePort >> 8);
        h[25] = (byte) sourcePort;
        h[26] = (byte) (1883 >> 8);
        h[27] = (byte) 1883;
        return h;
    }

    @Test
    void connectionsOlderThanTheLifetimeGetDisconnect0xA0() throws Exception {
        AtomicReference<Throwable> cause = new AtomicReference<>();
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("short-lived")
                .serverHost("127.0.0.1")
                .serverPort(ports.get("short"))
                .addDisconnectedListener(ctx -> cause.compareAndSet(null, ctx.getCause()))
                .buildBlocking();
        client.connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> cause.get() != null);
        assertThat(cause.get())
                .isInstanceOfSatisfying(
                        Mqtt5DisconnectException.class,
                        e -> assertThat(e.getMqttMessage().getReasonCode())
                                .isEqualTo(Mqtt5DisconnectReasonCode.MAXIMUM_CONNECT_TIME));
    }
}
