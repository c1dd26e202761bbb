package io.bastion.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @Test
    void onlyTheExactBearerTokenMatches() {
        AdminToken token = AdminToken.of("0123456789abcdef");
        assertThat(token.matches("Bearer 0123456789abcdef")).isTrue();
        assertThat(token.matches("bearer 0123456789abcdef")).isTrue(); // the scheme is case-insensitive
        assertThat(token.matches("Bearer 0123456789abcdeF")).isFalse();
        assertThat(token.matches("Bearer 0123456789abcde")).isFalse();
        assertThat(token.matches("Bearer 0123456789abcdef0")).isFalse();
        assertThat(token.matches("Basic 0123456789abcdef")).isFalse();
        assertThat(token.matches("0123456789abcdef")).isFalse();
        assertThat(token.matches("Bearer ")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void anEmptyTokenFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> AdminToken.load(new AdminSettings(true, "127.0.0.1", 0, null, file)))
                .hasMessageContaining("is empty")
                .hasMessageContaining(file.toString());
    }
}
