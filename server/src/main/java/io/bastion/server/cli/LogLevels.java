package io.bastion.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** Sets the root log level and flushes logging on exit; the appenders themselves are in logback.xml. */
final class LogLevels {
    static final List<String> NAMES = List.of("error", "warn", "info", "debug", "trace", "off");

    private LogLevels() {}

    /** @param source what set it, for the error message: an option or an environment variable */
    static void apply(String level, String source) {
        String name = level.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new CommandFailure(
                    ExitCodes.USAGE,
                    source + " must be one of " + String.join(", ", NAMES) + " (got \"" + level + "\")");
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(name));
        }
    }

    /**
     * Stops logback so every appender is flushed and closed. Called last in our own shutdown hook: logback's own
     * hook is not configured because it would race with ours and could stop logging before our last lines.
     */
    static void stop() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            context.stop();
        }
    }
}
