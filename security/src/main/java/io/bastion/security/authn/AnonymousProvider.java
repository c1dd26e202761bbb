package io.bastion.security.authn;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.ReasonCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Accepts clients that present no credentials at all (no user name, no password, no client certificate), usually
 * scoped to one listener; everyone else is passed on.
 */
public final class AnonymousProvider implements AuthenticationProvider {

    @Override
    public String type() {
        return "anonymous";
    }

    @Override
    public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
        return CompletableFuture.completedFuture(
                credentials.isAnonymous()
                        ? Verdict.allow(new AuthDecision(ReasonCode.SUCCESS, null, "anonymous client"))
                        : Verdict.ignore("the client presented credentials"));
    }
}
