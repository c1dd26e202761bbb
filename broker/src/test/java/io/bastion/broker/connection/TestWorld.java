package io.bastion.broker.connection;

import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The event loops of one test and their shared mock clock. */
public final class TestWorld {
    private static final long STEP_MILLIS = 50;

    private final MockTicker ticker = Ticker.newMockTicker();
    private final List<ManualEventLoop> loops = new ArrayList<>();

    public ManualEventLoop newLoop() {
        ManualEventLoop loop = new ManualEventLoop("loop-" + loops.size(), ticker);
        loops.add(loop);
        return loop;
    }

    /** Runs every loop until none has anything left to do now. */
    public void settle() {
        for (int round = 0; round < 100_000; round++) {
            int ran = 0;
            for (ManualEventLoop loop : List.copyOf(loops)) {
                ran += loop.runPending();
            }
            if (ran == 0) {
                return;
            }
        }
        throw new AssertionError("event loops never became idle");
    }

    /** Moves the mock clock forward in small steps, running what becomes due at each step. */
    public void advance(Duration duration) {
        long left = duration.toMillis();
        settle();
        while (left > 0) {
            long step = Math.min(STEP_MILLIS, left);
            ticker.advance(step, TimeUnit.MILLISECONDS);
            left -= step;
            settle();
        }
    }

    public MockTicker ticker() {
        return ticker;
    }
}
