/* mail_headers.c - the header fields of a message into an IgMail
 * (mail_headers.h): sender, subject, dates, threading, return path and
 * the marks of automatic mail, each as one clean line. */
#include "parsers/mail_headers.h"

#include <string.h>

/* Longest header field decoded leniently (see mail_parser_options()):
 * long References of a busy thread run to a few KB. */
#define MAX_LENIENT_FIELD (8u << 10)

/* GMime's own UTF-8 check passes sequences GLib rejects (lead bytes F5
 * to F7, code points past U+10FFFF) in raw 8-bit headers, so the strings
 * taken from headers are made valid here. */
static void make_valid(char **s)
{
  if (*s && !g_utf8_validate(*s, -1, NULL)) {
    char *valid = g_utf8_make_valid(*s, -1);
    g_free(*s);
    *s = valid;
  }
}

static void make_all_valid(char **v)
{
  for (; v && *v; v++)
    make_valid(v);
}

static char *header_value(GMimeObject *obj, const char *name)
{
  const char *v = g_mime_object_get_header(obj, name);
  if (!v)
    return NULL;
  char *s = g_strstrip(g_strdup(v));
  return g_strdelimit(s, "\r\n", ' ');
}

static char **reference_ids(const char *refs, const char *in_reply_to, char **first_irt)
{
  GPtrArray *ids = g_ptr_array_new();
  const char *sources[] = { in_reply_to, refs };
  for (gsize s = 0; s < G_N_ELEMENTS(sources); s++) {
    if (!sources[s])
      continue;
    GMimeReferences *list = g_mime_references_parse(NULL, sources[s]);
    if (!list)
      continue;
    for (int i = 0; i < g_mime_references_length(list); i++) {
      const char *id = g_mime_references_get_message_id(list, i);
      if (s == 0 && i == 0 && first_irt)
        *first_irt = g_strdup(id);
      g_ptr_array_add(ids, g_strdup(id));
    }
    g_mime_references_free(list);
  }
  g_ptr_array_add(ids, NULL);
  return (char **)g_ptr_array_free(ids, FALSE);
}

/* Every value of the field name, trimmed, at most max of them, each on
 * one line. */
static char **all_values(GMimeObject *obj, const char *name, guint max)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list(obj);
  GPtrArray *out = g_ptr_array_new();
  int n = g_mime_header_list_get_count(headers);
  for (int i = 0; i < n && out->len < max; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at(headers, i);
    if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) == 0) {
      char *v = g_strstrip(g_strdup(g_mime_header_get_value(h) ?: ""));
      g_ptr_array_add(out, g_strdelimit(v, "\r\n\t", ' '));
    }
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

static void read_from(IgMail *mail, GMimeMessage *msg)
{
  InternetAddressList *from = g_mime_message_get_from(msg);
  if (!from || internet_address_list_length(from) < 1)
    return;
  InternetAddress *ia = internet_address_list_get_address(from, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
    return;
  const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
  const char *name = internet_address_get_name(ia);
  if (addr && *addr)
    mail->from_addr = g_ascii_strdown(addr, -1);
  if (name && *name)
    mail->from_name = g_strdelimit(g_strstrip(g_strdup(name)), "\r\n", ' ');
}

static void read_reply_to(IgMail *mail, GMimeMessage *msg)
{
  InternetAddressList *list = g_mime_message_get_reply_to(msg);
  InternetAddress *ia = list && internet_address_list_length(list) > 0
                            ? internet_address_list_get_address(list, 0) : NULL;
  const char *addr = ia && INTERNET_ADDRESS_IS_MAILBOX(ia)
                         ? internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))
                         : NULL;
  if (addr && *addr)
    mail->reply_to = g_ascii_strdown(addr, -1);
}

static void read_return_path(IgMail *mail, GMimeObject *obj)
{
  const char *rp = g_mime_object_get_header(obj, "Return-Path");
  if (!rp)
    return;
  mail->has_return_path = TRUE;
  g_autofree char *v = g_strstrip(g_strdup(rp));
  char *lt = strchr(v, '<'), *gt = lt ? strchr(lt, '>') : NULL;
  if (lt && gt)
    mail->return_path = g_ascii_strdown(lt + 1, gt - lt - 1);
  else
    mail->return_path = g_ascii_strdown(v, -1);
}

gsize mail_header_length(const char *raw, gsize len)
{
  gsize scan = MIN(len, MAIL_HEADER_MAX);
  for (gsize i = 0; i + 1 < scan; i++) {
    if (raw[i] != '\n')
      continue;
    if (raw[i + 1] == '\n')
      return i + 2;
    if (i + 2 < scan && raw[i + 1] == '\r' && raw[i + 2] == '\n')
      return i + 3;
  }
  return 0;
}

