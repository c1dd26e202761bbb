package io.bastion.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A broken configuration stops start-up with one line naming the file line, the key path and the problem. */
class ConfigErrorsTest {

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                // out of range
                broken(
                        "listeners:\n  - port: 1883\nlimits:\n  max_qos: 1\n\n  # the window\n  max_inflight: 0\n",
                        "bastion.yaml line 7: limits.max_inflight: must be between 1 and 65535 (got 0)"),
                broken(
                        "limits:\n  receive_max: 0\n",
                        "line 2: limits.receive_max: must be between 1 and 65535 (got 0)"),
                broken(
                        "limits:\n  receive_max: 65536\n",
                        "line 2: limits.receive_max: must be between 1 and 65535 (got 65536)"),
                broken(
                        "limits:\n  topic_alias_max: 65536\n",
                        "line 2: limits.topic_alias_max: must be between 0 and 65535 (got 65536)"),
                broken(
                        "limits:\n  max_packet_size: 15\n",
                        "line 2: limits.max_packet_size: must be between 16 and 268435455 (got 15)"),
                broken(
                        "limits:\n  max_packet_size: 268435456\n",
                        "line 2: limits.max_packet_size: must be between 16 and 268435455 (got 268435456)"),
                broken("limits:\n  max_qos: 3\n", "line 2: limits.max_qos: must be between 0 and 2 (got 3)"),
                broken(
                        "limits:\n  max_keepalive: 65536\n",
                        "line 2: limits.max_keepalive: must be between 0 and 65535 (got 65536)"),
                broken(
                        "limits:\n  min_keepalive: -1\n",
                        "line 2: limits.min_keepalive: must be between 0 and 65535 (got -1)"),
                broken(
                        "limits:\n  max_connections: 0\n",
                        "line 2: limits.max_connections: must be between 1 and 2147483647 (got 0)"),
                broken(
                        "limits:\n  max_queued_messages: 99999999999\n",
                        "line 2: limits.max_queued_messages: must be between 0 and 2147483647 (got 99999999999)"),
                broken(
                        "limits:\n  max_client_id_length: 22\n",
                        "line 2: limits.max_client_id_length: must be between 23 and 65535 (got 22)"),
                broken(
                        "limits:\n  session_expiry_max: 4294967296\n",
                        "line 2: limits.session_expiry_max: must be between 0 and 4294967295 seconds (got 4294967296)"),
                broken(
                        "listeners:\n  - port: 65536\n",
                        "line 2: listeners[0].port: must be between 0 and 65535 (got 65536)"),
                broken("listeners:\n  - port: -1\n", "line 2: listeners[0].port: must be between 0 and 65535 (got -1)"),
                broken(
                        "transport:\n  io_threads: -1\n",
                        "line 2: transport.io_threads: must be between 0 and 1024 (got -1)"),
                // cross-key rules
                broken(
                        "limits:\n  min_keepalive: 100\n  max_keepalive: 60\n",
                        "line 2: limits.min_keepalive: must not be greater than limits.max_keepalive (100 > 60)"),
                broken(
                        "transport:\n  write_buffer_high_water_mark: 4096\n  write_buffer_low_water_mark: 8192\n",
                        "line 3: transport.write_buffer_low_water_mark: must not be greater than"
                                + " transport.write_buffer_high_water_mark (8192 > 4096)"),
                // wrong types
                broken(
                        "limits:\n  max_inflight: lots\n",
                        "line 2: limits.max_inflight: must be a whole number (got \"lots\")"),
                broken("limits:\n  max_qos: 1.5\n", "line 2: limits.max_qos: must be a whole number (got 1.5)"),
                broken("limits:\n  max_qos:\n", "line 2: limits.max_qos: must be a whole number (got nothing)"),
                broken("limits:\n  max_qos: [1]\n", "line 2: limits.max_qos: must be a whole number (got a list)"),
                broken(
                        "features:\n  retain_available: maybe\n",
                        "line 2: features.retain_available: must be true or false (got \"maybe\")"),
                broken(
                        "features:\n  retain_available: 1\n",
                        "line 2: features.retain_available: must be true or false (got 1)"),
                broken(
                        "security:\n  anonymous: sometimes\n",
                        "line 2: security.anonymous: must be one of loopback, allow, deny (got \"sometimes\")"),
                broken(
                        "limits:\n  queue_overflow: drop_newest\n",
                        "line 2: limits.queue_overflow: must be one of drop_oldest, reject_new (got \"drop_newest\")"),
                broken(
                        "limits:\n  connect_timeout: soon\n",
                        "line 2: limits.connect_timeout: must be a duration like 500ms, 10s, 5m, 1h or whole seconds"
                                + " (got \"soon\")"),
                broken(
                        "limits:\n  connect_timeout: 2h\n",
                        "line 2: limits.connect_timeout: must be between 100ms and 1h (got \"2h\")"),
                broken(
                        "limits:\n  connect_timeout: 0\n",
                        "line 2: limits.connect_timeout: must be between 100ms and 1h (got 0)"),
                broken(
                        "sys:\n  interval: 500ms\n",
                        "line 2: sys.interval: must be 0 (off) or between 1s and 1d (got \"500ms\")"),
                broken(
                        "limits:\n  session_expiry_max: 1500ms\n",
                        "line 2: limits.session_expiry_max: must be whole seconds, e.g. 3600 or 1h (got \"1500ms\")"),
                broken("limits: 5\n", "line 1: limits: must be a mapping of keys (got 5)"),
                broken("listeners:\n  port: 1883\n", "line 1: listeners: must be a list (got a mapping)"),
                broken("listeners:\n  - 1883\n", "line 2: listeners[0]: must be a mapping of keys (got 1883)"),
                broken("- a\n- b\n", "line 1: the configuration must be a mapping of sections"),
                // listeners
                broken("listeners: []\n", "line 1: listeners: at least one listener is needed"),
                broken(
                        "listeners:\n  - name: a\n    port: 1\n  - name: a\n    port: 2\n",
                        "line 4: listeners[1].name: duplicate listener name \"a\" (also listeners[0])"),
                broken(
                        "listeners:\n  - port: 1883\n  - bind: 0.0.0.0\n    port: 1883\n",
                        "line 4: listeners[1].port: port 1883 is already used by listener \"tcp\" (listeners[0])"),
                broken(
                        "listeners:\n  - name: 'my listener'\n",
                        "line 2: listeners[0].name: must be 1 to 64 letters, digits, '-', '_' or '.',"
                                + " starting with a letter or digit (got \"my listener\")"),
                broken(
                        "listeners:\n  - bind: ''\n",
                        "line 2: listeners[0].bind: must be an IP address or host name (got \"\")"),
                // unknown keys
                broken(
                        "limits:\n  max_inflght: 5\n",
                        "line 2: limits.max_inflght: unknown key (did you mean limits.max_inflight?)"),
                broken(
                        "listeners:\n  - prot: 1884\n",
                        "line 2: listeners[0].prot: unknown key (did you mean listeners[0].port?)"),
                broken(
                        "limits:\n  retain_available: true\n",
                        "line 2: limits.retain_available: unknown key (did you mean features.retain_available?)"),
                broken(
                        "tls:\n  enabled: true\n",
                        "line 1: tls: unknown key (known keys here: admin, features, limits, listeners, security, store,"
                                + " sys, transport)"),
                // YAML itself
                broken("limits:\n  max_qos: 1\n  max_qos: 2\n", "line 3: limits.max_qos: duplicate key"),
                broken("limits: {}\n---\nsys: {}\n", "line 3: only one YAML document is allowed in a config file"));
    }

    private static Arguments broken(String yaml, String expected) {
        return Arguments.of(yaml, expected);
    }

    @ParameterizedTest
    @MethodSource("brokenConfigs")
    void brokenConfigGivesOneLineNamingKeyAndLine(String yaml, String expected) {
        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> BastionConfig.parse(yaml, "bastion.yaml", Map.of()));
        assertThat(error).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(error.getMessage()).startsWith("config error: bastion.yaml ").endsWith(expected);
        assertThat(error.getMessage()).doesNotContain("\n");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        assertThatThrownBy(() -> BastionConfig.parse("limits:\n  max_qos: [1\nsys: 2\n", "bastion.yaml", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config error: bastion.yaml line 3: YAML syntax error: ")
                .message()
                .doesNotContain("\n");
    }

    @Test
    void badIndentationIsASyntaxError() {
        assertThatThrownBy(() -> BastionConfig.parse("limits:\n  max_qos: 1\n max_inflight: 2\n", "b.yaml", Map.of()))
                .hasMessageStartingWith("config error: b.yaml line 3: YAML syntax error: ");
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> BastionConfig.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: " + file + ": cannot read config file: no such file");
    }

    @Test
    void directoryInsteadOfFile(@TempDir Path dir) {
        assertThatThrownBy(() -> BastionConfig.load(dir, Map.of()))
                .hasMessage("config error: " + dir + ": cannot read config file: it is a directory");
    }

    @Test
    void notUtf8(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> BastionConfig.load(file, Map.of()))
                .hasMessage("config error: " + file + ": cannot read config file: not UTF-8 text");
    }

    @Test
    void fileErrorsNameTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bastion.yaml"), "sys:\n  interval: -5\n");
        assertThatThrownBy(() -> BastionConfig.load(file, Map.of()))
                .hasMessage("config error: " + file + " line 2: sys.interval: must be a duration like 500ms, 10s,"
                        + " 5m, 1h or whole seconds (got -5)");
    }

    @Test
    void fromYamlNamesTheSourceYaml() {
        assertThatThrownBy(() -> BastionConfig.fromYaml("limits:\n  max_qos: 9\n"))
                .hasMessage("config error: yaml line 2: limits.max_qos: must be between 0 and 2 (got 9)");
    }
}
