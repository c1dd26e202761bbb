package io.bastion.security.limits;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits on failed and frequent CONNECTs.
 *
 * @param enabled whether the limits apply at all (bans always do)
 * @param maxFailures failed CONNECTs per {@code window} from one address, or for one user name or client id, before
 *     further attempts are refused without checking credentials
 * @param window the sliding window failures are counted in
 * @param backoff how long the first refusal period lasts; each further one in a row doubles it
 * @param maxBackoff the longest refusal period
 * @param connectionRate CONNECTs per {@code rateWindow} from one address; 0 = no limit
 * @param rateWindow the window the connection rate is counted in
 * @param exempt addresses or CIDR ranges neither limit applies to (bans still do)
 */
public record BruteForceSettings(
        boolean enabled,
        int maxFailures,
        Duration window,
        Duration backoff,
        Duration maxBackoff,
        int connectionRate,
        Duration rateWindow,
        List<String> exempt) {

    public BruteForceSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(rateWindow, "rateWindow");
        exempt = List.copyOf(exempt);
        for (String range : exempt) {
            AddressRange.parse(range); // refuses a malformed entry now, not at the first CONNECT
        }
    }

    public static BruteForceSettings defaults() {
        return new BruteForceSettings(
                true,
                5,
                Duration.ofMinutes(1),
                Duration.ofSeconds(10),
                Duration.ofMinutes(15),
                100,
                Duration.ofSeconds(10),
                List.of("127.0.0.0/8", "::1"));
    }
}
