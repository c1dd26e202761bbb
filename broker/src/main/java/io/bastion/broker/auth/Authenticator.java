package io.bastion.broker.auth;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client may connect. May complete on any thread: the connection resumes on its
 * own event loop, so slow checks (a webhook, a database) never block one.
 */
@FunctionalInterface
public interface Authenticator {

    CompletionStage<AuthDecision> authenticate(ClientCredentials credentials);
}
