package io.bastion.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineWheelTest {
    private static final long TICK_MILLIS = TimeUnit.NANOSECONDS.toMillis(DeadlineWheel.TICK_NANOS);

    private final MockTicker ticker = Ticker.newMockTicker();
    private final ManualEventLoop loop = new ManualEventLoop("wheel", ticker);
    private final DeadlineWheel wheel = onLoop(() -> new DeadlineWheel(loop));

    private <T> T onLoop(java.util.function.Supplier<T> work) {
        List<T> out = new ArrayList<>();
        loop.execute(() -> out.add(work.get()));
        loop.runPending();
        return out.get(0);
    }

    private void onLoop(Runnable work) {
        loop.execute(work);
        loop.runPending();
    }

    private long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime());
    }

    /** Moves the clock one millisecond at a time, running what is due after each. */
    private void advance(long millis) {
        for (long i = 0; i < millis; i++) {
            ticker.advance(1, TimeUnit.MILLISECONDS);
            loop.runPending();
        }
    }

    /** A deadline that records when (in ms of the ticker) it ran. */
    private final class Recorded {
        final List<Long> ranAt = new ArrayList<>();
        final DeadlineWheel.Deadline deadline = new DeadlineWheel.Deadline(() -> ranAt.add(nowMillis()));
    }

    @Test
    void aDeadlineRunsNeverEarlyAndAtMostOneTickLate() {
        long[] delays = {0, 1, 49, 50, 51, 999, 1000, 25_599, 25_600, 25_601, 60_000, 90_000};
        ticker.advance(17, TimeUnit.MILLISECONDS); // not on a tick boundary
        List<Recorded> all = new ArrayList<>();
        long start = nowMillis();
        onLoop(() -> {
            for (long delay : delays) {
                Recorded r = new Recorded();
                wheel.set(r.deadline, TimeUnit.MILLISECONDS.toNanos(delay));
                all.add(r);
            }
        });
        assertThat(wheel.size()).isEqualTo(delays.length);
        advance(90_000 + TICK_MILLIS + 1);
        for (int i = 0; i < delays.length; i++) {
            assertThat(all.get(i).ranAt).as("delay %d ms", delays[i]).hasSize(1);
            long late = all.get(i).ranAt.get(0) - start - delays[i];
            assertThat(late).as("delay %d ms", delays[i]).isBetween(0L, TICK_MILLIS);
        }
        assertThat(wheel.size()).isZero();
        advance(10 * TICK_MILLIS);
        assertThat(loop.hasWork()).isFalse(); // an empty wheel schedules nothing
    }

    @Test
    void manyRandomDeadlinesEachRunOnceInTheirWindow() {
        Random random = new Random(7);
        List<Recorded> all = new ArrayList<>();
        List<Long> due = new ArrayList<>();
        for (int round = 0; round < 20; round++) { // set in rounds, while earlier ones are running
            long now = nowMillis();
            onLoop(() -> {
                for (int i = 0; i < 500; i++) {
                    long delay = random.nextInt(40_000);
                    Recorded r = new Recorded();
                    wheel.set(r.deadline, TimeUnit.MILLISECONDS.toNanos(delay));
                    all.add(r);
                    due.add(now + delay);
                }
            });
            advance(random.nextInt(3_000));
        }
        advance(40_000 + TICK_MILLIS);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).ranAt).hasSize(1);
            assertThat(all.get(i).ranAt.get(0) - due.get(i)).isBetween(0L, TICK_MILLIS);
        }
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aCancelledOrReplacedDeadlineRunsOnlyAsLastSet() {
        Recorded cancelled = new Recorded();
        Recorded moved = new Recorded();
        onLoop(() -> {
            wheel.set(cancelled.deadline, TimeUnit.SECONDS.toNanos(1));
            wheel.set(moved.deadline, TimeUnit.SECONDS.toNanos(1));
        });
        long start = nowMillis();
        advance(500);
        onLoop(() -> {
            wheel.cancel(cancelled.deadline);
            wheel.cancel(cancelled.deadline); // twice is harmless
            wheel.set(moved.deadline, TimeUnit.SECONDS.toNanos(2)); // replaces the first setting
        });
        assertThat(wheel.size()).isEqualTo(1);
        advance(3_000);
        assertThat(cancelled.ranAt).isEmpty();
        assertThat(moved.ranAt).hasSize(1);
        assertThat(moved.ranAt.get(0) - start).isBetween(2_500L, 2_500L + TICK_MILLIS);
    }

    @Test
    void anActionMaySetItselfAgain() {
        List<Long> ranAt = new ArrayList<>();
        DeadlineWheel.Deadline[] self = new DeadlineWheel.Deadline[1];
        self[0] = new DeadlineWheel.Deadline(() -> {
            ranAt.add(nowMillis());
            if (ranAt.size() < 3) {
                wheel.set(self[0], TimeUnit.MILLISECONDS.toNanos(300)); // how the keep-alive check re-arms
            }
        });
        onLoop(() -> wheel.set(self[0], TimeUnit.MILLISECONDS.toNanos(100)));
        advance(2_000);
        assertThat(ranAt).hasSize(3);
        assertThat(ranAt.get(1) - ranAt.get(0)).isBetween(300L, 300L + TICK_MILLIS);
        assertThat(ranAt.get(2) - ranAt.get(1)).isBetween(300L, 300L + TICK_MILLIS);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void anActionMayCancelAnotherDueInTheSameTick() {
        // each cancels the other: whichever runs first, the other was already taken from its slot and must not run
        List<String> ran = new ArrayList<>();
        DeadlineWheel.Deadline[] pair = new DeadlineWheel.Deadline[2];
        for (int i = 0; i < 2; i++) {
            int me = i;
            pair[i] = new DeadlineWheel.Deadline(() -> {
                ran.add("deadline " + me);
                wheel.cancel(pair[1 - me]);
            });
        }
        onLoop(() -> {
            wheel.set(pair[0], TimeUnit.MILLISECONDS.toNanos(110)); // both in the tick ending at 150 ms
            wheel.set(pair[1], TimeUnit.MILLISECONDS.toNanos(140));
        });
        advance(1_000);
        assertThat(ran).hasSize(1);
        assertThat(pair[0].isSet()).isFalse();
        assertThat(pair[1].isSet()).isFalse();
    }

    @Test
    void aLoopThatWasStalledRunsEverythingOverdueAtOnce() {
        Recorded early = new Recorded();
        Recorded late = new Recorded();
        Recorded notYet = new Recorded();
        onLoop(() -> {
            wheel.set(early.deadline, TimeUnit.SECONDS.toNanos(1));
            wheel.set(late.deadline, TimeUnit.SECONDS.toNanos(50));
            wheel.set(notYet.deadline, TimeUnit.SECONDS.toNanos(200));
        });
        ticker.advance(100, TimeUnit.SECONDS); // nothing ran meanwhile: a suspended process, a long pause
        loop.runPending();
        assertThat(early.ranAt).containsExactly(100_000L);
        assertThat(late.ranAt).containsExactly(100_000L);
        assertThat(notYet.ranAt).isEmpty();
        advance(100_000 + TICK_MILLIS);
        assertThat(notYet.ranAt).hasSize(1);
        assertThat(notYet.ranAt.get(0)).isBetween(200_000L, 200_000L + TICK_MILLIS);
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() {
        Recorded after = new Recorded();
        DeadlineWheel.Deadline failing = new DeadlineWheel.Deadline(() -> {
            throw new IllegalStateException("test: a failing deadline action");
        });
        onLoop(() -> {
            wheel.set(failing, TimeUnit.MILLISECONDS.toNanos(100));
            wheel.set(after.deadline, TimeUnit.MILLISECONDS.toNanos(100));
        });
        advance(200);
        assertThat(after.ranAt).hasSize(1);
        assertThat(failing.isSet()).isFalse();
    }
}
