package io.bastion.broker.connection;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.Ticker;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded event loop driven by the test: tasks run only inside {@link #runPending()}, on
 * the calling thread, which then counts as this loop's thread. Time is a {@link MockTicker} shared
 * by every loop of a {@link TestWorld}, so scheduled tasks (keep alive, will delay, session expiry,
 * connect timeout) run when the test advances the clock, never by wall-clock time.
 */
public final class ManualEventLoop extends AbstractScheduledEventExecutor {
    private final String name;
    private final MockTicker ticker;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Promise<Void> termination = ImmediateEventExecutor.INSTANCE.newPromise();
    private volatile Thread runner;
    private volatile boolean shutdown;

    public ManualEventLoop(String name, MockTicker ticker) {
        this.name = name;
        this.ticker = ticker;
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        tasks.add(task);
    }

    @Override
    public boolean inEventLoop(Thread thread) {
        return thread == runner;
    }

    /** Runs queued tasks and due scheduled tasks until there are none; returns how many ran. */
    public int runPending() {
        Thread previous = runner;
        runner = Thread.currentThread();
        int ran = 0;
        try {
            for (; ; ) {
                Runnable task = tasks.poll();
                if (task == null) {
                    task = pollScheduledTask(getCurrentTimeNanos());
                }
                if (task == null) {
                    return ran;
                }
                task.run();
                ran++;
            }
        } finally {
            runner = previous;
        }
    }

    /** Whether a task is queued or a scheduled task is due now. */
    public boolean hasWork() {
        return !tasks.isEmpty() || (hasScheduledTasks() && nextScheduledTaskDeadlineNanos() <= getCurrentTimeNanos());
    }

    @Override
    public boolean isShuttingDown() {
        return shutdown;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        shutdown();
        return termination;
    }

    @Override
    public Future<?> terminationFuture() {
        return termination;
    }

    @Override
    @Deprecated
    public void shutdown() {
        shutdown = true;
        termination.trySuccess(null);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    @Override
    public String toString() {
        return "ManualEventLoop[" + name + "]";
    }
}
