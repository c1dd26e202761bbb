package io.bastion.server.config;

import io.bastion.transport.TransportSettings;

/** Binds {@code transport}: settings shared by every listener. */
final class TransportSection {
    private TransportSection() {}

    static TransportSettings bind(ConfigSection root) {
        TransportSettings d = TransportSettings.defaults();
        ConfigSection transport = root.section("transport");
        int ioThreads = transport.integer("io_threads", d.ioThreads(), 0, 1024);
        int high = transport.integer(
                "write_buffer_high_water_mark", d.writeBufferHighWaterMark(), 1024, Integer.MAX_VALUE);
        int low = transport.integer("write_buffer_low_water_mark", d.writeBufferLowWaterMark(), 0, Integer.MAX_VALUE);
        if (low > high) {
            throw transport.error(
                    "write_buffer_low_water_mark",
                    "must not be greater than transport.write_buffer_high_water_mark (" + low + " > " + high + ")");
        }
        return new TransportSettings(ioThreads, high, low);
    }
}
