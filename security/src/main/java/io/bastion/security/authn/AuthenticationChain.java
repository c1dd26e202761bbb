package io.bastion.security.authn;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.CredentialCheck;
import io.bastion.security.authn.AuthenticationMetrics.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured providers in order: the first that allows or denies decides, one that ignores passes the client
 * on. When none decides, a client without credentials is judged by the anonymous-access fallback
 * ({@code security.anonymous}); a client that presented credentials nobody accepted is refused.
 */
public final class AuthenticationChain implements Authenticator, CredentialCheck {
    private static final Logger log = LoggerFactory.getLogger(AuthenticationChain.class);

    /** The attribute naming the provider (as in {@link #providerNames()}) that allowed a client. */
    public static final String PROVIDER_ATTRIBUTE = "provider";

    /**
     * One provider and the listeners it serves.
     *
     * @param listeners names of the listeners whose clients this provider sees; empty means all
     */
    public record Link(AuthenticationProvider provider, Set<String> listeners) {
        public Link {
            listeners = Set.copyOf(listeners);
        }

        boolean serves(String listener) {
            return listeners.isEmpty() || listeners.contains(listener);
        }
    }

    private final List<Link> links;
    private final List<String> names;
    private final Authenticator anonymousFallback;
    private final AuthenticationMetrics metrics;

    /**
     * @param anonymousFallback decides clients without credentials when no provider did, e.g. the broker's {@code
     *     AnonymousAccessAuthenticator}
     */
    public AuthenticationChain(List<Link> links, Authenticator anonymousFallback, AuthenticationMetrics metrics) {
        this.links = List.copyOf(links);
        this.anonymousFallback = anonymousFallback;
        this.metrics = metrics;
        this.names = names(this.links);
    }

    /** The providers' names as log lines and metrics use them: the type, numbered when it occurs twice. */
    private static List<String> names(List<Link> links) {
        Map<String, Integer> occurrences = new HashMap<>();
        links.forEach(l -> occurrences.merge(l.provider().type(), 1, Integer::sum));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            String type = links.get(i).provider().type();
            names.add(occurrences.get(type) > 1 ? type + "[" + i + "]" : type);
        }
        return List.copyOf(names);
    }

    public List<String> providerNames() {
        return names;
    }

    public AuthenticationMetrics metrics() {
        return metrics;
    }

    @Override
    public CompletionStage<AuthDecision> authenticate(ClientCredentials credentials) {
        return ask(0, credentials);
    }

    private CompletionStage<AuthDecision> ask(int index, ClientCredentials credentials) {
        for (int i = index; i < links.size(); i++) {
            Link link = links.get(i);
            if (!link.serves(credentials.listenerName())) {
                continue;
            }
            int at = i;
            CompletionStage<Verdict> verdict;
            try {
                verdict = link.provider().authenticate(credentials);
            } catch (RuntimeException e) {
                verdict = CompletableFuture.failedFuture(e);
            }
            return verdict.handle((v, error) -> decided(at, credentials, v, error))
                    .thenCompose(d -> d == null ? ask(at + 1, credentials) : CompletableFuture.completedFuture(d));
        }
        return fallback(credentials);
    }

    /** The decision of provider {@code index}, or null when it ignored the client. */
    private AuthDecision decided(int index, ClientCredentials credentials, Verdict verdict, Throwable error) {
        String name = names.get(index);
        if (error != null) {
            metrics.increment(name, Outcome.ERROR);
            // fail closed: a broken provider must not let a client through, nor silently hand it to the next one
            log.warn(
                    "client {} from {}: authentication provider {} failed",
                    credentials.clientId(),
                    credentials.remoteAddress(),
                    name,
                    error);
            return AuthDecision.deny(ReasonCode.SERVER_UNAVAILABLE, name + " failed");
        }
        switch (verdict.kind()) {
            case ALLOW -> {
                metrics.increment(name, Outcome.ALLOW);
                log.debug(
                        "client {} from {}: {} accepted ({})",
                        credentials.clientId(),
                        credentials.remoteAddress(),
                        name,
                        verdict.reason());
                return tagged(verdict.decision(), name);
            }
            case DENY -> {
                metrics.increment(name, Outcome.DENY);
                return AuthDecision.deny(verdict.decision().reasonCode(), name + ": " + verdict.reason());
            }
            default -> {
                metrics.increment(name, Outcome.IGNORE);
                log.debug(
                        "client {} from {}: {} passed ({})",
                        credentials.clientId(),
                        credentials.remoteAddress(),
                        name,
                        verdict.reason());
                return null;
            }
        }
    }

    /** The decision with the name of the provider that made it, so {@link #stillValid} can ask that provider. */
    private static AuthDecision tagged(AuthDecision decision, String name) {
        Map<String, String> attributes = new HashMap<>(decision.attributes());
        attributes.put(PROVIDER_ATTRIBUTE, name);
        return new AuthDecision(
                decision.reasonCode(), decision.identity(), attributes, decision.explanation(), decision.expiresAt());
    }

    /**
     * Asks the provider that allowed {@code client} whether its credential still holds; clients no provider of this
     * chain allowed (anonymous access, client certificates, SCRAM) are not judged here.
     */
    @Override
    public boolean stillValid(ClientIdentity client) {
        String name = client.attributes().get(PROVIDER_ATTRIBUTE);
        int index = name == null ? -1 : names.indexOf(name);
        if (index < 0) {
            return true;
        }
        try {
            return links.get(index).provider().stillValid(client);
        } catch (RuntimeException e) {
            log.warn("re-checking client {} with provider {} failed", client.clientId(), name, e);
            return true; // a broken check must not disconnect everyone; the next re-check tries again
        }
    }

    private CompletionStage<AuthDecision> fallback(ClientCredentials credentials) {
        if (credentials.isAnonymous()) {
            return anonymousFallback.authenticate(credentials);
        }
        if (credentials.username() == null && credentials.password() == null) {
            return CompletableFuture.completedFuture(AuthDecision.deny(
                    ReasonCode.NOT_AUTHORIZED, "no authentication provider accepts client certificates here"));
        }
        return CompletableFuture.completedFuture(AuthDecision.deny(
                ReasonCode.BAD_USER_NAME_OR_PASSWORD, "no authentication provider accepted the credentials"));
    }
}
