package io.bastion.security.authn.password;

import io.bastion.security.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a {@code mosquitto_passwd} file: one {@code user:hash} per line; blank lines and lines starting
 * with {@code #} are skipped.
 */
public final class PasswordFile {
    private final Map<String, PasswordHash> users;

    public PasswordFile(Map<String, PasswordHash> users) {
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    public static PasswordFile empty() {
        return new PasswordFile(Map.of());
    }

    /** Reads a file; a broken line fails the whole file with its line number (the hash is never echoed). */
    public static PasswordFile read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException(path + " line " + (i + 1) + ": expected user:hash");
            }
            String user = line.substring(0, colon);
            try {
                users.put(user, PasswordHash.parse(line.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new IOException(path + " line " + (i + 1) + " (user " + user + "): " + e.getMessage(), e);
            }
        }
        return new PasswordFile(users);
    }

    /** The hash of {@code user}, or null. */
    public PasswordHash hash(String user) {
        return users.get(user);
    }

    public Map<String, PasswordHash> users() {
        return users;
    }

    public PasswordFile with(String user, PasswordHash hash) {
        Map<String, PasswordHash> copy = new LinkedHashMap<>(users);
        copy.put(user, hash);
        return new PasswordFile(copy);
    }

    public PasswordFile without(String user) {
        Map<String, PasswordHash> copy = new LinkedHashMap<>(users);
        copy.remove(user);
        return new PasswordFile(copy);
    }

    /**
     * Writes the file atomically (a temporary file moved over it), readable by its owner only, so a broker that
     * polls it never sees half of it.
     */
    public void write(Path path) throws IOException {
        StringBuilder b = new StringBuilder();
        users.forEach(
                (user, hash) -> b.append(user).append(':').append(hash.format()).append('\n'));
        SecretFiles.write(path, b.toString());
    }
}
