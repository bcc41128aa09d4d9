/* compose.c - outgoing mail (compose.h).
 *
 * The header block is assembled here and every value in it is encoded by
 * GMime (RFC 2047 words and phrases, quoting, dates, folding); bodies are 7bit
 * when the text allows it, else quoted-printable by GMime's encoder.
 * Building a GMimeMessage object for each mail cost more than the rest of
 * recording a report together, and mail is composed on the ingest path. */
#include "gateway/compose.h"

#include <gmime/gmime.h>
#include <string.h>

#include "parsers/mail.h"

/* RFC 5322 caps a line at 998 octets; longer text lines need encoding. */
#define MAX_LINE 998

static char *one_line(const char *s)
{
  return g_strstrip(g_strdelimit(g_strdup(s ? s : ""), "\r\n", ' '));
}

/* Appends text with every LF as CRLF (text has no CR of its own). */
static void append_crlf(GString *out, const char *text, gsize len)
{
  for (gsize i = 0; i < len; i++) {
    if (text[i] == '\n')
      g_string_append_c(out, '\r');
    if (text[i] != '\r')
      g_string_append_c(out, text[i]);
  }
}

/* A "Name: value" header, folded by GMime when it is too long for one
 * line (value is already encoded). */
static void header(GString *out, const char *name, const char *value)
{
  if (strlen(name) + 2 + strlen(value) <= 78) {
    g_string_append_printf(out, "%s: %s\r\n", name, value);
    return;
  }
  g_autofree char *line = g_strdup_printf("%s: %s", name, value);
  g_autofree char *folded = g_mime_utils_unstructured_header_fold(NULL, NULL, line);
  append_crlf(out, folded, strlen(folded));
  if (!g_str_has_suffix(folded, "\n"))
    g_string_append(out, "\r\n");
}

static void text_header(GString *out, const char *name, const char *value)
{
  g_autofree char *clean = one_line(value);
  g_autofree char *encoded = g_mime_utils_header_encode_text(NULL, clean, "utf-8");
  header(out, name, encoded);
}

/* One mailbox as "phrase <addr>" or "addr". The address goes out as
 * configured or reported (GMime's own formatting would run every address
 * through IDNA, the costliest step of composing a mail). */
static void append_mailbox(GString *out, const char *name, const char *addr)
{
  g_autofree char *clean_addr = one_line(addr);
  if (!name || !*name) {
    g_string_append(out, clean_addr);
    return;
  }
  g_autofree char *clean = one_line(name);
  gboolean ascii = TRUE;
  for (const char *p = clean; *p && ascii; p++)
    ascii = (guchar)*p < 0x80;
  g_autofree char *phrase = ascii ? g_mime_utils_quote_string(clean)
                                  : g_mime_utils_header_encode_phrase(NULL, clean, "utf-8");
  g_string_append_printf(out, "%s <%s>", phrase, clean_addr);
}

static gboolean needs_encoding(const char *text, gboolean *ascii)
{
  gsize line = 0;
  *ascii = TRUE;
  for (const char *p = text; *p; p++) {
    if ((guchar)*p >= 0x80)
      *ascii = FALSE;
    line = *p == '\n' ? 0 : line + 1;
    if (line > MAX_LINE || *p == '\r')
      return TRUE;
  }
  return !*ascii;
}

/* Content headers, a blank line and the body of one text part. */
static void text_part(GString *out, const char *subtype, const char *text)
{
  gboolean ascii = TRUE;
  gboolean encode = needs_encoding(text, &ascii);
  g_string_append_printf(out, "Content-Type: text/%s; charset=%s\r\n", subtype,
                         ascii ? "us-ascii" : "utf-8");
  g_string_append_printf(out, "Content-Transfer-Encoding: %s\r\n\r\n",
                         encode ? "quoted-printable" : "7bit");
  gsize len = strlen(text);
  if (!encode) {
    append_crlf(out, text, len);
  } else {
    GMimeEncoding state;
    g_mime_encoding_init_encode(&state, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    g_autofree char *qp = g_malloc(g_mime_encoding_outlen(&state, len) + 1);
    gsize n = g_mime_encoding_flush(&state, text, len, qp);
    append_crlf(out, qp, n);
  }
  if (out->len < 2 || out->str[out->len - 1] != '\n')
    g_string_append(out, "\r\n");
}

GBytes *compose_mail(const IgOutMail *m)
{
  mail_library_init();
  GString *out = g_string_sized_new(2048);

  g_autofree char *date = g_mime_utils_header_format_date(m->date);
  header(out, "Date", date);
  g_autoptr(GString) value = g_string_new(NULL);
  InternetAddressList *from = internet_address_list_parse(NULL, m->from);
  InternetAddress *sender = from && internet_address_list_length(from) > 0
                                ? internet_address_list_get_address(from, 0) : NULL;
  if (sender && INTERNET_ADDRESS_IS_MAILBOX(sender)) {
    append_mailbox(value, internet_address_get_name(sender),
                   internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(sender)));
    header(out, "From", value->str);
  }
  if (from)
    g_object_unref(from);
  text_header(out, "Subject", m->subject);
  g_string_truncate(value, 0);
  for (const char *const *t = m->to; t && *t; t++) {
    if (value->len)
      g_string_append(value, ", ");
    append_mailbox(value, NULL, *t);
  }
  header(out, "To", value->str);

  g_autofree char *mid = one_line(m->message_id);
  g_autofree char *mid_value = g_strdup_printf("<%s>", mid);
  header(out, "Message-ID", mid_value);
  if (m->in_reply_to) {
    g_autofree char *irt = one_line(m->in_reply_to);
    g_autofree char *v = g_strdup_printf("<%s>", irt);
    header(out, "In-Reply-To", v);
  }
  if (m->references && m->references[0]) {
    g_autoptr(GString) refs = g_string_new(NULL);
    for (const char *const *r = m->references; *r; r++) {
      g_autofree char *id = one_line(*r);
      g_string_append_printf(refs, "%s<%s>", refs->len ? " " : "", id);
    }
    header(out, "References", refs->str);
  }
  header(out, "Auto-Submitted", m->auto_replied ? "auto-replied" : "auto-generated");
  header(out, "X-Auto-Response-Suppress", "All");
  if (m->loop_address) {
    g_autofree char *loop = one_line(m->loop_address);
    header(out, "X-Loop", loop);
  }
  g_string_append(out, "MIME-Version: 1.0\r\n");

  const char *text = m->text ? m->text : "";
  if (!m->html) {
    text_part(out, "plain", text);
  } else {
    g_autofree char *uuid = g_uuid_string_random();
    g_autofree char *boundary = g_strdup_printf("=-alt-%s", uuid);
    g_string_append_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n",
                           boundary);
    g_string_append_printf(out, "--%s\r\n", boundary);
    text_part(out, "plain", text);
    g_string_append_printf(out, "--%s\r\n", boundary);
    text_part(out, "html", m->html);
    g_string_append_printf(out, "--%s--\r\n", boundary);
  }
  return g_string_free_to_bytes(out);
}

char *compose_message_id(const char *reference, const char *purpose,
                         const char *our_address)
{
  const char *at = our_address ? strchr(our_address, '@') : NULL;
  g_autofree char *uuid = g_uuid_string_random();
  return g_strdup_printf("%s.%s.%s@%s", reference ? reference : "gateway", purpose,
                         uuid, at ? at + 1 : "incident-gateway.invalid");
}
