package io.bastion.security.authn.sas;

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
import io.bastion.security.authn.registry.KeyFormat;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Azure IoT Hub SAS tokens in the password field: the client id is the device id, the token's {@code sr} must be
 * {@code {hostname}/devices/{device id}} and its signature an HMAC-SHA256, with one of the device's symmetric keys,
 * of {@code url-encoded(sr) + "\n" + se}. The connection ends at {@code se}. Passwords that are not SAS tokens are
 * passed on.
 */
public final class SasTokenProvider implements AuthenticationProvider {
    private final WatchedFile<DeviceRegistry> registry;
    private final String hostname;
    private final Clock clock;

    /**
     * @param hostname the host name tokens must be scoped to (the hub's name); null accepts any host
     */
    public SasTokenProvider(WatchedFile<DeviceRegistry> registry, String hostname, Clock clock) {
        this.registry = registry;
        this.hostname = hostname == null ? null : hostname.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    @Override
    public String type() {
        return "sas";
    }

    @Override
    public CompletionStage<Verdict> authenticate(ClientCredentials credentials) {
        return CompletableFuture.completedFuture(verify(credentials));
    }

    private Verdict verify(ClientCredentials credentials) {
        String password =
                credentials.password() == null ? "" : new String(credentials.password(), StandardCharsets.UTF_8);
        if (!SasToken.looksLikeOne(password)) {
            return Verdict.ignore("the password is not a SAS token");
        }
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        String deviceId = credentials.clientId();
        if (token.policy() != null) {
            return bad("SAS token of shared access policy " + token.policy() + " (only device keys are accepted)");
        }
        String scope = token.resource().toLowerCase(Locale.ROOT);
        int devices = scope.indexOf("/devices/");
        String host = devices < 0 ? scope : scope.substring(0, devices);
        if (devices < 0
                || !token.resource().substring(devices + "/devices/".length()).equals(deviceId)
                || (hostname != null && !hostname.equals(host))) {
            return bad("SAS token scoped to " + token.resource() + ", not to device " + deviceId
                    + (hostname == null ? "" : " of " + hostname));
        }
        Instant now = clock.instant();
        Instant expiry = Instant.ofEpochSecond(token.expiry());
        if (!expiry.isAfter(now)) {
            return bad("SAS token expired at " + expiry);
        }
        Device device = registry.current().device(deviceId);
        if (device == null) {
            return Verdict.deny(ReasonCode.NOT_AUTHORIZED, "device " + deviceId + " is not registered");
        }
        if (!signedByADeviceKey(token, device, now)) {
            return bad("SAS token signature matches no current symmetric key of device " + deviceId);
        }
        return Verdict.allow(new AuthDecision(
                ReasonCode.SUCCESS,
                deviceId,
                Map.of("scheme", "azure-sas", "device", deviceId, "hub", host),
                "SAS token of device " + deviceId + " valid until " + expiry,
                expiry));
    }

    /** The device is still registered with at least one current symmetric key. */
    @Override
    public boolean stillValid(ClientIdentity client) {
        Device device = client.identity() == null ? null : registry.current().device(client.identity());
        if (device == null) {
            return false;
        }
        Instant now = clock.instant();
        return device.credentials().stream().anyMatch(c -> !c.format().isPublicKey() && c.isValidAt(now));
    }

    private static boolean signedByADeviceKey(SasToken token, Device device, Instant now) {
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(token.signature());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // the signer signed sr as it encoded it; other encoders differ in details, so Java's form is tried too
        Set<String> signedForms = new LinkedHashSet<>();
        signedForms.add(token.rawResource());
        signedForms.add(URLEncoder.encode(token.resource(), StandardCharsets.UTF_8));
        boolean match = false;
        for (DeviceCredential credential : device.credentials()) {
            if (credential.format() != KeyFormat.SYMMETRIC_KEY || !credential.isValidAt(now)) {
                continue;
            }
            for (String resource : signedForms) {
                byte[] expected = hmacSha256(credential.symmetricKey(), resource + "\n" + token.expiry());
                match |= MessageDigest.isEqual(expected, presented);
            }
        }
        return match;
    }

    static byte[] hmacSha256(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static Verdict bad(String reason) {
        return Verdict.deny(ReasonCode.BAD_USER_NAME_OR_PASSWORD, reason);
    }

    @Override
    public void close() {
        registry.close();
    }
}
