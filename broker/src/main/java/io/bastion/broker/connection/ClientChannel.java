package io.bastion.broker.connection;

import io.bastion.broker.auth.CertificateIdentity;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.packet.MqttPacket;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;

/**
 * What the broker needs of a network connection. Implemented by the transport; every method is
 * called on {@link #executor()}, the connection's event loop.
 */
public interface ClientChannel {

    /** The single thread that owns this connection and, while attached, its session. */
    EventExecutor executor();

    InetSocketAddress remoteAddress();

    /** Name of the listener the client came through, for logs and limits. */
    String listenerName();

    /** The identity of the client's verified TLS certificate; null on plain transports or without one. */
    default CertificateIdentity certificateIdentity() {
        return null;
    }

    /** Queues a packet; it is sent on the next {@link #flush()}. */
    void write(MqttPacket packet);

    void flush();

    /**
     * Flushes once the event loop has run the tasks it has now: packets written by many tasks (the
     * acknowledgements one store commit releases) then leave in one write.
     */
    default void flushSoon() {
        flush();
    }

    /** False while the client reads slower than the broker writes (outbound buffer above its high mark). */
    boolean isWritable();

    /**
     * Stops or resumes reading from the socket (backpressure: the broker pauses a publisher while the
     * sessions it feeds are behind). Bytes already read are still decoded.
     */
    void reading(boolean on);

    /** The version the encoder uses from now on and the largest packet the decoder accepts. */
    void negotiated(MqttVersion version, int maximumPacketSize);

    /** Flushes what is queued, then closes the socket. */
    void close();
}
