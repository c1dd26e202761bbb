package io.bastion.admin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The HTTP admin API's settings.
 *
 * @param enabled whether the API listens at all
 * @param bind the address to listen on; loopback unless the operator chooses otherwise
 * @param port TCP port; 0 picks a free one (tests)
 * @param token the bearer token, when configured directly (e.g. from {@code BASTION_ADMIN__TOKEN}); null otherwise
 * @param tokenFile where the token is read from, or generated into (mode 0600) when neither exists
 */
public record AdminSettings(boolean enabled, String bind, int port, String token, Path tokenFile) {

    public AdminSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(tokenFile, "tokenFile");
    }

    public static AdminSettings defaults() {
        return new AdminSettings(false, "127.0.0.1", 8081, null, Path.of("data", "admin.token"));
    }

    @Override
    public String toString() {
        return "AdminSettings[enabled=" + enabled + ", bind=" + bind + ", port=" + port + ", token="
                + (token == null ? "none" : "***") + ", tokenFile=" + tokenFile + "]";
    }
}
