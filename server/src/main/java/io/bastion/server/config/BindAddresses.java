package io.bastion.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a bind address means for exposure, decided without DNS look-ups. */
public final class BindAddresses {
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    private BindAddresses() {}

    /** Every interface: reachable from the network. */
    public static boolean isWildcard(String bind) {
        String address = bind.trim();
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]") || address.equals("*");
    }

    /** Only this machine can connect; host names other than {@code localhost} are not trusted to be loopback. */
    public static boolean isLoopback(String bind) {
        String address = bind.trim().toLowerCase(Locale.ROOT);
        if (address.equals("localhost")) {
            return true;
        }
        boolean ipLiteral = IPV4_LITERAL.matcher(address).matches() || address.contains(":");
        if (!ipLiteral) {
            return false;
        }
        try {
            // an IP literal is parsed, never resolved
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
