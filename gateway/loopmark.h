/* loopmark.h - the mark on every mail the gateway sends, so that mail
 * quoting it is known for what it is when it comes back.
 *
 * Autoresponders and ticket systems between two mail robots often strip
 * Auto-Submitted, X-Loop and the threading headers; what they keep is the
 * quoted text. Every mail we send ends with one line,
 *   Incident-Gateway: INC-2026-000042 security@justice.gov.uk
 * (the reference when there is one, then the sending gateway's address),
 * and an incoming mail holding such a line quotes automatic mail of an
 * incident gateway: ours about a known incident makes it a reply to that
 * incident; any other makes it an automatic reply, which never opens an
 * incident and is never answered (cases.c, intake.c). Pure: no I/O. */
#ifndef IG_LOOPMARK_H
#define IG_LOOPMARK_H

#include <glib.h>

/* The mark line (without newline); reference may be NULL. Caller frees. */
char *loopmark_line(const char *reference, const char *our_address);

/* Whether text holds any mark, ours or another gateway's. When ours is
 * not NULL it is set to the reference named by the first mark of
 * our_address that names one (caller frees), else NULL. Linear in text. */
gboolean loopmark_find(const char *text, const char *our_address, char **ours);

#endif
