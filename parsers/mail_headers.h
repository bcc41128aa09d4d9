/* mail_headers.h - private to the mail module (mail.c): reading a
 * message's header fields, choosing how strictly to decode them, and
 * making every string taken from headers valid UTF-8. */
#ifndef IG_MAIL_HEADERS_H
#define IG_MAIL_HEADERS_H

#include <gmime/gmime.h>
#include "parsers/mail.h"

/* Fills mail's header fields from msg: message_id, from_name, from_addr,
 * subject, date, received_date, in_reply_to, references, return_path,
 * reply_to, received, auto_submitted, precedence, list_id, x_loop, autoreply_header. */
void mail_read_headers(IgMail *mail, GMimeMessage *msg);

/* Parser options for raw: NULL (GMime's defaults) for ordinary mail,
 * strict RFC 2047 decoding when a header field is longer than any real
 * one (GMime's lenient decoder is quadratic on unclosed encoded words).
 * Caller frees with g_mime_parser_options_free(). */
GMimeParserOptions *mail_parser_options(const char *raw, gsize len);

/* Replaces each string of mail taken from headers (and each attachment's
 * name and type) that is not valid UTF-8 by a valid one. */
void mail_make_valid(IgMail *mail);

#endif
