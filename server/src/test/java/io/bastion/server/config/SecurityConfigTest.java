package io.bastion.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bastion.admin.AdminSettings;
import io.bastion.broker.BrokerSettings.DeniedPublish;
import io.bastion.security.acl.AclRule;
import io.bastion.security.acl.AclSource;
import io.bastion.security.acl.Subject;
import io.bastion.security.limits.BruteForceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code security.authorization}, {@code security.denied_publish}, {@code security.brute_force} and {@code admin}. */
class SecurityConfigTest {
    private static final String EVERY_KEY = """
            listeners:
              - name: tcp
              - name: tls-ish
                port: 8885
            security:
              denied_publish: disconnect
              authorization:
                - type: acl_file
                  path: /etc/bastion/acl
                  listeners: [tcp]
                - type: rules
                  roles:
                    operators: [alice, bob]
                  rules:
                    - permission: allow
                      action: publish
                      topics: ["${tenant}:${device}/attrs"]
                      max_qos: 1
                      retain: false
                    - permission: deny
                      action: subscribe
                      topics: [secret/#]
                      role: operators
                    - topics: [gw/%c/#]
                      client_id: gw-1
                    - topics: [a]
                      user: carol
                    - topics: [plant/#]
                      certificate: plant:press-7
              brute_force:
                enabled: true
                max_failures: 7
                window: 2m
                backoff: 5s
                max_backoff: 1h
                connection_rate: 20
                rate_window: 1m
                exempt: [10.0.0.0/8]
            admin:
              enabled: true
              bind: 0.0.0.0
              port: 9000
              token: a-long-enough-token-value
              token_file: /var/lib/bastion/admin.token
            """;

    @Test
    void everyKeyIsBound() {
        BastionConfig config = BastionConfig.fromYaml(EVERY_KEY);
        assertThat(config.broker().deniedPublish()).isEqualTo(DeniedPublish.DISCONNECT);
        assertThat(config.authorization()).hasSize(2);
        assertThat(config.authorization().get(0))
                .isEqualTo(new AclSource.MosquittoFile(Path.of("/etc/bastion/acl"), Set.of("tcp")));
        AclSource.Rules rules = (AclSource.Rules) config.authorization().get(1);
        assertThat(rules.listeners()).isEmpty();
        assertThat(rules.rolesOfUser()).isEqualTo(Map.of("alice", Set.of("operators"), "bob", Set.of("operators")));
        assertThat(rules.rules())
                .containsExactly(
                        new AclRule(
                                false,
                                true,
                                false,
                                Subject.EVERYONE,
                                "${tenant}:${device}/attrs",
                                true,
                                1,
                                false,
                                "security.authorization[1].rules[0]"),
                        new AclRule(
                                true,
                                false,
                                true,
                                Subject.role("operators"),
                                "secret/#",
                                true,
                                2,
                                true,
                                "security.authorization[1].rules[1]"),
                        new AclRule(
                                false,
                                true,
                                true,
                                Subject.clientId("gw-1"),
                                "gw/%c/#",
                                true,
                                2,
                                true,
                                "security.authorization[1].rules[2]"),
                        new AclRule(
                                false,
                                true,
                                true,
                                Subject.user("carol"),
                                "a",
                                true,
                                2,
                                true,
                                "security.authorization[1].rules[3]"),
                        new AclRule(
                                false,
                                true,
                                true,
                                Subject.certificate("plant:press-7"),
                                "plant/#",
                                true,
                                2,
                                true,
                                "security.authorization[1].rules[4]"));
        assertThat(config.bruteForce())
                .isEqualTo(new BruteForceSettings(
                        true,
                        7,
                        Duration.ofMinutes(2),
                        Duration.ofSeconds(5),
                        Duration.ofHours(1),
                        20,
                        Duration.ofMinutes(1),
                        List.of("10.0.0.0/8")));
        assertThat(config.admin())
                .isEqualTo(new AdminSettings(
                        true, "0.0.0.0", 9000, "a-long-enough-token-value", Path.of("/var/lib/bastion/admin.token")));
        assertThat(config.admin().toString()).doesNotContain("a-long-enough-token-value");
    }

