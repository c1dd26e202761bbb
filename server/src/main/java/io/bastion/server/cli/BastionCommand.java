package io.bastion.server.cli;

import io.bastion.admin.AdminStartException;
import io.bastion.bench.BenchCommand;
import io.bastion.broker.store.StoreException;
import io.bastion.security.authn.AuthenticationConfigException;
import io.bastion.server.client.ClientFailure;
import io.bastion.server.config.ConfigException;
import io.bastion.server.mosquitto.MosquittoConfigException;
import io.bastion.transport.ListenerBindException;
import io.bastion.transport.tls.TlsConfigException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code bastion}: the broker ({@code serve}) and MQTT client tools ({@code pub}, {@code sub}) in one command. */
@Command(
        name = "bastion",
        mixinStandardHelpOptions = true,
        versionProvider = BastionVersion.class,
        description = "Bastion, a secure IoT MQTT broker.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Run 'bastion COMMAND --help' for the options of a command."})
public final class BastionCommand implements Runnable {
    static final String LOG_LEVEL_ENV = "BASTION_LOG_LEVEL";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--log-level",
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            description = "error, warn, info, debug, trace or off (default: $" + LOG_LEVEL_ENV + ", else info).")
    void setLogLevel(String level) {
        try {
            LogLevels.apply(level, "--log-level");
        } catch (CommandFailure e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "Missing command: serve, pub, sub, bench, passwd, device, store, migrate or version");
    }

    /** The command tree, reading and writing the given streams and taking configuration overrides from {@code env}. */
    public static CommandLine commandLine(CliStreams streams, Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new BastionCommand())
                .addSubcommand(new ServeCommand(env))
                .addSubcommand(new PubCommand(streams))
                .addSubcommand(new SubCommand(streams))
                .addSubcommand(new VersionCommand(streams))
                .addSubcommand(new PasswdCommand(streams))
                .addSubcommand(new DeviceCommand())
                .addSubcommand(
                        new CommandLine(new MigrateCommand()).addSubcommand(new MigrateMosquittoCommand(streams)))
                .addSubcommand(new BenchCommand())
                .addSubcommand(new StoreCommand(streams));
        Charset charset = Charset.defaultCharset();
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(streams.out(), charset), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(streams.err(), charset), true));
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> report(e, failed, streams));
        return commandLine;
    }

    /** Runs {@code bastion args...} and returns the exit code; see {@link ExitCodes}. */
    public static int run(String[] args, CliStreams streams, Map<String, String> env) {
        String envLevel = env.get(LOG_LEVEL_ENV);
        if (envLevel != null && !envLevel.isBlank()) {
            try {
                LogLevels.apply(envLevel, LOG_LEVEL_ENV);
            } catch (CommandFailure e) {
                streams.err().println("bastion: " + e.getMessage());
                return e.exitCode();
            }
        }
        return commandLine(streams, env).execute(args);
    }

    public static void main(String[] args) {
        sampleFewerBuffersForLeaks(System.getProperties());
        int exitCode = run(args, CliStreams.system(), System.getenv());
        LogLevels.stop();
        System.exit(exitCode);
    }

    static final String LEAK_SAMPLING_PROPERTY = "io.netty.leakDetection.samplingInterval";

    /**
     * Netty's leak detector tracks one buffer in 128 and takes a stack trace for each (≈ 50 µs): 3 % of the
     * event loops' time when clients connect and disconnect. One in 1,024 keeps it watching for leaks at an
     * eighth of the cost. Set before Netty reads it (at its first buffer); a value the user gave with
     * {@code -D} stays. Tests, which start brokers in-process, keep Netty's default.
     */
    static void sampleFewerBuffersForLeaks(Properties properties) {
        properties.putIfAbsent(LEAK_SAMPLING_PROPERTY, "1024");
    }

    /** Known failures are one line without a stack trace; only a bug gets one. */
    private static int report(Exception e, CommandLine failed, CliStreams streams) {
        String name = failed.getCommandSpec().qualifiedName();
        if (e instanceof ConfigException) {
            streams.err().println(e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof MosquittoConfigException) {
            streams.err().println(e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof TlsConfigException) {
            streams.err().println("config error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof AuthenticationConfigException) {
            streams.err().println("config error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof AdminStartException) {
            streams.err().println(name + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (e instanceof StoreException) {
            streams.err().println(name + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (e instanceof ListenerBindException) {
            streams.err().println(name + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (e instanceof ClientFailure) {
            streams.err().println(name + ": " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        if (e instanceof CommandFailure failure) {
            streams.err().println(name + ": " + e.getMessage());
            return failure.exitCode();
        }
        streams.err().println(name + ": unexpected error: " + e);
        e.printStackTrace(streams.err());
        return ExitCodes.FAILURE;
    }
}
