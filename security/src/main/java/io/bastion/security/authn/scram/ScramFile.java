package io.bastion.security.authn.scram;

import io.bastion.security.SecretFiles;
import io.bastion.security.authn.UserLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SCRAM credential file: lines {@code user:MECHANISM:iterations:salt:storedKey:serverKey}, one per user and
 * mechanism; blank lines and {@code #} comments are skipped. It holds no password nor anything that logs a client
 * in, but a stolen one allows offline guessing, so it is written readable by its owner only.
 */
public final class ScramFile {
    private final Map<String, ScramCredential> credentials; // key: user + "\n" + method

    private ScramFile(Map<String, ScramCredential> credentials) {
        this.credentials = Collections.unmodifiableMap(credentials);
    }

    public static ScramFile empty() {
        return new ScramFile(new LinkedHashMap<>());
    }

    public static ScramFile read(Path path) throws IOException {
        Map<String, ScramCredential> credentials = new LinkedHashMap<>();
        UserLines.read(path, "user:MECHANISM:...", (user, rest) -> {
            ScramCredential c = ScramCredential.parse(rest);
            credentials.put(key(user, c.mechanism()), c);
        });
        return new ScramFile(credentials);
    }

    /** The verifier of {@code user} for {@code mechanism}, or null. */
    public ScramCredential credential(String user, ScramMechanism mechanism) {
        return credentials.get(key(user, mechanism));
    }

    public ScramFile with(String user, ScramCredential credential) {
        Map<String, ScramCredential> copy = new LinkedHashMap<>(credentials);
        copy.put(key(user, credential.mechanism()), credential);
        return new ScramFile(copy);
    }

    /** Without any credential of {@code user}. */
    public ScramFile without(String user) {
        Map<String, ScramCredential> copy = new LinkedHashMap<>(credentials);
        copy.keySet().removeIf(k -> k.startsWith(user + "\n"));
        return new ScramFile(copy);
    }

    public boolean has(String user) {
        return credentials.keySet().stream().anyMatch(k -> k.startsWith(user + "\n"));
    }

    /** Written beside the target and moved over it, so a polling broker never reads half of it. */
    public void write(Path path) throws IOException {
        List<String> lines = new ArrayList<>();
        credentials.forEach((k, c) -> lines.add(k.substring(0, k.indexOf('\n')) + ":" + c.format()));
        SecretFiles.write(path, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    }

    private static String key(String user, ScramMechanism mechanism) {
        return user + "\n" + mechanism.method();
    }
}
