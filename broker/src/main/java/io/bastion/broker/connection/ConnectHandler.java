package io.bastion.broker.connection;

import io.bastion.broker.Message;
import io.bastion.broker.auth.AuthDecision;
import io.bastion.broker.auth.CertificateIdentity;
import io.bastion.broker.auth.ClientCredentials;
import io.bastion.broker.auth.ClientIdentity;
import io.bastion.broker.auth.EnhancedAuthenticator;
import io.bastion.broker.session.Session;
import io.bastion.mqtt.MqttCodecException;
import io.bastion.mqtt.MqttProperties;
import io.bastion.mqtt.MqttVersion;
import io.bastion.mqtt.ReasonCode;
import io.bastion.mqtt.Topics;
import io.bastion.mqtt.codec.Utf8;
import io.bastion.mqtt.packet.Auth;
import io.bastion.mqtt.packet.ConnAck;
import io.bastion.mqtt.packet.Connect;
import io.bastion.mqtt.packet.Will;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT to CONNACK (section 3.1, 3.2 and 4.12): validation, negotiated limits, authentication
 * (plain or enhanced), then the session is opened or taken over.
 */
final class ConnectHandler {
    /** The attribute that carries a verified client certificate's identity to the authorizer. */
    static final String CERTIFICATE_ATTRIBUTE = "certificate";

    private static final Logger log = LoggerFactory.getLogger(ConnectHandler.class);

    private final MqttConnection c;
    private boolean assignedClientId;
    private long requestedExpiry;
    private int requestedKeepAlive;
    private EnhancedAuthenticator.Exchange exchange;
    private byte[] finalAuthData;

    ConnectHandler(MqttConnection connection) {
        this.c = connection;
    }

    void connect(Connect connect) {
        MqttVersion v = connect.version();
        c.version = v;
        c.connect = connect;
        c.state = MqttConnection.State.CONNECTING;
        c.channel.negotiated(v, c.settings.maximumPacketSize());
        if (!acceptClientId(connect)
                || !acceptCertificateIdentity(connect)
                || !acceptKeepAlive(connect)
                || !acceptWill(connect)) {
            return;
        }
        if (c.broker.metrics().clientsConnected.get() >= c.settings.maximumConnections()) {
            c.refuse(
                    v,
                    v.isV5() ? ReasonCode.QUOTA_EXCEEDED : ReasonCode.SERVER_UNAVAILABLE,
                    "maximum connections reached");
            return;
        }
        MqttProperties p = connect.properties();
        requestedExpiry = v.isV5()
                ? (p.sessionExpiryInterval() == null ? 0 : p.sessionExpiryInterval())
                : (connect.cleanStart() ? 0 : c.settings.maximumSessionExpiry());
        c.sessionExpiry = Math.min(requestedExpiry, c.settings.maximumSessionExpiry());
        if (p.receiveMaximum() != null) {
            c.clientReceiveMaximum = p.receiveMaximum();
        }
        if (p.maximumPacketSize() != null) {
            c.clientMaximumPacketSize = p.maximumPacketSize();
        }
        if (p.topicAliasMaximum() != null && p.topicAliasMaximum() > 0) {
            c.aliasesOut = new TopicAliasSender(p.topicAliasMaximum());
        }
        if (c.settings.topicAliasMaximum() > 0 && v.isV5()) {
            c.aliasesIn = new TopicAliasReceiver(c.settings.topicAliasMaximum());
        }
        c.problemInformation = p.requestProblemInformation() == null || p.requestProblemInformation() == 1;
        ClientCredentials credentials = credentials();
        if (p.authenticationMethod() != null) {
            EnhancedAuthenticator method = c.broker.enhancedAuthenticator(p.authenticationMethod());
            if (method == null) {
                c.refuse(
                        v,
                        ReasonCode.BAD_AUTHENTICATION_METHOD,
                        "unknown authentication method " + p.authenticationMethod());
                return;
            }
            c.authenticationMethod = p.authenticationMethod();
            exchange = method.begin(credentials);
            step(exchange.step(p.authenticationData()), false);
            return;
        }
        CompletionStage<AuthDecision> decision = c.broker.authenticator().authenticate(credentials);
        decision.whenComplete((d, error) -> c.channel.executor().execute(() -> authenticated(d, error)));
    }

