package io.bastion.mqtt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The MQTT 5 properties of one packet (section 2.2.2). Immutable; absent properties are {@code null}
 * (lists are empty, never null). MQTT 3.1.1 packets always carry {@link #EMPTY}.
 *
 * <p>Which properties a packet type may carry is checked by the decoder; the model itself only holds
 * values. Four-byte integers are held as {@code Long} because MQTT treats them as unsigned.
 */
public final class MqttProperties {
    public static final MqttProperties EMPTY = new Builder().build();

    private final Integer payloadFormatIndicator;
    private final Long messageExpiryInterval;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<Integer> subscriptionIdentifiers;
    private final Long sessionExpiryInterval;
    private final String assignedClientIdentifier;
    private final Integer serverKeepAlive;
    private final String authenticationMethod;
    private final byte[] authenticationData;
    private final Integer requestProblemInformation;
    private final Long willDelayInterval;
    private final Integer requestResponseInformation;
    private final String responseInformation;
    private final String serverReference;
    private final String reasonString;
    private final Integer receiveMaximum;
    private final Integer topicAliasMaximum;
    private final Integer topicAlias;
    private final Integer maximumQos;
    private final Integer retainAvailable;
    private final List<UserProperty> userProperties;
    private final Long maximumPacketSize;
    private final Integer wildcardSubscriptionAvailable;
    private final Integer subscriptionIdentifierAvailable;
    private final Integer sharedSubscriptionAvailable;

    private MqttProperties(Builder b) {
        this.payloadFormatIndicator = b.payloadFormatIndicator;
        this.messageExpiryInterval = b.messageExpiryInterval;
        this.contentType = b.contentType;
        this.responseTopic = b.responseTopic;
        this.correlationData = b.correlationData;
        this.subscriptionIdentifiers =
                b.subscriptionIdentifiers.isEmpty() ? List.of() : List.copyOf(b.subscriptionIdentifiers);
        this.sessionExpiryInterval = b.sessionExpiryInterval;
        this.assignedClientIdentifier = b.assignedClientIdentifier;
        this.serverKeepAlive = b.serverKeepAlive;
        this.authenticationMethod = b.authenticationMethod;
        this.authenticationData = b.authenticationData;
        this.requestProblemInformation = b.requestProblemInformation;
        this.willDelayInterval = b.willDelayInterval;
        this.requestResponseInformation = b.requestResponseInformation;
        this.responseInformation = b.responseInformation;
        this.serverReference = b.serverReference;
        this.reasonString = b.reasonString;
        this.receiveMaximum = b.receiveMaximum;
        this.topicAliasMaximum = b.topicAliasMaximum;
        this.topicAlias = b.topicAlias;
        this.maximumQos = b.maximumQos;
        this.retainAvailable = b.retainAvailable;
        this.userProperties = b.userProperties.isEmpty() ? List.of() : List.copyOf(b.userProperties);
        this.maximumPacketSize = b.maximumPacketSize;
        this.wildcardSubscriptionAvailable = b.wildcardSubscriptionAvailable;
        this.subscriptionIdentifierAvailable = b.subscriptionIdentifierAvailable;
        this.sharedSubscriptionAvailable = b.sharedSubscriptionAvailable;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.payloadFormatIndicator = payloadFormatIndicator;
        b.messageExpiryInterval = messageExpiryInterval;
        b.contentType = contentType;
        b.responseTopic = responseTopic;
        b.correlationData = correlationData;
        b.subscriptionIdentifiers.addAll(subscriptionIdentifiers);
        b.sessionExpiryInterval = sessionExpiryInterval;
        b.assignedClientIdentifier = assignedClientIdentifier;
        b.serverKeepAlive = serverKeepAlive;
        b.authenticationMethod = authenticationMethod;
        b.authenticationData = authenticationData;
        b.requestProblemInformation = requestProblemInformation;
        b.willDelayInterval = willDelayInterval;
        b.requestResponseInformation = requestResponseInformation;
        b.responseInformation = responseInformation;
        b.serverReference = serverReference;
        b.reasonString = reasonString;
        b.receiveMaximum = receiveMaximum;
        b.topicAliasMaximum = topicAliasMaximum;
        b.topicAlias = topicAlias;
        b.maximumQos = maximumQos;
        b.retainAvailable = retainAvailable;
        b.userProperties.addAll(userProperties);
        b.maximumPacketSize = maximumPacketSize;
        b.wildcardSubscriptionAvailable = wildcardSubscriptionAvailable;
        b.subscriptionIdentifierAvailable = subscriptionIdentifierAvailable;
        b.sharedSubscriptionAvailable = sharedSubscriptionAvailable;
        return b;
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    public Integer payloadFormatIndicator() {
        return payloadFormatIndicator;
    }

    public Long messageExpiryInterval() {
        return messageExpiryInterval;
    }

    public String contentType() {
        return contentType;
    }

    public String responseTopic() {
        return responseTopic;
    }

    public byte[] correlationData() {
        return correlationData;
    }

    public List<Integer> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    public Long sessionExpiryInterval() {
        return sessionExpiryInterval;
    }

    public String assignedClientIdentifier() {
        return assignedClientIdentifier;
    }

    public Integer serverKeepAlive() {
        return serverKeepAlive;
    }

    public String authenticationMethod() {
        return authenticationMethod;
    }

    public byte[] authenticationData() {
        return authenticationData;
    }

    public Integer requestProblemInformation() {
        return requestProblemInformation;
    }

    public Long willDelayInterval() {
        return willDelayInterval;
    }

    public Integer requestResponseInformation() {
        return requestResponseInformation;
    }

    public String responseInformation() {
        return responseInformation;
    }

    public String serverReference() {
        return serverReference;
    }

    public String reasonString() {
        return reasonString;
    }

    public Integer receiveMaximum() {
        return receiveMaximum;
    }

    public Integer topicAliasMaximum() {
        return topicAliasMaximum;
    }

    public Integer topicAlias() {
        return topicAlias;
    }

    public Integer maximumQos() {
        return maximumQos;
    }

    public Integer retainAvailable() {
        return retainAvailable;
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    public Long maximumPacketSize() {
        return maximumPacketSize;
    }

    public Integer wildcardSubscriptionAvailable() {
        return wildcardSubscriptionAvailable;
    }

    public Integer subscriptionIdentifierAvailable() {
        return subscriptionIdentifierAvailable;
    }

    public Integer sharedSubscriptionAvailable() {
        return sharedSubscriptionAvailable;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof MqttProperties o)) {
            return false;
        }
        return Objects.equals(payloadFormatIndicator, o.payloadFormatIndicator)
                && Objects.equals(messageExpiryInterval, o.messageExpiryInterval)
                && Objects.equals(contentType, o.contentType)
                && Objects.equals(responseTopic, o.responseTopic)
                && Arrays.equals(correlationData, o.correlationData)
                && Objects.equals(subscriptionIdentifiers, o.subscriptionIdentifiers)
                && Objects.equals(sessionExpiryInterval, o.sessionExpiryInterval)
                && Objects.equals(assignedClientIdentifier, o.assignedClientIdentifier)
                && Objects.equals(serverKeepAlive, o.serverKeepAlive)
                && Objects.equals(authenticationMethod, o.authenticationMethod)
                && Arrays.equals(authenticationData, o.authenticationData)
                && Objects.equals(requestProblemInformation, o.requestProblemInformation)
                && Objects.equals(willDelayInterval, o.willDelayInterval)
                && Objects.equals(requestResponseInformation, o.requestResponseInformation)
                && Objects.equals(responseInformation, o.responseInformation)
                && Objects.equals(serverReference, o.serverReference)
                && Objects.equals(reasonString, o.reasonString)
                && Objects.equals(receiveMaximum, o.receiveMaximum)
                && Objects.equals(topicAliasMaximum, o.topicAliasMaximum)
                && Objects.equals(topicAlias, o.topicAlias)
                && Objects.equals(maximumQos, o.maximumQos)
                && Objects.equals(retainAvailable, o.retainAvailable)
                && Objects.equals(userProperties, o.userProperties)
                && Objects.equals(maximumPacketSize, o.maximumPacketSize)
                && Objects.equals(wildcardSubscriptionAvailable, o.wildcardSubscriptionAvailable)
                && Objects.equals(subscriptionIdentifierAvailable, o.subscriptionIdentifierAvailable)
                && Objects.equals(sharedSubscriptionAvailable, o.sharedSubscriptionAvailable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                payloadFormatIndicator,
                messageExpiryInterval,
                contentType,
                responseTopic,
                Arrays.hashCode(correlationData),
                subscriptionIdentifiers,
                sessionExpiryInterval,
                assignedClientIdentifier,
                serverKeepAlive,
                authenticationMethod,
                Arrays.hashCode(authenticationData),
                requestProblemInformation,
                willDelayInterval,
                requestResponseInformation,
                responseInformation,
                serverReference,
                reasonString,
                receiveMaximum,
                topicAliasMaximum,
                topicAlias,
                maximumQos,
                retainAvailable,
                userProperties,
                maximumPacketSize,
                wildcardSubscriptionAvailable,
                subscriptionIdentifierAvailable,
                sharedSubscriptionAvailable);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MqttProperties{");
        if (payloadFormatIndicator != null) {
            s.append("payloadFormatIndicator=").append(payloadFormatIndicator).append(' ');
        }
        if (messageExpiryInterval != null) {
            s.append("messageExpiryInterval=").append(messageExpiryInterval).append(' ');
        }
        if (contentType != null) {
            s.append("contentType=").append(contentType).append(' ');
        }
        if (responseTopic != null) {
            s.append("responseTopic=").append(responseTopic).append(' ');
        }
        if (correlationData != null) {
            s.append("correlationData=").append(correlationData.length).append(" bytes ");
        }
        if (!subscriptionIdentifiers.isEmpty()) {
            s.append("subscriptionIdentifiers=").append(subscriptionIdentifiers).append(' ');
        }
        if (sessionExpiryInterval != null) {
            s.append("sessionExpiryInterval=").append(sessionExpiryInterval).append(' ');
        }
        if (assignedClientIdentifier != null) {
            s.append("assignedClientIdentifier=")
                    .append(assignedClientIdentifier)
                    .append(' ');
        }
        if (serverKeepAlive != null) {
            s.append("serverKeepAlive=").append(serverKeepAlive).append(' ');
        }
        if (authenticationMethod != null) {
            s.append("authenticationMethod=").append(authenticationMethod).append(' ');
        }
        if (authenticationData != null) {
            s.append("authenticationData=").append(authenticationData.length).append(" bytes ");
        }
        if (requestProblemInformation != null) {
            s.append("requestProblemInformation=")
                    .append(requestProblemInformation)
                    .append(' ');
        }
        if (willDelayInterval != null) {
            s.append("willDelayInterval=").append(willDelayInterval).append(' ');
        }
        if (requestResponseInformation != null) {
            s.append("requestResponseInformation=")
                    .append(requestResponseInformation)
                    .append(' ');
        }
        if (responseInformation != null) {
            s.append("responseInformation=").append(responseInformation).append(' ');
        }
        if (serverReference != null) {
            s.append("serverReference=").append(serverReference).append(' ');
        }
        if (reasonString != null) {
            s.append("reasonString=").append(reasonString).append(' ');
        }
        if (receiveMaximum != null) {
            s.append("receiveMaximum=").append(receiveMaximum).append(' ');
        }
        if (topicAliasMaximum != null) {
            s.append("topicAliasMaximum=").append(topicAliasMaximum).append(' ');
        }
        if (topicAlias != null) {
            s.append("topicAlias=").append(topicAlias).append(' ');
        }
        if (maximumQos != null) {
            s.append("maximumQos=").append(maximumQos).append(' ');
        }
        if (retainAvailable != null) {
            s.append("retainAvailable=").append(retainAvailable).append(' ');
        }
        if (!userProperties.isEmpty()) {
            s.append("userProperties=").append(userProperties).append(' ');
        }
        if (maximumPacketSize != null) {
            s.append("maximumPacketSize=").append(maximumPacketSize).append(' ');
        }
        if (wildcardSubscriptionAvailable != null) {
            s.append("wildcardSubscriptionAvailable=")
                    .append(wildcardSubscriptionAvailable)
                    .append(' ');
        }
        if (subscriptionIdentifierAvailable != null) {
            s.append("subscriptionIdentifierAvailable=")
                    .append(subscriptionIdentifierAvailable)
                    .append(' ');
        }
        if (sharedSubscriptionAvailable != null) {
            s.append("sharedSubscriptionAvailable=")
                    .append(sharedSubscriptionAvailable)
                    .append(' ');
        }
        return s.append('}').toString();
    }

    /** Collects properties; {@code null} clears a value. */
    public static final class Builder {
        private Integer payloadFormatIndicator;
        private Long messageExpiryInterval;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<Integer> subscriptionIdentifiers = new ArrayList<>();
        private Long sessionExpiryInterval;
        private String assignedClientIdentifier;
        private Integer serverKeepAlive;
        private String authenticationMethod;
        private byte[] authenticationData;
        private Integer requestProblemInformation;
        private Long willDelayInterval;
        private Integer requestResponseInformation;
        private String responseInformation;
        private String serverReference;
        private String reasonString;
        private Integer receiveMaximum;
        private Integer topicAliasMaximum;
        private Integer topicAlias;
        private Integer maximumQos;
        private Integer retainAvailable;
        private final List<UserProperty> userProperties = new ArrayList<>();
        private Long maximumPacketSize;
        private Integer wildcardSubscriptionAvailable;
        private Integer subscriptionIdentifierAvailable;
        private Integer sharedSubscriptionAvailable;

        private Builder() {}

        public Builder payloadFormatIndicator(Integer value) {
            this.payloadFormatIndicator = value;
            return this;
        }

        public Builder messageExpiryInterval(Long value) {
            this.messageExpiryInterval = value;
            return this;
        }

        public Builder contentType(String value) {
            this.contentType = value;
            return this;
        }

        public Builder responseTopic(String value) {
            this.responseTopic = value;
            return this;
        }

        public Builder correlationData(byte[] value) {
            this.correlationData = value;
            return this;
        }

        public Builder subscriptionIdentifier(int value) {
            subscriptionIdentifiers.add(value);
            return this;
        }

        public Builder subscriptionIdentifiers(List<Integer> values) {
            subscriptionIdentifiers.clear();
            subscriptionIdentifiers.addAll(values);
            return this;
        }

        public Builder sessionExpiryInterval(Long value) {
            this.sessionExpiryInterval = value;
            return this;
        }

        public Builder assignedClientIdentifier(String value) {
            this.assignedClientIdentifier = value;
            return this;
        }

        public Builder serverKeepAlive(Integer value) {
            this.serverKeepAlive = value;
            return this;
        }

        public Builder authenticationMethod(String value) {
            this.authenticationMethod = value;
            return this;
        }

        public Builder authenticationData(byte[] value) {
            this.authenticationData = value;
            return this;
        }

        public Builder requestProblemInformation(Integer value) {
            this.requestProblemInformation = value;
            return this;
        }

        public Builder willDelayInterval(Long value) {
            this.willDelayInterval = value;
            return this;
        }

        public Builder requestResponseInformation(Integer value) {
            this.requestResponseInformation = value;
            return this;
        }

        public Builder responseInformation(String value) {
            this.responseInformation = value;
            return this;
        }

        public Builder serverReference(String value) {
            this.serverReference = value;
            return this;
        }

        public Builder reasonString(String value) {
            this.reasonString = value;
            return this;
        }

        public Builder receiveMaximum(Integer value) {
            this.receiveMaximum = value;
            return this;
        }

        public Builder topicAliasMaximum(Integer value) {
            this.topicAliasMaximum = value;
            return this;
        }

        public Builder topicAlias(Integer value) {
            this.topicAlias = value;
            return this;
        }

        public Builder maximumQos(Integer value) {
            this.maximumQos = value;
            return this;
        }

        public Builder retainAvailable(Integer value) {
            this.retainAvailable = value;
            return this;
        }

        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public Builder userProperties(List<UserProperty> values) {
            userProperties.clear();
            userProperties.addAll(values);
            return this;
        }

        public Builder maximumPacketSize(Long value) {
            this.maximumPacketSize = value;
            return this;
        }

        public Builder wildcardSubscriptionAvailable(Integer value) {
            this.wildcardSubscriptionAvailable = value;
            return this;
        }

        public Builder subscriptionIdentifierAvailable(Integer value) {
            this.subscriptionIdentifierAvailable = value;
            return this;
        }

        public Builder sharedSubscriptionAvailable(Integer value) {
            this.sharedSubscriptionAvailable = value;
            return this;
        }

        public MqttProperties build() {
            return new MqttProperties(this);
        }
    }
}
