package io.bastion.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bastion.broker.BrokerMetrics;
import io.bastion.broker.control.ClientInfo;
import io.bastion.broker.control.ConnectedClients;
import io.bastion.broker.control.ConnectedClients.RecheckOutcome;
import io.bastion.mqtt.ReasonCode;
import io.bastion.security.SecurityControl;
import io.bastion.security.SecurityMetrics;
import io.bastion.security.limits.Ban;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The admin API's resources, independent of HTTP framing: a method, a decoded path and a body in, a status and a
 * JSON document out. Every error is a JSON object {@code {"error": "..."}} with a fitting status.
 */
public final class AdminApi {
    static final String PREFIX = "/api/v1/";

    /** A response: an HTTP status and a JSON body (null for 204). */
    public record Response(int status, JsonNode body) {}

    private final ObjectMapper json = new ObjectMapper();
    private final ConnectedClients clients;
    private final BrokerMetrics brokerMetrics;
    private final SecurityControl security;
    private final Clock clock;

    public AdminApi(ConnectedClients clients, BrokerMetrics brokerMetrics, SecurityControl security, Clock clock) {
        this.clients = clients;
        this.brokerMetrics = brokerMetrics;
        this.security = security;
        this.clock = clock;
    }

    /**
     * Handles one request.
     *
     * @param segments the decoded path segments after {@code /api/v1/}
     */
    public CompletionStage<Response> handle(String method, List<String> segments, byte[] body) {
        try {
            return route(method, segments, body);
        } catch (BadRequest e) {
            return done(error(400, e.getMessage()));
        }
    }

    private CompletionStage<Response> route(String method, List<String> path, byte[] body) {
        String resource = path.isEmpty() ? "" : path.get(0);
        switch (resource) {
            case "clients" -> {
                if (path.size() == 1) {
                    return method.equals("GET") ? done(ok(clientList())) : notAllowed("GET");
                }
                if (path.size() == 2) {
                    return switch (method) {
                        case "GET" ->
                            done(clients.get(path.get(1))
                                    .map(c -> ok(client(c)))
                                    .orElseGet(() -> notConnected(path.get(1))));
                        case "DELETE" -> done(kick(path.get(1)));
                        default -> notAllowed("GET, DELETE");
                    };
                }
            }
            case "bans" -> {
                if (path.size() == 1) {
                    return switch (method) {
                        case "GET" -> done(ok(banList()));
                        case "POST" -> addBan(body);
                        default -> notAllowed("GET, POST");
                    };
                }
                if (path.size() == 3) {
                    return method.equals("DELETE") ? done(removeBan(path.get(1), path.get(2))) : notAllowed("DELETE");
                }
            }
            case "security" -> {
                if (path.size() == 2 && path.get(1).equals("reload")) {
                    return method.equals("POST") ? reload() : notAllowed("POST");
                }
                if (path.size() == 2 && path.get(1).equals("metrics")) {
                    return method.equals("GET") ? done(ok(metrics())) : notAllowed("GET");
                }
            }
            default -> {}
        }
        return done(error(404, "no such resource: " + PREFIX + String.join("/", path)));
    }

    // ---- clients

    private ArrayNode clientList() {
        ArrayNode list = json.createArrayNode();
        for (ClientInfo c : clients.list()) {
            list.add(client(c));
        }
        return list;
    }

    private ObjectNode client(ClientInfo c) {
        ObjectNode n = json.createObjectNode();
        n.put("client_id", c.clientId());
        n.put("username", c.username());
        n.put("identity", c.identity());
        ObjectNode attributes = n.putObject("attributes");
        c.attributes().forEach(attributes::put);
        n.put("listener", c.listenerName());
        n.put(
                "remote_address",
                c.remoteAddress() == null
                        ? null
                        : c.remoteAddress().getAddress().getHostAddress());
        n.put("remote_port", c.remoteAddress() == null ? 0 : c.remoteAddress().getPort());
        n.put(
                "protocol_version",
                c.protocolVersion() == null ? null : c.protocolVersion().toString());
        n.put("connected_since", Instant.ofEpochMilli(c.connectedSinceMillis()).toString());
        return n;
    }

