package io.bastion.broker.connection;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connect-timeout and keep-alive deadlines of the connections on one event loop, kept in a hashed wheel
 * of {@link #TICK_NANOS} slots: setting and cancelling a deadline costs O(1). Every connection sets one at
 * accept and at CONNACK and cancels it at close; Netty's scheduled-task queue is a heap, where each of these
 * is O(log n) with a cache miss per level. A deadline fires at most one tick late, never early.
 *
 * <p>Used only on its event loop. While it holds deadlines it schedules one task per tick on the loop; when
 * empty it schedules nothing.
 */
public final class DeadlineWheel {
    private static final Logger log = LoggerFactory.getLogger(DeadlineWheel.class);
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** 25.6 s a turn: a later deadline stays in its slot and is looked at once per turn until due. */
    private static final int SLOTS = 512;

    /** One pending deadline of one connection; set again and again, and only on the wheel's loop. */
    static final class Deadline {
        private final Runnable action;
        private long tick;
        private int slot = -1; // -1: not in a slot
        private boolean due; // taken from its slot, to run at the end of this advance unless cancelled
        private Deadline previous;
        private Deadline next;

        Deadline(Runnable action) {
            this.action = action;
        }

        boolean isSet() {
            return slot >= 0 || due;
        }
    }

    private final EventExecutor loop;
    private final Ticker ticker;
    private final long origin;
    private final Deadline[] slots = new Deadline[SLOTS];
    private final List<Deadline> firing = new ArrayList<>();
    /** Every tick up to this one has been looked at. */
    private long doneTick;

    private int size;
    private boolean ticking;

    public DeadlineWheel(EventExecutor loop) {
        this.loop = loop;
        this.ticker = loop.ticker();
        this.origin = ticker.nanoTime();
    }

    /** Runs the deadline's action once {@code delayNanos} from now have passed, replacing what it was set to. */
    void set(Deadline d, long delayNanos) {
        cancel(d);
        long now = ticker.nanoTime() - origin;
        if (size == 0 && !ticking) {
            doneTick = now / TICK_NANOS; // nothing was pending: the ticks in between need no look
        }
        long tick = Math.max(doneTick + 1, ceilDiv(now + Math.max(0, delayNanos), TICK_NANOS));
        d.tick = tick;
        int slot = (int) (tick & (SLOTS - 1));
        d.slot = slot;
        d.previous = null;
        d.next = slots[slot];
        if (d.next != null) {
            d.next.previous = d;
        }
        slots[slot] = d;
        size++;
        if (!ticking) {
            ticking = true;
            scheduleTick();
        }
    }

    void cancel(Deadline d) {
        d.due = false;
        if (d.slot >= 0) {
            unlink(d);
        }
    }

    /** Deadlines set and not yet run or cancelled. */
    int size() {
        return size;
    }

    private void unlink(Deadline d) {
        if (d.previous != null) {
            d.previous.next = d.next;
        } else {
            slots[d.slot] = d.next;
        }
        if (d.next != null) {
            d.next.previous = d.previous;
        }
        d.previous = null;
        d.next = null;
        d.slot = -1;
        size--;
    }

    private void scheduleTick() {
        long nextTickAt = origin + (doneTick + 1) * TICK_NANOS;
        loop.schedule(this::advance, Math.max(0, nextTickAt - ticker.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void advance() {
        long now = (ticker.nanoTime() - origin) / TICK_NANOS;
        while (doneTick < now && size > 0) {
            doneTick++;
            takeDue(doneTick);
        }
        doneTick = Math.max(doneTick, now);
        // taken out of the slots first: an action may set or cancel any deadline, its own included
        for (int i = 0; i < firing.size(); i++) {
            Deadline d = firing.get(i);
            if (d.due) {
                d.due = false;
                try {
                    d.action.run();
                } catch (RuntimeException e) {
                    log.warn("deadline action failed", e); // the others still run
                }
            }
        }
        firing.clear();
        ticking = size > 0;
        if (ticking) {
            scheduleTick();
        }
    }

    private void takeDue(long tick) {
        Deadline d = slots[(int) (tick & (SLOTS - 1))];
        while (d != null) {
            Deadline next = d.next;
            if (d.tick <= tick) {
                unlink(d);
                d.due = true;
                firing.add(d);
            }
            d = next;
        }
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
