package io.bastion.server.cli;

import io.bastion.broker.BrokerSettings.AnonymousAccess;
import io.bastion.server.config.BindAddresses;
import io.bastion.transport.MqttServer.BoundListener;
import java.util.ArrayList;
import java.util.List;

/** What {@code serve} tells the operator at start-up: what listens where, how it is secured, and what is risky. */
final class StartupReport {
    private StartupReport() {}

    /** One line per listener, e.g. {@code bastion 0.1.0 listening on mqtt://127.0.0.1:1883 (listener tcp, ...)}. */
    static List<String> listening(String version, List<BoundListener> listeners, AnonymousAccess anonymous) {
        List<String> lines = new ArrayList<>();
        for (BoundListener listener : listeners) {
            lines.add("bastion " + version + " listening on mqtt://" + hostPort(listener) + " (listener "
                    + listener.settings().name() + ", plain TCP, " + describe(anonymous) + ")");
        }
        return lines;
    }

    /** Exposures worth a warning: anonymous access that anyone on the network can use. */
    static List<String> warnings(List<BoundListener> listeners, AnonymousAccess anonymous) {
        List<String> warnings = new ArrayList<>();
        for (BoundListener listener : listeners) {
            String bind = listener.settings().bindAddress();
            if (anonymous == AnonymousAccess.ALLOW && !BindAddresses.isLoopback(bind)) {
                warnings.add("listener " + listener.settings().name() + " on " + hostPort(listener)
                        + " accepts anonymous clients from the network (security.anonymous: allow): anyone who can"
                        + " reach this port can publish and subscribe to every topic");
            }
        }
        return warnings;
    }

    static String describe(AnonymousAccess anonymous) {
        switch (anonymous) {
            case LOOPBACK:
                return "anonymous clients from loopback only";
            case ALLOW:
                return "anonymous clients allowed";
            default:
                return "anonymous clients refused";
        }
    }

    private static String hostPort(BoundListener listener) {
        String host = listener.settings().bindAddress();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + listener.address().getPort();
    }
}
