package io.bastion.server.mosquitto;

import io.bastion.server.mosquitto.ListenerMapping.Mapped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the {@code security} section: who may connect anonymously, the authentication chain (client certificates,
 * the password file, anonymous clients of some listeners) and the ACL files — per listener when {@code
 * per_listener_settings true}.
 */
final class SecurityMapping {
    /** An entry of {@code security.authentication} or {@code security.authorization}. */
    private record Entry(String type, String key, String value, Directive from, List<String> listeners) {}

    private final YamlText yaml;

    SecurityMapping(YamlText yaml) {
        this.yaml = yaml;
    }

    void write(MosquittoConf conf, List<Mapped> listeners) {
        yaml.open(0, "security", null);
        List<Entry> authentication = new ArrayList<>();
        for (Mapped l : listeners) {
            if (l.x509Identity() != null) {
                authentication.add(new Entry("x509", "identity", l.x509Identity(), l.x509From(), List.of(l.name())));
            }
        }
        authentication.addAll(files(conf, listeners, "password_file"));
        writeAnonymous(conf, listeners, authentication);
        writeList("authentication", authentication);
        List<Entry> acls = files(conf, listeners, "acl_file");
        writeList("authorization", acls);
        writeOpenListeners(conf, listeners, acls);
    }

    /**
     * With per-listener ACL files, a listener without one allows everything in Mosquitto; Bastion refuses
     * everything on a listener no ACL source covers, so such listeners get an allow-all rule of their own.
     */
    private void writeOpenListeners(MosquittoConf conf, List<Mapped> listeners, List<Entry> acls) {
        if (!conf.perListenerSettings() || acls.isEmpty()) {
            return;
        }
        List<String> covered =
                acls.stream().flatMap(e -> e.listeners().stream()).toList();
        List<String> open = listeners.stream()
                .map(Mapped::name)
                .filter(name -> !covered.contains(name))
                .toList();
        if (open.isEmpty()) {
            return;
        }
        yaml.comment(2, "no acl_file on these listeners: Mosquitto allows every topic there");
        yaml.item(2, "type", "rules", null);
        yaml.entry(3, "listeners", open, null);
        yaml.open(3, "rules", null);
        yaml.item(4, "topics", List.of("#", "$SYS/#"), null);
    }

    private void writeAnonymous(MosquittoConf conf, List<Mapped> listeners, List<Entry> authentication) {
        Optional<Directive> global = conf.global().get("allow_anonymous");
        if (listeners.isEmpty()) {
            Optional<Boolean> allow = conf.global().bool("allow_anonymous");
            if (allow.isEmpty()) {
                yaml.entry(
                        1,
                        "anonymous",
                        "loopback",
                        null,
                        "Mosquitto's local-only mode: anonymous clients from this" + " machine");
            } else {
                yaml.entry(1, "anonymous", allow.get() ? "allow" : "deny", global.get());
            }
            return;
        }
        List<Mapped> allowing = new ArrayList<>();
        for (Mapped l : listeners) {
            Options scope = conf.perListenerSettings() ? l.source().options() : conf.global();
            if (scope.bool("allow_anonymous").orElse(false)) {
                allowing.add(l);
            }
        }
        if (allowing.size() == listeners.size()) {
            yaml.entry(
                    1,
                    "anonymous",
                    "allow",
                    global.orElse(null),
                    conf.perListenerSettings() ? "allow_anonymous true on every listener" : null);
        } else if (allowing.isEmpty()) {
            yaml.entry(
                    1,
                    "anonymous",
                    "deny",
                    global.orElse(null),
                    global.isPresent() ? null : "allow_anonymous defaults to false when a listener is configured");
        } else {
            yaml.entry(1, "anonymous", "deny", null, "anonymous clients only on the listeners of the anonymous entry");
            List<String> names = allowing.stream().map(Mapped::name).toList();
            Directive first =
                    allowing.get(0).source().options().get("allow_anonymous").get();
            authentication.add(new Entry("anonymous", null, null, first, names));
        }
    }

    /** One entry per file; with per_listener_settings, scoped to the listeners that name that file. */
    private static List<Entry> files(MosquittoConf conf, List<Mapped> listeners, String option) {
        String type = option; // password_file and acl_file are Bastion's type names too
        if (!conf.perListenerSettings()) {
            return conf.global()
                    .string(option)
                    .map(path -> List.of(new Entry(
                            type, "path", path, conf.global().get(option).get(), List.of())))
                    .orElse(List.of());
        }
        Map<String, Entry> byPath = new LinkedHashMap<>();
        for (Mapped l : listeners) {
            Options o = l.source().options();
            o.string(option).ifPresent(path -> {
                Entry entry = byPath.computeIfAbsent(
                        path, p -> new Entry(type, "path", p, o.get(option).get(), new ArrayList<>()));
                entry.listeners().add(l.name());
            });
        }
        return List.copyOf(byPath.values());
    }

    private void writeList(String key, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        yaml.open(1, key, null);
        for (Entry e : entries) {
            yaml.item(2, "type", e.type(), e.from());
            if (e.key() != null) {
                yaml.entry(3, e.key(), e.value(), null);
            }
            if (!e.listeners().isEmpty()) {
                yaml.entry(3, "listeners", e.listeners(), null);
            }
        }
    }
}
