package io.bastion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./bastion serve --mosquitto-conf} as operators run it: a real process, its log on stderr, real
 * mosquitto_pub / mosquitto_sub, SIGTERM at the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoLauncherIT {
    private static final Path LAUNCHER =
            Path.of("..", "bastion").toAbsolutePath().normalize();
    private static final Pattern LISTENING =
            Pattern.compile("listening on mqtt://127\\.0\\.0\\.1:(\\d+) \\(listener tcp-1883,");

    @TempDir
    Path dir;

    private String client(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void servesFromAMosquittoConfWarningAboutHarmlessLines() throws Exception {
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener 1883 127.0.0.1
                allow_anonymous true
                autosave_interval 60
                """);
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "serve", "--mosquitto-conf", "mosquitto.conf")
                .directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("BASTION_"));
        builder.environment().put("BASTION_NO_BUILD", "1");
        builder.environment().put("BASTION_LISTENERS__0__PORT", "0");
        Process process = builder.start();
        try {
            BufferedReader err =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String port = null;
            while (port == null) {
                String line = err.readLine(); // the server logs until it listens, so this does not block for ever
                if (line == null) {
                    break;
                }
                lines.add(line);
                Matcher m = LISTENING.matcher(line);
                port = m.find() ? m.group(1) : null;
            }
            assertThat(port).as(String.join("\n", lines)).isNotNull();
            assertThat(lines)
                    .anySatisfy(l -> assertThat(l)
                            .contains("WARN  ServeCommand - mosquitto.conf line 3: autosave_interval: ignored"))
                    .anySatisfy(l -> assertThat(l).contains("configuration: mosquitto.conf (Mosquitto)"));

            client("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-t", "launcher/t", "-m", "hello", "-r");
            assertThat(client(
                            "mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-t", "launcher/t", "-C", "1", "-W", "10"))
                    .isEqualTo("hello\n");

            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                    .start()
                    .waitFor();
            err.transferTo(java.io.Writer.nullWriter());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
