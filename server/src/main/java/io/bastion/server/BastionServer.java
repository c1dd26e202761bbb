package io.bastion.server;

import io.bastion.admin.AdminApi;
import io.bastion.admin.AdminServer;
import io.bastion.admin.AdminToken;
import io.bastion.broker.Broker;
import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.store.BrokerStore;
import io.bastion.security.SecurityControl;
import io.bastion.security.SecurityMetrics;
import io.bastion.security.SessionRecheck;
import io.bastion.security.acl.AclSources;
import io.bastion.security.authn.AuthenticationService;
import io.bastion.security.authn.jwt.CloudIotDeviceTopics;
import io.bastion.security.limits.Bans;
import io.bastion.security.limits.LimitingAuthenticator;
import io.bastion.server.config.BastionConfig;
import io.bastion.server.config.ConfigException;
import io.bastion.store.Stores;
import io.bastion.transport.ListenerBindException;
import io.bastion.transport.MqttServer;
import io.bastion.transport.MqttServer.BoundListener;
import java.time.Clock;
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
    /** How often ACL files are checked for changes. */
    static final Duration ACL_POLL_INTERVAL = Duration.ofSeconds(2);

    private final BastionConfig config;
    private final Broker broker;
    private final BrokerStore store;
    private final MqttServer mqttServer;
    private final List<BoundListener> listeners;
    private final AuthenticationService authentication;
    private final SecurityControl security;
    private final AdminServer admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BastionServer(
            BastionConfig config,
            Broker broker,
            BrokerStore store,
            MqttServer mqttServer,
            List<BoundListener> listeners,
            AuthenticationService authentication,
            SecurityControl security,
            AdminServer admin) {
        this.config = config;
        this.authentication = authentication;
        this.broker = broker;
        this.store = store;
        this.mqttServer = mqttServer;
        this.listeners = List.copyOf(listeners);
        this.security = security;
        this.admin = admin;
    }

    /**
     * Starts the broker and binds every listener.
     *
     * @throws ListenerBindException when a listener cannot bind; nothing is left running then
     * @throws io.bastion.security.authn.AuthenticationConfigException when an authentication provider cannot start
     * @throws ConfigException when an ACL file cannot be read or is invalid
     * @throws io.bastion.broker.store.StoreException when the store cannot be opened or read
     */
    public static BastionServer start(BastionConfig config) {
        Clock clock = Clock.systemUTC();
        SecurityMetrics securityMetrics = new SecurityMetrics();
        AclSources acl;
        try {
            acl = new AclSources(config.authorization(), securityMetrics);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at("security.authorization", e.getMessage(), e);
        }
        boolean aclConfigured = !config.authorization().isEmpty();
        // Cloud IoT devices get their default topics (and what the ACL adds); other clients get the ACL, or the
        // broker's default without one
        Authorizer authorizer = new CloudIotDeviceTopics(
                aclConfigured ? acl.authorizer() : Authorizer.PERMIT_ALL_BUT_SYS, aclConfigured);
        AuthenticationService authentication = AuthenticationService.start(
                config.authentication(), config.broker().anonymous());
        Bans bans = new Bans(clock);
        LimitingAuthenticator authenticator = new LimitingAuthenticator(
                authentication.authenticator(), config.bruteForce(), bans, securityMetrics, clock);
        long openingNanos = System.nanoTime();
        BrokerStore store;
        Broker broker;
        try {
            store = Stores.open(config.store());
            try {
                broker = new Broker(
                        config.broker(), authenticator, authentication.enhancedAuthenticators(), authorizer, store);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        } catch (RuntimeException e) {
            authentication.close();
            throw e;
        }
        if (store.isDurable()) {
            log.info(
                    "store ready in {} ms: {} persistent sessions, {} retained messages",
                    (System.nanoTime() - openingNanos) / 1_000_000,
                    broker.sessions().size(),
                    broker.retained().size());
        }
        SessionRecheck recheck = new SessionRecheck(broker.clients());
        // a user removed from a password file or a device removed from the registry is disconnected with 0x87
        recheck.add(authentication.credentialCheck());
        SecurityControl security = new SecurityControl(acl, bans, recheck, securityMetrics, ACL_POLL_INTERVAL);
        authentication.onReload(() -> recheck.run("credential file change"));
        security.scheduleHousekeeping(authenticator::purge, Duration.ofMinutes(1));
        MqttServer mqttServer = new MqttServer(broker, config.listeners(), config.transport());
        List<BoundListener> bound;
        try {
            bound = mqttServer.start();
        } catch (Exception e) { // also what Netty rethrows without declaring it
            security.close();
            broker.close();
            authentication.close();
            store.close();
            throw e;
        }
        AdminServer admin = null;
        try {
            if (config.admin().enabled()) {
                admin = AdminServer.start(
                        config.admin(),
                        new AdminApi(broker.clients(), broker.metrics(), security, clock),
                        AdminToken.load(config.admin()));
            }
        } catch (RuntimeException e) {
            mqttServer.shutdown(Duration.ZERO);
            security.close();
            broker.close();
            authentication.close();
            store.close();
            throw e;
        }
        return new BastionServer(config, broker, store, mqttServer, bound, authentication, security, admin);
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

    /** Run-time security changes: ACL reload, bans, re-checking connected clients. */
    public SecurityControl security() {
        return security;
    }

    /** The admin API's port; only when it is enabled. */
    public int adminPort() {
        if (admin == null) {
            throw new IllegalStateException("the admin API is not enabled");
        }
        return admin.address().getPort();
    }

    /** Graceful: stops accepting, tells MQTT 5 clients 0x8B Server shutting down, then stops the broker. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                if (admin != null) {
                    admin.close();
                }
                security.close();
                mqttServer.shutdown(SHUTDOWN_GRACE);
            } finally {
                broker.close();
                authentication.close();
                store.close();
            }
        }
    }
}
