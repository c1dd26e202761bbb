package io.bastion.security.limits;

import io.bastion.broker.auth.ClientIdentity;
import io.bastion.security.CredentialCheck;
import io.bastion.security.acl.Principals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bans in force, by address (or CIDR range), client id or user, each with an optional expiry. Expired bans
 * are dropped when next looked at. Also a {@link CredentialCheck}, so a new ban disconnects the clients it names.
 */
public final class Bans implements CredentialCheck {
    private static final Logger log = LoggerFactory.getLogger(Bans.class);

    private record Key(Ban.Kind kind, String value) {}

    private record AddressBan(AddressRange range, String value) {}

    private final ConcurrentHashMap<Key, Ban> bans = new ConcurrentHashMap<>();
    /** Address bans parsed once, for the CONNECT path. */
    private volatile List<AddressBan> addressRanges = List.of();

    private final Clock clock;

    public Bans(Clock clock) {
        this.clock = clock;
    }

    /** Adds or replaces the ban on this kind and value. */
    public void add(Ban ban) {
        bans.put(new Key(ban.kind(), ban.value()), ban);
        log.info(
                "ban added: {} {} until {} ({})",
                ban.kind(),
                ban.value(),
                ban.expiresAt() == null ? "removed" : ban.expiresAt(),
                ban.reason());
        rebuildRanges();
    }

    /** Removes a ban; false when there was none. */
    public boolean remove(Ban.Kind kind, String value) {
        Ban removed = bans.remove(new Key(kind, value));
        if (removed != null) {
            log.info("ban removed: {} {}", kind, value);
            rebuildRanges();
        }
        return removed != null;
    }

    /** The bans in force, ordered by kind and value. */
    public List<Ban> list() {
        purgeExpired();
        List<Ban> all = new ArrayList<>(bans.values());
        all.sort(Comparator.comparing(Ban::kind).thenComparing(Ban::value));
        return all;
    }

    /** The ban that applies to a client with these names, if any. */
    public Optional<Ban> find(InetSocketAddress remote, String clientId, String user) {
        if (bans.isEmpty()) {
            return Optional.empty();
        }
        Optional<Ban> ban = active(Ban.Kind.CLIENT_ID, clientId);
        if (ban.isEmpty()) {
            ban = active(Ban.Kind.USER, user);
        }
        if (ban.isEmpty() && remote != null) {
            ban = byAddress(remote.getAddress());
        }
        return ban;
    }

    @Override
    public boolean stillValid(ClientIdentity client) {
        // a user ban names the user as authorization knows it, or the CONNECT user name
        return find(client.remoteAddress(), client.clientId(), Principals.user(client))
                        .isEmpty()
                && active(Ban.Kind.USER, client.username()).isEmpty();
    }

    private Optional<Ban> active(Ban.Kind kind, String value) {
        if (value == null) {
            return Optional.empty();
        }
        Ban ban = bans.get(new Key(kind, value));
        if (ban == null) {
            return Optional.empty();
        }
        if (ban.isExpired(clock.instant())) {
            bans.remove(new Key(kind, value), ban);
            return Optional.empty();
        }
        return Optional.of(ban);
    }

    private Optional<Ban> byAddress(InetAddress address) {
        for (AddressBan entry : addressRanges) {
            if (entry.range().contains(address)) {
                Optional<Ban> ban = active(Ban.Kind.ADDRESS, entry.value());
                if (ban.isPresent()) {
                    return ban;
                }
            }
        }
        return Optional.empty();
    }

    private void purgeExpired() {
        bans.values().removeIf(b -> b.isExpired(clock.instant()));
    }

    private synchronized void rebuildRanges() {
        List<AddressBan> ranges = new ArrayList<>();
        for (Ban b : bans.values()) {
            if (b.kind() == Ban.Kind.ADDRESS) {
                ranges.add(new AddressBan(AddressRange.parse(b.value()), b.value()));
            }
        }
        addressRanges = List.copyOf(ranges);
    }
}
