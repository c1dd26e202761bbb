package io.bastion.broker.control;

import io.bastion.broker.auth.ClientIdentity;
import io.bastion.mqtt.ReasonCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The run-time control API of the broker: every connected client by client id, to list them, kick one, and
 * re-check all of them after a security change. Connections register when their CONNACK is sent and leave when
 * their socket closes.
 */
public final class ConnectedClients {
    private final ConcurrentHashMap<String, ControlledClient> clients = new ConcurrentHashMap<>();

    /** Also replaces a connection that is being taken over. */
    public void connected(String clientId, ControlledClient client) {
        clients.put(clientId, client);
    }

    /** Forgets a closed connection, unless its client id already belongs to a newer one. */
    public void disconnected(String clientId, ControlledClient client) {
        clients.remove(clientId, client);
    }

    public int size() {
        return clients.size();
    }

    /** Every connected client, ordered by client id. */
    public List<ClientInfo> list() {
        List<ClientInfo> all = new ArrayList<>(clients.size());
        for (ControlledClient c : clients.values()) {
            all.add(c.info());
        }
        all.sort(Comparator.comparing(ClientInfo::clientId));
        return all;
    }

    public Optional<ClientInfo> get(String clientId) {
        ControlledClient c = clients.get(clientId);
        return c == null ? Optional.empty() : Optional.of(c.info());
    }

    /** Disconnects the client with this id; false when none is connected. */
    public boolean kick(String clientId, ReasonCode reason, String why) {
        ControlledClient c = clients.get(clientId);
        if (c == null) {
            return false;
        }
        c.kick(reason, why);
        return true;
    }

    /**
     * Re-checks every connected client against the current authorizer and {@code credentialsValid} (see {@link
     * ControlledClient#recheck}); completes when every client's event loop has done so.
     */
    public CompletionStage<RecheckOutcome> recheck(Predicate<ClientIdentity> credentialsValid) {
        List<CompletableFuture<Integer>> each = new ArrayList<>();
        for (ControlledClient c : clients.values()) {
            each.add(c.recheck(credentialsValid).toCompletableFuture());
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
            int disconnected = 0;
            int removed = 0;
            for (CompletableFuture<Integer> f : each) {
                int n = f.join();
                if (n < 0) {
                    disconnected++;
                } else {
                    removed += n;
                }
            }
            return new RecheckOutcome(each.size(), disconnected, removed);
        });
    }

    /**
     * What a re-check did.
     *
     * @param clients connected clients checked
     * @param disconnected clients whose credentials were no longer valid
     * @param subscriptionsRemoved subscriptions the authorizer no longer allowed
     */
    public record RecheckOutcome(int clients, int disconnected, int subscriptionsRemoved) {}
}
