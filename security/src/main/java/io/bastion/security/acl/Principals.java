package io.bastion.security.acl;

import io.bastion.broker.auth.ClientIdentity;

/** How rules read a {@link ClientIdentity}: who "the user" is, and the certificate identity. */
public final class Principals {
    /** The attribute under which the broker passes the identity of a verified client certificate. */
    public static final String CERTIFICATE_ATTRIBUTE = "certificate";
    /** The attribute an authentication provider may set to a comma-separated list of roles. */
    public static final String ROLES_ATTRIBUTE = "roles";

    private Principals() {}

    /**
     * The user for authorization: the identity authentication established, else the CONNECT user name; null for an
     * anonymous client.
     */
    public static String user(ClientIdentity client) {
        return client.identity() != null ? client.identity() : client.username();
    }

    public static String certificate(ClientIdentity client) {
        return client.attributes().get(CERTIFICATE_ATTRIBUTE);
    }
}
