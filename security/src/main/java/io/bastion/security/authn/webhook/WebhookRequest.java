package io.bastion.security.authn.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.mqtt.MqttVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The body of an authentication request, EMQX style: configured fields whose values may hold placeholders —
 * {@code ${clientid}}, {@code ${username}}, {@code ${password}}, {@code ${peerhost}}, {@code ${cert_common_name}},
 * {@code ${protocol}} (e.g. {@code MQTT 5.0}) and {@code ${listener}} — sent as JSON or as a form.
 */
public final class WebhookRequest {
    /** The fields sent when none are configured. */
    public static final Map<String, String> DEFAULT_FIELDS = Map.of(
            "clientid", "${clientid}",
            "username", "${username}",
            "password", "${password}",
            "peerhost", "${peerhost}",
            "cert_common_name", "${cert_common_name}",
            "protocol", "${protocol}");

    public enum Format {
        JSON,
        FORM
    }

    private static final List<String> KNOWN =
            List.of("clientid", "username", "password", "peerhost", "cert_common_name", "protocol", "listener");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> fields;
    private final Format format;

    /**
     * @throws IllegalArgumentException when a field uses an unknown placeholder
     */
    public WebhookRequest(Map<String, String> fields, Format format) {
        this.fields = new LinkedHashMap<>(fields);
        this.format = format;
        for (String value : fields.values()) {
            Matcher m = PLACEHOLDER.matcher(value);
            while (m.find()) {
                if (!KNOWN.contains(m.group(1))) {
                    throw new IllegalArgumentException(
                            "unknown placeholder ${" + m.group(1) + "} (known: " + String.join(", ", KNOWN) + ")");
                }
            }
        }
    }

    public String contentType() {
        return format == Format.JSON ? "application/json" : "application/x-www-form-urlencoded";
    }

    /** The body for this client; it contains the password, so it is never logged. */
    public String body(ClientCredentials credentials) {
        Map<String, String> rendered = new LinkedHashMap<>();
        fields.forEach((name, template) -> rendered.put(name, render(template, credentials)));
        if (format == Format.FORM) {
            return rendered.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
        }
        try {
            return JSON.writeValueAsString(rendered);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static String render(String template, ClientCredentials credentials) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value = value(m.group(1), credentials);
            m.appendReplacement(b, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String value(String placeholder, ClientCredentials c) {
        return switch (placeholder) {
            case "clientid" -> c.clientId();
            case "username" -> c.username();
            case "password" -> c.password() == null ? null : new String(c.password(), StandardCharsets.UTF_8);
            case "peerhost" ->
                c.remoteAddress() == null || c.remoteAddress().getAddress() == null
                        ? null
                        : c.remoteAddress().getAddress().getHostAddress();
            case "cert_common_name" -> c.certificateIdentity();
            case "protocol" -> c.version() == null ? null : protocol(c.version());
            case "listener" -> c.listenerName();
            default -> null;
        };
    }

    private static String protocol(MqttVersion version) {
        return switch (version) {
            case V3_1 -> "MQTT 3.1";
            case V3_1_1 -> "MQTT 3.1.1";
            case V5 -> "MQTT 5.0";
        };
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
