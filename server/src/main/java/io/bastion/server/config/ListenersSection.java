package io.bastion.server.config;

import io.bastion.transport.ListenerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code listeners}: a list of sockets; absent means one plain TCP listener on 127.0.0.1:1883. */
final class ListenersSection {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ListenersSection() {}

    static List<ListenerSettings> bind(ConfigSection root) {
        Optional<List<ConfigSection>> sections = root.sectionList("listeners");
        if (sections.isEmpty()) {
            return List.of(ListenerSettings.defaultTcp());
        }
        if (sections.get().isEmpty()) {
            throw root.error("listeners", "at least one listener is needed");
        }
        List<ListenerSettings> listeners = new ArrayList<>();
        List<ConfigSection> bound = new ArrayList<>();
        for (ConfigSection section : sections.get()) {
            ListenerSettings listener = bindOne(section, listeners.size());
            checkUnique(section, listener, listeners, bound);
            listeners.add(listener);
            bound.add(section);
        }
        return List.copyOf(listeners);
    }

    private static ListenerSettings bindOne(ConfigSection section, int index) {
        ListenerSettings defaults = ListenerSettings.defaultTcp();
        String defaultName = index == 0 ? defaults.name() : defaults.name() + "-" + (index + 1);
        String name = section.string("name", defaultName);
        if (!NAME.matcher(name).matches()) {
            throw section.error(
                    "name", "must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit (got \""
                            + name + "\")");
        }
        String bind = section.string("bind", defaults.bindAddress()).trim();
        if (bind.isEmpty() || bind.chars().anyMatch(Character::isWhitespace)) {
            throw section.error("bind", "must be an IP address or host name (got \"" + bind + "\")");
        }
        int port = section.integer("port", defaults.port(), 0, 65_535);
        return new ListenerSettings(name, bind, port);
    }

    private static void checkUnique(
            ConfigSection section,
            ListenerSettings listener,
            List<ListenerSettings> earlier,
            List<ConfigSection> earlierSections) {
        for (int i = 0; i < earlier.size(); i++) {
            ListenerSettings other = earlier.get(i);
            if (other.name().equals(listener.name())) {
                throw section.error(
                        "name",
                        "duplicate listener name \"" + listener.name() + "\" (also " + earlierSections.get(i).path()
                                + ")");
            }
            if (listener.port() != 0 && listener.port() == other.port() && overlaps(listener, other)) {
                throw section.error(
                        "port",
                        "port " + listener.port() + " is already used by listener \"" + other.name() + "\" ("
                                + earlierSections.get(i).path() + ")");
            }
        }
    }

    /** Two binds clash on one port when they name the same address or one of them is every interface. */
    private static boolean overlaps(ListenerSettings a, ListenerSettings b) {
        return a.bindAddress().equalsIgnoreCase(b.bindAddress())
                || BindAddresses.isWildcard(a.bindAddress())
                || BindAddresses.isWildcard(b.bindAddress());
    }
}
