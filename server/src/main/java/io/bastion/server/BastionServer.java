package io.bastion.server;

import io.bastion.broker.Broker;
import io.bastion.broker.auth.Authorizer;
import io.bastion.security.authn.AuthenticationService;
import io.bastion.security.authn.jwt.CloudIotDeviceTopics;
import io.bastion.server.config.BastionConfig;
import io.bastion.transport.ListenerBindException;
import io.bastion.transport.MqttServer;
import io.bastion.transport.MqttServer.BoundListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Bastion node: the one place where configuration is wired into a broker and its listeners. Used by
 * {@code bastion serve} and, in-process, by tests.
 */
public final class BastionServer implements AutoCloseable {
    /** How long connected clients get to receive their DISCONNECT and pending bytes on close. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final BastionConfig config;
    private final Broker broker;
    private final MqttServer mqttServer;
    private final List<BoundListener> listeners;
    private final AuthenticationService authentication;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BastionServer(
            BastionConfig config,
            Broker broker,
            MqttServer mqttServer,
            List<BoundListener> listeners,
            AuthenticationService authentication) {
        this.config = config;
        this.authentication = authentication;
        this.broker = broker;
        this.mqttServer = mqttServer;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Starts the broker and binds every listener.
     *
     * @throws ListenerBindException when a listener cannot bind; nothing is left running then
     * @throws io.bastion.security.authn.AuthenticationConfigException when an authentication provider cannot start
     */
    public static BastionServer start(BastionConfig config) {
        AuthenticationService authentication = AuthenticationService.start(
                config.authentication(), config.broker().anonymous());
        Broker broker = new Broker(
                config.broker(),
                authentication.authenticator(),
                authentication.enhancedAuthenticators(),
                // Cloud IoT devices get their default topics; every other client keeps the broker's default
                new CloudIotDeviceTopics(Authorizer.PERMIT_ALL_BUT_SYS));
        MqttServer mqttServer = new MqttServer(broker, config.listeners(), config.transport());
        try {
            return new BastionServer(config, broker, mqttServer, mqttServer.start(), authentication);
        } catch (Exception e) { // also what Netty rethrows without declaring it
            broker.close();
            authentication.close();
            throw e;
        }
    }

    /** The port the first listener is bound to (the real one when it was configured as 0). */
    public int port() {
        return listeners.get(0).address().getPort();
    }

    /** The port the named listener is bound to. */
    public int port(String listenerName) {
        return listener(listenerName).address().getPort();
    }

    public BoundListener listener(String listenerName) {
        return listeners.stream()
                .filter(l -> l.settings().name().equals(listenerName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no listener named '" + listenerName + "'"));
    }

    public List<BoundListener> listeners() {
        return listeners;
    }

    public Broker broker() {
        return broker;
    }

    /** The authentication chain's providers and their outcome counters. */
    public AuthenticationService authentication() {
        return authentication;
    }

    public BastionConfig config() {
        return config;
    }

    /** Graceful: stops accepting, tells MQTT 5 clients 0x8B Server shutting down, then stops the broker. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                mqttServer.shutdown(SHUTDOWN_GRACE);
            } finally {
                broker.close();
                authentication.close();
            }
        }
    }
}
