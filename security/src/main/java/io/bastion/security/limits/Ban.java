package io.bastion.security.limits;

import java.time.Instant;
import java.util.Objects;

/**
 * A ban: clients matching it are refused at CONNECT with 0x8A Banned, and connected ones are disconnected.
 *
 * @param kind what {@code value} is
 * @param value an address or CIDR range, a client id or a user
 * @param reason why, for the log line and the admin API
 * @param createdAt when it was added
 * @param expiresAt when it ends; null for never
 */
public record Ban(Kind kind, String value, String reason, Instant createdAt, Instant expiresAt) {

    public enum Kind {
        ADDRESS,
        CLIENT_ID,
        USER
    }

    public Ban {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(createdAt, "createdAt");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a ban needs a value");
        }
        if (kind == Kind.ADDRESS) {
            AddressRange.parse(value);
        }
        reason = reason == null ? "" : reason;
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
