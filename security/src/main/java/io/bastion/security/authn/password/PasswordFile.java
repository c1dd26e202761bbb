package io.bastion.security.authn.password;

import io.bastion.security.SecretFiles;
import io.bastion.security.authn.UserLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
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
        Map<String, PasswordHash> users = new LinkedHashMap<>();
        UserLines.read(path, "user:hash", (user, hash) -> users.put(user, PasswordHash.parse(hash)));
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
