package io.bastion.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code bastion migrate}: configurations of other brokers turned into Bastion YAML. */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "FROM",
        description = "Print the Bastion YAML equivalent of another broker's configuration.")
final class MigrateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing broker to migrate from: mosquitto");
    }
}
