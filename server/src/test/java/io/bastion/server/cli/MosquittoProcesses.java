package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs Debian's mosquitto tools and openssl as real processes, with bounded waits. */
final class MosquittoProcesses {
    /** What a finished process printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {}

    private MosquittoProcesses() {}

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done)
                .as("%s did not finish: %s", String.join(" ", command), output)
                .isTrue();
        return new Result(p.exitValue(), output);
    }

    /** Runs a command that must succeed, returning its output. */
    static String ok(Path dir, String... command) throws IOException, InterruptedException {
        Result r = run(dir, command);
        assertThat(r.exitCode())
                .as("%s: %s", String.join(" ", command), r.output())
                .isZero();
        return r.output();
    }
}
