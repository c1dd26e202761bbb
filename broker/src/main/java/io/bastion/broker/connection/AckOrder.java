package io.bastion.broker.connection;

import io.bastion.mqtt.packet.MqttPacket;
import java.util.ArrayDeque;

/**
 * Acknowledgements of incoming PUBLISH leave in the order the PUBLISH arrived [MQTT-4.6.0-2], also
 * when some of them wait for the store: a later ack that is ready at once waits behind an earlier one
 * that is not. Used only on the connection's event loop.
 */
final class AckOrder {
    /** A place in the order, filled in when its acknowledgement is known. */
    static final class Slot {
        private MqttPacket ack;
        private boolean ready;
    }

    private final MqttConnection c;
    /** Created when an ack first has to wait (a durable store): most connections never need it. */
    private ArrayDeque<Slot> waiting;

    AckOrder(MqttConnection connection) {
        this.c = connection;
    }

    /** Sends {@code ack} now, or after the acknowledgements still waiting. */
    void send(MqttPacket ack) {
        if (waiting == null || waiting.isEmpty()) {
            c.write(ack);
        } else {
            Slot s = new Slot();
            s.ack = ack;
            s.ready = true;
            waiting.add(s);
        }
    }

    private ArrayDeque<Slot> waiting() {
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
        }
        return waiting;
    }

    /** Reserves the next place for an acknowledgement that is not known yet. */
    Slot reserve() {
        Slot s = new Slot();
        waiting().add(s);
        return s;
    }

    /** Fills a reserved place ({@code ack} null: nothing is sent for it) and sends what is now in order. */
    void complete(Slot slot, MqttPacket ack) {
        slot.ack = ack;
        slot.ready = true;
        boolean sent = false;
        while (!waiting.isEmpty() && waiting.peek().ready) {
            MqttPacket next = waiting.poll().ack;
            if (next != null) {
                c.write(next);
                sent = true;
            }
        }
        if (sent) {
            c.channel.flushSoon(); // the acks one store commit released leave in one write, not one each
        }
    }
}
