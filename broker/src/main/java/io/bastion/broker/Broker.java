package io.bastion.broker;

import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.auth.EnhancedAuthenticator;
import io.bastion.broker.control.ConnectedClients;
import io.bastion.broker.retain.InMemoryRetainedMessages;
import io.bastion.broker.retain.RetainedMessages;
import io.bastion.broker.routing.Router;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.InMemoryMessageQueue;
import io.bastion.broker.session.Session;
import io.bastion.broker.session.SessionRegistry;
import io.bastion.broker.session.SessionServices;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.broker.subscription.SubscriptionTree;
import io.bastion.broker.sys.SysTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The broker core: sessions, subscriptions, retained messages, wills and $SYS. Transports hand it
 * connections; it never does I/O itself. One instance per server, shared by every listener.
 */
public final class Broker implements AutoCloseable, SessionServices {
    private final BrokerSettings settings;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final ConnectedClients clients = new ConnectedClients();
    private final Router router;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Map<String, EnhancedAuthenticator> enhancedAuthenticators = new HashMap<>();
    private final ScheduledExecutorService housekeeping;
    private final long startedAtMillis = System.currentTimeMillis();

    public Broker(BrokerSettings settings) {
        this(settings, new AnonymousAccessAuthenticator(settings.anonymous()), List.of());
    }

    public Broker(BrokerSettings settings, Authenticator authenticator, List<EnhancedAuthenticator> enhanced) {
        this(settings, authenticator, enhanced, Authorizer.PERMIT_ALL_BUT_SYS);
    }

    public Broker(
            BrokerSettings settings,
            Authenticator authenticator,
            List<EnhancedAuthenticator> enhanced,
            Authorizer authorizer) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        for (EnhancedAuthenticator e : enhanced) {
            enhancedAuthenticators.put(e.method(), e);
        }
        this.retained = new InMemoryRetainedMessages();
        this.sessions = new SessionRegistry(this, clientId -> new InMemoryMessageQueue());
        this.router = new Router(subscriptions, retained, sessions, settings.retainAvailable(), metrics);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> retained.purgeExpired(nowMillis()), 60, 60, TimeUnit.SECONDS);
        long sysMillis = settings.sysInterval().toMillis();
        if (sysMillis > 0) {
            SysTopics sys = new SysTopics(this);
            housekeeping.scheduleAtFixedRate(sys::publish, 0, sysMillis, TimeUnit.MILLISECONDS);
        }
    }

    public BrokerSettings settings() {
        return settings;
    }

    public BrokerMetrics metrics() {
        return metrics;
    }

    public SubscriptionTree subscriptions() {
        return subscriptions;
    }

    public RetainedMessages retained() {
        return retained;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public Router router() {
        return router;
    }

    /** The run-time control API: connected clients, kick, re-check after a security change. */
    public ConnectedClients clients() {
        return clients;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** The enhanced authentication method of that name, or null. */
    public EnhancedAuthenticator enhancedAuthenticator(String method) {
        return enhancedAuthenticators.get(method);
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    // ---- SessionServices

    /** Publishes a will or broker message; its Message Expiry counts from now. */
    @Override
    public void publish(Message message) {
        long now = nowMillis();
        Message stamped = new Message(
                message.topic(),
                message.qos(),
                message.retain(),
                message.payload(),
                message.properties(),
                message.publisherId(),
                Message.expiresAt(message.properties(), now));
        router.publish(stamped, false);
    }

    @Override
    public void unsubscribe(SubscriptionEntry entry) {
        subscriptions.remove(entry.clientId(), entry.shareGroup(), entry.topicFilter());
    }

    @Override
    public void redeliverShared(Delivery delivery, String fromClientId) {
        router.redeliverShared(delivery, fromClientId);
    }

    @Override
    public void ended(Session session) {
        sessions.remove(session);
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    /** Stops timers; sessions are left as they are (the transport disconnects clients first). */
    @Override
    public void close() {
        housekeeping.shutdownNow();
    }
}
