package io.bastion.broker.auth;

import io.bastion.mqtt.ReasonCode;
import java.util.Map;

/**
 * The outcome of authenticating a CONNECT.
 *
 * @param reasonCode SUCCESS, or the CONNACK reason (0x86, 0x87, 0x8A, ...) when refused
 * @param identity who the client is for authorization (user name, certificate identity, ...)
 * @param attributes named parts of the identity for ACL templates; empty when none
 * @param explanation why, for the log line; never contains a secret
 */
public record AuthDecision(ReasonCode reasonCode, String identity, Map<String, String> attributes, String explanation) {

    public AuthDecision {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
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
