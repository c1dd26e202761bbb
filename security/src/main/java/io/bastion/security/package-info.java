/** Who may connect and what they may do: authentication providers, the ACL engine, brute-force limits and bans. */
package io.bastion.security;
