package io.bastion.broker;

import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.auth.EnhancedAuthenticator;
import io.bastion.broker.connection.DeadlineWheel;
import io.bastion.broker.control.ConnectedClients;
import io.bastion.broker.retain.RetainedMessages;
import io.bastion.broker.routing.Router;
import io.bastion.broker.session.Delivery;
import io.bastion.broker.session.Session;
import io.bastion.broker.session.SessionRegistry;
import io.bastion.broker.session.SessionServices;
import io.bastion.broker.store.BrokerStore;
import io.bastion.broker.store.StoredSession;
import io.bastion.broker.subscription.SubscriptionEntry;
import io.bastion.broker.subscription.SubscriptionTree;
import io.bastion.broker.sys.SysTopics;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker core: sessions, subscriptions, retained messages, wills and $SYS. Transports hand it
 * connections; it never does I/O itself. One instance per server, shared by every listener.
 */
public final class Broker implements AutoCloseable, SessionServices {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    private final BrokerSettings settings;
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedMessages retained;
    private final SessionRegistry sessions;
    private final ConnectedClients clients = new ConnectedClients();
    private final Map<EventExecutor, DeadlineWheel> deadlineWheels = new ConcurrentHashMap<>();
    private final Router router;
    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final Map<String, EnhancedAuthenticator> enhancedAuthenticators = new HashMap<>();
    private final BrokerStore store;
    /** Where sessions read back from the store live until their client connects. */
    private final EventExecutor offlineSessions;

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
        this(settings, authenticator, enhanced, authorizer, BrokerStore.inMemory());
    }

    /** A broker keeping its lasting state in {@code store}; persistent sessions found there are resumed. */
    public Broker(
            BrokerSettings settings,
            Authenticator authenticator,
            List<EnhancedAuthenticator> enhanced,
            Authorizer authorizer,
            BrokerStore store) {
        this.settings = settings;
        this.store = store;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        for (EnhancedAuthenticator e : enhanced) {
            enhancedAuthenticators.put(e.method(), e);
        }
        this.retained = store.retained();
        this.sessions = new SessionRegistry(this, store::session);
        this.offlineSessions = new DefaultEventExecutor(new DefaultThreadFactory("bastion-offline-sessions", true));
        this.router = new Router(subscriptions, retained, sessions, settings.retainAvailable(), metrics);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> retained.purgeExpired(nowMillis()), 60, 60, TimeUnit.SECONDS);
        restoreCounters();
        restoreSessions();
        if (store.isDurable()) {
            housekeeping.scheduleWithFixedDelay(this::saveCounters, 10, 10, TimeUnit.SECONDS);
        }
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

    public BrokerStore store() {
        return store;
    }

    public Router router() {
        return router;
    }

    /** The connect-timeout and keep-alive deadlines of the connections on one event loop, made on first use. */
    public DeadlineWheel deadlines(EventExecutor loop) {
        return deadlineWheels.computeIfAbsent(loop, DeadlineWheel::new);
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

    // ---- state kept across restarts

    private void restoreSessions() {
        long started = System.nanoTime();
        List<StoredSession> stored = store.recoverSessions();
        List<Session> restored = new ArrayList<>();
        for (StoredSession s : stored) {
            restored.add(sessions.restore(s, offlineSessions));
            s.subscriptions().values().forEach(subscriptions::add);
        }
        // timers start only once every session and subscription is back: a will due now reaches them all
        for (int i = 0; i < stored.size(); i++) {
            Session session = restored.get(i);
            StoredSession s = stored.get(i);
            session.execute(() -> session.restore(s));
        }
        if (!stored.isEmpty()) {
            log.info(
                    "resumed {} persistent sessions from the store in {} ms",
                    stored.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** The $SYS totals go on from where the previous run left them. */
    private void restoreCounters() {
        Map<String, Long> saved = store.loadCounters();
        metrics.messagesReceived.add(saved.getOrDefault("messages_received", 0L));
        metrics.publishReceived.add(saved.getOrDefault("publish_received", 0L));
        metrics.publishSent.add(saved.getOrDefault("publish_sent", 0L));
        metrics.bytesReceived.add(saved.getOrDefault("bytes_received", 0L));
        metrics.bytesSent.add(saved.getOrDefault("bytes_sent", 0L));
        metrics.willsPublished.add(saved.getOrDefault("wills_published", 0L));
        metrics.connectionsAccepted.add(saved.getOrDefault("connections_accepted", 0L));
        metrics.clientsMaximum.set(saved.getOrDefault("clients_maximum", 0L));
    }

    private void saveCounters() {
        try {
            store.saveCounters(Map.of(
                    "messages_received", metrics.messagesReceived.sum(),
                    "publish_received", metrics.publishReceived.sum(),
                    "publish_sent", metrics.publishSent.sum(),
                    "bytes_received", metrics.bytesReceived.sum(),
                    "bytes_sent", metrics.bytesSent.sum(),
                    "wills_published", metrics.willsPublished.sum(),
                    "connections_accepted", metrics.connectionsAccepted.sum(),
                    "clients_maximum", metrics.clientsMaximum.get()));
        } catch (RuntimeException e) {
            log.warn("could not save the $SYS totals: {}", e.getMessage());
        }
    }

    /**
     * Stops timers and saves the $SYS totals; sessions are left as they are (the transport disconnects
     * clients first). The store is closed by its owner.
     */
    @Override
    public void close() {
        housekeeping.shutdownNow();
        if (store.isDurable()) {
            saveCounters();
        }
        offlineSessions.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }
}
