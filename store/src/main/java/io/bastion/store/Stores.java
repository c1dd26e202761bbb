package io.bastion.store;

import io.bastion.broker.store.BrokerStore;

/** Opens the store the options ask for. */
public final class Stores {
    private Stores() {}

    /** The in-memory store for {@link Durability#MEMORY}, else the RocksDB store at the options' path. */
    public static BrokerStore open(StoreOptions options) {
        return options.durability() == Durability.MEMORY ? BrokerStore.inMemory() : RocksStore.open(options);
    }
}
