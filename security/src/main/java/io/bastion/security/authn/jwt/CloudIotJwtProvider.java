package io.bastion.security.authn.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.WatchedFile;
import io.bastion.security.authn.AuthenticationProvider;
import io.bastion.security.authn.Verdict;
import io.bastion.security.authn.registry.Device;
import io.bastion.security.authn.registry.DeviceCredential;
import io.bastion.security.authn.registry.DeviceRegistry;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Per-device JWTs, the Google Cloud IoT Core scheme: the client id is the device path, the password a JWT signed
 * RS256 or ES256 by one of the device's registered keys, with {@code aud} = the project id, {@code iat} and {@code
 * exp} at most 24 hours apart ({@code iat} may lie up to the clock skew in the future, for devices whose clock is
 * ahead). The connection ends when the token expires. Client ids of another shape are passed
 * on; everything else wrong is refused.
 */
public final class CloudIotJwtProvider implements AuthenticationProvider {
    static final Duration MAX_LIFETIME = Duration.ofHours(24);

    private final WatchedFile<DeviceRegistry> registry;
    private final Duration clockSkew;
    private final Executor verifier;
    private final Clock clock;

    public CloudIotJwtProvider(
            WatchedFile<DeviceRegistry> registry, Duration clockSkew, Executor verifier, Clock clock) {
        this.registry = registry;
        this.clockSkew = clockSkew;
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "jwt";
    }

    @Override
    public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
        CloudIotDevicePath path = CloudIotDevicePath.parse(credentials.clientId());
        if (path == null) {
            return CompletableFuture.completedFuture(Verdict.ignore("client id is not a Cloud IoT device path"));
        }
        Device device = registry.current().device(path.path());
        if (device == null) {
            return done(Verdict.deny(ReasonCode.NOT_AUTHORIZED, "device " + path.path() + " is not registered"));
        }
        if (credentials.password() == null) {
            return done(Verdict.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "no JWT in the password field"));
        }
        String token = new String(credentials.password(), StandardCharsets.UTF_8);
        return CompletableFuture.supplyAsync(() -> verify(path, device, token), verifier);
    }

    private static CompletionStage<Verdict> done(Verdict verdict) {
        return CompletableFuture.completedFuture(verdict);
    }

    private Verdict verify(CloudIotDevicePath path, Device device, String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return bad("the password is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
            return bad("JWT algorithm " + alg + " (only RS256 and ES256 are accepted)");
        }
        Instant now = clock.instant();
        if (!signedByADeviceKey(jwt, device, alg, now)) {
            return bad("JWT signature matches no current " + alg + " key of device " + path.path());
        }
        if (!claims.getAudience().equals(java.util.List.of(path.project()))) {
            return bad("JWT aud " + claims.getAudience() + " is not the project " + path.project());
        }
        if (claims.getIssueTime() == null || claims.getExpirationTime() == null) {
            return bad("JWT without iat or exp");
        }
        Instant iat = claims.getIssueTime().toInstant();
        Instant exp = claims.getExpirationTime().toInstant();
        if (iat.isAfter(now.plus(clockSkew))) {
            return bad("JWT issued in the future (iat " + iat + ")");
        }
        if (!exp.isAfter(now)) { // no skew here: the connection is closed at exp anyway
            return bad("JWT expired at " + exp);
        }
        if (Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            return bad("JWT lifetime from iat " + iat + " to exp " + exp + " is longer than 24 h");
        }
        return Verdict.allow(new AuthDecision(
                ReasonCode.SUCCESS,
                path.path(),
                path.attributes(),
                "JWT of device " + path.path() + " valid until " + exp,
                exp));
    }

    /** The device is still registered with at least one current public key. */
    @Override
    public boolean stillValid(ClientIdentity client) {
        Device device = client.identity() == null ? null : registry.current().device(client.identity());
        if (device == null) {
            return false;
        }
        Instant now = clock.instant();
        return device.credentials().stream().anyMatch(c -> c.format().isPublicKey() && c.isValidAt(now));
    }

    private static boolean signedByADeviceKey(SignedJWT jwt, Device device, JWSAlgorithm alg, Instant now) {
        for (DeviceCredential credential : device.credentials()) {
            if (!credential.format().isPublicKey()
                    || credential.format().isRsa() != JWSAlgorithm.RS256.equals(alg)
                    || !credential.isValidAt(now)) {
                continue;
            }
            try {
                JWSVerifier verifier = credential.format().isRsa()
                        ? new RSASSAVerifier((RSAPublicKey) credential.publicKey())
                        : new ECDSAVerifier((ECPublicKey) credential.publicKey());
                if (jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key nimbus cannot use (e.g. RSA below 2048 bits) matches nothing
            }
        }
        return false;
    }

    private static Verdict bad(String reason) {
        return Verdict.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, reason);
    }

    @Override
    public void close() {
        registry.close();
    }
}
