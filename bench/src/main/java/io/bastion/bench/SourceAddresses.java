package io.bastion.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Local addresses the generator binds its sockets to, round robin, so that many connections to one
 * broker port are not limited by the kernel's ephemeral ports of a single source address. Written as a
 * comma-separated list of addresses or IPv4 ranges whose last octet varies, e.g. {@code 127.0.0.1-127.0.0.50}.
 */
public final class SourceAddresses {
    private final List<InetSocketAddress> addresses;

    private SourceAddresses(List<InetSocketAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    public static SourceAddresses none() {
        return new SourceAddresses(List.of());
    }

    public static SourceAddresses parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return none();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String p = part.trim();
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    out.add(new InetSocketAddress(InetAddress.getByName(p), 0));
                    continue;
                }
                byte[] from = InetAddress.getByName(p.substring(0, dash).trim()).getAddress();
                byte[] to = InetAddress.getByName(p.substring(dash + 1).trim()).getAddress();
                if (from.length != 4 || to.length != 4 || from[0] != to[0] || from[1] != to[1] || from[2] != to[2]) {
                    throw new IllegalArgumentException(
                            "source address range \"" + p + "\" must be IPv4 differing only in the last octet");
                }
                int first = from[3] & 0xFF;
                int last = to[3] & 0xFF;
                if (last < first) {
                    throw new IllegalArgumentException("source address range \"" + p + "\" is empty");
                }
                for (int i = first; i <= last; i++) {
                    byte[] a = from.clone();
                    a[3] = (byte) i;
                    out.add(new InetSocketAddress(InetAddress.getByAddress(a), 0));
                }
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("source address \"" + p + "\": " + e.getMessage(), e);
            }
        }
        return new SourceAddresses(out);
    }

    public int size() {
        return addresses.size();
    }

    /** The local address for the {@code n}-th connection, or {@code null} to let the kernel choose. */
    public InetSocketAddress forConnection(int n) {
        return addresses.isEmpty() ? null : addresses.get(Math.floorMod(n, addresses.size()));
    }
}
