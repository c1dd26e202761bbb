package io.bastion.security.authn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code user:rest} lines of a credential file in the mosquitto_passwd style: blank lines and {@code #}
 * comments are skipped, a broken line fails the whole file with its line number (the secret part is never
 * echoed).
 */
public final class UserLines {
    /** Takes one line; throws {@link IllegalArgumentException} (with a message fit for a log) when it is bad. */
    @FunctionalInterface
    public interface Handler {
        void line(String user, String rest);
    }

    private UserLines() {}

    /** @param expected the line's form for the error message, e.g. {@code "user:hash"} */
    public static void read(Path path, String expected, Handler handler) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException(path + " line " + (i + 1) + ": expected " + expected);
            }
            String user = line.substring(0, colon);
            try {
                handler.line(user, line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IOException(path + " line " + (i + 1) + " (user " + user + "): " + e.getMessage(), e);
            }
        }
    }
}
