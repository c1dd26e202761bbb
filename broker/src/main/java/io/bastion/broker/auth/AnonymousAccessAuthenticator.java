package io.bastion.broker.auth;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.mqtt.ReasonCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The policy when no credential provider is configured: a client with a certificate verified by a
 * mutual TLS listener is accepted with the certificate identity; every other client counts as anonymous, and is accepted by the configured
 * {@link AnonymousAccess} rule.
 */
public final class AnonymousAccessAuthenticator implements Authenticator {
    private final AnonymousAccess access;

    public AnonymousAccessAuthenticator(AnonymousAccess access) {
        this.access = access;
    }

    @Override
    public CompletionStage<AuthDecision> authenticate(ClientCredentials credentials) {
        if (credentials.certificateIdentity() != null) {
            // a client certificate verified by the listener's CA is a credential: the client is not anonymous
            return CompletableFuture.completedFuture(AuthDecision.allow(credentials.certificateIdentity()));
        }
        boolean allowed = switch (access) {
            case ALLOW -> true;
            case DENY -> false;
            case LOOPBACK ->
                credentials.remoteAddress() != null
                        && credentials.remoteAddress().getAddress() != null
                        && credentials.remoteAddress().getAddress().isLoopbackAddress();
        };
        return CompletableFuture.completedFuture(
                allowed
                        ? AuthDecision.allow(credentials.username())
                        : AuthDecision.deny(
                                ReasonCode.NOT_AUTHORIZED,
                                "anonymous access is "
                                        + (access == AnonymousAccess.DENY ? "disabled" : "loopback only")));
    }
}
