package io.bastion.security.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.Authenticator;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.SecurityMetrics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LimitingAuthenticatorTest {
    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final TestClock clock = new TestClock();
    private final SecurityMetrics metrics = new SecurityMetrics();
    private final Bans bans = new Bans(clock);
    private final AtomicInteger passwordChecks = new AtomicInteger();
    /** Accepts password "right" only. */
    private final Authenticator passwords = c -> {
        passwordChecks.incrementAndGet();
        boolean ok = c.password() != null && new String(c.password(), StandardCharsets.UTF_8).equals("right");
        return CompletableFuture.completedFuture(
                ok
                        ? AuthDecision.allow(c.username())
                        : AuthDecision.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong"));
    };

    private LimitingAuthenticator limiter(int maxFailures, int connectionRate) {
        return new LimitingAuthenticator(
                passwords,
                new BruteForceSettings(
                        true,
                        maxFailures,
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        connectionRate,
                        Duration.ofSeconds(10),
                        List.of()),
                bans,
                metrics,
                clock);
    }

    private static ClientCredentials connect(String address, String clientId, String user, String password) {
        return new ClientCredentials(
                clientId,
                user,
                password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                new InetSocketAddress(address, 50000),
                "tcp",
                MqttVersion.V5);
    }

    private static AuthDecision decide(Authenticator a, ClientCredentials c) {
        return a.authenticate(c).toCompletableFuture().join();
    }

    @Test
    void pastTheThresholdAttemptsAreRefusedWithoutCheckingThePasswordAndTheBackoffGrows() {
        LimitingAuthenticator limiter = limiter(3, 0);
        for (int i = 0; i < 3; i++) {
            assertThat(decide(limiter, connect("10.0.0.1", "c" + i, "alice", "wrong"))
                            .reasonCode())
                    .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        int checked = passwordChecks.get();
        AuthDecision blocked = decide(limiter, connect("10.0.0.1", "c9", "alice", "right"));
        assertThat(blocked.reasonCode()).isEqualTo(ReasonCode.CONNECTION_RATE_EXCEEDED);
        assertThat(blocked.explanation()).contains("too many failed CONNECTs");
        assertThat(passwordChecks.get())
                .as("no password check while backing off")
                .isEqualTo(checked);
        // the user is blocked from another address too, and the address for another user
        assertThat(decide(limiter, connect("10.0.0.2", "x", "alice", "right")).allowed())
                .isFalse();
        assertThat(decide(limiter, connect("10.0.0.1", "y", "bob", "right")).allowed())
                .isFalse();
        assertThat(metrics.refusedBackingOff.sum()).isEqualTo(3);
        assertThat(metrics.backoffsStarted.sum()).as("the address and the user").isEqualTo(2);

        clock.advance(Duration.ofSeconds(10));
        assertThat(decide(limiter, connect("10.0.0.3", "z", "alice", "right")).allowed())
                .isTrue();
    }

    @Test
    void aSuccessAfterTheBackoffForgetsTheUser() {
        LimitingAuthenticator limiter = limiter(2, 0);
        decide(limiter, connect("10.0.0.1", "a", "alice", "wrong"));
        decide(limiter, connect("10.0.0.2", "b", "alice", "wrong"));
        assertThat(decide(limiter, connect("10.0.0.3", "c", "alice", "right")).allowed())
                .isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(decide(limiter, connect("10.0.0.3", "c", "alice", "right")).allowed())
                .isTrue();
        // forgotten: one more failure does not block again
        decide(limiter, connect("10.0.0.4", "d", "alice", "wrong"));
        assertThat(decide(limiter, connect("10.0.0.5", "e", "alice", "right")).allowed())
                .isTrue();
    }

    @Test
    void backoffsInARowDoubleUpToTheMaximum() {
        LimitingAuthenticator limiter = limiter(1, 0);
        long[] expected = {10, 20, 40, 60, 60};
        for (long seconds : expected) {
            decide(limiter, connect("10.0.0.1", "c", null, "wrong"));
            assertThat(decide(limiter, connect("10.0.0.1", "c", null, "right")).explanation())
                    .contains("another " + seconds + " s");
            clock.advance(Duration.ofSeconds(seconds));
        }
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        LimitingAuthenticator limiter = limiter(3, 0);
        decide(limiter, connect("10.0.0.1", "c", "u", "wrong"));
        decide(limiter, connect("10.0.0.1", "c", "u", "wrong"));
        clock.advance(Duration.ofSeconds(61));
        decide(limiter, connect("10.0.0.1", "c", "u", "wrong"));
        assertThat(decide(limiter, connect("10.0.0.1", "c", "u", "right")).allowed())
                .isTrue();
    }

    @Test
    void connectionRatePerAddress() {
        LimitingAuthenticator limiter = limiter(100, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(decide(limiter, connect("10.0.0.1", "c" + i, "u", "right"))
                            .allowed())
                    .isTrue();
        }
        AuthDecision refused = decide(limiter, connect("10.0.0.1", "c4", "u", "right"));
        assertThat(refused.reasonCode()).isEqualTo(ReasonCode.CONNECTION_RATE_EXCEEDED);
        assertThat(decide(limiter, connect("10.0.0.2", "c5", "u", "right")).allowed())
                .isTrue();
        clock.advance(Duration.ofSeconds(10));
        assertThat(decide(limiter, connect("10.0.0.1", "c6", "u", "right")).allowed())
                .isTrue();
        assertThat(metrics.refusedConnectionRate.sum()).isEqualTo(1);
    }

    @Test
    void exemptAddressesAreNotLimitedButStillBanned() {
        LimitingAuthenticator limiter = new LimitingAuthenticator(
                passwords,
                new BruteForceSettings(
                        true,
                        1,
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(60),
                        1,
                        Duration.ofSeconds(10),
                        List.of("10.1.0.0/16")),
                bans,
                metrics,
                clock);
        for (int i = 0; i < 5; i++) {
            decide(limiter, connect("10.1.2.3", "c", "u", "wrong"));
        }
        assertThat(decide(limiter, connect("10.1.2.3", "c", "u", "right")).allowed())
                .isTrue();
        bans.add(new Ban(Ban.Kind.ADDRESS, "10.1.0.0/16", "test", clock.instant(), null));
        assertThat(decide(limiter, connect("10.1.2.3", "c", "u", "right")).reasonCode())
                .isEqualTo(ReasonCode.BANNED);
    }

    @Test
    void bansByAddressRangeClientIdAndUserWithExpiry() {
        LimitingAuthenticator limiter = limiter(100, 0);
        bans.add(new Ban(
                Ban.Kind.CLIENT_ID,
                "evil",
                "test",
                clock.instant(),
                clock.instant().plusSeconds(60)));
        bans.add(new Ban(Ban.Kind.USER, "mallory", "test", clock.instant(), null));
        bans.add(new Ban(Ban.Kind.ADDRESS, "2001:db8::/32", "test", clock.instant(), null));
        int checks = passwordChecks.get();
        assertThat(decide(limiter, connect("10.0.0.1", "evil", "u", "right")).reasonCode())
                .isEqualTo(ReasonCode.BANNED);
        assertThat(decide(limiter, connect("10.0.0.1", "c", "mallory", "right")).reasonCode())
                .isEqualTo(ReasonCode.BANNED);
        assertThat(decide(limiter, connect("2001:db8::7", "c", "u", "right")).reasonCode())
                .isEqualTo(ReasonCode.BANNED);
        assertThat(passwordChecks.get()).isEqualTo(checks);
        assertThat(decide(limiter, connect("2001:db9::7", "c", "u", "right")).allowed())
                .isTrue();

        clock.advance(Duration.ofSeconds(60));
        assertThat(decide(limiter, connect("10.0.0.1", "evil", "u", "right")).allowed())
                .isTrue();
        assertThat(bans.list()).extracting(Ban::value).containsExactly("2001:db8::/32", "mallory");
        assertThat(bans.remove(Ban.Kind.USER, "mallory")).isTrue();
        assertThat(decide(limiter, connect("10.0.0.1", "c", "mallory", "right")).allowed())
                .isTrue();
        assertThat(metrics.refusedBanned.sum()).isEqualTo(3);
    }

    @Test
    void malformedRangesAreRefused() {
        assertThatThrownBy(() -> AddressRange.parse("example.com")).hasMessageContaining("example.com");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> new Ban(Ban.Kind.ADDRESS, "nope", "", Instant.now(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AddressRange.parse("192.168.1.0/24").contains(new InetSocketAddress("192.168.1.77", 1).getAddress()))
                .isTrue();
        assertThat(AddressRange.parse("192.168.1.0/24").contains(new InetSocketAddress("192.168.2.1", 1).getAddress()))
                .isFalse();
    }
}
