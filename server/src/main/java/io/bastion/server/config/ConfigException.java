package io.bastion.server.config;

/**
 * A configuration that cannot be used. The message is one line meant for the operator, naming where the problem is
 * (file and line, or environment variable), the key path and what is wrong, e.g. {@code config error: bastion.yaml line
 * 7: limits.max_inflight: must be between 1 and 65535 (got 0)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String origin, String path, String problem) {
        super(format(origin, path, problem));
    }

    ConfigException(String origin, String path, String problem, Throwable cause) {
        super(format(origin, path, problem), cause);
    }

    /** A problem found after binding, e.g. in a file a key names; {@code path} is that key. */
    public static ConfigException at(String path, String problem, Throwable cause) {
        return new ConfigException("", path, problem, cause);
    }

    private static String format(String origin, String path, String problem) {
        StringBuilder line = new StringBuilder("config error: ");
        if (origin != null && !origin.isEmpty()) {
            line.append(origin).append(": ");
        }
        if (path != null && !path.isEmpty()) {
            line.append(path).append(": ");
        }
        return line.append(problem).toString();
    }
}
