package io.bastion.server.cli;

import io.bastion.security.authn.password.PasswordFile;
import io.bastion.security.authn.password.PasswordHash;
import io.bastion.security.authn.scram.ScramFile;
import io.bastion.security.authn.scram.ScramMechanism;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bastion passwd}: creates and updates password files in the {@code mosquitto_passwd} format, with the same
 * options. Entries are written as {@code $7$} (PBKDF2-HMAC-SHA512), which Mosquitto reads too.
 */
@Command(
        name = "passwd",
        description = {
            "Add, update or delete a user in a password file (mosquitto_passwd format, PBKDF2-SHA512).",
            "Without -b the password is asked for, without echo, on the terminal (or read as one line from stdin)."
        })
final class PasswdCommand implements Callable<Integer> {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final CliStreams streams;

    @Option(names = "-c", description = "Create a new password file, replacing an existing one.")
    boolean create;

    @Option(names = "-D", description = "Delete the user instead of setting a password.")
    boolean delete;

    @Option(names = "-b", description = "Batch mode: the password is the third argument (visible in ps and history).")
    boolean batch;

    @Option(
            names = "--scram",
            description = "FILE is a SCRAM credential file (type: scram): write SCRAM-SHA-256 and -512 verifiers.")
    boolean scram;

    @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}).")
    int iterations = PasswordHash.DEFAULT_ITERATIONS;

    @Parameters(index = "0", paramLabel = "FILE", description = "The password file.")
    Path file;

    @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
    String user;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PASSWORD", description = "The password, with -b only.")
    String password;

    PasswdCommand(CliStreams streams) {
        this.streams = streams;
    }

    @Override
    public Integer call() throws IOException {
        check();
        if (scram) {
            return scram();
        }
        PasswordFile content = create ? PasswordFile.empty() : existing(PasswordFile::read);
        if (delete) {
            if (content.hash(user) == null) {
                throw new CommandFailure(ExitCodes.FAILURE, "user " + user + " is not in " + file);
            }
            content.without(user).write(file);
            return ExitCodes.OK;
        }
        char[] secret = batch ? password.toCharArray() : readPassword();
        try {
            content.with(user, PasswordHash.create(secret, iterations)).write(file);
        } finally {
            Arrays.fill(secret, '\0');
        }
        return ExitCodes.OK;
    }

    private int scram() throws IOException {
        ScramFile content = create ? ScramFile.empty() : existing(ScramFile::read);
        if (delete) {
            if (!content.has(user)) {
                throw new CommandFailure(ExitCodes.FAILURE, "user " + user + " is not in " + file);
            }
            content.without(user).write(file);
            return ExitCodes.OK;
        }
        if (iterations < 4096) {
            throw new CommandFailure(ExitCodes.USAGE, "SCRAM needs at least 4096 iterations (RFC 7677)");
        }
        char[] secret = batch ? password.toCharArray() : readPassword();
        try {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                content = content.with(user, mechanism.credential(secret, salt, iterations));
            }
            content.write(file);
        } finally {
            Arrays.fill(secret, '\0');
        }
        return ExitCodes.OK;
    }

    private void check() {
        if (create && delete) {
            throw new CommandFailure(ExitCodes.USAGE, "-c and -D cannot be used together");
        }
        if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isISOControl)) {
            throw new CommandFailure(
                    ExitCodes.USAGE, "a user name must be non-empty, without ':' or control characters");
        }
        if (batch == (password == null) && !delete) {
            throw new CommandFailure(
                    ExitCodes.USAGE,
                    batch ? "-b needs the password as third argument" : "a password argument needs -b");
        }
        if (delete && password != null) {
            throw new CommandFailure(ExitCodes.USAGE, "-D takes no password");
        }
        if (iterations < 1 || iterations > 10_000_000) {
            throw new CommandFailure(ExitCodes.USAGE, "--iterations must be between 1 and 10000000");
        }
    }

    private interface Reader<T> {
        T read(Path path) throws IOException;
    }

    private <T> T existing(Reader<T> reader) {
        try {
            return reader.read(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(ExitCodes.FAILURE, file + " does not exist (use -c to create it)", e);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FAILURE, e.getMessage(), e);
        }
    }

    /** Twice on a terminal, without echo; a single line from a pipe. */
    private char[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null && streams.in() == System.in) {
            char[] first = console.readPassword("Password: ");
            char[] second = console.readPassword("Reenter password: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new CommandFailure(ExitCodes.FAILURE, "passwords do not match");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(streams.in(), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            throw new CommandFailure(ExitCodes.FAILURE, "no password on standard input");
        }
        return line.toCharArray();
    }
}
