package io.bastion.server.cli;

import io.bastion.server.config.BastionConfig;
import io.bastion.store.StoreReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bastion store stats|sessions}: look into a store without a running broker and without changing it. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        description = "Inspect the durable store offline (read-only; safe while a broker runs on it).",
        subcommands = {StoreCommand.Stats.class, StoreCommand.Sessions.class})
final class StoreCommand {
    private final CliStreams streams;

    StoreCommand(CliStreams streams) {
        this.streams = streams;
    }

    /** Which store: {@code --path}, else the config file's {@code store.path}, else {@code data}. */
    static final class Location {
        @Option(
                names = {"-p", "--path"},
                paramLabel = "DIR",
                description = "Store directory (default: store.path of --config, else data).")
        Path path;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                description = "YAML configuration file to take store.path from.")
        Path config;

        Path resolve() {
            if (path != null) {
                return path;
            }
            return config == null
                    ? BastionConfig.defaults(Map.of()).store().path()
                    : BastionConfig.load(config, Map.of()).store().path();
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Totals of the store.")
    static final class Stats implements Runnable {
        @picocli.CommandLine.ParentCommand
        StoreCommand parent;

        @picocli.CommandLine.Mixin
        Location location = new Location();

        @Override
        public void run() {
            StoreReport.Stats s = StoreReport.stats(location.resolve());
            var out = parent.streams.out();
            out.println("store:              " + s.path());
            out.println("sessions:           " + s.sessions());
            out.println("subscriptions:      " + s.subscriptions());
            out.println("queued messages:    " + s.queuedMessages());
            out.println("inflight messages:  " + s.inflightMessages());
            out.println("retained messages:  " + s.retainedMessages());
            out.println("data on disk:       " + s.liveDataBytes() + " bytes (+ " + s.memtableBytes()
                    + " bytes in the write-ahead log not yet flushed)");
        }
    }

    @Command(
            name = "sessions",
            mixinStandardHelpOptions = true,
            description = "One line per persistent session: client id, expiry, subscriptions, queued, inflight.")
    static final class Sessions implements Runnable {
        @picocli.CommandLine.ParentCommand
        StoreCommand parent;

        @picocli.CommandLine.Mixin
        Location location = new Location();

        @Override
        public void run() {
            List<StoreReport.SessionLine> lines = StoreReport.sessions(location.resolve());
            var out = parent.streams.out();
            out.printf(
                    "%-32s %12s %-24s %6s %9s %9s %s%n",
                    "CLIENT ID", "EXPIRY (s)", "DISCONNECTED", "SUBS", "QUEUED", "INFLIGHT", "WILL");
            for (StoreReport.SessionLine l : lines) {
                out.printf(
                        "%-32s %12s %-24s %6d %9d %9d %s%n",
                        l.clientId(),
                        l.expiryIntervalSeconds() >= 0xFFFFFFFFL ? "never" : String.valueOf(l.expiryIntervalSeconds()),
                        l.disconnectedAtMillis() < 0
                                ? "connected at stop"
                                : Instant.ofEpochMilli(l.disconnectedAtMillis()).toString(),
                        l.subscriptions(),
                        l.queued(),
                        l.inflight(),
                        l.willPending() ? "pending" : "-");
            }
            out.println(lines.size() + " persistent session" + (lines.size() == 1 ? "" : "s"));
        }
    }
}
