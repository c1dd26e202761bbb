package io.bastion.broker.session;

import io.bastion.broker.store.PendingAck;

/** A delivery in the mailbox whose publisher waits for it to be stored before acknowledging. */
record AckedDelivery(Delivery delivery, PendingAck ack) {}
