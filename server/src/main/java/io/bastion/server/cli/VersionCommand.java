package io.bastion.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version of Bastion and of the Java runtime.")
final class VersionCommand implements Callable<Integer> {
    private final CliStreams streams;

    VersionCommand(CliStreams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() {
        streams.out().println(BastionVersion.describe());
        return ExitCodes.OK;
    }
}
