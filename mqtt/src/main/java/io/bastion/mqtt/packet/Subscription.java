package io.bastion.mqtt.packet;

/**
 * One topic filter of a SUBSCRIBE with its Subscription Options (3.8.3.1).
 *
 * @param retainHandling 0 send retained on subscribe, 1 only if the subscription is new, 2 never
 */
public record Subscription(
        String topicFilter, int maxQos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

    public static Subscription of(String topicFilter, int maxQos) {
        return new Subscription(topicFilter, maxQos, false, false, 0);
    }
}
