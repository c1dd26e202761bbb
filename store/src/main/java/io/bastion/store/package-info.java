/** Durable broker state: sessions, queued and inflight messages, retained messages, kept in RocksDB behind the broker's store interfaces. */
package io.bastion.store;
