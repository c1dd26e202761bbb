package io.bastion.security.authn;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.broker.auth.AnonymousAccessAuthenticator;
import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.authn.AuthenticationMetrics.Outcome;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AuthenticationChainTest {
    private final AuthenticationMetrics metrics = new AuthenticationMetrics();
    private final List<String> asked = new ArrayList<>();

    private AuthenticationProvider provider(String type, Function<ClientCredentials, Verdict> answer) {
        return new AuthenticationProvider() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
                asked.add(type);
                return CompletableFuture.supplyAsync(() -> answer.apply(credentials));
            }
        };
    }

    private AuthenticationChain chain(AnonymousAccess anonymous, AuthenticationChain.Link... links) {
        return new AuthenticationChain(List.of(links), new AnonymousAccessAuthenticator(anonymous), metrics);
    }

    private static AuthenticationChain.Link link(AuthenticationProvider p, String... listeners) {
        return new AuthenticationChain.Link(p, Set.of(listeners));
    }

    private static ClientCredentials client(String user, String password, String listener, String host) {
        return new ClientCredentials(
                "c1",
                user,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                new InetSocketAddress(host, 40000),
                listener,
                MqttVersion.V5);
    }

    private static AuthDecision decide(AuthenticationChain chain, ClientCredentials c) throws Exception {
        return chain.authenticate(c).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void firstProviderThatDecidesWinsAndIgnorePassesOn() throws Exception {
        AuthenticationChain chain = chain(
                AnonymousAccess.DENY,
                link(provider("first", c -> Verdict.ignore("not mine"))),
                link(provider(
                        "second",
                        c -> c.username().equals("good")
                                ? Verdict.allow(AuthDecision.allow("id-" + c.username()))
                                : Verdict.deny(
                                        ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong password for " + c.username()))),
                link(provider("third", c -> Verdict.allow(AuthDecision.allow("never")))));

        AuthDecision allowed = decide(chain, client("good", "pw", "tcp", "10.0.0.1"));
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.identity()).isEqualTo("id-good");
        assertThat(asked).containsExactly("first", "second");

        AuthDecision denied = decide(chain, client("bad", "pw", "tcp", "10.0.0.1"));
        assertThat(denied.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(denied.explanation()).isEqualTo("second: wrong password for bad");
        assertThat(metrics.count("first", Outcome.IGNORE)).isEqualTo(2);
        assertThat(metrics.count("second", Outcome.ALLOW)).isEqualTo(1);
        assertThat(metrics.count("second", Outcome.DENY)).isEqualTo(1);
        assertThat(metrics.count("third", Outcome.ALLOW)).isZero();
    }

    @Test
    void theAllowingProviderIsRecordedAndAskedWhetherTheCredentialStillHolds() throws Exception {
        Set<String> known = new java.util.HashSet<>(Set.of("alice", "bob"));
        AuthenticationProvider users = new AuthenticationProvider() {
            @Override
            public String type() {
                return "users";
            }

            @Override
            public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
                return CompletableFuture.completedFuture(
                        known.contains(credentials.username())
                                ? Verdict.allow(new AuthDecision(
                                        ReasonCode.SUCCESS, credentials.username(), Map.of("tenant", "t1"), "ok"))
                                : Verdict.ignore("unknown"));
            }

            @Override
            public boolean stillValid(ClientIdentity client) {
                return known.contains(client.identity());
            }
        };
        AuthenticationChain chain = chain(
                AnonymousAccess.DENY,
                link(users),
                link(provider("users", c -> Verdict.allow(AuthDecision.allow("other")))));
        assertThat(chain.providerNames()).containsExactly("users[0]", "users[1]");

        AuthDecision alice = decide(chain, client("alice", "pw", "tcp", "10.0.0.1"));
        assertThat(alice.attributes())
                .containsEntry("tenant", "t1")
                .containsEntry(AuthenticationChain.PROVIDER_ATTRIBUTE, "users[0]");
        AuthDecision other = decide(chain, client("carol", "pw", "tcp", "10.0.0.1"));
        assertThat(other.attributes()).containsEntry(AuthenticationChain.PROVIDER_ATTRIBUTE, "users[1]");

        ClientIdentity aliceConnected = connected("alice", alice);
        ClientIdentity otherConnected = connected("carol", other);
        assertThat(chain.stillValid(aliceConnected)).isTrue();
        known.remove("alice");
        assertThat(chain.stillValid(aliceConnected)).isFalse();
        assertThat(chain.stillValid(otherConnected)).isTrue(); // the default: still valid
        // clients no provider of the chain allowed (anonymous, certificates, SCRAM) are not judged here
        assertThat(chain.stillValid(new ClientIdentity("x", null, null, null, "tcp", Map.of())))
                .isTrue();
    }

    private static ClientIdentity connected(String user, AuthDecision decision) {
        return new ClientIdentity(
                user, user, decision.identity(), new InetSocketAddress("10.0.0.1", 1), "tcp", decision.attributes());
    }

    @Test
    void providerScopedToListenersSeesOnlyTheirClients() throws Exception {
        AuthenticationChain chain = chain(
                AnonymousAccess.DENY,
                link(provider("tls-only", c -> Verdict.allow(AuthDecision.allow("tls"))), "tls"),
                link(provider("rest", c -> Verdict.deny(ReasonCode.NOT_AUTHORIZED, "no"))));

        assertThat(decide(chain, client("u", "p", "tls", "10.0.0.1")).identity())
                .isEqualTo("tls");
        assertThat(decide(chain, client("u", "p", "tcp", "10.0.0.1")).reasonCode())
                .isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(asked).containsExactly("tls-only", "rest");
    }

    @Test
    void whenNobodyDecidesAnonymousPolicyJudgesClientsWithoutCredentialsOthersAreRefused() throws Exception {
        AuthenticationChain loopbackOnly =
                chain(AnonymousAccess.LOOPBACK, link(provider("p", c -> Verdict.ignore("unknown user"))));

        assertThat(decide(loopbackOnly, client(null, null, "tcp", "127.0.0.1")).allowed())
                .isTrue();
        AuthDecision remote = decide(loopbackOnly, client(null, null, "tcp", "10.0.0.1"));
        assertThat(remote.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        AuthDecision unknownUser = decide(loopbackOnly, client("mallory", "x", "tcp", "127.0.0.1"));
        assertThat(unknownUser.reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(unknownUser.explanation()).isEqualTo("no authentication provider accepted the credentials");
    }

    @Test
    void failingProviderRefusesWithServerUnavailableInsteadOfPassingOn() throws Exception {
        AuthenticationChain chain = chain(
                AnonymousAccess.ALLOW,
                link(provider("broken", c -> {
                    throw new IllegalStateException("boom");
                })),
                link(provider("next", c -> Verdict.allow(AuthDecision.allow("x")))));

        AuthDecision d = decide(chain, client("u", "p", "tcp", "10.0.0.1"));
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.SERVER_UNAVAILABLE);
        assertThat(metrics.count("broken", Outcome.ERROR)).isEqualTo(1);
        assertThat(asked).containsExactly("broken");
    }

    @Test
    void repeatedTypesAreNumberedInMetrics() {
        AuthenticationChain chain = chain(
                AnonymousAccess.DENY,
                link(provider("password_file", c -> Verdict.ignore("x"))),
                link(provider("anonymous", c -> Verdict.ignore("x"))),
                link(provider("password_file", c -> Verdict.ignore("x"))));
        assertThat(chain.providerNames()).containsExactly("password_file[0]", "anonymous", "password_file[2]");
    }

    @Test
    void anonymousProviderAcceptsOnlyClientsWithoutCredentials() throws Exception {
        AuthenticationChain chain = chain(AnonymousAccess.DENY, link(new AnonymousProvider(), "tcp"));
        assertThat(decide(chain, client(null, null, "tcp", "10.0.0.1")).allowed())
                .isTrue();
        assertThat(decide(chain, client(null, null, "tls", "10.0.0.1")).allowed())
                .isFalse();
        assertThat(decide(chain, client("u", "p", "tcp", "10.0.0.1")).reasonCode())
                .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
}
