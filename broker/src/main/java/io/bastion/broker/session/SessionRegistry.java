package io.bastion.broker.session;

import io.netty.util.concurrent.EventExecutor;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Every session the broker holds, by client identifier. */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Function<String, MessageQueue> queues;
    private final SessionServices services;

    public SessionRegistry(SessionServices services, Function<String, MessageQueue> queues) {
        this.services = services;
        this.queues = queues;
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /** The client's session, created on {@code executor} if it has none. */
    public Session open(String clientId, EventExecutor executor, boolean[] created) {
        created[0] = false;
        return sessions.computeIfAbsent(clientId, id -> {
            created[0] = true;
            return new Session(id, executor, services, queues.apply(id));
        });
    }

    /** Forgets an ended session, unless the client id already belongs to a newer one. */
    public void remove(Session session) {
        sessions.remove(session.clientId(), session);
    }

    public int size() {
        return sessions.size();
    }

    public Collection<Session> all() {
        return sessions.values();
    }
}
