package io.bastion.transport;

/**
 * Settings shared by every listener.
 *
 * @param ioThreads event loop threads; 0 means one per available processor
 * @param writeBufferHighWaterMark bytes queued for a client before it counts as slow: QoS 0 messages to it are
 *     dropped (and counted) and QoS 1/2 messages wait in its session queue
 * @param writeBufferLowWaterMark bytes below which a slow client counts as writable again
 */
public record TransportSettings(int ioThreads, int writeBufferHighWaterMark, int writeBufferLowWaterMark) {

    public static TransportSettings defaults() {
        return new TransportSettings(0, 256 * 1024, 128 * 1024);
    }
}
