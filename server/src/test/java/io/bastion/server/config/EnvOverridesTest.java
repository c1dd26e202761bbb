package io.bastion.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.transport.ListenerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvOverridesTest {

    @Test
    void overridesAScalar() {
        BastionConfig config = BastionConfig.defaults(Map.of("BASTION_LIMITS__MAX_PACKET_SIZE", "2048"));
        assertThat(config.broker().maximumPacketSize()).isEqualTo(2048);
    }

    @Test
    void overridesAnEnum() {
        BastionConfig config = BastionConfig.defaults(Map.of("BASTION_SECURITY__ANONYMOUS", "deny"));
        assertThat(config.broker().anonymous()).isEqualTo(AnonymousAccess.DENY);
    }

    @Test
    void overridesBooleansAndDurations() {
        BastionConfig config = BastionConfig.defaults(Map.of(
                "BASTION_FEATURES__RETAIN_AVAILABLE", "false",
                "BASTION_LIMITS__CONNECT_TIMEOUT", "2s",
                "BASTION_SYS__INTERVAL", "0"));
        assertThat(config.broker().retainAvailable()).isFalse();
        assertThat(config.broker().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.broker().sysInterval()).isZero();
    }

    @Test
    void listIndexCreatesTheFirstListenerWithDefaultsForTheRest() {
        BastionConfig config = BastionConfig.defaults(Map.of("BASTION_LISTENERS__0__PORT", "1884"));
        assertThat(config.listeners()).containsExactly(new ListenerSettings("tcp", "127.0.0.1", 1884));
    }

    @Test
    void listIndexOverridesOneKeyOfAListenerFromTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(
                dir.resolve("bastion.yaml"),
                "listeners:\n  - name: a\n    port: 1883\n  - name: b\n    bind: 0.0.0.0\n    port: 8883\n");
        BastionConfig config = BastionConfig.load(file, Map.of("BASTION_LISTENERS__1__PORT", "9883"));
        assertThat(config.listeners())
                .containsExactly(
                        new ListenerSettings("a", "127.0.0.1", 1883), new ListenerSettings("b", "0.0.0.0", 9883));
    }

    @Test
    void indexOneBeyondTheEndAppendsAListener() {
        BastionConfig config = BastionConfig.defaults(Map.of(
                "BASTION_LISTENERS__0__PORT", "1883",
                "BASTION_LISTENERS__1__PORT", "1884",
                "BASTION_LISTENERS__1__BIND", "0.0.0.0"));
        assertThat(config.listeners())
                .containsExactly(
                        new ListenerSettings("tcp", "127.0.0.1", 1883), new ListenerSettings("tcp-2", "0.0.0.0", 1884));
    }

    @Test
    void environmentWinsOverTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("b.yaml"), "limits:\n  max_inflight: 10\n  max_qos: 1\n");
        BastionConfig config = BastionConfig.load(file, Map.of("BASTION_LIMITS__MAX_INFLIGHT", "99"));
        assertThat(config.broker().maximumInflight()).isEqualTo(99);
        assertThat(config.broker().maximumQos()).isEqualTo(1);
    }

    @Test
    void wrongTypeFromEnvironmentNamesTheVariable() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LIMITS__MAX_INFLIGHT", "many")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config error: env BASTION_LIMITS__MAX_INFLIGHT: limits.max_inflight:"
                        + " must be a whole number (got \"many\")");
    }

    @Test
    void outOfRangeFromEnvironment() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LISTENERS__0__PORT", "70000")))
                .hasMessage("config error: env BASTION_LISTENERS__0__PORT: listeners[0].port:"
                        + " must be between 0 and 65535 (got 70000)");
    }

    @Test
    void unknownVariableIsAnErrorLikeAnUnknownKey() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LIMITS__MAX_INFLIGTH", "5")))
                .hasMessage("config error: env BASTION_LIMITS__MAX_INFLIGTH: limits.max_infligth: unknown key"
                        + " (did you mean limits.max_inflight?)");
    }

    @Test
    void unknownSectionFromEnvironment() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LIMIT__MAX_INFLIGHT", "5")))
                .hasMessage("config error: env BASTION_LIMIT__MAX_INFLIGHT: limit: unknown key (did you mean limits?)");
    }

    @Test
    void malformedVariableName() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LIMITS___MAX_INFLIGHT", "5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config error: env BASTION_LIMITS___MAX_INFLIGHT: not a configuration key");
    }

    @Test
    void indexBeyondTheEndOfTheList() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LISTENERS__2__PORT", "1884")))
                .hasMessage("config error: env BASTION_LISTENERS__2__PORT: listeners[2]: index out of range:"
                        + " the list has 0 entries, so use an index from 0 to 0");
    }

    @Test
    void keyUnderAListNeedsAnIndex() {
        assertThatThrownBy(() -> BastionConfig.defaults(Map.of("BASTION_LISTENERS__PORT", "1884")))
                .hasMessage("config error: env BASTION_LISTENERS__PORT: listeners: must be a list (got a mapping)");
    }

    @Test
    void descendingIntoAScalar() {
        assertThatThrownBy(() -> BastionConfig.parse(
                        "limits:\n  max_qos: 1\n", "b.yaml", Map.of("BASTION_LIMITS__MAX_QOS__X", "1")))
                .hasMessage("config error: env BASTION_LIMITS__MAX_QOS__X: limits.max_qos:"
                        + " is a single value here, so it has no key x");
    }
}
