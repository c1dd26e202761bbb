package io.bastion.server.mosquitto;

/**
 * One {@code listener PORT [ADDRESS]} with the options that follow it, or the default listener of the old global
 * {@code port} / {@code bind_address} form.
 *
 * @param declaration the {@code listener} line; null for the default listener
 * @param port the TCP port
 * @param address the address to bind; null for every interface
 * @param options listener options, and security options when {@code per_listener_settings true}
 */
record MosquittoListener(Directive declaration, int port, String address, Options options) {

    boolean isDefault() {
        return declaration == null;
    }
}
