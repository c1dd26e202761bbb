package io.bastion.broker.auth;

import io.bastion.mqtt.ReasonCode;

/**
 * The outcome of authenticating a CONNECT.
 *
 * @param reasonCode SUCCESS, or the CONNACK reason (0x86, 0x87, 0x8A, ...) when refused
 * @param identity who the client is for authorization (user name, certificate identity, ...)
 * @param explanation why, for the log line; never contains a secret
 */
public record AuthDecision(ReasonCode reasonCode, String identity, String explanation) {

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