    private Response kick(String clientId) {
        if (!clients.kick(clientId, ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator")) {
            return notConnected(clientId);
        }
        ObjectNode n = json.createObjectNode();
        n.put("client_id", clientId);
        n.put("disconnected", true);
        n.put("reason_code", ReasonCode.ADMINISTRATIVE_ACTION.value());
        return ok(n);
    }

    private Response notConnected(String clientId) {
        return error(404, "no client connected with client id \"" + clientId + "\"");
    }

    // ---- bans

    private ArrayNode banList() {
        ArrayNode list = json.createArrayNode();
        for (Ban b : security.bans().list()) {
            list.add(ban(b));
        }
        return list;
    }

    private ObjectNode ban(Ban b) {
        ObjectNode n = json.createObjectNode();
        n.put("kind", b.kind().name().toLowerCase(Locale.ROOT));
        n.put("value", b.value());
        n.put("reason", b.reason());
        n.put("created_at", b.createdAt().toString());
        n.put("expires_at", b.expiresAt() == null ? null : b.expiresAt().toString());
        return n;
    }

    private CompletionStage<Response> addBan(byte[] body) {
        JsonNode request = parse(body);
        Ban.Kind kind = kind(text(request, "kind", true));
        String value = text(request, "value", true);
        String reason = text(request, "reason", false);
        Instant now = clock.instant();
        Instant expires = expiry(request, now);
        Ban ban;
        try {
            ban = new Ban(kind, value, reason, now, expires);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return security.ban(ban).thenApply(outcome -> {
            ObjectNode n = ban(ban);
            n.put("clients_disconnected", outcome.disconnected());
            return new Response(201, n);
        });
    }

    private Instant expiry(JsonNode request, Instant now) {
        String duration = text(request, "duration", false);
        String expiresAt = text(request, "expires_at", false);
        if (duration != null && expiresAt != null) {
            throw new BadRequest("give duration or expires_at, not both");
        }
        try {
            if (duration != null) {
                Duration d = Duration.parse("PT" + duration.toUpperCase(Locale.ROOT));
                if (d.isNegative() || d.isZero()) {
                    throw new BadRequest("duration must be positive");
                }
                return now.plus(d);
            }
            return expiresAt == null ? null : Instant.parse(expiresAt);
        } catch (DateTimeParseException e) {
            throw new BadRequest("duration must look like 30s, 15m or 12h and expires_at like 2026-12-01T00:00:00Z");
        }
    }

    private Response removeBan(String kind, String value) {
        if (!security.unban(kind(kind), value)) {
            return error(404, "no ban on " + kind + " \"" + value + "\"");
        }
        return new Response(204, null);
    }

    private static Ban.Kind kind(String kind) {
        for (Ban.Kind k : Ban.Kind.values()) {
            if (k.name().equalsIgnoreCase(kind)) {
                return k;
            }
        }
        throw new BadRequest("kind must be address, client_id or user (got \"" + kind + "\")");
    }

    // ---- security

    private CompletionStage<Response> reload() {
        return security.reload().thenApply(outcome -> {
            ObjectNode n = json.createObjectNode();
            n.put("rules_changed", outcome.rulesChanged());
            recheck(n, outcome.recheck());
            return ok(n);
        });
    }

    private static void recheck(ObjectNode n, RecheckOutcome outcome) {
        n.put("clients_checked", outcome.clients());
        n.put("clients_disconnected", outcome.disconnected());
        n.put("subscriptions_removed", outcome.subscriptionsRemoved());
    }

    private ObjectNode metrics() {
        SecurityMetrics m = security.metrics();
        ObjectNode n = json.createObjectNode();
        n.put("auth_failures", m.authFailures.sum());
        n.put("refused_backing_off", m.refusedBackingOff.sum());
        n.put("refused_connection_rate", m.refusedConnectionRate.sum());
        n.put("refused_banned", m.refusedBanned.sum());
        n.put("backoffs_started", m.backoffsStarted.sum());
        n.put("acl_reloads", m.aclReloads.sum());
        n.put("acl_reload_failures", m.aclReloadFailures.sum());
        n.put("publish_denied", brokerMetrics.publishDenied.sum());
        n.put("subscribe_denied", brokerMetrics.subscribeDenied.sum());
        n.put("subscriptions_revoked", brokerMetrics.subscriptionsRevoked.sum());
        n.put("connects_refused", brokerMetrics.connectsRefused.sum());
        return n;
    }

    // ---- helpers

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadRequest("a JSON object is required as the request body");
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw new BadRequest("the request body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BadRequest("the request body is not valid JSON");
        }
    }

    private static String text(JsonNode request, String field, boolean required) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadRequest("\"" + field + "\" is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadRequest("\"" + field + "\" must be a string");
        }
        return v.textValue();
    }

    private Response ok(JsonNode body) {
        return new Response(200, body);
    }

    Response error(int status, String message) {
        ObjectNode n = json.createObjectNode();
        n.put("error", message);
        return new Response(status, n);
    }

    private CompletionStage<Response> notAllowed(String allowed) {
        return done(error(405, "method not allowed here; allowed: " + allowed));
    }

    private static CompletionStage<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    /** A request the API cannot act on; becomes 400 with the message. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
