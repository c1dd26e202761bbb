package io.bastion.server.config;

import io.bastion.security.limits.AddressRange;
import io.bastion.security.limits.BruteForceSettings;
import java.time.Duration;
import java.util.List;

/** Binds {@code security.brute_force}: failed-CONNECT back-off and the connection rate per address. */
final class BruteForceSection {
    private BruteForceSection() {}

    static BruteForceSettings bind(ConfigSection root) {
        BruteForceSettings d = BruteForceSettings.defaults();
        ConfigSection s = root.section("security").section("brute_force");
        boolean enabled = s.bool("enabled", d.enabled());
        int maxFailures = s.integer("max_failures", d.maxFailures(), 1, 1_000_000);
        Duration window = s.duration("window", d.window(), Duration.ofSeconds(1), Duration.ofDays(1), false);
        Duration backoff = s.duration("backoff", d.backoff(), Duration.ofSeconds(1), Duration.ofDays(1), false);
        Duration maxBackoff =
                s.duration("max_backoff", d.maxBackoff(), Duration.ofSeconds(1), Duration.ofDays(7), false);
        if (maxBackoff.compareTo(backoff) < 0) {
            throw s.error("max_backoff", "must not be shorter than security.brute_force.backoff");
        }
        int connectionRate = s.integer("connection_rate", d.connectionRate(), 0, 1_000_000);
        Duration rateWindow =
                s.duration("rate_window", d.rateWindow(), Duration.ofSeconds(1), Duration.ofHours(1), false);
        List<String> exempt = s.strings("exempt", d.exempt());
        for (String range : exempt) {
            try {
                AddressRange.parse(range);
            } catch (IllegalArgumentException e) {
                throw s.error("exempt", e.getMessage());
            }
        }
        return new BruteForceSettings(
                enabled, maxFailures, window, backoff, maxBackoff, connectionRate, rateWindow, exempt);
    }
}
