/* reply.h - the reply's own text (SPEC section 7): what the sender of a
 * reply wrote, without the message it answers and without the signature.
 *
 * Removed: lines quoted with ">" at any depth (html.c quotes <blockquote>
 * so); the attribution above a quote ("On ... wrote:", also wrapped over
 * two lines, "Am ... schrieb ...:", "Le ... a écrit :", "El ...
 * escribió:"); everything from the earlier message's unquoted header
 * onwards (Outlook's "From:/Sent:" block and its localised forms, with the
 * rule of underscores above it; "-----Original Message-----", "---------
 * Forwarded message ---------" and the like); and the signature: from a
 * "-- " line or a phone or webmail footer ("Sent from my iPhone", "Get
 * Outlook for iOS"), or a sign-off ("Thanks,", "Kind regards,") followed
 * by at most a few short lines before a quote or the end. The sender's
 * lines are kept wherever they stand: above the quote, below it, or
 * between quoted blocks. Pure; linear in the body. */
#ifndef IG_REPLY_H
#define IG_REPLY_H

#include <glib.h>

/* body is IgMail.body (UTF-8, NULL taken as ""). Returns the own lines as
 * written, without trailing white space, runs of blank lines folded to
 * one and none at either end. Caller frees; never NULL. */
char *reply_own_text(const char *body);

#endif
