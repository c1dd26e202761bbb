package io.bastion.security;

import io.bastion.broker.auth.ClientIdentity;
import io.bastion.broker.control.ConnectedClients;
import io.bastion.broker.control.ConnectedClients.RecheckOutcome;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a security change to the clients already connected: each one's credentials are asked of every
 * registered {@link CredentialCheck} (failing clients are disconnected with 0x87), and subscriptions the current
 * authorizer no longer allows are removed. Run after every ACL reload, ban and admin reload; authentication
 * providers register their checks with {@link #add}.
 */
public final class SessionRecheck {
    private static final Logger log = LoggerFactory.getLogger(SessionRecheck.class);

    private final ConnectedClients clients;
    private final List<CredentialCheck> checks = new CopyOnWriteArrayList<>();

    public SessionRecheck(ConnectedClients clients) {
        this.clients = clients;
    }

    public void add(CredentialCheck check) {
        checks.add(check);
    }

    /** Re-checks every connected client; completes when all of them were checked. */
    public CompletionStage<RecheckOutcome> run(String why) {
        return clients.recheck(this::stillValid).whenComplete((outcome, error) -> {
            if (error != null) {
                log.warn("re-checking connected clients after {} failed", why, error);
            } else if (outcome.disconnected() > 0 || outcome.subscriptionsRemoved() > 0) {
                log.info(
                        "re-checked {} connected clients after {}: {} disconnected, {} subscriptions removed",
                        outcome.clients(),
                        why,
                        outcome.disconnected(),
                        outcome.subscriptionsRemoved());
            }
        });
    }

    private boolean stillValid(ClientIdentity client) {
        for (CredentialCheck check : checks) {
            if (!check.stillValid(client)) {
                return false;
            }
        }
        return true;
    }
}
