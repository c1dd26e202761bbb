package io.bastion.server.client;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The MQTT version a client speaks; spelled on the command line like mosquitto's {@code -V}. */
public enum ProtocolVersion {
    MQTT_3_1_1,
    MQTT_5;

    /** Accepts {@code 5}, {@code mqttv5}, {@code 311} and {@code mqttv311}. */
    public static final class Converter implements ITypeConverter<ProtocolVersion> {
        @Override
        public ProtocolVersion convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "5", "mqttv5" -> MQTT_5;
                case "311", "mqttv311" -> MQTT_3_1_1;
                case "31", "mqttv31" -> throw new TypeConversionException("MQTT 3.1 is not supported; use 311 or 5");
                default -> throw new TypeConversionException("'" + value + "' is not an MQTT version; use 311 or 5");
            };
        }
    }
}
