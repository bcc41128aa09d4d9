/* compose.c - outgoing mail through GMime (compose.h). */
#include "gateway/compose.h"

#include <gmime/gmime.h>
#include <string.h>

#include "parsers/mail.h"

static char *one_line(const char *s)
{
  return g_strstrip(g_strdelimit(g_strdup(s ? s : ""), "\r\n", ' '));
}

static GMimeObject *text_part(const char *subtype, const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
  g_mime_text_part_set_text(part, text);
  /* 7bit when the text allows it keeps the .eml readable as it is. */
  g_mime_part_set_content_encoding(GMIME_PART(part),
      g_mime_part_get_best_content_encoding(GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
  return GMIME_OBJECT(part);
}

GBytes *compose_mail(const IgOutMail *m)
{
  mail_library_init();
  GMimeMessage *msg = g_mime_message_new(TRUE);
  GMimeObject *obj = GMIME_OBJECT(msg);

  InternetAddressList *from = internet_address_list_parse(NULL, m->from);
  if (from) {
    internet_address_list_append(g_mime_message_get_from(msg), from);
    g_object_unref(from);
  }
  for (const char *const *to = m->to; to && *to; to++) {
    g_autofree char *addr = one_line(*to);
    InternetAddress *mailbox = internet_address_mailbox_new(NULL, addr);
    internet_address_list_add(g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO),
                              mailbox);
    g_object_unref(mailbox);
  }

  g_autofree char *subject = one_line(m->subject);
  g_mime_message_set_subject(msg, subject, "utf-8");
  g_mime_message_set_date(msg, m->date);
  g_autofree char *mid = one_line(m->message_id);
  g_autofree char *mid_header = g_strdup_printf("<%s>", mid);
  g_mime_object_set_header(obj, "Message-ID", mid_header, NULL);
  if (m->in_reply_to) {
    g_autofree char *irt = one_line(m->in_reply_to);
    g_autofree char *v = g_strdup_printf("<%s>", irt);
    g_mime_object_set_header(obj, "In-Reply-To", v, NULL);
  }
  if (m->references && m->references[0]) {
    GString *refs = g_string_new(NULL);
    for (const char *const *r = m->references; *r; r++) {
      g_autofree char *id = one_line(*r);
      g_string_append_printf(refs, "%s<%s>", refs->len ? " " : "", id);
    }
    g_mime_object_set_header(obj, "References", refs->str, NULL);
    g_string_free(refs, TRUE);
  }
  g_mime_object_set_header(obj, "Auto-Submitted",
                           m->auto_replied ? "auto-replied" : "auto-generated", NULL);
  g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
  if (m->loop_address)
    g_mime_object_set_header(obj, "X-Loop", m->loop_address, NULL);

  GMimeObject *body = text_part("plain", m->text ? m->text : "");
  if (m->html) {
    GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
    g_mime_multipart_add(alt, body);
    g_object_unref(body);
    GMimeObject *html = text_part("html", m->html);
    g_mime_multipart_add(alt, html);
    g_object_unref(html);
    body = GMIME_OBJECT(alt);
  }
  g_mime_message_set_mime_part(msg, body);
  g_object_unref(body);

  GMimeFormatOptions *format = g_mime_format_options_clone(NULL);
  g_mime_format_options_set_newline_format(format, GMIME_NEWLINE_FORMAT_DOS);
  GMimeStream *out = g_mime_stream_mem_new();
  g_mime_object_write_to_stream(obj, format, out);
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
  GBytes *result = g_bytes_new(bytes->data, bytes->len);
  g_object_unref(out);
  g_mime_format_options_free(format);
  g_object_unref(msg);
  return result;
}

char *compose_message_id(const char *reference, const char *purpose,
                         const char *our_address)
{
  const char *at = our_address ? strchr(our_address, '@') : NULL;
  g_autofree char *uuid = g_uuid_string_random();
  return g_strdup_printf("%s.%s.%s@%s", reference ? reference : "gateway", purpose,
                         uuid, at ? at + 1 : "incident-gateway.invalid");
}
