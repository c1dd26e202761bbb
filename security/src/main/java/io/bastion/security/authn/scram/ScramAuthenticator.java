package io.bastion.security.authn.scram;

import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.broker.auth.EnhancedAuthenticator;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.WatchedFile;
import io.bastion.security.authn.AuthenticationMetrics;
import io.bastion.security.authn.AuthenticationMetrics.Outcome;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 enhanced authentication (section 4.12) with one SCRAM mechanism: the client's first message comes in the
 * CONNECT (or an AUTH 0x19 for re-authentication), the server's first in AUTH 0x18, the client's final in AUTH
 * 0x18, the server's final in the CONNACK (or AUTH 0x00). Credentials come from a SCRAM credential file.
 */
public final class ScramAuthenticator implements EnhancedAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(ScramAuthenticator.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramMechanism mechanism;
    private final WatchedFile<ScramFile> file;
    private final Set<String> listeners;
    private final AuthenticationMetrics metrics;
    /** Keys the stand-in salts of unknown users, so they look the same on every attempt. */
    private final byte[] unknownUserSecret = new byte[32];

    public ScramAuthenticator(
            ScramMechanism mechanism,
            WatchedFile<ScramFile> file,
            Set<String> listeners,
            AuthenticationMetrics metrics) {
        this.mechanism = mechanism;
        this.file = file;
        this.listeners = Set.copyOf(listeners);
        this.metrics = metrics;
        RANDOM.nextBytes(unknownUserSecret);
    }

    @Override
    public String method() {
        return mechanism.method();
    }

    /**
     * Whether a client that authenticated with this mechanism still has a credential for it in the file; clients of
     * other methods are not judged here. Answers from memory.
     */
    public boolean stillValid(ClientIdentity client) {
        if (!method().equals(client.attributes().get(ClientIdentity.AUTHENTICATION_METHOD_ATTRIBUTE))) {
            return true;
        }
        return client.identity() != null && file.current().credential(client.identity(), mechanism) != null;
    }

    @Override
    public Exchange begin(ClientCredentials credentials) {
        if (!listeners.isEmpty() && !listeners.contains(credentials.listenerName())) {
            return data -> fail(
                    credentials,
                    ReasonCode.BAD_AUTHENTICATION_METHOD,
                    method() + " is not offered on listener " + credentials.listenerName());
        }
        return new ScramExchange(credentials);
    }

    private CompletionStage<Step> fail(ClientCredentials credentials, ReasonCode code, String why) {
        metrics.increment(method(), Outcome.DENY);
        log.info(
                "client {} from {}: {} refused: {}",
                credentials.clientId(),
                credentials.remoteAddress(),
                method(),
                why);
        return CompletableFuture.completedFuture(new Step(code, null, null));
    }

    /** One exchange: client-first, then client-final; anything else fails it. */
    private final class ScramExchange implements Exchange {
        private final ClientCredentials credentials;
        private ScramMessages.ClientFirst first;
        private String serverFirst;
        private ScramCredential credential;
        private boolean userKnown;
        private boolean done;

        ScramExchange(ClientCredentials credentials) {
            this.credentials = credentials;
        }

        @Override
        public CompletionStage<Step> step(byte[] clientData) {
            if (done) {
                return fail(credentials, ReasonCode.PROTOCOL_ERROR, "SCRAM message after the exchange ended");
            }
            try {
                return first == null ? clientFirst(clientData) : clientFinal(clientData);
            } catch (IllegalArgumentException e) {
                done = true;
                return fail(credentials, ReasonCode.NOT_AUTHORIZED, "malformed SCRAM message: " + e.getMessage());
            }
        }

        private CompletionStage<Step> clientFirst(byte[] data) {
            first = ScramMessages.ClientFirst.parse(data);
            credential = file.current().credential(first.user(), mechanism);
            userKnown = credential != null;
            if (!userKnown) {
                // answer like for a known user, so the exchange does not tell which users exist (RFC 5802 s. 9)
                byte[] salt = mechanism.hmac(unknownUserSecret, ScramMechanism.bytes(first.user()));
                byte[] random = new byte[mechanism.hash(new byte[0]).length];
                RANDOM.nextBytes(random);
                credential = new ScramCredential(mechanism, 4096, salt, random, random);
            }
            serverFirst = ScramMessages.serverFirst(first.nonce() + ScramMessages.nonce(RANDOM), credential);
            return CompletableFuture.completedFuture(
                    new Step(ReasonCode.CONTINUE_AUTHENTICATION, ScramMechanism.bytes(serverFirst), null));
        }

        private CompletionStage<Step> clientFinal(byte[] data) {
            done = true;
            ScramMessages.ClientFinal last = ScramMessages.ClientFinal.parse(data, first, serverFirst);
            String authMessage = first.bare() + "," + serverFirst + "," + last.withoutProof();
            byte[] signature = mechanism.hmac(credential.storedKey(), ScramMechanism.bytes(authMessage));
            byte[] clientKey = last.proof().clone();
            if (clientKey.length != signature.length) {
                return fail(credentials, ReasonCode.BAD_USER_NAME_OR_PASSWORD, "proof of the wrong length");
            }
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] ^= signature[i];
            }
            boolean proven = java.security.MessageDigest.isEqual(mechanism.hash(clientKey), credential.storedKey());
            if (!userKnown || !proven) {
                return fail(
                        credentials,
                        ReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        userKnown ? "wrong password for user " + first.user() : "unknown user " + first.user());
            }
            metrics.increment(method(), Outcome.ALLOW);
            byte[] serverSignature = mechanism.hmac(credential.serverKey(), ScramMechanism.bytes(authMessage));
            return CompletableFuture.completedFuture(new Step(
                    ReasonCode.SUCCESS,
                    ScramMechanism.bytes("v=" + java.util.Base64.getEncoder().encodeToString(serverSignature)),
                    first.user()));
        }
    }
}
