/* evidence_notice.h - the suspicious mail a report passes on, and its
 * indicators, in words for OST's notification: so OST can block the
 * sender and the links at once. Addresses and links are defanged (never
 * clickable in a mail client) and the list is bounded, whatever the
 * attacker put in the mail. */
#ifndef IG_EVIDENCE_NOTICE_H
#define IG_EVIDENCE_NOTICE_H

#include <glib.h>
#include "gateway/records.h"

/* How many observables a notification lists; the rest are counted and
 * left to the `observables` command. */
#define EVIDENCE_NOTICE_MAX 40

/* "  From: ...\n  Subject: ...\n" for each of incident->evidence, "" for
 * none. Caller frees. */
char *evidence_notice(const IgIncident *incident);

/* "  url     hxxps://...\n" for each of incident->observables, at most
 * EVIDENCE_NOTICE_MAX then a line saying how many more; "" for none.
 * Caller frees. */
char *evidence_notice_observables(const IgIncident *incident);

#endif
