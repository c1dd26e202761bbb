package io.bastion.server.cli;

import io.bastion.server.mosquitto.Finding;
import io.bastion.server.mosquitto.Finding.Severity;
import io.bastion.server.mosquitto.MosquittoMigration;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "mosquitto",
        mixinStandardHelpOptions = true,
        description = {
            "Print the Bastion YAML equivalent of a mosquitto.conf (with its include_dir files) on standard output,",
            "with comments where the mapping is not one-to-one; what could not be migrated also goes to standard"
                    + " error.",
            "Exit code 0: complete (maybe with warnings); 1: some lines are not migrated and bastion serve would refuse"
                    + " them; 2: invalid lines, nothing printed."
        })
final class MigrateMosquittoCommand implements Callable<Integer> {
    private final CliStreams streams;

    @Parameters(paramLabel = "FILE", description = "The mosquitto.conf, e.g. /etc/mosquitto/mosquitto.conf.")
    Path file;

    MigrateMosquittoCommand(CliStreams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        MosquittoMigration migration = MosquittoMigration.of(file);
        boolean invalid = migration.findings().stream().anyMatch(f -> f.severity() == Severity.INVALID);
        if (!invalid) {
            streams.out().print(migration.yaml());
            streams.out().flush();
        }
        for (Finding f : migration.findings()) {
            String label = f.severity() == Severity.WARNING
                    ? "warning"
                    : f.severity().name().toLowerCase(Locale.ROOT);
            streams.err().println(label + ": " + f);
        }
        if (invalid) {
            return ExitCodes.USAGE;
        }
        return migration.isComplete() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
