package io.bastion.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.server.config.BastionConfig;
import io.bastion.server.mosquitto.MosquittoMigration;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bastion migrate mosquitto}, the refusals of {@code bastion serve --mosquitto-conf}, and key passphrases. */
class MosquittoCommandsTest {
    @TempDir
    Path dir;

    private Path conf(String text) throws Exception {
        return Files.writeString(dir.resolve("mosquitto.conf"), text);
    }

    @Test
    void migratePrintsYamlThatBastionLoadsAsItIs() throws Exception {
        Path conf = conf("""
                per_listener_settings true
                listener 1883 127.0.0.1
                allow_anonymous true
                max_connections 20
                listener 9001 127.0.0.1
                protocol websockets
                allow_anonymous true
                max_connections 30
                max_inflight_messages 12
                message_size_limit 4096
                sys_interval 0
                autosave_interval 60
                """);
        CliHarness cli = new CliHarness();
        assertThat(cli.run("migrate", "mosquitto", conf.toString()))
                .as(cli.err())
                .isZero();
        assertThat(cli.err())
                .isEqualTo("warning: " + conf + " line 12: autosave_interval: ignored: Bastion's store writes every"
                        + " change as it happens (store.durability)\n");
        Path yaml = Files.writeString(dir.resolve("bastion.yaml"), cli.out());
        BastionConfig loaded = BastionConfig.load(yaml, Map.of());
        assertThat(loaded).isEqualTo(MosquittoMigration.of(conf).toConfig(Map.of()));
        assertThat(loaded.listeners()).extracting(ListenerSettings::name).containsExactly("tcp-1883", "ws-9001");
        assertThat(loaded.broker().maximumConnections()).isEqualTo(50);
        assertThat(loaded.broker().maximumPacketSize()).isEqualTo(4096 + 1024);
        assertThat(loaded.broker().sysInterval()).isZero();
    }

