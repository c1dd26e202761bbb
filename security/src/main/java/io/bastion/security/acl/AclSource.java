package io.bastion.security.acl;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where rules come from: a Mosquitto ACL file (re-read when it changes) or rules written in the configuration. */
public sealed interface AclSource {

    /** The listener names the source is for; empty means every listener. */
    Set<String> listeners();

    /** A Mosquitto {@code acl_file}. */
    record MosquittoFile(Path path, Set<String> listeners) implements AclSource {
        public MosquittoFile {
            listeners = Set.copyOf(listeners);
        }
    }

    /**
     * Rules written in the configuration.
     *
     * @param rolesOfUser role membership: user -> roles
     * @param origin where they were written, for log lines (e.g. {@code security.authorization[1]})
     */
    record Rules(List<AclRule> rules, Map<String, Set<String>> rolesOfUser, Set<String> listeners, String origin)
            implements AclSource {
        public Rules {
            rules = List.copyOf(rules);
            rolesOfUser = Map.copyOf(rolesOfUser);
            listeners = Set.copyOf(listeners);
        }
    }
}
