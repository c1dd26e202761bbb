package io.bastion.broker.control;

import io.bastion.broker.auth.ClientIdentity;
import io.bastion.mqtt.ReasonCode;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** A connected client the control API can act on; every method may be called from any thread. */
public interface ControlledClient {

    ClientInfo info();

    /** Disconnects the client: v5 clients get DISCONNECT with {@code reason} first. */
    void kick(ReasonCode reason, String why);

    /**
     * On the client's event loop: disconnects it with 0x87 when {@code credentialsValid} refuses its identity,
     * otherwise removes every subscription the authorizer no longer allows.
     *
     * @return the number of subscriptions removed, or -1 when the client was disconnected
     */
    CompletionStage<Integer> recheck(Predicate<ClientIdentity> credentialsValid);
}
