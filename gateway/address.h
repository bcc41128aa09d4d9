/* address.h - the addresses mail may be sent to.
 *
 * An SMTP envelope recipient is exactly one validated address, never a
 * piece of text split on commas: a sender's address as GMime read it from
 * the From header is checked here before anything is sent to it, and the
 * SMTP transport takes its recipients from here again. Pure: no I/O. */
#ifndef IG_ADDRESS_H
#define IG_ADDRESS_H

#include <glib.h>

/* RFC 5321 section 4.5.3.1: the longest local part and path. */
#define ADDRESS_MAX_LOCAL 64
#define ADDRESS_MAX_LEN 254

/* The envelope form of the addr-spec addr (local@domain, no display name):
 * ASCII (an international domain in its IDNA form) and lower case, so that
 * one mailbox has one spelling for the rate limits. The local part must be
 * a dot-atom (RFC 5322 atext: no quotes, spaces, commas, controls, CR or
 * LF) and the domain a DNS name
 * (or localhost). NULL with IG_ERROR_INPUT saying what is
 * wrong otherwise. Caller frees. */
char *address_canonical(const char *addr, GError **error);

/* The domain of addr: what follows its last '@', or NULL for none (or a
 * NULL addr). Points into addr. */
const char *address_domain(const char *addr);

/* The recipients of an outbox row: text as outbox_queue_mail() stored it
 * (canonical addresses, ", " between them), read by GMime's address list
 * parser, each checked by address_canonical(). NULL with IG_ERROR_INPUT
 * when any of them fails or there is none. Caller frees (g_strfreev). */
char **address_list_parse(const char *text, GError **error);

#endif
