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

    /**
     * An encrypted server key without a configured passphrase is asked for on the terminal, as Mosquitto (OpenSSL)
     * does: {@code script} gives the process a real pseudo-terminal. The passphrase is not echoed.
     */
    @Test
    void asksForTheKeyPassphraseOnTheTerminal() throws Exception {
        client("sh", "-ec", """
                cd '%s'
                openssl genrsa -des3 -passout pass:tty-secret -out server.key 2048
                openssl req -x509 -key server.key -passin pass:tty-secret -subj /CN=localhost -days 1 -out server.crt
                """.formatted(dir));
        Files.writeString(
                dir.resolve("mosquitto.conf"), "listener 8883 127.0.0.1\ncertfile server.crt\nkeyfile server.key\n");
        ProcessBuilder builder = new ProcessBuilder(
                        "script", "-qec", LAUNCHER + " serve --mosquitto-conf mosquitto.conf", "/dev/null")
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("BASTION_"));
        builder.environment().put("BASTION_NO_BUILD", "1");
        builder.environment().put("BASTION_LISTENERS__0__PORT", "0");
        Process process = builder.start();
        try {
            String prompt = "Enter PEM pass phrase for server.key: ";
            String beforePrompt = readUntil(process, prompt);
            assertThat(beforePrompt).endsWith(prompt);
            process.getOutputStream().write("tty-secret\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            String afterPrompt = readUntil(process, "listening on mqtts://127.0.0.1:");
            assertThat(afterPrompt).endsWith("listening on mqtts://127.0.0.1:").doesNotContain("tty-secret");
        } finally {
            process.destroy(); // SIGTERM to script, which ends the session and bastion with it
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The terminal's output up to and including {@code expected}; the process prints it before going quiet. */
    private static String readUntil(Process process, String expected) throws Exception {
        StringBuilder out = new StringBuilder();
        java.io.InputStream in = process.getInputStream();
        while (out.indexOf(expected) < 0) {
            int c = in.read();
            assertThat(c).as("output ended before \"%s\": %s", expected, out).isNotNegative();
            out.append((char) c);
        }
        return out.toString();
    }
}