    private ClientCredentials credentials() {
        Connect connect = c.connect;
        CertificateIdentity certificate = c.channel.certificateIdentity();
        return new ClientCredentials(
                c.clientId,
                username(),
                connect.password(),
                c.channel.remoteAddress(),
                c.channel.listenerName(),
                connect.version(),
                certificate == null ? null : certificate.identity(),
                certificate == null ? null : certificate.certificate());
    }

    /** The CONNECT's user name, or the certificate identity when the listener uses it as the user name. */
    private String username() {
        CertificateIdentity certificate = c.channel.certificateIdentity();
        return certificate != null && certificate.useAsUsername() ? certificate.identity() : c.connect.username();
    }

    /** A listener may require the client id to be the certificate identity; an empty one becomes it. */
    private boolean acceptCertificateIdentity(Connect connect) {
        CertificateIdentity certificate = c.channel.certificateIdentity();
        if (certificate == null || !certificate.mustMatchClientId()) {
            return true;
        }
        if (assignedClientId) {
            c.clientId = certificate.identity();
            return true;
        }
        if (!certificate.identity().equals(c.clientId)) {
            c.refuse(
                    connect.version(),
                    ReasonCode.NOT_AUTHORIZED,
                    "client id \"" + c.clientId + "\" is not the certificate identity \"" + certificate.identity()
                            + "\"");
            return false;
        }
        return true;
    }

