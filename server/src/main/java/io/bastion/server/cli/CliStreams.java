package io.bastion.server.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The standard streams a command uses, injected so tests can run commands in-process. Byte streams, not writers:
 * message payloads are written as they are, in any encoding.
 */
public record CliStreams(InputStream in, PrintStream out, PrintStream err) {

    public static CliStreams system() {
        return new CliStreams(System.in, System.out, System.err);
    }
}
