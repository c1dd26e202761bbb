package io.bastion.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.server.cli.BastionVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./bastion} launcher runs the jar that {@code package} just built (BASTION_NO_BUILD=1: no nested
 * build), from any directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {
    private static final Path LAUNCHER =
            Path.of("..", "bastion").toAbsolutePath().normalize();

    @TempDir
    Path elsewhere;

    private Process start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BASTION_"));
        builder.environment().put("BASTION_NO_BUILD", "1");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void launcherIsAnExecutableScript() {
        assertThat(LAUNCHER).isRegularFile();
        assertThat(Files.isExecutable(LAUNCHER)).isTrue();
    }

    @Test
    void versionFromAnotherDirectory() throws Exception {
        Process process = start(Map.of(), "version");
        String out = read(process.getInputStream());
        assertThat(process.waitFor()).isZero();
        assertThat(out).startsWith("bastion " + BastionVersion.version() + " (Java ");
    }

    @Test
    void brokenConfigExitsWithCode2AndOneLine() throws Exception {
        Path config = Files.writeString(elsewhere.resolve("bastion.yaml"), "limits:\n  max_qos: 7\n");
        Process process = start(Map.of(), "serve", "--config", "bastion.yaml");
        String err = read(process.getErrorStream());
        assertThat(process.waitFor()).isEqualTo(2);
        assertThat(err)
                .isEqualTo("config error: bastion.yaml line 2: limits.max_qos: must be between 0 and 2 (got 7)\n");
        assertThat(config).exists();
    }

    @Test
    void sigtermShutsDownGracefullyWithExitCode0() throws Exception {
        Process process = start(Map.of("BASTION_LISTENERS__0__PORT", "0"), "serve");
        BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            lines.add(line);
            if (line.contains(" listening on mqtt://")) {
                break;
            }
        }
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .contains("INFO  ServeCommand - bastion " + BastionVersion.version()
                                + " listening on mqtt://127.0.0.1:")
                        .endsWith("(listener tcp, plain TCP, anonymous clients from loopback only)"));

        // not process.destroy(): it sends SIGTERM too, but closes our end of the pipes first
        new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                .start()
                .waitFor();

        StringBuilder rest = new StringBuilder();
        for (String line = err.readLine(); line != null; line = err.readLine()) {
            rest.append(line).append('\n');
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(rest.toString()).isZero();
        assertThat(rest).contains("shutting down").contains("bastion stopped");
    }
}
