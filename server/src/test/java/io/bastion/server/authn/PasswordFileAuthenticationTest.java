package io.bastion.server.authn;

import static io.bastion.server.authn.Clients.connectV3;
import static io.bastion.server.authn.Clients.connectV5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.bastion.security.authn.AuthenticationConfigException;
import io.bastion.security.authn.AuthenticationMetrics.Outcome;
import io.bastion.server.BastionServer;
import io.bastion.server.cli.CliHarness;
import io.bastion.server.config.BastionConfig;
import io.bastion.server.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: password_file} through a real server, with files written by {@code bastion passwd}. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PasswordFileAuthenticationTest {
    @TempDir
    Path dir;

    Path passwd;
    BastionServer server;

    private static void passwd(String... args) {
        CliHarness cli = new CliHarness();
        String[] all = new String[args.length + 1];
        all[0] = "passwd";
        System.arraycopy(args, 0, all, 1, args.length);
        assertThat(cli.run(all)).as(cli.err()).isZero();
        assertThat(cli.out() + cli.err()).doesNotContain("pw-");
    }

    @BeforeEach
    void start() {
        passwd = dir.resolve("passwd");
        passwd("-c", "-b", passwd.toString(), "alice", "pw-alice");
        passwd("-b", "--iterations", "200", passwd.toString(), "bob", "pw-bob");
        server = BastionServer.start(BastionConfig.fromYaml("""
                listeners:
                  - {name: tcp, port: 0}
                  - {name: open, port: 0}
                security:
                  anonymous: deny
                  authentication:
                    - type: password_file
                      path: %s
                      reload_interval: 100ms
                    - type: anonymous
                      listeners: [open]
                """.formatted(passwd)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int port() {
        return server.port("tcp");
    }

    @Test
    void rightPasswordConnectsOverBothVersions() {
        assertThat(connectV5(port(), "a5", "alice", "pw-alice")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(connectV3(port(), "a3", "bob", "pw-bob")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        assertThat(server.authentication().metrics().count("password_file", Outcome.ALLOW))
                .isEqualTo(2);
    }

    /** [MQTT-3.1.4-2]: a refused CONNECT gets a CONNACK with a failure code and the connection is closed. */
    @Test
    void wrongMissingOrUnknownCredentialsAreRefusedWithBadUserNameOrPassword() {
        assertThat(connectV5(port(), "c1", "alice", "wrong"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(connectV5(port(), "c2", "alice", null)).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(connectV5(port(), "c3", "mallory", "pw-alice"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(connectV3(port(), "c4", "alice", "wrong"))
                .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(server.authentication().metrics().count("password_file", Outcome.DENY))
                .isEqualTo(3);
        assertThat(server.authentication().metrics().count("password_file", Outcome.IGNORE))
                .isEqualTo(1);
    }

    @Test
    void anonymousClientsOnlyOnTheListenerTheAnonymousProviderServes() {
        assertThat(connectV5(port(), "anon1", null, null)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(connectV3(port(), "anon2", null, null)).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED);
        assertThat(connectV5(server.port("open"), "anon3", null, null)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        // a wrong password stays wrong on the open listener too
        assertThat(connectV5(server.port("open"), "anon4", "alice", "wrong"))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void mosquittoPubWithUserAndPassword() throws Exception {
        assertThat(Clients.mosquittoPub(port(), "mqttv311", "-u", "alice", "-P", "pw-alice")
                        .exitCode())
                .isZero();
        assertThat(Clients.mosquittoPub(port(), "mqttv5", "-u", "bob", "-P", "pw-bob")
                        .exitCode())
                .isZero();
        Clients.ProcessResult refused = Clients.mosquittoPub(port(), "mqttv5", "-u", "alice", "-P", "nope");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).containsIgnoringCase("bad user name or password");
        Clients.ProcessResult refused3 = Clients.mosquittoPub(port(), "mqttv311", "-u", "alice", "-P", "nope");
        assertThat(refused3.exitCode()).isNotZero();
    }

    @Test
    void fileChangesApplyWithoutRestartAndABrokenFileKeepsThePreviousUsers() throws Exception {
        passwd("-b", passwd.toString(), "carol", "pw-carol");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> connectV5(port(), "carol", "carol", "pw-carol") == Mqtt5ConnAckReasonCode.SUCCESS);

        passwd("-D", passwd.toString(), "alice");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> connectV5(port(), "alice", "alice", "pw-alice")
                        == Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);

        Files.writeString(passwd, "carol:garbage\n", StandardCharsets.UTF_8);
        Thread.sleep(500); // several polls: a broken file must not be taken
        assertThat(connectV5(port(), "carol2", "carol", "pw-carol")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }

    @Test
    void passwdReadsThePasswordFromStandardInputWithoutEchoingIt() {
        CliHarness cli = new CliHarness("pw-dave\n".getBytes(StandardCharsets.UTF_8));
        assertThat(cli.run("passwd", passwd.toString(), "dave")).as(cli.err()).isZero();
        assertThat(cli.out() + cli.err()).doesNotContain("pw-dave");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> connectV5(port(), "dave", "dave", "pw-dave") == Mqtt5ConnAckReasonCode.SUCCESS);
    }

    /** The other direction of compatibility: the real Mosquitto broker accepts what {@code bastion passwd} wrote. */
    @Test
    void mosquittoBrokerAcceptsAFileWrittenByBastionPasswd() throws Exception {
        Path mosquitto = Path.of("/usr/sbin/mosquitto");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(mosquitto), "mosquitto is not installed");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file " + passwd
                        // run as ourselves: started as root Mosquitto would switch to a user that cannot read the file
                        + "\nuser " + System.getProperty("user.name") + "\n");
        Process broker = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() ->
                            Files.readString(dir.resolve("mosquitto.log")).contains("running") || !broker.isAlive());
            assertThat(Clients.mosquittoPub(port, "mqttv311", "-u", "alice", "-P", "pw-alice")
                            .exitCode())
                    .as(Files.readString(dir.resolve("mosquitto.log")))
                    .isZero();
            assertThat(Clients.mosquittoPub(port, "mqttv311", "-u", "alice", "-P", "wrong")
                            .exitCode())
                    .isNotZero();
        } finally {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void passwdRefusesBadUsage() {
        CliHarness noFile = new CliHarness();
        assertThat(noFile.run("passwd", "-b", dir.resolve("missing").toString(), "u", "p"))
                .isEqualTo(1);
        assertThat(noFile.err()).contains("does not exist (use -c to create it)");
        CliHarness colon = new CliHarness();
        assertThat(colon.run("passwd", "-b", passwd.toString(), "a:b", "p")).isEqualTo(2);
        assertThat(colon.err()).contains("without ':'");
        CliHarness unknown = new CliHarness();
        assertThat(unknown.run("passwd", "-D", passwd.toString(), "nobody")).isEqualTo(1);
        assertThat(unknown.err()).contains("user nobody is not in");
        CliHarness both = new CliHarness();
        assertThat(both.run("passwd", "-c", "-D", passwd.toString(), "alice")).isEqualTo(2);
    }

    @Test
    void serveStopsWithExitCode2WhenThePasswordFileIsMissing() throws Exception {
        Path config = dir.resolve("bastion.yaml");
        Files.writeString(
                config,
                "listeners: [{port: 0}]\nsecurity:\n  authentication:\n" + "    - {type: password_file, path: "
                        + dir.resolve("nope") + "}\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--config", config.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("config error: password file " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void configErrorsNameTheKey() {
        assertThatThrownBy(() -> BastionConfig.fromYaml("security: {authentication: [{type: passwords}]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.authentication[0].type")
                .hasMessageContaining("must be one of");
        assertThatThrownBy(() -> BastionConfig.fromYaml("security: {authentication: [{type: password_file}]}"))
                .hasMessageContaining("security.authentication[0].path");
        assertThatThrownBy(() -> BastionConfig.fromYaml("security: {authentication: [{type: anonymous, path: x}]}"))
                .hasMessageContaining("security.authentication[0].path");
        BastionConfig missingFile = BastionConfig.fromYaml("listeners: [{port: 0}]\nsecurity: {authentication: "
                + "[{type: password_file, path: " + dir.resolve("nope") + "}]}");
        assertThatThrownBy(() -> BastionServer.start(missingFile))
                .isInstanceOf(AuthenticationConfigException.class)
                .hasMessageContaining("password file " + dir.resolve("nope") + " does not exist");
    }
}
