/* autoreply.h - is this mail automatic, and may we answer it? (SPEC 9)
 *
 * RFC 3834 and the usual markers: Auto-Submitted, Precedence, List-Id,
 * X-Autoreply, empty return path, robot senders, our own address or our
 * X-Loop, DSN/MDN reports. Pure: reads an IgMail, returns a verdict. */
#ifndef IG_AUTOREPLY_H
#define IG_AUTOREPLY_H

#include <glib.h>
#include "parsers/mail.h"

typedef enum {
  IG_AUTO_HUMAN,       /* a person wrote it: may open an incident and be acked */
  IG_AUTO_GENERATED,   /* automatic but a report (monitoring): incident, no ack */
  IG_AUTO_REPLY,       /* out-of-office, auto-reply: never opens an incident */
  IG_AUTO_LOOP,        /* from us or carrying our X-Loop: never opens one */
  IG_AUTO_BOUNCE,      /* DSN or MDN: never opens one */
  IG_AUTO_BULK,        /* list or bulk mail: stays unmatched */
} IgAutoClass;

typedef struct {
  IgAutoClass cls;
  gboolean may_reply;  /* FALSE: never send an automatic answer */
  const char *reason;  /* static text saying why, NULL for a plain human mail */
} IgAutoVerdict;

/* our_address is the gateway's own address (lower case). */
IgAutoVerdict autoreply_classify(const IgMail *mail, const char *our_address);

/* Whether a DSN or MDN (IG_AUTO_BOUNCE) says our mail could not be
 * delivered: a DSN whose delivery-status names a recipient with Action:
 * failed, or a bounce that says nothing per recipient (a mailer daemon's
 * plain text). FALSE for a delay warning, a success notice or a read
 * receipt: the mail may still arrive, or has. */
gboolean autoreply_delivery_failed(const IgMail *mail);

/* The messages kind for a class that never opens an incident
 * ("auto-reply", "bounce", "bulk"), or NULL for human/generated mail. */
const char *autoreply_kind(IgAutoClass cls);

#endif
