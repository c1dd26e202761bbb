package io.bastion.security.acl;

import java.util.Objects;

/**
 * Whom a rule is for.
 *
 * @param kind the kind of match
 * @param value the user, client id, role or certificate identity; null for {@link Kind#EVERYONE} and {@link
 *     Kind#ANONYMOUS}
 */
public record Subject(Kind kind, String value) {
    public static final Subject EVERYONE = new Subject(Kind.EVERYONE, null);
    public static final Subject ANONYMOUS = new Subject(Kind.ANONYMOUS, null);

    public enum Kind {
        /** Every client. */
        EVERYONE,
        /** Clients without a user (Mosquitto's topic lines before the first {@code user} line). */
        ANONYMOUS,
        /** The user: the identity authentication established, else the CONNECT user name. */
        USER,
        /** The MQTT client identifier. */
        CLIENT_ID,
        /** A role (group) the client is in: by the rule source's role table or the identity's {@code roles}. */
        ROLE,
        /** The identity of a client certificate verified by a mutual-TLS listener. */
        CERTIFICATE
    }

    public Subject {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.EVERYONE || kind == Kind.ANONYMOUS) != (value == null)) {
            throw new IllegalArgumentException(kind + " subject " + (value == null ? "needs" : "takes no") + " value");
        }
    }

    public static Subject user(String user) {
        return new Subject(Kind.USER, user);
    }

    public static Subject clientId(String clientId) {
        return new Subject(Kind.CLIENT_ID, clientId);
    }

    public static Subject role(String role) {
        return new Subject(Kind.ROLE, role);
    }

    public static Subject certificate(String identity) {
        return new Subject(Kind.CERTIFICATE, identity);
    }

    @Override
    public String toString() {
        return value == null ? kind.name().toLowerCase(java.util.Locale.ROOT) : kind + " " + value;
    }
}
