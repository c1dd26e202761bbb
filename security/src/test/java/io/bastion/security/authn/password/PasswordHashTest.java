package io.bastion.security.authn.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hashes as the real {@code mosquitto_passwd} writes them, and ours as Mosquitto's rules compute them. */
class PasswordHashTest {
    @TempDir
    Path dir;

    /** Runs Debian's mosquitto_passwd (package mosquitto); the test is skipped where it is not installed. */
    private Path mosquittoPasswd(String hashType, String user, String password) throws Exception {
        Path tool = Path.of("/usr/bin/mosquitto_passwd");
        assumeTrue(Files.isExecutable(tool), "mosquitto_passwd is not installed");
        Path file = dir.resolve("passwd-" + hashType);
        List<String> command = new ArrayList<>(List.of(tool.toString(), "-H", hashType));
        if (!Files.exists(file)) {
            command.add("-c");
        }
        command.addAll(List.of("-b", file.toString(), user, password));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha512-pbkdf2", "sha512"})
    void readsWhatMosquittoPasswdWrites(String hashType) throws Exception {
        Path file = mosquittoPasswd(hashType, "alice", "s3cret äö");
        mosquittoPasswd(hashType, "bob", "other");

        PasswordFile passwords = PasswordFile.read(file);

        PasswordHash alice = passwords.hash("alice");
        assertThat(alice.iterations()).isEqualTo(hashType.equals("sha512") ? 0 : 101);
        assertThat(alice.matches("s3cret äö".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(alice.matches("s3cret".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(alice.matches(new byte[0])).isFalse();
        assertThat(passwords.hash("bob").matches("other".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(passwords.hash("carol")).isNull();
    }

    @Test
    void createdHashRoundTripsThroughTheFileFormat() throws Exception {
        PasswordHash created = PasswordHash.create("pw".toCharArray(), 1000);
        Path file = dir.resolve("passwd");
        new PasswordFile(java.util.Map.of("dev-1", created)).write(file);

        assertThat(Files.readString(file)).startsWith("dev-1:$7$1000$");
        PasswordHash read = PasswordFile.read(file).hash("dev-1");
        assertThat(read.matches("pw".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(read.matches("pW".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2); // owner read and write only
    }

    @Test
    void emptyPasswordIsAValidPbkdf2Key() {
        PasswordHash empty = PasswordHash.create(new char[0], 10);
        assertThat(empty.matches(new byte[0])).isTrue();
        assertThat(empty.matches(new byte[] {'x'})).isFalse();
    }

    @Test
    void brokenLinesNameTheLineButNeverTheHash() throws Exception {
        Path file = dir.resolve("passwd");
        Files.write(file, List.of("# users", "", "alice:$7$101$c2FsdA==$aGFzaA==", "bob:plain"));

        assertThatThrownBy(() -> PasswordFile.read(file))
                .hasMessageContaining("line 3 (user alice)")
                .hasMessageContaining("not 64 bytes")
                .hasMessageNotContaining("aGFzaA");
        Files.write(file, List.of("bob:plaintext"));
        assertThatThrownBy(() -> PasswordFile.read(file))
                .hasMessageContaining("line 1 (user bob)")
                .hasMessageContaining("plain-text passwords are not accepted")
                .hasMessageNotContaining("plaintext");
        Files.write(file, List.of("nocolon"));
        assertThatThrownBy(() -> PasswordFile.read(file)).hasMessageContaining("line 1: expected user:hash");
        Files.write(file, List.of("x:$5$abc$def"));
        assertThatThrownBy(() -> PasswordFile.read(file)).hasMessageContaining("unknown hash type $5$");
        Files.write(file, List.of("x:$7$many$abc$def"));
        assertThatThrownBy(() -> PasswordFile.read(file)).hasMessageContaining("iteration count that is not a number");
    }
}
