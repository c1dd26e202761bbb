package io.bastion.broker.auth;

import io.bastion.mqtt.ReasonCode;
import java.time.Instant;
import java.util.Map;

/**
 * The outcome of authenticating a CONNECT.
 *
 * @param reasonCode SUCCESS, or the CONNACK reason (0x86, 0x87, 0x8A, ...) when refused
 * @param identity who the client is for authorization (user name, certificate identity, ...)
 * @param attributes named parts of the identity for ACL templates; empty when none
 * @param explanation why, for the log line; never contains a secret
 * @param expiresAt when the credential stops being valid (e.g. a JWT's {@code exp}): the broker closes the
 *     connection then, so the client reconnects with a fresh one; null = never
 */
public record AuthDecision(
        ReasonCode reasonCode, String identity, Map<String, String> attributes, String explanation, Instant expiresAt) {

    public AuthDecision {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public AuthDecision(ReasonCode reasonCode, String identity, Map<String, String> attributes, String explanation) {
        this(reasonCode, identity, attributes, explanation, null);
    }

    public AuthDecision(ReasonCode reasonCode, String identity, String explanation) {
        this(reasonCode, identity, Map.of(), explanation);
    }

    public static AuthDecision allow(String identity) {
        return new AuthDecision(ReasonCode.SUCCESS, identity, "allowed");
    }

    public static AuthDecision deny(ReasonCode reasonCode, String explanation) {
        return new AuthDecision(reasonCode, null, explanation);
    }

    public boolean allowed() {
        return reasonCode == ReasonCode.SUCCESS;
    }
}
