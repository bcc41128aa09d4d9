/* mail.h - an incoming RFC 5322 message reduced to what the gateway reads.
 *
 * GMime parses the bytes; every text part is decoded from its transfer
 * encoding and charset to UTF-8 (a wrong or unknown charset falls back to
 * UTF-8 if valid, else Windows-1252, so nothing is dropped); HTML-only
 * bodies are turned into text. Header values are decoded (RFC 2047) and
 * stripped of CR/LF. Pure: bytes in, struct out, no I/O. Limits bound
 * what hostile input can cost: nesting depth, the number of parts and of
 * attached messages read, and the bytes of text kept (each text and all
 * together); what they leave out is listed in skipped. */
#ifndef IG_MAIL_H
#define IG_MAIL_H

#include <glib.h>

typedef struct {
  char *filename;           /* may be NULL */
  char *content_type;       /* "text/plain", lower case */
  char *text;               /* UTF-8 */
} IgTextPart;

/* Frees an IgTextPart and its strings. */
void mail_text_part_free(gpointer part);

/* An attached file of any type, as evidence: what it is called and what
 * its decoded bytes hash to. */
typedef struct {
  char *filename;           /* UTF-8, NULL when the part has no name */
  char *content_type;       /* "application/pdf", lower case */
  gsize size;               /* decoded bytes */
  char *sha256;             /* lower-case hex of the decoded bytes */
} IgFilePart;

/* Frees an IgFilePart and its strings. */
void mail_file_part_free(gpointer part);

typedef struct {
  char *message_id;         /* without <>, NULL if absent */
  char *sha256;             /* an attached message's SHA-256 (of the message as
                               GMime writes it out, lower-case hex); NULL for
                               the message given to mail_parse() */
  char *from_name;          /* display name, NULL if none */
  char *from_addr;          /* lower case, NULL if none */
  char *subject;            /* decoded, single line, NULL if absent */
  GDateTime *date;          /* Date header (UTC), NULL if absent or bad */
  GDateTime *received_date; /* date of the topmost Received: header, the last
                               relay's (UTC); NULL if absent or bad */
  char *in_reply_to;        /* first id of In-Reply-To, without <> */
  char **references;        /* NULL-terminated ids of References + In-Reply-To */
  gboolean has_return_path;
  char *return_path;        /* address inside Return-Path, "" for <> */
  char *reply_to;           /* first Reply-To address, lower case, or NULL */
  char **received;          /* Received: values, topmost (last relay) first,
                               one line each, at most MAIL_RECEIVED_MAX;
                               NULL-terminated, never NULL */
  char *auto_submitted;     /* raw header values, trimmed, or NULL */
  char *precedence;
  char *list_id;
  char **x_loop;            /* every X-Loop value, NULL-terminated */
  gboolean autoreply_header;/* X-Autoreply / X-Autorespond present */
  char *content_type;       /* top-level "type/subtype", lower case */
  char *report_type;        /* report-type of multipart/report, lower case */
  char *reported_message_id;/* DSN/MDN: Message-ID of the mail it reports on */
  char *delivery_status;    /* DSN: its message/delivery-status part (the
                               per-recipient Action: fields), NULL if none */
  char *body;               /* the main text, UTF-8, never NULL */
  gboolean body_from_html;
  char *html;               /* the first inline text/html part's markup (within
                               the HTML limit), NULL if none: its link
                               targets are evidence when the mail is */
  GPtrArray *attachments;   /* IgTextPart*: text attachments, decoded */
  GPtrArray *files;         /* IgFilePart*: every attachment of this message
                               (not of messages attached to it), at most
                               MAIL_FILES_MAX */
  GPtrArray *embedded;      /* IgMail*: attached message/rfc822, each read
                               the same way (nesting bounded) */
  char *sealed;             /* what hides the report when it is encrypted or
                               opaquely signed ("S/MIME encrypted", "PGP/MIME
                               encrypted", "inline PGP encrypted", "S/MIME
                               signed (opaque)"): the first such part; NULL
                               when every part could be read */
  guint parts_skipped;      /* parts beyond the limits, not read */
  GPtrArray *skipped;       /* char*: what the limits left unread, one note
                               per kind, in words ("1 MIME part nested more
                               than 16 levels deep not read, ..."); only the
                               outermost IgMail's list is filled */
} IgMail;

/* Initialises GMime once per process; mail_parse() calls it itself. */
void mail_library_init(void);

/* Parses raw bytes; returns NULL with error (IG_ERROR_INPUT) only when the
 * bytes are not a message at all (empty, no header). Caller frees. */
IgMail *mail_parse(const char *raw, gsize len, GError **error);
void mail_free(IgMail *mail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgMail, mail_free)

/* Received: fields kept: real mail passes a dozen relays at most. */
#define MAIL_RECEIVED_MAX 50
/* Attachments listed per message. */
#define MAIL_FILES_MAX 64

/* Longest header block looked for at the start of a message: far beyond
 * any real header, small enough to keep of a message too large to keep. */
#define MAIL_HEADER_MAX (256 * 1024)

/* Length of the header block at the start of raw, its blank line
 * included; 0 when no blank line ends it within MAIL_HEADER_MAX bytes. */
gsize mail_header_length(const char *raw, gsize len);

/* Converts bytes in charset (NULL = unknown) to valid UTF-8 with NUL bytes
 * removed. Always returns a string; caller frees. */
char *mail_to_utf8(const char *data, gsize len, const char *charset);

#endif
