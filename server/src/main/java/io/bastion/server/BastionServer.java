package io.bastion.server;

import io.bastion.broker.Broker;
import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.store.BrokerStore;
import io.bastion.server.config.BastionConfig;
import io.bastion.store.Stores;
import io.bastion.transport.ListenerBindException;
import io.bastion.transport.MqttServer;
import io.bastion.transport.MqttServer.BoundListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Bastion node: the one place where configuration is wired into a broker and its listeners. Used by
 * {@code bastion serve} and, in-process, by tests.
 */
public final class BastionServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BastionServer.class);
    /** How long connected clients get to receive their DISCONNECT and pending bytes on close. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final BastionConfig config;
    private final Broker broker;
    private final BrokerStore store;
    private final MqttServer mqttServer;
    private final List<BoundListener> listeners;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BastionServer(
            BastionConfig config,
            Broker broker,
            BrokerStore store,
            MqttServer mqttServer,
            List<BoundListener> listeners) {
        this.config = config;
        this.broker = broker;
        this.store = store;
        this.mqttServer = mqttServer;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Starts the broker and binds every listener.
     *
     * @throws ListenerBindException when a listener cannot bind; nothing is left running then
     * @throws io.bastion.broker.store.StoreException when the store cannot be opened or read
     */
    public static BastionServer start(BastionConfig config) {
        long openingNanos = System.nanoTime();
        BrokerStore store = Stores.open(config.store());
        Broker broker;
        try {
            broker = new Broker(
                    config.broker(),
                    new AnonymousAccessAuthenticator(config.broker().anonymous()),
                    List.of(),
                    Authorizer.PERMIT_ALL_BUT_SYS,
                    store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        if (store.isDurable()) {
            log.info(
                    "store ready in {} ms: {} persistent sessions, {} retained messages",
                    (System.nanoTime() - openingNanos) / 1_000_000,
                    broker.sessions().size(),
                    broker.retained().size());
        }
        MqttServer mqttServer = new MqttServer(broker, config.listeners(), config.transport());
        try {
            return new BastionServer(config, broker, store, mqttServer, mqttServer.start());
        } catch (Exception e) { // also what Netty rethrows without declaring it
            broker.close();
            store.close();
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
                store.close();
            }
        }
    }
}
