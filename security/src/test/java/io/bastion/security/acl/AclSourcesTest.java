package io.bastion.security.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.broker.auth.ClientIdentity;
import io.bastion.security.SecurityMetrics;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ACL files polled for changes: an edit is applied once it has stopped changing, a forced reload at once. */
class AclSourcesTest {
    @TempDir
    Path dir;

    private static final ClientIdentity CAROL =
            new ClientIdentity("carol-1", "carol", "carol", new InetSocketAddress("127.0.0.1", 40000), "tcp", Map.of());

    private static AclSources sources(Path file) {
        return new AclSources(List.of(new AclSource.MosquittoFile(file, Set.of())), new SecurityMetrics());
    }

    @Test
    void aPolledEditIsAppliedOnlyOnceTwoPollsSeeTheSameVersion() throws Exception {
        Path file = dir.resolve("acl");
        Files.writeString(file, "user carol\ntopic read feed/#\ntopic read control/#\n");
        AclSources acl = sources(file);
        // caught half-written: a valid file that would revoke control/# which the finished edit keeps
        Files.writeString(file, "user carol\ntopic read feed/a\n");
        assertThat(acl.reload(false)).isFalse();
        Files.writeString(file, "user carol\ntopic read feed/a\ntopic read control/#\n");
        assertThat(acl.reload(false)).as("changed again since the last poll").isFalse();
        assertThat(acl.authorizer().canSubscribe(CAROL, "feed/#", 0))
                .as("old rules still in force")
                .isTrue();
        assertThat(acl.reload(false)).as("unchanged for a whole interval").isTrue();
        assertThat(acl.authorizer().canSubscribe(CAROL, "feed/#", 0)).isFalse();
        assertThat(acl.authorizer().canSubscribe(CAROL, "control/x", 0)).isTrue();
        assertThat(acl.reload(false)).isFalse();
    }

    @Test
    void aForcedReloadAppliesAtOnce() throws Exception {
        Path file = dir.resolve("acl");
        Files.writeString(file, "user carol\ntopic read feed/#\n");
        AclSources acl = sources(file);
        Files.writeString(file, "user carol\ntopic read control/#\n");
        assertThat(acl.reload(true)).isTrue();
        assertThat(acl.authorizer().canSubscribe(CAROL, "control/x", 0)).isTrue();
    }
}
