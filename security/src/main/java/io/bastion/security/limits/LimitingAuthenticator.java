package io.bastion.security.limits;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.SecurityMetrics;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the server's {@link Authenticator} with bans, a connection-rate limit per address and brute-force back-off:
 * a banned, too frequent or backing-off client is refused before the wrapped authenticator runs, so an attacker
 * never costs a password hash or a webhook call. Failures the wrapped authenticator reports are counted per
 * address, user name and client id.
 *
 * <p>Refusals: banned clients get 0x8A Banned; too many CONNECTs or failures get 0x9F Connection rate exceeded
 * (3.1.1 clients get the CONNACK return code the broker maps these to).
 */
public final class LimitingAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(LimitingAuthenticator.class);

    private final Authenticator delegate;
    private final BruteForceSettings settings;
    private final Bans bans;
    private final SecurityMetrics metrics;
    private final Clock clock;
    private final List<AddressRange> exempt;
    private final FailureTracker failures;
    private final ConnectionRate rate;

    public LimitingAuthenticator(
            Authenticator delegate, BruteForceSettings settings, Bans bans, SecurityMetrics metrics, Clock clock) {
        this.delegate = delegate;
        this.settings = settings;
        this.bans = bans;
        this.metrics = metrics;
        this.clock = clock;
        this.exempt = settings.exempt().stream().map(AddressRange::parse).toList();
        this.failures = new FailureTracker(
                settings.maxFailures(),
                settings.window().toMillis(),
                settings.backoff().toMillis(),
                settings.maxBackoff().toMillis());
        this.rate = new ConnectionRate(
                settings.connectionRate(), settings.rateWindow().toMillis());
    }

    @Override
    public CompletionStage<AuthDecision> authenticate(ClientCredentials credentials) {
        var ban = bans.find(credentials.remoteAddress(), credentials.clientId(), credentials.username());
        if (ban.isPresent()) {
            metrics.refusedBanned.increment();
            return refuse(
                    ReasonCode.BANNED,
                    "banned (" + ban.get().kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                            + ban.get().value() + ")");
        }
        if (!settings.enabled() || isExempt(credentials)) {
            return delegate.authenticate(credentials);
        }
        long now = clock.millis();
        String address = addressKey(credentials);
        if (address != null && !rate.tryAcquire(address, now)) {
            metrics.refusedConnectionRate.increment();
            return refuse(
                    ReasonCode.CONNECTION_RATE_EXCEEDED,
                    "more than " + settings.connectionRate() + " CONNECTs from this address in "
                            + settings.rateWindow().toSeconds() + " s");
        }
        long wait = Math.max(
                remaining(address, now),
                Math.max(remaining(userKey(credentials), now), remaining(clientKey(credentials), now)));
        if (wait > 0) {
            metrics.refusedBackingOff.increment();
            return refuse(
                    ReasonCode.CONNECTION_RATE_EXCEEDED,
                    "too many failed CONNECTs, refused for another " + Math.max(1, wait / 1000) + " s");
        }
        return delegate.authenticate(credentials).thenApply(decision -> {
            if (decision.allowed()) {
                forget(userKey(credentials));
                forget(clientKey(credentials));
            } else {
                metrics.authFailures.increment();
                failed(address, credentials);
                failed(userKey(credentials), credentials);
                failed(clientKey(credentials), credentials);
            }
            return decision;
        });
    }

    private void failed(String key, ClientCredentials credentials) {
        if (key == null) {
            return;
        }
        long backoff = failures.failed(key, clock.millis());
        if (backoff > 0) {
            metrics.backoffsStarted.increment();
            log.warn(
                    "{} failed CONNECTs within {} s for {} (last: {}): refusing it for {} s",
                    settings.maxFailures(),
                    settings.window().toSeconds(),
                    key,
                    credentials,
                    backoff / 1000);
        }
    }

    private void forget(String key) {
        if (key != null) {
            failures.succeeded(key);
        }
    }

    private long remaining(String key, long now) {
        return key == null ? 0 : failures.remainingBackoff(key, now);
    }

    private boolean isExempt(ClientCredentials credentials) {
        if (credentials.remoteAddress() == null) {
            return false;
        }
        InetAddress address = credentials.remoteAddress().getAddress();
        for (AddressRange range : exempt) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static String addressKey(ClientCredentials c) {
        return c.remoteAddress() == null || c.remoteAddress().getAddress() == null
                ? null
                : "address " + c.remoteAddress().getAddress().getHostAddress();
    }

    private static String userKey(ClientCredentials c) {
        return c.username() == null ? null : "user " + c.username();
    }

    private static String clientKey(ClientCredentials c) {
        return c.clientId() == null || c.clientId().isEmpty() ? null : "client id " + c.clientId();
    }

    private static CompletionStage<AuthDecision> refuse(ReasonCode reason, String why) {
        return CompletableFuture.completedFuture(AuthDecision.deny(reason, why));
    }

    /** Forgets addresses and names with nothing left to remember; call now and then. */
    public void purge() {
        long now = clock.millis();
        failures.purge(now);
        rate.purge(now);
    }
}
