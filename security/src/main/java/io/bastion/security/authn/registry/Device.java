package io.bastion.security.authn.registry;

import java.util.List;

/**
 * A registered device and its credentials.
 *
 * @param name the device's name: for the JWT scheme the Cloud IoT path {@code
 *     projects/P/locations/R/registries/G/devices/D}, for SAS tokens the device id
 */
public record Device(String name, List<DeviceCredential> credentials) {
    /** Cloud IoT Core's limit of keys per device. */
    public static final int MAX_CREDENTIALS = 3;

    public Device {
        credentials = List.copyOf(credentials);
    }
}
