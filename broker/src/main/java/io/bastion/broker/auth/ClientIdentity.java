package io.bastion.broker.auth;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Who a connected client is, as authorization sees it.
 *
 * @param identity what authentication established (user name, certificate identity, device id); may
 *     be null for anonymous clients
 * @param attributes named parts of the identity for ACL templates (e.g. tenant, device)
 */
public record ClientIdentity(
        String clientId,
        String username,
        String identity,
        InetSocketAddress remoteAddress,
        String listenerName,
        Map<String, String> attributes) {

    /** The attribute holding the enhanced-authentication method (e.g. SCRAM-SHA-256) a client authenticated with. */
    public static final String AUTHENTICATION_METHOD_ATTRIBUTE = "authentication_method";

    public ClientIdentity {
        attributes = Map.copyOf(attributes);
    }
}
