package io.bastion.server.mosquitto;

/**
 * A {@code connection NAME} section: a bridge to another broker, with the options that follow it.
 *
 * @param connection the {@code connection} line
 * @param options the bridge options
 */
record MosquittoBridge(Directive connection, Options options) {

    String name() {
        return connection.value();
    }
}