    private boolean acceptClientId(Connect connect) {
        String id = connect.clientId();
        MqttVersion v = connect.version();
        if (id.isEmpty()) {
            if (v == MqttVersion.V3_1) {
                c.refuse(v, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "MQTT 3.1 requires a client identifier");
                return false;
            }
            if (v == MqttVersion.V3_1_1 && !connect.cleanStart()) {
                c.refuse(
                        v,
                        ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "empty client identifier needs Clean Session [MQTT-3.1.3-8]");
                return false;
            }
            id = "auto-" + UUID.randomUUID(); // [MQTT-3.1.3-6], [MQTT-3.2.2-16]
            assignedClientId = true;
        } else if (id.length() > c.settings.maximumClientIdLength()) {
            c.refuse(
                    v,
                    ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client identifier longer than " + c.settings.maximumClientIdLength());
            return false;
        }
        c.clientId = id;
        return true;
    }

    private boolean acceptKeepAlive(Connect connect) {
        int requested = connect.keepAlive();
        requestedKeepAlive = requested;
        int max = c.settings.maximumKeepAlive();
        int min = c.settings.minimumKeepAlive();
        if (!connect.version().isV5()) {
            // 3.1.1 cannot tell a client another keep alive: refuse like Mosquitto's max_keepalive
            if (requested > max || (requested == 0 && max < 65535)) {
                c.refuse(
                        connect.version(),
                        ReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                        "keep alive " + requested + " s above maximum " + max);
                return false;
            }
            c.keepAliveSeconds = Math.max(requested, requested == 0 ? 0 : min);
            return true;
        }
        int granted = requested;
        if (requested == 0 ? max < 65535 : requested > max) {
            granted = max;
        } else if (requested > 0 && requested < min) {
            granted = min;
        }
        c.keepAliveSeconds = granted;
        return true;
    }

    private boolean acceptWill(Connect connect) {
        Will will = connect.will();
        if (will == null) {
            return true;
        }
        MqttVersion v = connect.version();
        if (!Topics.isValidTopicName(will.topic())) {
            c.refuse(v, ReasonCode.TOPIC_NAME_INVALID, "invalid will topic");
            return false;
        }
        if (will.qos() > c.settings.maximumQos()) {
            c.refuse(v, ReasonCode.QOS_NOT_SUPPORTED, "will QoS above maximum [MQTT-3.2.2-12]");
            return false;
        }
        if (will.retain() && !c.settings.retainAvailable()) {
            c.refuse(v, ReasonCode.RETAIN_NOT_SUPPORTED, "retained will but retain is not available [MQTT-3.2.2-13]");
            return false;
        }
        Integer format = will.properties().payloadFormatIndicator();
        if (format != null && format == 1 && !Utf8.isWellFormed(will.payload())) {
            c.refuse(v, ReasonCode.PAYLOAD_FORMAT_INVALID, "will payload is not UTF-8 but says it is");
            return false;
        }
        return true;
    }

    private void authenticated(AuthDecision decision, Throwable error) {
        if (c.state != MqttConnection.State.CONNECTING) {
            return;
        }
        if (error != null) {
            log.warn("authentication of client {} failed with an error", c.clientId, error);
            c.refuse(c.version, ReasonCode.SERVER_UNAVAILABLE, "authentication error");
        } else if (!decision.allowed()) {
            c.refuse(c.version, decision.reasonCode(), decision.explanation());
        } else {
            identified(decision.identity(), decision.attributes());
            c.credentialExpiresAt = decision.expiresAt();
            openSession();
        }
    }

    private void identified(String identity, Map<String, String> attributes) {
        CertificateIdentity certificate = c.channel.certificateIdentity();
        if (identity == null && certificate != null) {
            identity = certificate.identity();
        }
        if (certificate != null && !attributes.containsKey(CERTIFICATE_ATTRIBUTE)) {
            // rules for a certificate identity find it here, whatever identity authentication chose
            Map<String, String> withCertificate = new java.util.HashMap<>(attributes);
            withCertificate.put(CERTIFICATE_ATTRIBUTE, certificate.identity());
            attributes = withCertificate;
        }
        c.identity = new ClientIdentity(
                c.clientId, username(), identity, c.channel.remoteAddress(), c.channel.listenerName(), attributes);
    }

    // ---- enhanced authentication (section 4.12)

    void auth(Auth auth) {
        if (!c.authenticationMethod.equals(auth.properties().authenticationMethod())
                || auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION) {
            c.refuse(c.version, ReasonCode.PROTOCOL_ERROR, "AUTH with another method or reason [MQTT-4.12.0-5]");
            return;
        }
        step(exchange.step(auth.properties().authenticationData()), false);
    }

    void reauth(Auth auth) {
        if (c.authenticationMethod == null
                || !c.authenticationMethod.equals(auth.properties().authenticationMethod())) {
            c.disconnect(ReasonCode.PROTOCOL_ERROR, "re-authentication without the CONNECT's method [MQTT-4.12.1-1]");
            return;
        }
        if (auth.reasonCode() == ReasonCode.REAUTHENTICATE) {
            exchange = c.broker.enhancedAuthenticator(c.authenticationMethod).begin(credentials());
        } else if (auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION || exchange == null) {
            c.disconnect(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH " + auth.reasonCode());
            return;
        }
        step(exchange.step(auth.properties().authenticationData()), true);
    }

    private void step(CompletionStage<EnhancedAuthenticator.Step> next, boolean reauthenticating) {
        next.whenComplete((s, error) -> c.channel.executor().execute(() -> stepped(s, error, reauthenticating)));
    }

    private void stepped(EnhancedAuthenticator.Step s, Throwable error, boolean reauthenticating) {
        if (c.state == MqttConnection.State.CLOSED) {
            return;
        }
        ReasonCode reason = error != null ? ReasonCode.UNSPECIFIED_ERROR : s.reasonCode();
        if (reason == ReasonCode.CONTINUE_AUTHENTICATION) {
            c.write(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, authProperties(s.serverData())));
            c.channel.flush();
        } else if (reason == ReasonCode.SUCCESS) {
            if (reauthenticating) {
                exchange = null;
                if (s.identity() != null && c.identity != null && !s.identity().equals(c.identity.identity())) {
                    // re-authentication may refresh a credential, not turn the connection into another user
                    c.disconnect(
                            ReasonCode.NOT_AUTHORIZED,
                            "re-authenticated as " + s.identity() + ", not " + c.identity.identity());
                    return;
                }
                c.write(new Auth(ReasonCode.SUCCESS, authProperties(s.serverData())));
                c.channel.flush();
            } else {
                finalAuthData = s.serverData();
                // the method tells a later re-check which authenticator's credentials to ask
                identified(
                        s.identity(), Map.of(ClientIdentity.AUTHENTICATION_METHOD_ATTRIBUTE, c.authenticationMethod));
                openSession();
            }
        } else if (reauthenticating) {
            c.disconnect(reason, "re-authentication failed");
        } else {
            c.refuse(c.version, reason, "enhanced authentication " + c.authenticationMethod + " failed");
        }
    }

    private MqttProperties authProperties(byte[] data) {
        return MqttProperties.builder()
                .authenticationMethod(c.authenticationMethod)
                .authenticationData(data)
                .build();
    }

    // ---- session

    private void openSession() {
        boolean[] created = new boolean[1];
        Session s = c.broker.sessions().open(c.clientId, c.channel.executor(), created);
        boolean fresh = created[0];
        boolean cleanStart = c.connect.cleanStart();
        s.execute(() -> {
            if (s.isEnded()) {
                c.channel.executor().execute(this::openSession); // it expired meanwhile: start anew
                return;
            }
            boolean present = s.takeOver(c, c.channel.executor(), cleanStart, fresh);
            s.execute(() -> sessionReady(s, present));
        });
    }

    private void sessionReady(Session s, boolean present) {
        if (c.state != MqttConnection.State.CONNECTING) {
            s.connectionLost(c); // the client left while the session was being opened
            return;
        }
        c.session = s;
        c.write(new ConnAck(
                present, ReasonCode.SUCCESS, c.version.isV5() ? connackProperties() : MqttProperties.EMPTY));
        c.connected();
        c.broker.metrics().connectionsAccepted.increment();
        Will w = c.connect.will();
        Message will = null;
        long willDelay = 0;
        if (w != null) {
            Long delay = w.properties().willDelayInterval();
            willDelay = delay == null ? 0 : delay;
            MqttProperties props = w.properties();
            if (delay != null) {
                props = props.toBuilder().willDelayInterval(null).build();
            }
            // the will's Message Expiry is counted from when it is published (the broker re-stamps it)
            will = new Message(w.topic(), w.qos(), w.retain(), w.payload(), props, c.clientId, Message.NEVER);
        }
        log.debug(
                "client {} connected from {} ({}, clean start {}, session present {}, keep alive {} s)",
                c.clientId,
                c.channel.remoteAddress(),
                c.version,
                c.connect.cleanStart(),
                present,
                c.keepAliveSeconds);
        if (present) {
            c.revokeRefusedSubscriptions(); // the rules may have changed while the session was offline
        }
        s.resume(c, c.sessionExpiry, will, willDelay);
        c.connect = stripSecrets(c.connect);
    }

    private static Connect stripSecrets(Connect connect) {
        return new Connect(
                connect.version(),
                connect.clientId(),
                connect.cleanStart(),
                connect.keepAlive(),
                connect.username(),
                null,
                null,
                connect.properties());
    }

    private MqttProperties connackProperties() {
        var s = c.settings;
        MqttProperties.Builder b = MqttProperties.builder();
        if (c.sessionExpiry != requestedExpiry) {
            b.sessionExpiryInterval(c.sessionExpiry);
        }
        if (s.receiveMaximum() < 65535) {
            b.receiveMaximum(s.receiveMaximum());
        }
        if (s.maximumQos() < 2) {
            b.maximumQos(s.maximumQos());
        }
        if (!s.retainAvailable()) {
            b.retainAvailable(0);
        }
        b.maximumPacketSize((long) s.maximumPacketSize());
        if (assignedClientId) {
            b.assignedClientIdentifier(c.clientId);
        }
        if (s.topicAliasMaximum() > 0) {
            b.topicAliasMaximum(s.topicAliasMaximum());
        }
        b.wildcardSubscriptionAvailable(s.wildcardSubscriptionAvailable() ? 1 : 0);
        b.subscriptionIdentifierAvailable(s.subscriptionIdentifiersAvailable() ? 1 : 0);
        b.sharedSubscriptionAvailable(s.sharedSubscriptionsAvailable() ? 1 : 0);
        if (c.keepAliveSeconds != requestedKeepAlive) {
            b.serverKeepAlive(c.keepAliveSeconds);
        }
        Integer responseInfo = c.connect.properties().requestResponseInformation();
        if (responseInfo != null && responseInfo == 1) {
            b.responseInformation("response/" + c.clientId);
        }
        if (c.authenticationMethod != null) {
            b.authenticationMethod(c.authenticationMethod).authenticationData(finalAuthData);
        }
        return b.build();
    }

    /** The decoder refused the CONNECT itself. */
    void refuseUndecodable(MqttCodecException e) {
        if (e.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
            // the client's version is unknown: answer in the 3.1.1 form every version understands [MQTT-3.1.2-2]
            c.refuse(null, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, e.getMessage());
        } else {
            c.closeSilently("malformed CONNECT: " + e.getMessage(), e.reasonCode());
        }
    }
}
