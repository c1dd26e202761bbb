package io.bastion.server.mosquitto;

import java.util.List;

/**
 * A parsed {@code mosquitto.conf}: the broker-wide options, the listeners (the default listener first, when the old
 * {@code port} form is used) and the bridges.
 *
 * @param perListenerSettings {@code per_listener_settings true}: security options belong to each listener
 * @param global broker-wide options, and security options unless {@code perListenerSettings}
 * @param listeners the listeners; empty means Mosquitto's local-only mode (loopback, port 1883)
 * @param bridges the {@code connection} sections
 */
record MosquittoConf(
        boolean perListenerSettings, Options global, List<MosquittoListener> listeners, List<MosquittoBridge> bridges) {

    MosquittoConf {
        listeners = List.copyOf(listeners);
        bridges = List.copyOf(bridges);
    }
}
