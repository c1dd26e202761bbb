package io.bastion.security.authn.sas;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed Azure shared access signature: {@code SharedAccessSignature sr={uri}&sig={sig}&se={expiry}[&skn={policy}]}
 * (the fields in any order).
 *
 * @param rawResource the {@code sr} value as sent (URL-encoded): what the signer signed
 * @param resource {@code sr} decoded, e.g. {@code myhub.azure-devices.net/devices/dev-1}
 * @param signature {@code sig} decoded (base64 text)
 * @param expiry {@code se}, seconds since the epoch
 * @param policy {@code skn}, or null
 */
public record SasToken(String rawResource, String resource, String signature, long expiry, String policy) {
    static final String PREFIX = "SharedAccessSignature ";

    /** Whether {@code password} looks like a SAS token at all. */
    static boolean looksLikeOne(String password) {
        return password.startsWith(PREFIX);
    }

    /**
     * @throws IllegalArgumentException naming the missing or malformed field (never the signature)
     */
    static SasToken parse(String password) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : password.substring(PREFIX.length()).strip().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("SAS token field without a name or '='");
            }
            if (fields.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("SAS token repeats field " + pair.substring(0, eq));
            }
        }
        String sr = required(fields, "sr");
        String sig = required(fields, "sig");
        String se = required(fields, "se");
        long expiry;
        try {
            expiry = Long.parseLong(se);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SAS token se is not a number of seconds", e);
        }
        String skn = fields.get("skn");
        return new SasToken(sr, decode(sr), decode(sig), expiry, skn == null ? null : decode(skn));
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("SAS token without " + name);
        }
        return value;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SasToken[" + resource + " until " + expiry + "]";
    }
}