void mail_read_headers(IgMail *mail, GMimeMessage *msg)
{
  GMimeObject *top = GMIME_OBJECT(msg);
  const char *mid = g_mime_message_get_message_id(msg);
  if (mid && *mid)
    mail->message_id = g_strdup(mid);
  read_from(mail, msg);
  const char *subject = g_mime_message_get_subject(msg);
  if (subject)
    mail->subject = g_strdelimit(g_strstrip(g_strdup(subject)), "\r\n\t", ' ');
  GDateTime *date = g_mime_message_get_date(msg);
  if (date)
    mail->date = g_date_time_to_utc(date);
  /* "from ... by ...; Mon, 23 Nov 2026 09:02:11 +0000": the date follows
   * the last semicolon. */
  const char *received = g_mime_object_get_header(top, "Received");
  const char *semi = received ? strrchr(received, ';') : NULL;
  g_autoptr(GDateTime) relayed = semi ? g_mime_utils_header_decode_date(semi + 1) : NULL;
  if (relayed)
    mail->received_date = g_date_time_to_utc(relayed);
  mail->references = reference_ids(g_mime_object_get_header(top, "References"),
                                   g_mime_object_get_header(top, "In-Reply-To"),
                                   &mail->in_reply_to);
  read_return_path(mail, top);
  read_reply_to(mail, msg);
  mail->received = all_values(top, "Received", MAIL_RECEIVED_MAX);
  mail->auto_submitted = header_value(top, "Auto-Submitted");
  mail->precedence = header_value(top, "Precedence");
  mail->list_id = header_value(top, "List-Id");
  mail->x_loop = all_values(top, "X-Loop", G_MAXUINT);
  mail->autoreply_header = g_mime_object_get_header(top, "X-Autoreply") ||
                           g_mime_object_get_header(top, "X-Autorespond");
}

void mail_make_valid(IgMail *mail)
{
  /* Not the body, the HTML or the texts of parts: mail_to_utf8() made
   * them valid, and cutting them to their limits keeps whole characters. */
  char **const fields[] = {
    &mail->message_id, &mail->from_name, &mail->from_addr, &mail->subject,
    &mail->in_reply_to, &mail->return_path, &mail->reply_to, &mail->auto_submitted, &mail->precedence,
    &mail->list_id, &mail->content_type, &mail->report_type, &mail->reported_message_id,
  };
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
    make_valid(fields[i]);
  make_all_valid(mail->references);
  make_all_valid(mail->x_loop);
  make_all_valid(mail->received);
  for (guint i = 0; i < mail->attachments->len; i++) {
    IgTextPart *t = g_ptr_array_index(mail->attachments, i);
    make_valid(&t->filename);
    make_valid(&t->content_type);
  }
  for (guint i = 0; i < mail->files->len; i++) {
    IgFilePart *f = g_ptr_array_index(mail->files, i);
    make_valid(&f->filename);
    make_valid(&f->content_type);
  }
}

/* The longest run of lines joined by folding (each next line starting
 * with a space or tab) anywhere in raw: an upper bound on the length of
 * every header field of the message and of its parts. */
static gsize longest_folded_run(const char *raw, gsize len)
{
  gsize longest = 0, start = 0;
  /* from line end to line end with memchr(): this reads every byte of
   * every message, bodies included */
  for (const char *nl = len ? memchr(raw, '\n', len) : NULL; nl;
       nl = memchr(nl + 1, '\n', len - (gsize)(nl + 1 - raw))) {
    const gsize i = (gsize)(nl - raw);
    if (i + 1 < len && (raw[i + 1] == ' ' || raw[i + 1] == '\t'))
      continue;
    longest = MAX(longest, i - start);
    start = i + 1;
  }
  return MAX(longest, len - start);
}

/* NULL (GMime's defaults) for ordinary mail (mail_headers.h). GMime's lenient RFC 2047
 * decoding (encoded words glued to text, as some mailers write them)
 * searches ahead from every "=?", which takes time growing with the square
 * of a field's length when the words are never closed: mail with a field
 * longer than any real header gets the strict decoder, which is linear.
 * Caller frees with g_mime_parser_options_free(). */
GMimeParserOptions *mail_parser_options(const char *raw, gsize len)
{
  if (longest_folded_run(raw, len) <= MAX_LENIENT_FIELD)
    return NULL;
  GMimeParserOptions *options = g_mime_parser_options_clone(g_mime_parser_options_get_default());
  g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_STRICT);
  return options;
}
