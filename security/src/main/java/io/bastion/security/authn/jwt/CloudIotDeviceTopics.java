package io.bastion.security.authn.jwt;

import io.bastion.broker.auth.Authorizer;
import io.bastion.broker.auth.ClientIdentity;

/**
 * The default topic rights of a device authenticated by the Cloud IoT Core JWT scheme: it may publish {@code
 * /devices/D/events}, {@code /devices/D/events/...} and {@code /devices/D/state}, and subscribe {@code
 * /devices/D/config} and {@code /devices/D/commands/#} (or narrower filters under it) — nothing else, unless
 * an ACL grants more. Other clients are judged by {@code others}.
 */
public final class CloudIotDeviceTopics implements Authorizer {
    /** The value of the {@code scheme} attribute of devices authenticated this way. */
    public static final String SCHEME = "cloud-iot";

    private final Authorizer others;
    private final boolean othersWiden;

    /** Devices get only their default topics; {@code others} judges every other client. */
    public CloudIotDeviceTopics(Authorizer others) {
        this(others, false);
    }

    /** With {@code othersWiden} (an ACL is configured), devices may also do what {@code others} allows them. */
    public CloudIotDeviceTopics(Authorizer others, boolean othersWiden) {
        this.others = others;
        this.othersWiden = othersWiden;
    }

    /** The device id when {@code client} is a Cloud IoT device, else null. */
    private static String device(ClientIdentity client) {
        return SCHEME.equals(client.attributes().get("scheme"))
                ? client.attributes().get("device")
                : null;
    }

    @Override
    public boolean canPublish(ClientIdentity client, String topic, int qos, boolean retain) {
        String device = device(client);
        if (device == null) {
            return others.canPublish(client, topic, qos, retain);
        }
        String base = "/devices/" + device + "/";
        return topic.equals(base + "events")
                || topic.startsWith(base + "events/")
                || topic.equals(base + "state")
                || (othersWiden && others.canPublish(client, topic, qos, retain));
    }

    @Override
    public boolean canSubscribe(ClientIdentity client, String topicFilter, int qos) {
        String device = device(client);
        if (device == null) {
            return others.canSubscribe(client, topicFilter, qos);
        }
        String base = "/devices/" + device + "/";
        // the prefix has no wildcard, so every topic such a filter matches lies under commands/
        return topicFilter.equals(base + "config")
                || topicFilter.equals(base + "commands")
                || topicFilter.startsWith(base + "commands/")
                || (othersWiden && others.canSubscribe(client, topicFilter, qos));
    }
}