    @Test
    void migrateOfUnsupportedLinesPrintsThemAsCommentsAndExits1() throws Exception {
        Path conf = conf("listener 1883\nplugin /usr/lib/mosquitto_dynamic_security.so\nplugin_opt_config_file x\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("migrate", "mosquitto", conf.toString())).isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.out()).contains("#   mosquitto.conf:2: NOT MIGRATED, Bastion refuses to start with it: plugin:");
        assertThat(cli.err())
                .contains("unsupported: " + conf + " line 2: plugin: not supported: Bastion cannot load Mosquitto"
                        + " plugins")
                .contains("unsupported: " + conf + " line 3: plugin_opt_config_file: not supported");
    }

    @Test
    void migrateOfInvalidLinesPrintsNothingAndExits2() throws Exception {
        Path conf = conf("listener 1883\nmax_keepalive forever\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("migrate", "mosquitto", conf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err())
                .isEqualTo(
                        "invalid: " + conf + " line 2: max_keepalive: must be a whole number (got" + " \"forever\")\n");

        CliHarness missing = new CliHarness();
        assertThat(missing.run("migrate", "mosquitto", dir.resolve("nope.conf").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err())
                .isEqualTo("config error: cannot read " + dir.resolve("nope.conf") + ": no such file\n");
    }

    @Test
    void serveRefusesSecurityAffectingOptionsNamingEachLine() throws Exception {
        Path conf = conf("""
                listener 1883 127.0.0.1
                allow_anonymous false
                auth_plugin /usr/lib/auth-plug.so
                psk_file /etc/mosquitto/psk
                autosave_interval 60
                """);
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--mosquitto-conf", conf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err().lines().toList())
                .containsExactly(
                        "config error: " + conf + " line 3: auth_plugin: not supported: Bastion cannot load Mosquitto"
                                + " plugins, and starting without the authentication or access control the plugin"
                                + " provides would weaken security; use a security.authentication /"
                                + " security.authorization entry of Bastion instead",
                        "config error: " + conf + " line 4: psk_file: not supported: TLS pre-shared keys are not"
                                + " supported; use certificates (certfile/keyfile, and require_certificate for client"
                                + " certificates)");
    }

    @Test
    void serveRefusesBridgesUntilTheyAreAvailable() throws Exception {
        Path conf = conf("""
                listener 1883 127.0.0.1
                connection cloud
                address mqtt.example.com:1883
                topic telemetry/# out 1
                """);
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--mosquitto-conf", conf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .isEqualTo("config error: " + conf + " line 2: connection: MQTT bridges are not available in Bastion"
                        + " yet, so this bridge would not run; remove the connection section (or keep this bridge in a"
                        + " Mosquitto) to start Bastion\n");
    }

    @Test
    void serveTakesEitherConfigOrMosquittoConf() throws Exception {
        Path conf = conf("listener 1883 127.0.0.1\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--mosquitto-conf", conf.toString(), "--config", conf.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("use either --config or --mosquitto-conf, not both");
    }

    @Test
    void serveReportsAValueBastionRefusesAtItsMosquittoLine() throws Exception {
        Path conf = conf("listener 1883 127.0.0.1\nlistener 1883 127.0.0.1\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--mosquitto-conf", conf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err())
                .isEqualTo("config error: " + conf + " line 2: listeners[1].port: port 1883 is already used by listener"
                        + " \"tcp-1883\" (listeners[0])\n");
    }

    // ---- passphrases of encrypted server keys

    private Path encryptedKey() throws Exception {
        Path key = dir.resolve("server.key");
        Process p = new ProcessBuilder(
                        "openssl", "genrsa", "-des3", "-passout", "pass:key pass", "-out", key.toString(), "2048")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return key;
    }

    private static BastionConfig twoListenersSharing(Path key, String keyPasswordLine) {
        String tls = "{cert: /unused.crt, key: " + key + keyPasswordLine + "}";
        return BastionConfig.fromYaml("listeners:\n  - {name: a, type: tls, port: 0, tls: " + tls
                + "}\n  - {name: b, type: wss, port: 0, tls: " + tls + "}\n");
    }

    @Test
    void anEncryptedKeyIsAskedForOnceOnTheTerminal() throws Exception {
        Path key = encryptedKey();
        List<String> questions = new ArrayList<>();
        KeyPassphrases passphrases = new KeyPassphrases(Map.of(), null, q -> {
            questions.add(q);
            return "key pass".toCharArray();
        });
        BastionConfig config = passphrases.apply(twoListenersSharing(key, ""));
        assertThat(questions).containsExactly("Enter PEM pass phrase for " + key + ": ");
        assertThat(config.listeners()).extracting(l -> l.tls().keyPassword()).containsExactly("key pass", "key pass");
    }

    @Test
    void theEnvironmentThenTheFileThenTheTerminalAndTheConfigFirst() throws Exception {
        Path key = encryptedKey();
        KeyPassphrases.Prompt noTerminal = q -> null;
        Path file = Files.writeString(dir.resolve("pass.txt"), "from file\n");
        assertThat(new KeyPassphrases(Map.of(KeyPassphrases.ENV, "from env"), file, noTerminal)
                        .apply(twoListenersSharing(key, ""))
                        .listeners()
                        .get(0)
                        .tls()
                        .keyPassword())
                .isEqualTo("from env");
        assertThat(new KeyPassphrases(Map.of(), file, noTerminal)
                        .apply(twoListenersSharing(key, ""))
                        .listeners()
                        .get(1)
                        .tls()
                        .keyPassword())
                .isEqualTo("from file");
        assertThat(new KeyPassphrases(Map.of(KeyPassphrases.ENV, "from env"), file, noTerminal)
                        .apply(twoListenersSharing(key, ", key_password: configured"))
                        .listeners()
                        .get(0)
                        .tls()
                        .keyPassword())
                .isEqualTo("configured");
        assertThatThrownBy(() -> new KeyPassphrases(Map.of(), null, noTerminal).apply(twoListenersSharing(key, "")))
                .isInstanceOf(CommandFailure.class)
                .hasMessage("the TLS key " + key + " of listener a is encrypted and no passphrase is given: set"
                        + " key_password_env or key_password_file in the listener's tls section, or"
                        + " BASTION_TLS_KEY_PASSWORD, or --key-password-file, or start bastion serve on a terminal to"
                        + " be asked");
    }

    @Test
    void aPlainKeyNeedsNoPassphrase() throws Exception {
        Path key = Files.writeString(dir.resolve("plain.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        BastionConfig config = twoListenersSharing(key, "");
        assertThat(new KeyPassphrases(Map.of(), null, q -> {
                            throw new AssertionError("must not ask");
                        })
                        .apply(config))
                .isSameAs(config);
        TlsSettings tls = config.listeners().get(0).tls();
        assertThat(tls.keyPassword()).isNull();
    }

    @Test
    void serveWithoutATerminalNamesTheWaysToGiveThePassphrase() throws Exception {
        Path key = encryptedKey();
        Path conf = conf("listener 8883 127.0.0.1\ncertfile /unused.crt\nkeyfile " + key + "\n");
        CliHarness cli = new CliHarness();
        assertThat(cli.run("serve", "--mosquitto-conf", conf.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("the TLS key " + key + " of listener tls-8883 is encrypted and no passphrase");
    }
}
