package io.bastion.security;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the security module, written from any thread; the admin API reports them. */
public final class SecurityMetrics {
    /** CONNECTs the wrapped authenticator refused. */
    public final LongAdder authFailures = new LongAdder();
    /** CONNECTs refused without checking credentials because the address, user or client id is backing off. */
    public final LongAdder refusedBackingOff = new LongAdder();
    /** CONNECTs refused because the address connected too often. */
    public final LongAdder refusedConnectionRate = new LongAdder();
    /** CONNECTs refused by a ban. */
    public final LongAdder refusedBanned = new LongAdder();
    /** Times an address, user or client id started a back-off. */
    public final LongAdder backoffsStarted = new LongAdder();

    public final LongAdder aclReloads = new LongAdder();
    public final LongAdder aclReloadFailures = new LongAdder();
}
