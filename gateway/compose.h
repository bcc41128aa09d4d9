/* compose.h - building outgoing RFC 5322 messages with GMime.
 *
 * Header values are stripped of CR/LF and encoded by GMime (RFC 2047), so
 * nothing from a report can inject a header. Every mail carries
 * Auto-Submitted, X-Auto-Response-Suppress: All and our X-Loop. */
#ifndef IG_COMPOSE_H
#define IG_COMPOSE_H

#include <glib.h>

typedef struct {
  const char *from;               /* "Name <addr>" */
  const char *const *to;          /* NULL-terminated addresses */
  const char *subject;
  const char *text;               /* UTF-8 body */
  const char *html;               /* optional HTML alternative, or NULL */
  const char *message_id;         /* without <> */
  const char *in_reply_to;        /* without <>, or NULL */
  const char *const *references;  /* without <>, NULL-terminated, or NULL */
  gboolean auto_replied;          /* TRUE: auto-replied (acks); else auto-generated */
  const char *loop_address;       /* our address, for X-Loop */
  GDateTime *date;
} IgOutMail;

/* The complete message with CRLF line endings. Caller unrefs. */
GBytes *compose_mail(const IgOutMail *mail);

/* A new globally unique Message-ID (without <>) for our domain, naming the
 * reference and purpose so people reading headers see what it is. */
char *compose_message_id(const char *reference, const char *purpose,
                         const char *our_address);

#endif
