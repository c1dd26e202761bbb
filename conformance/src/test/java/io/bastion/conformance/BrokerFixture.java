package io.bastion.conformance;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.bastion.conformance.raw.Out;
import io.bastion.conformance.raw.RawClient;
import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one place that starts and stops a Bastion broker for the conformance tests, so only this class
 * changes when the server API does.
 *
 * <p>Register it per test: {@code @RegisterExtension final BrokerFixture broker = BrokerFixture.create();}.
 * The broker starts lazily on the first {@link #port()} call — a test may change the configuration
 * ({@link #limit}, {@link #feature}, {@link #security}, {@link #sys}) before that — on 127.0.0.1 with
 * an ephemeral port, and is closed (with every client the test made through the fixture) after the
 * test. Only the keys a test sets are written to the YAML; everything else is the broker's default.
 */
public final class BrokerFixture implements AfterEachCallback {
    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private BastionServer server;
    private int port;

    private BrokerFixture() {}

    public static BrokerFixture create() {
        return new BrokerFixture();
    }

    /** A {@code limits:} key, e.g. {@code limit("receive_max", 5)}. */
    public BrokerFixture limit(String key, Object value) {
        return set("limits", key, value);
    }

    /** A {@code features:} key, e.g. {@code feature("retain_available", false)}. */
    public BrokerFixture feature(String key, Object value) {
        return set("features", key, value);
    }

    /** A {@code security:} key, e.g. {@code security("anonymous", "deny")}. */
    public BrokerFixture security(String key, Object value) {
        return set("security", key, value);
    }

    /** A {@code store:} key, e.g. {@code store("path", dir)}; without one the store is memory-only. */
    public BrokerFixture store(String key, Object value) {
        return set("store", key, value);
    }

    /** A {@code sys:} key, e.g. {@code sys("interval", "1s")}. */
    public BrokerFixture sys(String key, Object value) {
        return set("sys", key, value);
    }

    private BrokerFixture set(String section, String key, Object value) {
        if (server != null) {
            throw new IllegalStateException("broker already started; configure it before the first port() call");
        }
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    /** The YAML configuration this fixture starts the broker with. */
    public String yaml() {
        StringBuilder y = new StringBuilder("listeners: [{name: tcp, bind: 127.0.0.1, port: 0}]\n");
        if (!sections.containsKey("store")) {
            y.append("store: {durability: memory}\n"); // nothing left in a data/ directory of the source tree
        }
        sections.forEach((section, values) -> {
            y.append(section).append(":\n");
            values.forEach(
                    (k, v) -> y.append("  ").append(k).append(": ").append(v).append('\n'));
        });
        return y.toString();
    }

    /** The broker's port, starting the broker on first use. */
    public int port() {
        if (server == null) {
            start();
        }
        return port;
    }

    private void start() {
        String yaml = yaml();
        BastionConfig config;
        try {
            config = BastionConfig.fromYaml(yaml);
        } catch (RuntimeException e) {
            throw new AssertionError("broker rejected the test configuration:\n" + yaml, e);
        }
        BastionServer running = BastionServer.start(config);
        port = running.port();
        server = running;
    }

    /** Closes the broker gracefully now (clients stay open, so a test can watch what they receive). */
    public void stop() {
        if (server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }

    /** Registers something to close after the test, before the broker stops. */
    public <T extends AutoCloseable> T track(T closeable) {
        clients.add(closeable);
        return closeable;
    }

    /** A raw TCP connection to the broker, nothing sent yet. */
    public RawClient rawOpen() {
        return track(RawClient.open(port()));
    }

    /** A raw client that has sent the CONNECT and received CONNACK 0x00. */
    public RawClient raw(Out.Connect connect) {
        return track(RawClient.connected(port(), connect));
    }

    /** A raw MQTT 5 client with Clean Start 1 and the given id, connected. */
    public RawClient raw5(String clientId) {
        return raw(Out.Connect.v5(clientId));
    }

    /** A raw MQTT 3.1.1 client with Clean Session 1 and the given id, connected. */
    public RawClient raw311(String clientId) {
        return raw(Out.Connect.v311(clientId));
    }

    /** An HiveMQ MQTT 5 client for this broker, not yet connected. */
    public Mqtt5BlockingClient hivemq5(String clientId) {
        Mqtt5BlockingClient c = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port())
                .buildBlocking();
        track(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    /** An HiveMQ MQTT 3.1.1 client for this broker, not yet connected. */
    public Mqtt3BlockingClient hivemq3(String clientId) {
        Mqtt3BlockingClient c = Mqtt3Client.builder()
                .identifier(clientId)
                .serverHost("127.0.0.1")
                .serverPort(port())
                .buildBlocking();
        track(() -> {
            if (c.getState().isConnectedOrReconnect()) {
                c.disconnect();
            }
        });
        return c;
    }

    /** An Eclipse Paho MQTT 3.1.1 client for this broker, not yet connected. */
    public PahoClient paho(String clientId) {
        try {
            return track(new PahoClient("tcp://127.0.0.1:" + port(), clientId));
        } catch (MqttException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (int i = clients.size() - 1; i >= 0; i--) {
            AutoCloseable c = clients.get(i);
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the test is over
            }
        }
        clients.clear();
        stop();
    }
}
