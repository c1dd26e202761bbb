package io.bastion.security.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.broker.auth.ClientIdentity;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclAuthorizerTest {

    private static ClientIdentity client(String clientId, String user, Map<String, String> attributes) {
        return client(clientId, user, attributes, "tcp");
    }

    private static ClientIdentity client(
            String clientId, String user, Map<String, String> attributes, String listener) {
        return new ClientIdentity(
                clientId, user, user, new InetSocketAddress("127.0.0.1", 40000), listener, attributes);
    }

    private static AclAuthorizer authorizer(AclRule... rules) {
        return new AclAuthorizer(
                List.of(new ScopedRuleSet("test", new AclRuleSet(List.of(rules), Map.of()), Set.of())));
    }

    @Test
    void attributeTemplatesGrantOnlyTheDevicesOwnTopics() {
        AclAuthorizer acl = authorizer(
                new AclRule(false, true, false, Subject.EVERYONE, "${tenant}:${device}/attrs", true, 2, true, "r1"),
                new AclRule(false, false, true, Subject.EVERYONE, "${tenant}:${device}/config", true, 2, true, "r2"));
        ClientIdentity device = client("c1", "admin:a1998e", Map.of("tenant", "admin", "device", "a1998e"));

        assertThat(acl.canPublish(device, "admin:a1998e/attrs", 1, false)).isTrue();
        assertThat(acl.canSubscribe(device, "admin:a1998e/config", 1)).isTrue();
        // publish and subscribe rights are separate
        assertThat(acl.canSubscribe(device, "admin:a1998e/attrs", 0)).isFalse();
        assertThat(acl.canPublish(device, "admin:a1998e/config", 0, false)).isFalse();
        // other devices, other tenants, wildcards reaching beyond the own topic
        assertThat(acl.canPublish(device, "admin:other/attrs", 0, false)).isFalse();
        assertThat(acl.canPublish(device, "guest:a1998e/attrs", 0, false)).isFalse();
        assertThat(acl.canSubscribe(device, "+/config", 0)).isFalse();
        assertThat(acl.canSubscribe(device, "admin:a1998e/#", 0)).isFalse();
        assertThat(acl.canSubscribe(device, "#", 0)).isFalse();
        // a client without the attributes matches nothing
        assertThat(acl.canPublish(client("c2", "bob", Map.of()), "admin:a1998e/attrs", 0, false))
                .isFalse();
    }

    @Test
    void userAndClientIdTemplates() {
        AclAuthorizer acl = authorizer(AclRule.allow(Subject.EVERYONE, "users/%u/%c/#", true, true));
        ClientIdentity alice = client("sensor-1", "alice", Map.of());
        assertThat(acl.canPublish(alice, "users/alice/sensor-1/temp", 0, false)).isTrue();
        assertThat(acl.canSubscribe(alice, "users/alice/sensor-1/#", 0)).isTrue();
        assertThat(acl.canSubscribe(alice, "users/alice/+/x", 0)).isFalse();
        assertThat(acl.canPublish(alice, "users/bob/sensor-1/temp", 0, false)).isFalse();
        assertThat(acl.canPublish(client("sensor-1", null, Map.of()), "users//sensor-1/t", 0, false))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource({"a/+", "a/#", "+/#", "+/+", "#"})
    void aUserNameThatLooksLikeAWildcardNeverWidensATemplate(String user) {
        AclAuthorizer acl = authorizer(AclRule.allow(Subject.EVERYONE, "%u/data", true, true));
        ClientIdentity sneaky = client("c", user, Map.of());
        assertThat(acl.canSubscribe(sneaky, user + "/data", 0)).isFalse();
        assertThat(acl.canPublish(sneaky, "a/b/data", 0, false)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        // readable, filter, granted
        "a/b, a/b, true",
        "a/b, a/#, false",
        "a/b, a/+, false",
        "a/+, a/+, true",
        "a/#, a/+, true",
        "a/#, a/#, true",
        "a/#, a, true",
        "a/#, a/b/c/+, true",
        "a/+, a/+/c, false",
        "a/+, a/b, true",
        "+/b, a/b, true",
        "+/b, +/b, true",
        "+/b, #, false",
        "#, #, true",
        "#, +/+, true",
        "#, $SYS/#, false",
        "#, $SYS/broker/uptime, false",
        "+/broker/uptime, $SYS/broker/uptime, false",
        "$SYS/#, $SYS/broker/uptime, true",
        "$SYS/#, #, false",
    })
    void aFilterIsGrantedOnlyWhenEveryTopicItMatchesIsReadable(String readable, String filter, boolean granted) {
        AclAuthorizer acl = authorizer(AclRule.allow(Subject.EVERYONE, readable, false, true));
        assertThat(acl.canSubscribe(client("c", "u", Map.of()), filter, 0))
                .as("read %s, subscribe %s", readable, filter)
                .isEqualTo(granted);
    }

    @ParameterizedTest
    @CsvSource({
        // denied, filter, granted (with everything else readable)
        "a/secret, a/#, false",
        "a/secret, a/+, false",
        "a/secret, +/secret, false",
        "a/secret, a/public, true",
        "a/secret, #, false",
        "a/+/x, a/b/#, false",
        "a/+/x, a/b/y, true",
        "$SYS/#, #, true",
    })
    void aDenyRuleThatOverlapsAFilterRefusesIt(String denied, String filter, boolean granted) {
        AclAuthorizer acl = authorizer(
                AclRule.allow(Subject.EVERYONE, "#", true, true), AclRule.deny(Subject.EVERYONE, denied, true, true));
        assertThat(acl.canSubscribe(client("c", "u", Map.of()), filter, 0))
                .as("deny %s, subscribe %s", denied, filter)
                .isEqualTo(granted);
    }

    @Test
    void denyWinsOverAllowWhateverTheOrder() {
        AclAuthorizer acl = authorizer(
                AclRule.deny(Subject.EVERYONE, "a/secret", true, true),
                AclRule.allow(Subject.user("u"), "a/#", true, true));
        ClientIdentity u = client("c", "u", Map.of());
        assertThat(acl.canPublish(u, "a/secret", 0, false)).isFalse();
        assertThat(acl.canPublish(u, "a/open", 0, false)).isTrue();
    }

    @Test
    void publishingIntoSysIsRefusedEvenWhenARuleAllowsIt() {
        AclAuthorizer acl = authorizer(
                AclRule.allow(Subject.EVERYONE, "#", true, true),
                AclRule.allow(Subject.EVERYONE, "$SYS/#", true, true));
        ClientIdentity u = client("c", "u", Map.of());
        assertThat(acl.canPublish(u, "$SYS/broker/x", 0, false)).isFalse();
        assertThat(acl.canPublish(u, "$SYS", 0, false)).isFalse();
        assertThat(acl.canSubscribe(u, "$SYS/#", 0)).isTrue();
    }

    @Test
    void aLeadingWildcardRuleDoesNotReachDollarTopics() { // [MQTT-4.7.2-1]
        AclAuthorizer acl = authorizer(AclRule.allow(Subject.EVERYONE, "#", true, true));
        ClientIdentity u = client("c", "u", Map.of());
        assertThat(acl.canPublish(u, "$internal/x", 0, false)).isFalse();
        assertThat(acl.canPublish(u, "internal/x", 0, false)).isTrue();
    }

    @Test
    void maxQosAndRetainLimits() {
        AclAuthorizer acl =
                authorizer(new AclRule(false, true, true, Subject.EVERYONE, "telemetry/#", true, 1, false, "limits"));
        ClientIdentity u = client("c", "u", Map.of());
        assertThat(acl.canPublish(u, "telemetry/t", 1, false)).isTrue();
        assertThat(acl.canPublish(u, "telemetry/t", 2, false)).isFalse();
        assertThat(acl.canPublish(u, "telemetry/t", 0, true)).isFalse();
        assertThat(acl.canSubscribe(u, "telemetry/#", 1)).isTrue();
        assertThat(acl.canSubscribe(u, "telemetry/#", 2)).isFalse();
    }

    @Test
    void subjectsUserClientIdRoleAndCertificate() {
        AclRuleSet rules = new AclRuleSet(
                List.of(
                        AclRule.allow(Subject.user("alice"), "alice/#", true, true),
                        AclRule.allow(Subject.clientId("gw-1"), "gateways/gw-1/#", true, true),
                        AclRule.allow(Subject.role("operators"), "ops/#", true, true),
                        AclRule.allow(Subject.certificate("plant:press-7"), "plant/press-7/#", true, true),
                        AclRule.allow(Subject.ANONYMOUS, "public/#", false, true)),
                Map.of("bob", Set.of("operators")));
        AclAuthorizer acl = new AclAuthorizer(List.of(new ScopedRuleSet("t", rules, Set.of())));

        assertThat(acl.canPublish(client("x", "alice", Map.of()), "alice/a", 0, false))
                .isTrue();
        assertThat(acl.canPublish(client("x", "mallory", Map.of()), "alice/a", 0, false))
                .isFalse();
        assertThat(acl.canPublish(client("gw-1", "any", Map.of()), "gateways/gw-1/up", 0, false))
                .isTrue();
        assertThat(acl.canPublish(client("gw-2", "any", Map.of()), "gateways/gw-1/up", 0, false))
                .isFalse();
        assertThat(acl.canPublish(client("x", "bob", Map.of()), "ops/restart", 0, false))
                .isTrue();
        assertThat(acl.canPublish(client("x", "carol", Map.of("roles", "viewers, operators")), "ops/r", 0, false))
                .isTrue();
        assertThat(acl.canPublish(client("x", "carol", Map.of("roles", "viewers")), "ops/r", 0, false))
                .isFalse();
        assertThat(acl.canPublish(
                        client("x", "plant:press-7", Map.of("certificate", "plant:press-7")),
                        "plant/press-7/t",
                        0,
                        false))
                .isTrue();
        assertThat(acl.canPublish(client("x", "plant:press-7", Map.of()), "plant/press-7/t", 0, false))
                .isFalse();
        assertThat(acl.canSubscribe(client("x", null, Map.of()), "public/#", 0)).isTrue();
        assertThat(acl.canSubscribe(client("x", "alice", Map.of()), "public/#", 0))
                .isFalse();
    }

    @Test
    void sourcesScopedToAListenerApplyOnlyThere() {
        AclRuleSet open = new AclRuleSet(List.of(AclRule.allow(Subject.EVERYONE, "#", true, true)), Map.of());
        AclAuthorizer acl = new AclAuthorizer(List.of(new ScopedRuleSet("tls-only", open, Set.of("tls"))));
        assertThat(acl.canPublish(client("c", "u", Map.of(), "tls"), "a", 0, false))
                .isTrue();
        assertThat(acl.canPublish(client("c", "u", Map.of(), "tcp"), "a", 0, false))
                .isFalse();
    }

    @Test
    void updateSwapsTheRulesForTheNextCheck() {
        AclAuthorizer acl = authorizer(AclRule.allow(Subject.EVERYONE, "a/#", true, true));
        ClientIdentity u = client("c", "u", Map.of());
        assertThat(acl.canPublish(u, "a/b", 0, false)).isTrue();
        acl.update(List.of(new ScopedRuleSet(
                "t", new AclRuleSet(List.of(AclRule.allow(Subject.EVERYONE, "b/#", true, true)), Map.of()), Set.of())));
        assertThat(acl.canPublish(u, "a/b", 0, false)).isFalse();
        assertThat(acl.canPublish(u, "b/b", 0, false)).isTrue();
    }

    @Test
    void invalidFiltersAndTemplatesAreRefusedWithTheirOrigin() {
        assertThatThrownBy(() -> new AclRuleSet(
                        List.of(new AclRule(false, true, true, Subject.EVERYONE, "a/#/b", true, 2, true, "f:3")),
                        Map.of()))
                .hasMessageContaining("f:3")
                .hasMessageContaining("a/#/b");
        assertThatThrownBy(() -> new AclRuleSet(
                        List.of(new AclRule(false, true, true, Subject.EVERYONE, "x/${tenant", true, 2, true, "f:4")),
                        Map.of()))
                .hasMessageContaining("f:4");
    }
}
