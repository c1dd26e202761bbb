package io.bastion.server.cli;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT a normal exit (status 0) rather than the JVM's 128+signal, so service managers see a
 * clean stop; the graceful work itself is done by the shutdown hook that {@code System.exit} runs. A second signal
 * while shutting down halts at once.
 */
final class SignalExit {
    private static final AtomicBoolean EXITING = new AtomicBoolean();

    private SignalExit() {}

    static void install() {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (EXITING.compareAndSet(false, true)) {
                        System.exit(ExitCodes.OK);
                    } else {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the signal is reserved here (e.g. -Xrs): the JVM default still runs the shutdown hook
            }
        }
    }
}
