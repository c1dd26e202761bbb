package io.bastion.security.authn;

import io.bastion.broker.auth.AuthDecision;
import io.bastion.mqtt.ReasonCode;
import java.util.Objects;

/**
 * One provider's answer: it accepts the client, refuses it, or has no say (the chain asks the next provider).
 *
 * @param decision the decision when the provider decided (allow or deny); null for {@link Kind#IGNORE}
 * @param reason why, for the log line; never contains a secret
 */
public record Verdict(Kind kind, AuthDecision decision, String reason) {

    public enum Kind {
        ALLOW,
        DENY,
        IGNORE
    }

    public Verdict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if ((kind == Kind.IGNORE) != (decision == null)) {
            throw new IllegalArgumentException(kind + " with decision " + decision);
        }
    }

    public static Verdict allow(AuthDecision decision) {
        if (!decision.allowed()) {
            throw new IllegalArgumentException("not an allowing decision: " + decision);
        }
        return new Verdict(Kind.ALLOW, decision, decision.explanation());
    }

    public static Verdict deny(ReasonCode code, String reason) {
        return new Verdict(Kind.DENY, AuthDecision.deny(code, reason), reason);
    }

    public static Verdict ignore(String reason) {
        return new Verdict(Kind.IGNORE, null, reason);
    }
}
