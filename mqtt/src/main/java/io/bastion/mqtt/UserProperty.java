package io.bastion.mqtt;

import java.util.Objects;

/** An MQTT 5 User Property: a UTF-8 string pair; the same name may occur more than once. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
