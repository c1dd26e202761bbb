package io.bastion.server.cli;

import io.bastion.server.BastionServer;
import io.bastion.server.config.BastionConfig;
import io.bastion.server.mosquitto.Finding;
import io.bastion.server.mosquitto.MosquittoMigration;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the MQTT broker until SIGTERM or SIGINT, then shut down gracefully:",
            "stop accepting, send MQTT 5 clients DISCONNECT 0x8B (server shutting down), exit 0."
        })
final class ServeCommand implements Callable<Integer> {
    static final String CONFIG_ENV = "BASTION_CONFIG";
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    private final Map<String, String> env;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "YAML configuration file (default: $" + CONFIG_ENV + " if set, else the embedded defaults)."
                    + " Any key can also be set with a BASTION_* environment variable, see docs/configuration.md.")
    Path configFile;

    @Option(
            names = "--mosquitto-conf",
            paramLabel = "FILE",
            description = "Start from a Mosquitto 2.x mosquitto.conf instead of Bastion YAML (see"
                    + " docs/migrating-from-mosquitto.md); BASTION_* environment variables still apply.")
    Path mosquittoConf;

    @Option(
            names = "--key-password-file",
            paramLabel = "FILE",
            description = "Passphrase of encrypted TLS keys whose listener sets no key_password*; also $"
                    + KeyPassphrases.ENV + ". Without either, it is asked on the terminal.")
    Path keyPasswordFile;

    ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws InterruptedException {
        BastionConfig config = loadConfig();
        BastionServer server = BastionServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "bastion-shutdown"));

        log.info("configuration: {}", configSource());
        String version = BastionVersion.version();
        for (String line : StartupReport.listening(
                version, server.listeners(), config.broker().anonymous())) {
            log.info(line);
        }
        for (String warning :
                StartupReport.warnings(server.listeners(), config.broker().anonymous())) {
            log.warn(warning);
        }
        new CountDownLatch(1).await(); // runs until a signal; the shutdown hook does the rest
        return ExitCodes.OK;
    }

    BastionConfig loadConfig() {
        return new KeyPassphrases(env, keyPasswordFile, KeyPassphrases.terminal()).apply(readConfig());
    }

    private BastionConfig readConfig() {
        if (mosquittoConf != null) {
            if (configFile != null) {
                throw new CommandFailure(ExitCodes.USAGE, "use either --config or --mosquitto-conf, not both");
            }
            MosquittoMigration migration = MosquittoMigration.of(mosquittoConf);
            for (Finding warning : migration.warnings()) {
                log.warn("{}", warning);
            }
            return migration.toConfig(env);
        }
        Path file = configFile();
        return file == null ? BastionConfig.defaults(env) : BastionConfig.load(file, env);
    }

    private Path configFile() {
        if (configFile != null) {
            return configFile;
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    private String configSource() {
        if (mosquittoConf != null) {
            return mosquittoConf + " (Mosquitto)";
        }
        Path file = configFile();
        return file == null ? "embedded defaults" : file.toString();
    }

    /**
     * The shutdown hook: SIGTERM and SIGINT (and SIGHUP) run it. It ends by halting with 0 when the broker stopped
     * cleanly, 1 otherwise: without that the JVM would report a signal as 128+n, which service managers count as a
     * failure. Halting also skips any later hook, so logging is stopped (and flushed) here first.
     */
    private static void stop(BastionServer server) {
        int status = ExitCodes.OK;
        log.info("shutting down: closing listeners and disconnecting clients");
        try {
            server.close();
            log.info("bastion stopped");
        } catch (RuntimeException e) {
            log.error("error during shutdown", e);
            status = ExitCodes.FAILURE;
        } finally {
            LogLevels.stop();
        }
        Runtime.getRuntime().halt(status);
    }
}
