package io.bastion.security;

import io.bastion.broker.control.ConnectedClients.RecheckOutcome;
import io.bastion.security.acl.AclSources;
import io.bastion.security.limits.Ban;
import io.bastion.security.limits.Bans;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to security while the broker runs: ACL files are polled for changes, bans are added and removed, and an
 * operator can force a reload. Every change is followed by a {@link SessionRecheck} of the connected clients.
 */
public final class SecurityControl implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SecurityControl.class);

    private final AclSources acl;
    private final Bans bans;
    private final SessionRecheck recheck;
    private final SecurityMetrics metrics;
    private final ScheduledExecutorService poller;

    /**
     * @param pollInterval how often ACL files are checked for changes; zero disables polling
     */
    public SecurityControl(
            AclSources acl, Bans bans, SessionRecheck recheck, SecurityMetrics metrics, Duration pollInterval) {
        this.acl = acl;
        this.bans = bans;
        this.recheck = recheck;
        this.metrics = metrics;
        recheck.add(bans);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bastion-security-watch");
            t.setDaemon(true);
            return t;
        });
        if (!pollInterval.isZero()) {
            long millis = pollInterval.toMillis();
            poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code task} every {@code interval} on the security thread, e.g. forgetting stale limiter state. */
    public void scheduleHousekeeping(Runnable task, Duration interval) {
        long millis = interval.toMillis();
        poller.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("security housekeeping failed", e);
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            if (acl.reload(false)) {
                recheck.run("ACL change");
            }
        } catch (RuntimeException e) {
            log.warn("checking ACL files for changes failed", e); // the poller must survive whatever happened
        }
    }

    /** Re-reads every ACL file, then re-checks every connected client. */
    public CompletionStage<ReloadOutcome> reload() {
        boolean changed = acl.reload(true);
        return recheck.run("security reload").thenApply(outcome -> new ReloadOutcome(changed, outcome));
    }

    /** What a reload did: whether any rules changed, and what the re-check of connected clients did. */
    public record ReloadOutcome(boolean rulesChanged, RecheckOutcome recheck) {}

    public Bans bans() {
        return bans;
    }

    /** Adds a ban and disconnects the connected clients it names. */
    public CompletionStage<RecheckOutcome> ban(Ban ban) {
        bans.add(ban);
        return recheck.run("ban of " + ban.kind() + " " + ban.value());
    }

    public boolean unban(Ban.Kind kind, String value) {
        return bans.remove(kind, value);
    }

    public SessionRecheck recheck() {
        return recheck;
    }

    public SecurityMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
