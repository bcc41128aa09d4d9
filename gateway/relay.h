/* relay.h - who reported what: a forward's levels read as SPEC section 2
 * and 4 say.
 *
 * A help desk or supplier passes someone else's report on: the sender of
 * what it relayed is the reporter. Anyone else who forwards a mail is the
 * reporter: a suspicious mail they pass on (a phish, a scam's follow-up,
 * a submission of Outlook's Report button) is evidence, its sender never
 * the reporter; a colleague's mail they pass on is read for the facts.
 * No I/O. */
#ifndef IG_RELAY_H
#define IG_RELAY_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/records.h"
#include "parsers/forward.h"
#include "parsers/mail.h"

typedef struct {
  const char *from_name;     /* the reporter */
  const char *from_addr;
  const char *subject;       /* the subject the report goes by */
  GDateTime *sent;           /* when the reporter's words were written */
  const char *text;          /* the words the fields are read from, never NULL */
  const char *note;          /* a relayer's words, read for what text leaves
                                out, or NULL */
  const char *forwarded_by;  /* the help desk or supplier that relayed it */
  const IgForward *suspect;  /* the suspicious mail reported, or NULL */
  const char *verdict;       /* the Report button's: "phishing", "junk" or
                                "not junk"; NULL for other mail */
  gboolean forward;          /* a forward was unwrapped */
} IgRelay;

/* Reads mail with its forwarded levels (innermost, from forward_find(),
 * may be NULL) into r; every pointer in r is borrowed from mail, innermost
 * or static strings. Appends how it decided to decisions (char*). */
void relay_read(IgRelay *r, const IgConfig *config, const IgMail *mail,
                const IgForward *innermost, GPtrArray *decisions);

/* The evidence record of r's suspicious mail, NULL when there is none;
 * caller frees with evidence_free(). */
IgEvidence *relay_evidence(const IgRelay *r);

/* The indicators (IgObservable*) of r's suspicious mail, read from mail
 * (the message r was read from); empty when there is none. Our own
 * domain and the reporter's are never indicators. Caller unrefs. */
GPtrArray *relay_observables(const IgRelay *r, const IgConfig *config, const IgMail *mail);

#endif
