package io.bastion.security.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bastion.broker.auth.ClientIdentity;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MosquittoAclFileTest {
    /** The example of mosquitto.conf(5) and the aclfile.example Mosquitto ships, with a deny added. */
    private static final String EXAMPLE = """
            # This affects access control for clients with no username.
            topic read $SYS/#

            # This only affects clients with username "roger".
            user roger
            topic foo/bar
            topic write sensors/%u/in

              # indented comment
            user sue
            topic read sensors/#
            topic deny sensors/secret
            topic readwrite has space/x

            # This affects all clients.
            pattern write $SYS/broker/connection/%c/state
            pattern readwrite devices/%u/#
            pattern read commands/%c
            """;

    private static AclAuthorizer acl(String text) {
        return new AclAuthorizer(List.of(
                new ScopedRuleSet("acl", new AclRuleSet(MosquittoAclFile.parse(text, "acl"), Map.of()), Set.of())));
    }

    private static ClientIdentity client(String clientId, String user) {
        return new ClientIdentity(clientId, user, null, new InetSocketAddress("127.0.0.1", 1), "tcp", Map.of());
    }

    @Test
    void topicLinesBeforeTheFirstUserAreForAnonymousClients() {
        AclAuthorizer acl = acl(EXAMPLE);
        assertThat(acl.canSubscribe(client("c", null), "$SYS/#", 0)).isTrue();
        assertThat(acl.canSubscribe(client("c", "roger"), "$SYS/#", 0)).isFalse();
        assertThat(acl.canPublish(client("c", null), "$SYS/x", 0, false)).isFalse();
    }

    @Test
    void userSections() {
        AclAuthorizer acl = acl(EXAMPLE);
        ClientIdentity roger = client("r", "roger");
        assertThat(acl.canPublish(roger, "foo/bar", 0, false)).isTrue();
        assertThat(acl.canSubscribe(roger, "foo/bar", 0)).isTrue();
        // %u in a topic line is literal text
        assertThat(acl.canPublish(roger, "sensors/%u/in", 0, false)).isTrue();
        assertThat(acl.canPublish(roger, "sensors/roger/in", 0, false)).isFalse();
        assertThat(acl.canSubscribe(roger, "sensors/%u/in", 0)).isFalse();
        ClientIdentity sue = client("s", "sue");
        assertThat(acl.canSubscribe(sue, "sensors/temp", 0)).isTrue();
        assertThat(acl.canPublish(sue, "sensors/temp", 0, false)).isFalse();
        assertThat(acl.canSubscribe(sue, "sensors/secret", 0)).isFalse();
        assertThat(acl.canSubscribe(sue, "sensors/#", 0)).isFalse(); // it would include sensors/secret
        assertThat(acl.canPublish(sue, "has space/x", 0, false)).isTrue();
        assertThat(acl.canPublish(sue, "foo/bar", 0, false)).isFalse();
    }

    @Test
    void patternLinesAreForEveryClientWithSubstitution() {
        AclAuthorizer acl = acl(EXAMPLE);
        ClientIdentity sue = client("sue-phone", "sue");
        assertThat(acl.canPublish(sue, "devices/sue/x/y", 1, false)).isTrue();
        assertThat(acl.canSubscribe(sue, "devices/sue/#", 1)).isTrue();
        assertThat(acl.canPublish(sue, "devices/roger/x", 1, false)).isFalse();
        assertThat(acl.canSubscribe(sue, "commands/sue-phone", 1)).isTrue();
        assertThat(acl.canSubscribe(sue, "commands/+", 1)).isFalse();
        // a pattern with %u matches nothing for an anonymous client
        assertThat(acl.canPublish(client("c", null), "devices//x", 0, false)).isFalse();
        // patterns never grant publishing into $SYS
        assertThat(acl.canPublish(sue, "$SYS/broker/connection/sue-phone/state", 0, false))
                .isFalse();
    }

    @Test
    void badLinesNameTheLine() {
        assertThatThrownBy(() -> MosquittoAclFile.parse("user a\ntopik read x\n", "/etc/acl"))
                .hasMessageContaining("/etc/acl:2")
                .hasMessageContaining("topik");
        assertThatThrownBy(() -> MosquittoAclFile.parse("topic read\n", "f"))
                .hasMessageContaining("f:1")
                .hasMessageContaining("without a topic");
        assertThatThrownBy(() -> MosquittoAclFile.parse("user\n", "f")).hasMessageContaining("f:1");
        assertThatThrownBy(() -> MosquittoAclFile.parse("topic a/#/b\n", "f")).hasMessageContaining("f:1");
    }
}
