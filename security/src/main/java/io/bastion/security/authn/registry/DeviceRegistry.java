package io.bastion.security.authn.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Devices and their credentials in a directory: one JSON file per device, named after the URL-encoded device
 * name, so adding or removing a device never rewrites the others and the broker (which polls the directory) sees
 * each change whole.
 *
 * <pre>{"name": "projects/p/locations/r/registries/g/devices/d",
 *  "credentials": [{"format": "ES256_PEM", "key": "-----BEGIN PUBLIC KEY-----...", "expires": "2027-01-01T00:00:00Z"}]}
 * </pre>
 */
public final class DeviceRegistry {
    /** Where {@code bastion device} and the providers look unless configured otherwise. */
    public static final String DEFAULT_DIRECTORY = "data/devices";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Map<String, Device> devices;

    private DeviceRegistry(Map<String, Device> devices) {
        this.devices = Collections.unmodifiableMap(devices);
    }

    /** Reads every device file; one broken file fails the whole read, naming the file and the problem. */
    public static DeviceRegistry read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "no such directory");
        }
        Map<String, Device> devices = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .sorted()
                    .toList()) {
                Device device = readDevice(file);
                devices.put(device.name(), device);
            }
        }
        return new DeviceRegistry(devices);
    }

    /** The device of that name, or null. */
    public Device device(String name) {
        return devices.get(name);
    }

    public Map<String, Device> devices() {
        return devices;
    }

    private static Device readDevice(Path file) throws IOException {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            String name = text(root, "name");
            List<DeviceCredential> credentials = new ArrayList<>();
            for (JsonNode c : root.path("credentials")) {
                String expires =
                        c.path("expires").isTextual() ? c.get("expires").textValue() : null;
                credentials.add(new DeviceCredential(
                                KeyFormat.valueOf(text(c, "format")),
                                text(c, "key"),
                                expires == null ? null : Instant.parse(expires))
                        .validated());
            }
            return new Device(name, credentials);
        } catch (IllegalArgumentException | DateTimeParseException | com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("device file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not text");
        }
        return value.textValue();
    }

    /**
     * Registers a credential for a device (creating the device); a device holds at most {@link
     * Device#MAX_CREDENTIALS}.
     */
    public static Device add(Path directory, String name, DeviceCredential credential) throws IOException {
        credential.validated();
        Files.createDirectories(directory);
        Path file = fileOf(directory, name);
        List<DeviceCredential> credentials = new ArrayList<>();
        if (Files.exists(file)) {
            credentials.addAll(readDevice(file).credentials());
        }
        if (credentials.size() >= Device.MAX_CREDENTIALS) {
            throw new IllegalArgumentException(
                    "device " + name + " already has " + Device.MAX_CREDENTIALS + " credentials (remove it first)");
        }
        credentials.add(credential);
        Device device = new Device(name, credentials);
        write(directory, file, device);
        return device;
    }

    /** Removes a device and all its credentials; false when it was not registered. */
    public static boolean remove(Path directory, String name) throws IOException {
        return Files.deleteIfExists(fileOf(directory, name));
    }

    private static void write(Path directory, Path file, Device device) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("name", device.name());
        ArrayNode credentials = root.putArray("credentials");
        for (DeviceCredential c : device.credentials()) {
            ObjectNode node =
                    credentials.addObject().put("format", c.format().name()).put("key", c.key());
            if (c.expiresAt() != null) {
                node.put("expires", c.expiresAt().toString());
            }
        }
        // written beside it, then moved: the broker never reads half a file (and skips the .tmp name)
        Path temp = Files.createTempFile(directory, ".device", ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path fileOf(Path directory, String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a device name must not be empty");
        }
        return directory.resolve(URLEncoder.encode(name, StandardCharsets.UTF_8) + SUFFIX);
    }
}
