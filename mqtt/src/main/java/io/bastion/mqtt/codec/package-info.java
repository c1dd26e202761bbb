/**
 * The MQTT 3.1, 3.1.1 and 5.0 wire codec: {@link io.bastion.mqtt.codec.MqttDecoder} cuts a byte
 * stream into packets and {@link io.bastion.mqtt.codec.MqttEncoder} writes them, both without I/O.
 *
 * <p>Every rejection is an {@link io.bastion.mqtt.MqttCodecException} whose reason code follows
 * section 4.13.1 of MQTT 5: <b>Malformed Packet</b> when the bytes cannot be read as the packet
 * (bad fixed-header flags, Remaining Length, lengths that overrun, ill-formed UTF-8, unknown or
 * misplaced property identifiers, reserved bits, reason codes a packet type does not define);
 * <b>Protocol Error</b> when the packet reads fine but holds something the protocol forbids (packet
 * id 0, a wildcard in a Topic Name, a repeated single-valued property, an out-of-range property
 * value, an empty SUBSCRIBE); <b>Unsupported Protocol Version</b> for an unknown CONNECT protocol
 * name or level; <b>Packet Too Large</b> as soon as a Remaining Length exceeds the limit. Where a
 * statement of the spec names the class explicitly, that class is used.
 *
 * <p>Checks that need connection state are not made here: Topic Alias mapping and maximum, a
 * second CONNECT, packet id reuse, Receive Maximum, and a client's DISCONNECT Session Expiry
 * Interval versus its CONNECT. (A server decoder without a version refuses anything but CONNECT,
 * as it cannot read other packets.)
 */
package io.bastion.mqtt.codec;
