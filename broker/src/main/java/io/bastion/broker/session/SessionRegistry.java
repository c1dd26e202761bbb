package io.bastion.broker.session;

import io.bastion.broker.store.SessionPersistence;
import io.bastion.broker.store.StoredSession;
import io.netty.util.concurrent.EventExecutor;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Every session the broker holds, by client identifier. */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Function<String, SessionPersistence> persistence;
    private final SessionServices services;

    public SessionRegistry(SessionServices services, Function<String, SessionPersistence> persistence) {
        this.services = services;
        this.persistence = persistence;
    }

    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /** The client's session, created on {@code executor} if it has none. */
    public Session open(String clientId, EventExecutor executor, boolean[] created) {
        created[0] = false;
        return sessions.computeIfAbsent(clientId, id -> {
            created[0] = true;
            return new Session(id, executor, services, persistence.apply(id));
        });
    }

    /** Registers a session read back from the store at start; it lives on {@code executor} until a client takes it. */
    public Session restore(StoredSession stored, EventExecutor executor) {
        Session session = new Session(stored.clientId(), executor, services, stored.persistence());
        sessions.put(stored.clientId(), session);
        return session;
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