    @Test
    void defaults() {
        BastionConfig config = BastionConfig.fromYaml("");
        assertThat(config.authorization()).isEmpty();
        assertThat(config.broker().deniedPublish()).isEqualTo(DeniedPublish.DROP);
        assertThat(config.bruteForce()).isEqualTo(BruteForceSettings.defaults());
        assertThat(config.bruteForce().enabled()).isTrue();
        assertThat(config.admin()).isEqualTo(AdminSettings.defaults());
        assertThat(config.admin().bind()).isEqualTo("127.0.0.1");
    }

    @Test
    void envOverridesReachTheNewKeys() {
        BastionConfig config = BastionConfig.parse(
                "",
                "bastion.yaml",
                Map.of(
                        "BASTION_ADMIN__TOKEN",
                        "from-the-environment-123",
                        "BASTION_SECURITY__DENIED_PUBLISH",
                        "disconnect"));
        assertThat(config.admin().token()).isEqualTo("from-the-environment-123");
        assertThat(config.broker().deniedPublish()).isEqualTo(DeniedPublish.DISCONNECT);
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String line : EVERY_KEY.lines().toList()) {
            String key = line.replace("- ", "").trim();
            if (!key.isEmpty() && key.contains(":") && !key.startsWith("operators")) {
                assertThat(docs).contains("`" + key.substring(0, key.indexOf(':')) + "`");
            }
        }
    }

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                Arguments.of(
                        "security:\n  authorization:\n    - path: x\n",
                        "line 3: security.authorization[0].type: is required: acl_file or rules"),
                Arguments.of(
                        "security:\n  authorization:\n    - type: acl_file\n",
                        "line 3: security.authorization[0].path: is required for an acl_file:"
                                + " the Mosquitto ACL file to read"),
                Arguments.of(
                        "security:\n  authorization:\n    - type: acl_file\n      path: x\n      listeners: [tls]\n",
                        "line 5: security.authorization[0].listeners: names no listener \"tls\" (listeners are [tcp])"),
                Arguments.of(
                        "security:\n  authorization:\n    - type: rules\n      rules:\n        - action: publish\n",
                        "line 5: security.authorization[0].rules[0].topics: is required:"
                                + " the topic filters the rule is about"),
                Arguments.of(
                        "security:\n  authorization:\n    - type: rules\n      rules:\n        - topics: [a/#/b]\n",
                        "line 5: security.authorization[0].rules[0].topics: not a valid topic filter: \"a/#/b\""
                                + " ('#' only as the whole last level, '+' only as a whole level)"),
                Arguments.of(
                        "security:\n  authorization:\n    - type: rules\n      rules:\n"
                                + "        - topics: [a]\n          user: u\n          role: r\n",
                        "line 7: security.authorization[0].rules[0].role: a rule names at most one of user,"
                                + " client_id, role, certificate"),
                Arguments.of(
                        "security:\n  authorization:\n    - type: rules\n      rules:\n"
                                + "        - topics: [a]\n          permision: deny\n",
                        "line 6: security.authorization[0].rules[0].permision: unknown key (did you mean"
                                + " security.authorization[0].rules[0].permission?)"),
                Arguments.of(
                        "security:\n  denied_publish: kick\n",
                        "line 2: security.denied_publish: must be one of drop, disconnect (got \"kick\")"),
                Arguments.of(
                        "security:\n  brute_force:\n    exempt: [localhost]\n",
                        "line 3: security.brute_force.exempt: not an IP address or CIDR range: \"localhost\""),
                Arguments.of(
                        "security:\n  brute_force:\n    backoff: 1h\n    max_backoff: 1m\n",
                        "line 4: security.brute_force.max_backoff: must not be shorter than"
                                + " security.brute_force.backoff"),
                Arguments.of("admin:\n  token: short\n", "line 2: admin.token: must be at least 16 characters"));
    }

    @ParameterizedTest
    @MethodSource("brokenConfigs")
    void brokenConfigGivesOneLineNamingKeyAndLine(String yaml, String expected) {
        ConfigException error =
                catchThrowableOfType(ConfigException.class, () -> BastionConfig.parse(yaml, "bastion.yaml", Map.of()));
        assertThat(error).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(error.getMessage()).startsWith("config error: bastion.yaml ").endsWith(expected);
    }

    @Test
    void aRefusedTokenIsNotRepeated() {
        ConfigException error = catchThrowableOfType(
                ConfigException.class, () -> BastionConfig.parse("admin:\n  token: s3cr3t\n", "b.yaml", Map.of()));
        assertThat(error.getMessage()).doesNotContain("s3cr3t");
    }
}
