package io.bastion.server.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs {@code bastion} in-process with captured streams (also used by tests in other packages). */
public final class CliHarness {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CliStreams streams;

    public CliHarness() {
        this(new byte[0]);
    }

    public CliHarness(byte[] stdin) {
        streams = new CliStreams(
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    public CliStreams streams() {
        return streams;
    }

    public int run(String... args) {
        return run(Map.of(), args);
    }

    public int run(Map<String, String> env, String... args) {
        return BastionCommand.run(args, streams, env);
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
