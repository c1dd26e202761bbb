package io.bastion.server.config;

import io.bastion.admin.AdminSettings;
import java.nio.file.Path;

/** Binds {@code admin}: the HTTP admin API. */
final class AdminSection {
    private static final int MIN_TOKEN_LENGTH = 16;

    private AdminSection() {}

    static AdminSettings bind(ConfigSection root) {
        AdminSettings d = AdminSettings.defaults();
        ConfigSection s = root.section("admin");
        boolean enabled = s.bool("enabled", d.enabled());
        String bind = s.string("bind", d.bind());
        if (bind.isBlank()) {
            throw s.error("bind", "must be an IP address or host name");
        }
        int port = s.integer("port", d.port(), 0, 65_535);
        String token = s.string("token", null);
        if (token != null && token.strip().length() < MIN_TOKEN_LENGTH) {
            // a short token is guessable; the error never repeats the token itself
            throw s.error("token", "must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        String tokenFile = s.string("token_file", d.tokenFile().toString());
        return new AdminSettings(enabled, bind, port, token == null ? null : token.strip(), Path.of(tokenFile));
    }
}
