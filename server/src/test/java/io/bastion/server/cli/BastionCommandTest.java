package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BastionCommandTest {
    private final CliHarness cli = new CliHarness();

    @AfterEach
    void resetLogLevel() {
        LogLevels.apply("info", "test");
    }

    @Test
    void leakDetectionSamplesOneBufferIn1024UnlessTheUserSetIt() {
        java.util.Properties unset = new java.util.Properties();
        BastionCommand.sampleFewerBuffersForLeaks(unset);
        assertThat(unset.getProperty(BastionCommand.LEAK_SAMPLING_PROPERTY)).isEqualTo("1024");

        java.util.Properties given = new java.util.Properties();
        given.setProperty(BastionCommand.LEAK_SAMPLING_PROPERTY, "1"); // -D...=1: track every buffer
        BastionCommand.sampleFewerBuffersForLeaks(given);
        assertThat(given.getProperty(BastionCommand.LEAK_SAMPLING_PROPERTY)).isEqualTo("1");
    }

    @Test
    void versionCommand() {
        assertThat(cli.run("version")).isZero();
        assertThat(cli.out()).matches("bastion \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .+\\)\\R");
    }

    @Test
    void versionOption() {
        assertThat(cli.run("--version")).isZero();
        assertThat(cli.out()).startsWith("bastion " + BastionVersion.version());
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(cli.run()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .contains("Missing command: serve, pub, sub, bench, passwd, device, store, migrate or version")
                .contains("Usage: bastion");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(cli.run("start")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("Unmatched argument at index 0: 'start'");
    }

    @Test
    void logLevelOptionIsValidated() {
        assertThat(cli.run("--log-level", "loud", "version")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("--log-level must be one of error, warn, info, debug, trace, off");
    }

    @Test
    void logLevelOptionWorksAfterTheCommandToo() {
        assertThat(cli.run("version", "--log-level", "warn")).isZero();
    }

    @Test
    void logLevelFromEnvironmentIsValidated() {
        assertThat(cli.run(Map.of("BASTION_LOG_LEVEL", "loud"), "version")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .isEqualTo("bastion: BASTION_LOG_LEVEL must be one of error, warn, info, debug, trace, off"
                        + " (got \"loud\")" + System.lineSeparator());
    }

    @Test
    void serveWithBrokenConfigPrintsOneLineAndExits2(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bastion.yaml"), "limits:\n  max_inflight: 0\n");
        assertThat(cli.run("serve", "--config", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .isEqualTo("config error: " + file + " line 2: limits.max_inflight: must be between 1 and 65535"
                        + " (got 0)" + System.lineSeparator());
    }

    @Test
    void serveReadsTheConfigFileNamedByBastionConfig(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("b.yaml"), "security:\n  anonymous: nobody\n");
        assertThat(cli.run(Map.of("BASTION_CONFIG", file.toString()), "serve")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).startsWith("config error: " + file + " line 2: security.anonymous:");
    }

    @Test
    void serveWithUnknownVariableExits2() {
        assertThat(cli.run(Map.of("BASTION_SECURITY__ANONYMOS", "deny"), "serve"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .isEqualTo("config error: env BASTION_SECURITY__ANONYMOS: security.anonymos: unknown key"
                        + " (did you mean security.anonymous?)" + System.lineSeparator());
    }

    @Test
    void serveWithMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThat(cli.run("serve", "-c", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .isEqualTo(
                        "config error: " + file + ": cannot read config file: no such file" + System.lineSeparator());
    }

    @Test
    void pubToAClosedPortFailsWithOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(cli.run("pub", "-h", "127.0.0.1", "-p", String.valueOf(port), "-t", "t", "-m", "x"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err())
                .isEqualTo("bastion pub: cannot connect to 127.0.0.1:" + port + ": connection refused"
                        + System.lineSeparator());
    }
}
