package io.bastion.broker.session;

import io.bastion.broker.Message;
import io.bastion.broker.subscription.SharedGroup;

/**
 * One message on its way to one session: the QoS already reduced to what the subscription granted
 * [MQTT-3.8.4-8], the retain flag as it is to be sent, and every matching Subscription Identifier.
 *
 * @param subscriptionIds empty when none
 * @param sharedGroup the shared subscription it was chosen for, so it can go to another member if
 *     this session ends before acknowledging it; null otherwise
 */
public record Delivery(Message message, int qos, boolean retain, int[] subscriptionIds, SharedGroup sharedGroup) {
    public static final int[] NO_IDS = new int[0];
}
