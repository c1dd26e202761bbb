package io.bastion.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.BrokerSettings;
import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.broker.BrokerSettings.QueueOverflowPolicy;
import io.bastion.store.Durability;
import io.bastion.store.StoreOptions;
import io.bastion.transport.ListenerSettings;
import io.bastion.transport.TransportSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every documented key, set to a value other than its default, reaches the settings it configures. */
class BastionConfigParsingTest {

    static final String EVERY_KEY = String.join(
            "\n",
            "listeners:",
            "  - name: local",
            "    bind: 127.0.0.1",
            "    port: 1884",
            "  - bind: 0.0.0.0",
            "    port: 8884",
            "limits:",
            "  max_packet_size: 65536",
            "  max_connections: 5000",
            "  max_inflight: 50",
            "  max_queued_messages: 200",
            "  queue_overflow: reject_new",
            "  min_keepalive: 5",
            "  max_keepalive: 600",
            "  session_expiry_max: 3600",
            "  topic_alias_max: 0",
            "  receive_max: 100",
            "  max_qos: 1",
            "  max_client_id_length: 64",
            "  connect_timeout: 500ms",
            "features:",
            "  retain_available: false",
            "  wildcard_subscriptions: false",
            "  subscription_identifiers: false",
            "  shared_subscriptions: false",
            "security:",
            "  anonymous: deny",
            "sys:",
            "  interval: 0",
            "transport:",
            "  io_threads: 4",
            "  write_buffer_high_water_mark: 65536",
            "  write_buffer_low_water_mark: 32768",
            "store:",
            "  path: /var/lib/bastion",
            "  durability: sync",
            "  group_commit_interval: 250us",
            "  group_commit_max_writes: 64",
            "  inflight_write_delay: 5ms",
            "  min_free_space: 1GB",
            "");

    @Test
    void everyKeyIsBound() {
        BastionConfig config = BastionConfig.fromYaml(EVERY_KEY);

        assertThat(config.listeners())
                .containsExactly(
                        new ListenerSettings("local", "127.0.0.1", 1884),
                        new ListenerSettings("tcp-2", "0.0.0.0", 8884));
        assertThat(config.broker())
                .isEqualTo(new BrokerSettings(
                        65536,
                        5000,
                        50,
                        200,
                        QueueOverflowPolicy.REJECT_NEW,
                        5,
                        600,
                        3600,
                        0,
                        100,
                        1,
                        false,
                        false,
                        false,
                        false,
                        64,
                        Duration.ofMillis(500),
                        Duration.ZERO,
                        AnonymousAccess.DENY,
                        BrokerSettings.DeniedPublish.DROP));
        assertThat(config.transport()).isEqualTo(new TransportSettings(4, 65536, 32768));
        assertThat(config.store())
                .isEqualTo(new StoreOptions(
                        Path.of("/var/lib/bastion"),
                        Durability.SYNC,
                        Duration.ofNanos(250_000),
                        64,
                        Duration.ofMillis(5),
                        1L << 30));
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "configuration.md"));
        for (String line : EVERY_KEY.lines().toList()) {
            String key = line.replace("- ", "").trim();
            if (!key.isEmpty()) {
                assertThat(docs).contains("`" + key.substring(0, key.indexOf(':')) + "`");
            }
        }
    }

    @Test
    void listenerKeysDefaultOneByOne() {
        BastionConfig config = BastionConfig.fromYaml("listeners:\n  - port: 1999\n  - name: second\n");
        assertThat(config.listeners())
                .containsExactly(
                        new ListenerSettings("tcp", "127.0.0.1", 1999),
                        new ListenerSettings("second", "127.0.0.1", 1883));
    }

    @Test
    void flowStyleYamlWorksToo() {
        BastionConfig config = BastionConfig.fromYaml("listeners: [{port: 0}]\nlimits: {max_qos: 0}\n");
        assertThat(config.listeners().get(0).port()).isZero();
        assertThat(config.broker().maximumQos()).isZero();
    }

    @Test
    void enumValuesAreCaseInsensitive() {
        assertThat(BastionConfig.fromYaml("security:\n  anonymous: ALLOW\n")
                        .broker()
                        .anonymous())
                .isEqualTo(AnonymousAccess.ALLOW);
    }

    @Test
    void ipv6AndHostNameBindAddresses() {
        BastionConfig config = BastionConfig.fromYaml(
                "listeners:\n  - bind: '::1'\n    port: 1883\n  - bind: broker.example\n    port: 1884\n");
        assertThat(config.listeners())
                .extracting(ListenerSettings::bindAddress)
                .containsExactly("::1", "broker.example");
    }

    @Test
    void samePortOnDifferentAddressesIsAllowed() {
        BastionConfig config = BastionConfig.fromYaml(
                "listeners:\n  - bind: 127.0.0.1\n    port: 1883\n  - bind: 10.0.0.1\n    port: 1883\n");
        assertThat(config.listeners()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource({"10, PT10S", "10s, PT10S", "500ms, PT0.5S", "5m, PT5M", "1h, PT1H", "'1 h', PT1H"})
    void durationsAcceptUnitsOrPlainSeconds(String written, Duration expected) {
        assertThat(BastionConfig.fromYaml("limits:\n  connect_timeout: " + written + "\n")
                        .broker()
                        .connectTimeout())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"604800, 604800", "7d, 604800", "1h, 3600", "0, 0", "4294967295, 4294967295"})
    void sessionExpiryMaxTakesSecondsOrDurations(String written, long seconds) {
        assertThat(BastionConfig.fromYaml("limits:\n  session_expiry_max: " + written + "\n")
                        .broker()
                        .maximumSessionExpiry())
                .isEqualTo(seconds);
    }

    @ParameterizedTest
    @CsvSource({"0, PT0S", "1s, PT1S", "1d, PT24H"})
    void sysIntervalZeroDisables(String written, Duration expected) {
        assertThat(BastionConfig.fromYaml("sys:\n  interval: " + written + "\n")
                        .broker()
                        .sysInterval())
                .isEqualTo(expected);
    }
}
