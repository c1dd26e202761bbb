package io.bastion.security.authn.jwt;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cloud IoT Core device path as MQTT client id: {@code
 * projects/{project}/locations/{region}/registries/{registry}/devices/{device}}.
 */
public record CloudIotDevicePath(String project, String region, String registry, String device) {
    private static final Pattern PATH =
            Pattern.compile("projects/([^/]+)/locations/([^/]+)/registries/([^/]+)/devices/([^/]+)");

    /** The path's parts, or null when {@code clientId} is not such a path. */
    public static CloudIotDevicePath parse(String clientId) {
        Matcher m = clientId == null ? null : PATH.matcher(clientId);
        if (m == null || !m.matches()) {
            return null;
        }
        return new CloudIotDevicePath(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    public String path() {
        return "projects/" + project + "/locations/" + region + "/registries/" + registry + "/devices/" + device;
    }

    /** Named parts for ACL templates, and the marker {@link CloudIotDeviceTopics} recognizes. */
    public Map<String, String> attributes() {
        return Map.of(
                "scheme", CloudIotDeviceTopics.SCHEME,
                "project", project,
                "region", region,
                "registry", registry,
                "device", device);
    }
}
