package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import io.bastion.transport.ListenerBindException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bastion pub} and {@code bastion sub} against a real {@link BastionServer} on a free port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndToEndTest {
    /** Nothing written to a data/ directory in the source tree. */
    private static final String MEMORY_STORE = "store: {durability: memory}\n";

    private static BastionServer server;

    @BeforeAll
    static void startServer() {
        server = BastionServer.start(BastionConfig.fromYaml("listeners: [{port: 0}]\n" + MEMORY_STORE));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static String port() {
        return String.valueOf(server.port());
    }

    private static CliHarness run(int expectedExit, String... args) {
        CliHarness cli = new CliHarness();
        assertThat(cli.run(args))
                .as("exit code of %s; stderr: %s", String.join(" ", args), cli.err())
                .isEqualTo(expectedExit);
        return cli;
    }

    /** Starts {@code bastion sub -d ...} and returns once its SUBSCRIBE was acknowledged. */
    private static Running subscribe(String... args) {
        CliHarness cli = new CliHarness();
        String[] all = new String[args.length + 4];
        all[0] = "sub";
        all[1] = "-p";
        all[2] = port();
        all[3] = "-d";
        System.arraycopy(args, 0, all, 4, args.length);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.run(all));
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.err().contains("received SUBACK") || exit.isDone());
        return new Running(cli, exit);
    }

    private record Running(CliHarness cli, CompletableFuture<Integer> exit) {
        int waitForExit() throws Exception {
            return exit.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void retainedMessageAtQos1ReachesALaterSubscriber() {
        run(0, "pub", "-p", port(), "-t", "e2e/retained", "-m", "hello", "-r", "-q", "1");

        CliHarness sub = run(0, "sub", "-p", port(), "-t", "e2e/retained", "-C", "1", "-W", "10", "-v");
        assertThat(sub.out()).isEqualTo("e2e/retained hello\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "311"})
    void liveMessageAtQos1(String version) throws Exception {
        String topic = "e2e/live/v" + version;
        Running sub = subscribe("-V", version, "-t", topic, "-q", "1", "-C", "1", "-W", "20");

        run(0, "pub", "-V", version, "-p", port(), "-t", topic, "-m", "21.5", "-q", "1");

        assertThat(sub.waitForExit()).as(sub.cli().err()).isZero();
        assertThat(sub.cli().out()).isEqualTo("21.5\n");
    }

    @Test
    void eachLineOfStdinIsOneMessage() throws Exception {
        Running sub = subscribe("-t", "e2e/lines", "-C", "2", "-W", "20", "-N");
        CliHarness pub = new CliHarness("first\nsecond\n".getBytes(StandardCharsets.UTF_8));

        assertThat(pub.run("pub", "-p", port(), "-t", "e2e/lines", "-l", "-q", "1"))
                .isZero();

        assertThat(sub.waitForExit()).isZero();
        assertThat(sub.cli().out()).isEqualTo("firstsecond");
    }

    @Test
    void noStaleSkipsRetainedMessages() {
        run(0, "pub", "-p", port(), "-t", "e2e/stale", "-m", "old", "-r", "-q", "1");

        CliHarness sub = run(ExitCodes.TIMEOUT, "sub", "-p", port(), "-t", "e2e/stale", "-R", "-W", "1");
        assertThat(sub.out()).isEmpty();
        assertThat(sub.err()).isEqualTo("bastion sub: timed out after 1 s\n");
    }

    @Test
    void retainedOnlyExitsAfterTheRetainedMessages() throws Exception {
        run(0, "pub", "-p", port(), "-t", "e2e/ro/1", "-m", "kept", "-r", "-q", "1");
        Running sub = subscribe("-t", "e2e/ro/#", "--retained-only", "-W", "20");

        run(0, "pub", "-p", port(), "-t", "e2e/ro/2", "-m", "live", "-q", "1");

        assertThat(sub.waitForExit()).isZero();
        assertThat(sub.cli().out()).isEqualTo("kept\n");
    }

    @Test
    void clearingARetainedMessageWithAnEmptyOne() {
        run(0, "pub", "-p", port(), "-t", "e2e/clear", "-m", "x", "-r", "-q", "1");
        run(0, "pub", "-p", port(), "-t", "e2e/clear", "-n", "-r", "-q", "1");

        run(ExitCodes.TIMEOUT, "sub", "-p", port(), "-t", "e2e/clear", "-W", "1");
    }

    @Test
    void exitAfterSubscribe() {
        CliHarness sub = run(0, "sub", "-p", port(), "-t", "e2e/e", "-E");
        assertThat(sub.out()).isEmpty();
    }

    @Test
    void aListenerWhosePortIsTakenFailsWithOneLine() {
        BastionConfig samePort = BastionConfig.defaults(
                Map.of("BASTION_LISTENERS__0__PORT", port(), "BASTION_STORE__DURABILITY", "memory"));
        assertThatThrownBy(() -> BastionServer.start(samePort))
                .isInstanceOf(ListenerBindException.class)
                .hasMessageStartingWith("listener 'tcp' cannot bind 127.0.0.1:" + port() + ": ");

        CliHarness cli = new CliHarness();
        assertThat(cli.run(
                        Map.of("BASTION_LISTENERS__0__PORT", port(), "BASTION_STORE__DURABILITY", "memory"), "serve"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err()).startsWith("bastion serve: listener 'tcp' cannot bind 127.0.0.1:" + port() + ": ");
        assertThat(cli.err().strip()).doesNotContain("\n");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "5 | bastion pub: connection refused by the broker: CONNACK 0x87 NOT_AUTHORIZED",
                "311 | bastion pub: connection refused by the broker: CONNACK return code 5 NOT_AUTHORIZED"
            })
    void connackFailureNamesTheReasonCode(String version, String expected) {
        try (BastionServer closed = BastionServer.start(
                BastionConfig.fromYaml("listeners: [{port: 0}]\nsecurity:\n  anonymous: deny\n" + MEMORY_STORE))) {
            CliHarness cli = new CliHarness();
            assertThat(cli.run("pub", "-V", version, "-p", String.valueOf(closed.port()), "-t", "t", "-m", "x"))
                    .isEqualTo(ExitCodes.FAILURE);
            assertThat(cli.err()).startsWith(expected);
        }
    }

    @Test
    void closingTheServerTellsMqtt5ClientsItIsShuttingDown() throws Exception {
        BastionServer second =
                BastionServer.start(BastionConfig.fromYaml("listeners: [{name: other, port: 0}]\n" + MEMORY_STORE));
        CliHarness cli = new CliHarness();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> cli.run("sub", "-p", String.valueOf(second.port("other")), "-t", "e2e/shutdown", "-d"));
        await().atMost(Duration.ofSeconds(20)).until(() -> cli.err().contains("received SUBACK"));

        second.close();

        assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err()).contains("bastion sub: connection lost: the broker disconnected: DISCONNECT 0x8B");
    }
}
