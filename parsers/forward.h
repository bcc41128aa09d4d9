/* forward.h - unwrapping forwarded reports (SPEC section 4).
 *
 * Suppliers and help desks forward the original report: inline, under an
 * Outlook header block ("From: / Sent: / To: / Subject:", and variants
 * such as "Date:" for "Sent:", "-----Original Message-----" above it, or
 * the underscore rule), a Gmail "---------- Forwarded message ---------",
 * a Thunderbird "-------- Original Message --------" / "-------- Forwarded
 * Message --------" block, Apple Mail's "Begin forwarded message:"; or as
 * an attached message/rfc822. Forwards nest: each level is kept, linked
 * to the one that contained it, so the caller can tell who passed what on
 * to whom. Pure: reads an IgMail, no I/O. */
#ifndef IG_FORWARD_H
#define IG_FORWARD_H

#include <glib.h>
#include "parsers/mail.h"

typedef struct IgForward IgForward;
struct IgForward {
  char *from_name;          /* the original sender; NULL if not given */
  char *from_addr;          /* lower case; NULL if not given */
  GDateTime *date;          /* the original Date/Sent, UTC; NULL if unreadable */
  char *reply_to;           /* its Reply-To address, lower case, or NULL */
  char *subject;            /* the original subject, NULL if not given */
  char *body;               /* the original message's text, never NULL */
  char *note;               /* what the forwarder wrote above it, or NULL */
  guint depth;              /* forwards unwrapped: 1 for a plain forward */
  gboolean attached;        /* the original came as message/rfc822 */
  const IgMail *mail;       /* an attached original as read, else NULL;
                               borrowed from the IgMail given to
                               forward_find(), valid while it lives */
  IgForward *outer;         /* the level that contained this one (its
                               sender forwarded this), NULL for the first
                               level; owned */
};

/* The innermost forwarded original in mail (follow outer for the levels
 * around it), or NULL when mail is not a forward. Wall-clock times
 * without a zone (Outlook's "Sent:") are read in tz. Caller frees with
 * forward_free(), which frees the outer levels too. */
IgForward *forward_find(const IgMail *mail, GTimeZone *tz);
void forward_free(IgForward *forward);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgForward, forward_free)

#endif
