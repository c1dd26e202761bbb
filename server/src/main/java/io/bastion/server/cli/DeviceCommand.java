package io.bastion.server.cli;

import io.bastion.security.authn.registry.Device;
import io.bastion.security.authn.registry.DeviceCredential;
import io.bastion.security.authn.registry.DeviceRegistry;
import io.bastion.security.authn.registry.KeyFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bastion device add|list|remove}: the device registry the jwt and sas providers read. */
@Command(
        name = "device",
        description = "Register devices and their keys (Cloud IoT Core key formats, or SAS symmetric keys).",
        subcommands = {DeviceCommand.Add.class, DeviceCommand.ListDevices.class, DeviceCommand.Remove.class})
final class DeviceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing command: add, list or remove");
    }

    abstract static class RegistryOption {
        @Option(
                names = "--registry",
                paramLabel = "DIR",
                description = "The device registry directory (default: ${DEFAULT-VALUE}).")
        Path registry = Path.of(DeviceRegistry.DEFAULT_DIRECTORY);

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        /** The command line's output, which {@link BastionCommand} points at its streams. */
        java.io.PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "add", description = "Add a key to a device, registering the device if it is new (at most 3 keys).")
    static final class Add extends RegistryOption implements Callable<Integer> {
        @Parameters(
                index = "0",
                paramLabel = "DEVICE",
                description = "projects/P/locations/R/registries/G/devices/D (JWT), or a device id (SAS).")
        String name;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "The key file.")
        Path key;

        @Option(
                names = "--format",
                required = true,
                paramLabel = "FORMAT",
                description = "RSA_X509_PEM, RSA_PEM, ES256_X509_PEM, ES256_PEM or SYMMETRIC_KEY (base64).")
        KeyFormat format;

        @Option(
                names = "--expires",
                paramLabel = "TIME",
                description = "When the key stops working: 2027-01-31T12:00:00Z or 2027-01-31 (midnight UTC).")
        String expires;

        @Override
        public Integer call() throws IOException {
            String text;
            try {
                text = Files.readString(key, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                throw new CommandFailure(ExitCodes.USAGE, "key file " + key + " does not exist", e);
            } catch (IOException e) {
                throw new CommandFailure(ExitCodes.USAGE, "key file " + key + " cannot be read: " + e.getMessage(), e);
            }
            try {
                Device device = DeviceRegistry.add(registry, name, new DeviceCredential(format, text, expiry()));
                out().println("device " + name + " has " + device.credentials().size() + " key(s)");
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
            }
            return ExitCodes.OK;
        }

        private Instant expiry() {
            if (expires == null) {
                return null;
            }
            try {
                return expires.contains("T")
                        ? Instant.parse(expires)
                        : LocalDate.parse(expires).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandFailure(
                        ExitCodes.USAGE, "--expires must be like 2027-01-31T12:00:00Z or 2027-01-31: " + expires, e);
            }
        }
    }

    @Command(name = "list", description = "List the devices, their key formats and expiry.")
    static final class ListDevices extends RegistryOption implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            DeviceRegistry devices;
            try {
                devices = DeviceRegistry.read(registry);
            } catch (NoSuchFileException e) {
                throw new CommandFailure(ExitCodes.FAILURE, "no device registry at " + registry, e);
            }
            for (Device device : devices.devices().values()) {
                out().println(device.name() + " "
                        + device.credentials().stream()
                                .map(c -> c.format() + (c.expiresAt() == null ? "" : "(expires " + c.expiresAt() + ")"))
                                .collect(Collectors.joining(",")));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Remove a device and all its keys.")
    static final class Remove extends RegistryOption implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String name;

        @Override
        public Integer call() throws IOException {
            if (!DeviceRegistry.remove(registry, name)) {
                throw new CommandFailure(ExitCodes.FAILURE, "device " + name + " is not registered in " + registry);
            }
            return ExitCodes.OK;
        }
    }
}
