/** The REST admin API: clients, kicks, bans, security reload. */
package io.bastion.admin;
