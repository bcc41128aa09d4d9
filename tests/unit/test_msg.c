/* test_msg.c - unit tests for parsers/msg.c (Outlook items to MIME).
 *
 * Every .msg is written here by tests/unit/msg_writer.c (libgsf's
 * compound-file writer, MS-OXMSG layout); the damaged ones are written
 * files with bytes changed. Each result is parsed back with GMime (and
 * once with mail_parse, as the gateway will). Covered: transport headers
 * kept but for the structure's fields; headers made from properties and
 * encoded; UTF-16 and code-page strings; bodies; attachments byte for
 * byte; attached items and their nesting limit; compressed-RTF-only
 * bodies; the limits; and garbage, truncated, damaged and crafted files,
 * which must fail with a clear error and never a g_critical (made fatal
 * in main). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gmime/gmime.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>
#include <string.h>

#include "parsers/mail.h"
#include "parsers/msg.h"
#include "tests/unit/msg_writer.h"

#define NOVEMBER_14_2023 1700000000 /* Tue, 14 Nov 2023 22:13:20 +0000 */

/* --- helpers --- */

static GBytes *convert_ok(GBytes *msg)
{
  GError *error = NULL;
  GBytes *mime = msg_to_mime(g_bytes_get_data(msg, NULL), g_bytes_get_size(msg), &error);
  if (!mime)
    fail_msg("msg_to_mime: %s", error->message);
  assert_null(error);
  return mime;
}

static GMimeMessage *parse(GBytes *mime)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(g_bytes_get_data(mime, NULL),
                                                          g_bytes_get_size(mime));
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
  g_object_unref(parser);
  g_object_unref(stream);
  assert_non_null(m);
  return m;
}

/* The item written, converted and parsed back. */
static GMimeMessage *round_trip(const MsgWriterItem *item)
{
  g_autoptr(GBytes) msg = msg_writer_write(item);
  g_autoptr(GBytes) mime = convert_ok(msg);
  return parse(mime);
}

/* The error msg_to_mime gives for data; caller frees. */
static char *error_of(const void *data, gsize len)
{
  GError *error = NULL;
  GBytes *mime = msg_to_mime(data, len, &error);
  if (mime)
    fail_msg("converted what should have failed");
  assert_non_null(error);
  char *message = g_strdup(error->message);
  g_error_free(error);
  return message;
}

static void assert_prefix(const char *s, const char *prefix)
{
  if (!g_str_has_prefix(s, prefix))
    fail_msg("\"%s\" does not start with \"%s\"", s, prefix);
}

static const char *header(GMimeMessage *m, const char *name)
{
  return g_mime_object_get_header(GMIME_OBJECT(m), name);
}

static GMimeObject *child(GMimeObject *multipart, int i)
{
  assert_true(GMIME_IS_MULTIPART(multipart));
  assert_true(i < g_mime_multipart_get_count(GMIME_MULTIPART(multipart)));
  return g_mime_multipart_get_part(GMIME_MULTIPART(multipart), i);
}

static int count(GMimeObject *multipart)
{
  assert_true(GMIME_IS_MULTIPART(multipart));
  return g_mime_multipart_get_count(GMIME_MULTIPART(multipart));
}

static void assert_type(GMimeObject *part, const char *type)
{
  g_autofree char *t = g_mime_content_type_get_mime_type(g_mime_object_get_content_type(part));
  assert_string_equal(t, type);
}

/* A leaf part's decoded content; caller unrefs. */
static GByteArray *content(GMimeObject *part)
{
  assert_true(GMIME_IS_PART(part));
  GByteArray *bytes = g_byte_array_new();
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes);
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
  g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(GMIME_PART(part)), stream);
  g_object_unref(stream);
  return bytes;
}

static char *text_of(GMimeObject *part)
{
  GByteArray *b = content(part);
  g_byte_array_append(b, (const guint8 *)"", 1);
  return (char *)g_byte_array_free(b, FALSE);
}

static guint notes(GMimeMessage *m, const char *expected)
{
  GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(m));
  guint found = 0;
  for (int i = 0; i < g_mime_header_list_get_count(list); i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
    if (!g_ascii_strcasecmp(g_mime_header_get_name(h), "X-Outlook-Item-Note") &&
        (!expected || !strcmp(g_mime_header_get_value(h), expected)))
      found++;
  }
  return found;
}

/* --- header fields --- */

static const char TRANSPORT[] =
    "Received: from mx.example.net (mx.example.net [192.0.2.7])\r\n"
    "\tby mail.example.gov.uk with ESMTPS; Tue, 14 Nov 2023 22:13:25 +0000\r\n"
    "Return-Path: <bounce@example.net>\r\n"
    "Authentication-Results: mail.example.gov.uk; spf=fail smtp.mailfrom=example.net\r\n"
    "From: =?utf-8?q?Banque_S=C3=A9curit=C3=A9?= <alerts@example.net>\r\n"
    "Reply-To: <collect@example.org>\r\n"
    "To: staff@example.gov.uk\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "Message-ID: <phish-1@example.net>\r\n"
    "Subject: =?utf-8?q?V=C3=A9rifiez?= your account\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"old-boundary\"\r\n"
    "Content-Transfer-Encoding: 7bit\r\n";

static void test_transport_headers(void **state)
{
  const MsgWriterItem item = {
    .subject = "property subject, not used", .sender_name = "Property Sender",
    .sender_address = "property@example.org", .transport_headers = TRANSPORT,
    .submit_time = NOVEMBER_14_2023, .body = "Click here to verify.",
  };
  g_autoptr(GBytes) msg = msg_writer_write(&item);
  g_autoptr(GBytes) mime = convert_ok(msg);
  GMimeMessage *m = parse(mime);
  assert_string_equal(header(m, "Received"),
                      "from mx.example.net (mx.example.net [192.0.2.7])\tby mail.example.gov.uk "
                      "with ESMTPS; Tue, 14 Nov 2023 22:13:25 +0000");
  assert_string_equal(header(m, "Return-Path"), "<bounce@example.net>");
  assert_string_equal(header(m, "Authentication-Results"),
                      "mail.example.gov.uk; spf=fail smtp.mailfrom=example.net");
  assert_string_equal(header(m, "Reply-To"), "<collect@example.org>");
  assert_string_equal(g_mime_message_get_subject(m), "Vérifiez your account");
  assert_string_equal(g_mime_message_get_message_id(m), "phish-1@example.net");
  InternetAddress *from = internet_address_list_get_address(g_mime_message_get_from(m), 0);
  assert_string_equal(internet_address_get_name(from), "Banque Sécurité");
  /* the structure's own fields, once each, not the original's */
  const char *raw = g_bytes_get_data(mime, NULL);
  const gsize header_len = mail_header_length(raw, g_bytes_get_size(mime));
  g_autofree char *head = g_strndup(raw, header_len);
  assert_null(strstr(head, "old-boundary"));
  assert_null(strstr(head, "7bit"));
  assert_non_null(strstr(head, "MIME-Version: 1.0"));
  assert_null(strstr(strstr(head, "MIME-Version") + 1, "MIME-Version"));
  assert_type(g_mime_message_get_mime_part(m), "multipart/mixed");
  GMimeObject *body = child(g_mime_message_get_mime_part(m), 0);
  assert_type(body, "text/plain");
  g_autofree char *text = text_of(body);
  assert_string_equal(text, "Click here to verify.");

  /* the gateway's own reading */
  g_autoptr(IgMail) mail = mail_parse(raw, g_bytes_get_size(mime), NULL);
  assert_non_null(mail);
  assert_string_equal(mail->from_addr, "alerts@example.net");
  assert_string_equal(mail->subject, "Vérifiez your account");
  assert_string_equal(mail->message_id, "phish-1@example.net");
  assert_string_equal(mail->return_path, "bounce@example.net");
  assert_non_null(mail->received_date);
  assert_string_equal(mail->body, "Click here to verify.");
  g_object_unref(m);
}

static void test_synthesized_headers(void **state)
{
  const MsgWriterItem item = {
    .subject = "Réunion: facture n° 42 – ÄÖÜ 日本 🎣", .sender_name = "Jané Doe",
    .sender_address = "jane@example.org", .reply_to_name = "Collecteur",
    .reply_to_address = "collect@example.net", .to_name = "Staff",
    .to_address = "staff@example.gov.uk", .message_id = "<draft-7@example.org>",
    .submit_time = NOVEMBER_14_2023, .delivery_time = NOVEMBER_14_2023 + 3600,
    .body = "Bonjour",
  };
  g_autoptr(GBytes) msg = msg_writer_write(&item);
  g_autoptr(GBytes) mime = convert_ok(msg);
  /* header values are encoded by GMime: the header block is ASCII */
  const char *raw = g_bytes_get_data(mime, NULL);
  const gsize header_len = mail_header_length(raw, g_bytes_get_size(mime));
  assert_true(header_len > 0);
  for (gsize i = 0; i < header_len; i++)
    assert_true((guchar)raw[i] < 0x80);
  GMimeMessage *m = parse(mime);
  assert_string_equal(g_mime_message_get_subject(m), "Réunion: facture n° 42 – ÄÖÜ 日本 🎣");
  InternetAddress *from = internet_address_list_get_address(g_mime_message_get_from(m), 0);
  assert_string_equal(internet_address_get_name(from), "Jané Doe");
  assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(from)),
                      "jane@example.org");
  InternetAddress *reply = internet_address_list_get_address(g_mime_message_get_reply_to(m), 0);
  assert_non_null(reply);
  assert_string_equal(internet_address_get_name(reply), "Collecteur");
  assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(reply)),
                      "collect@example.net");
  assert_string_equal(g_mime_message_get_message_id(m), "draft-7@example.org");
  GDateTime *date = g_mime_message_get_date(m);
  assert_non_null(date);
  assert_int_equal(g_date_time_to_unix(date), NOVEMBER_14_2023); /* submit, not delivery */
  g_object_unref(m);

  /* delivery time when there is no submit time; no From without a sender */
  const MsgWriterItem received = { .subject = "x", .delivery_time = NOVEMBER_14_2023 };
  m = round_trip(&received);
  assert_int_equal(g_date_time_to_unix(g_mime_message_get_date(m)), NOVEMBER_14_2023);
  assert_int_equal(internet_address_list_length(g_mime_message_get_from(m)), 0);
  assert_null(g_mime_message_get_message_id(m));
  g_object_unref(m);
}

/* PT_STRING8 values in the code page the item names. */
static void test_code_pages(void **state)
{
  const MsgWriterItem western = {
    .codepage = 1252, .subject = "Café – £5 “offre”", .sender_name = "Société Générale",
    .sender_address = "info@example.fr", .body = "Payez 5 € maintenant.",
    .html = "<p>Payez 5 € <b>maintenant</b>.</p>",
  };
  GMimeMessage *m = round_trip(&western);
  assert_string_equal(g_mime_message_get_subject(m), "Café – £5 “offre”");
  InternetAddress *from = internet_address_list_get_address(g_mime_message_get_from(m), 0);
  assert_string_equal(internet_address_get_name(from), "Société Générale");
  GMimeObject *alternative = child(g_mime_message_get_mime_part(m), 0);
  g_autofree char *plain = text_of(child(alternative, 0));
  g_autofree char *html = text_of(child(alternative, 1));
  assert_string_equal(plain, "Payez 5 € maintenant.");
  assert_string_equal(html, "<p>Payez 5 € <b>maintenant</b>.</p>");
  g_object_unref(m);

  const MsgWriterItem cyrillic = { .codepage = 1251, .subject = "Срочно: пароль",
                                   .body = "Ваш пароль истекает" };
  m = round_trip(&cyrillic);
  assert_string_equal(g_mime_message_get_subject(m), "Срочно: пароль");
  g_autofree char *body = text_of(child(g_mime_message_get_mime_part(m), 0));
  assert_string_equal(body, "Ваш пароль истекает");
  g_object_unref(m);
}

/* Version 4 compound files have 4096-byte sectors. */
static void test_large_sectors(void **state)
{
  static const MsgWriterAttachment attachment = { .filename = "a.txt", .data = "abc", .len = 3 };
  const MsgWriterItem item = { .subject = "Sectors of 4 KiB", .body = "body",
                               .attachments = &attachment, .n_attachments = 1,
                               .large_sectors = TRUE };
  g_autoptr(GBytes) msg = msg_writer_write(&item);
  assert_int_equal(((const guint8 *)g_bytes_get_data(msg, NULL))[0x1E], 12);
  g_autoptr(GBytes) mime = convert_ok(msg);
  GMimeMessage *m = parse(mime);
  assert_string_equal(g_mime_message_get_subject(m), "Sectors of 4 KiB");
  assert_int_equal(count(g_mime_message_get_mime_part(m)), 2);
  g_object_unref(m);
}

/* --- bodies --- */

static void test_bodies(void **state)
{
  const MsgWriterItem both = { .subject = "s", .body = "plain ☃ text",
                               .html = "<html><body><p>html ☃ <a href=\"https://x.example\">"
                                       "link</a></p></body></html>" };
  GMimeMessage *m = round_trip(&both);
  GMimeObject *top = g_mime_message_get_mime_part(m);
  assert_int_equal(count(top), 1);
  GMimeObject *alternative = child(top, 0);
  assert_type(alternative, "multipart/alternative");
  assert_int_equal(count(alternative), 2);
  assert_type(child(alternative, 0), "text/plain");
  assert_type(child(alternative, 1), "text/html");
  assert_string_equal(g_mime_object_get_content_type_parameter(child(alternative, 1), "charset"),
                      "utf-8");
  g_autofree char *html = text_of(child(alternative, 1));
  assert_string_equal(html, both.html);
  g_object_unref(m);

  const MsgWriterItem html_only = { .subject = "s", .html = "<p>only html</p>" };
  m = round_trip(&html_only);
  assert_int_equal(count(g_mime_message_get_mime_part(m)), 1);
  assert_type(child(g_mime_message_get_mime_part(m), 0), "text/html");
  assert_int_equal(notes(m, NULL), 0);
  g_object_unref(m);

  /* compressed RTF only: no body, and a note saying so */
  static const guint8 rtf[] = { 0x2d, 0, 0, 0, 0x2b, 0, 0, 0, 'L', 'Z', 'F', 'u', 1, 2, 3, 4 };
  const MsgWriterItem rtf_only = { .subject = "s", .rtf = rtf, .rtf_len = sizeof rtf };
  m = round_trip(&rtf_only);
  assert_int_equal(count(g_mime_message_get_mime_part(m)), 0);
  assert_int_equal(notes(m, "1 message with its body only in compressed RTF: "
                            "body not converted"), 1);
  g_object_unref(m);
}

/* --- attachments --- */

static void test_attachments(void **state)
{
  static const guint8 small[] = { 'P', 'K', 3, 4, 0, 0xFF, 0x80, '\r', '\n', 0 };
  g_autoptr(GByteArray) large = g_byte_array_new(); /* past the mini stream */
  for (guint i = 0; i < 100000; i++) {
    const guint8 b = (guint8)(i * 7919u >> 3);
    g_byte_array_append(large, &b, 1);
  }
  const MsgWriterAttachment attachments[] = {
    { .filename = "Facture été.zip", .short_filename = "FACTUR~1.ZIP",
      .mime_type = "application/zip", .data = small, .len = sizeof small },
    { .short_filename = "SCAN.PDF", .data = large->data, .len = large->len },
    { .filename = "mail.eml", .mime_type = "message/rfc822", .data = "From: a@b\r\n\r\nx",
      .len = 14 },
    { .filename = "empty.txt", .mime_type = "text/plain", .data = "", .len = 0 },
  };
  const MsgWriterItem item = { .subject = "s", .body = "see attached",
                               .attachments = attachments, .n_attachments = 4 };
  GMimeMessage *m = round_trip(&item);
  GMimeObject *top = g_mime_message_get_mime_part(m);
  assert_int_equal(count(top), 5);
  assert_type(child(top, 0), "text/plain");

  GMimeObject *zip = child(top, 1);
  assert_type(zip, "application/zip");
  assert_string_equal(g_mime_part_get_filename(GMIME_PART(zip)), "Facture été.zip");
  assert_int_equal(g_mime_part_get_content_encoding(GMIME_PART(zip)),
                   GMIME_CONTENT_ENCODING_BASE64);
  g_autoptr(GByteArray) zip_bytes = content(zip);
  assert_int_equal(zip_bytes->len, sizeof small);
  assert_memory_equal(zip_bytes->data, small, sizeof small);

  GMimeObject *scan = child(top, 2); /* short name, no MIME tag */
  assert_type(scan, "application/octet-stream");
  assert_string_equal(g_mime_part_get_filename(GMIME_PART(scan)), "SCAN.PDF");
  g_autoptr(GByteArray) scan_bytes = content(scan);
  assert_int_equal(scan_bytes->len, large->len);
  assert_memory_equal(scan_bytes->data, large->data, large->len);

  /* a tag naming a message type would make the bytes read as structure */
  assert_type(child(top, 3), "application/octet-stream");
  assert_string_equal(g_mime_part_get_filename(GMIME_PART(child(top, 3))), "mail.eml");
  g_autoptr(GByteArray) empty = content(child(top, 4));
  assert_int_equal(empty->len, 0);
  g_object_unref(m);
}

static void test_embedded_items(void **state)
{
  static const char attached[] = "inner attachment";
  const MsgWriterAttachment inner_attachments[] = {
    { .filename = "inner.txt", .mime_type = "text/plain", .data = attached,
      .len = sizeof attached - 1 },
  };
  const MsgWriterItem inner = { .subject = "Inner: ünïcödé", .sender_name = "Inner Sender",
                                .sender_address = "inner@example.net", .body = "inner body",
                                .attachments = inner_attachments, .n_attachments = 1 };
  const MsgWriterAttachment outer_attachments[] = {
    { .filename = "Forwarded.msg", .embedded = &inner },
  };
  const MsgWriterItem outer = { .subject = "FW: look", .body = "outer body",
                                .attachments = outer_attachments, .n_attachments = 1 };
  GMimeMessage *m = round_trip(&outer);
  GMimeObject *top = g_mime_message_get_mime_part(m);
  assert_int_equal(count(top), 2);
  GMimeObject *part = child(top, 1);
  assert_type(part, "message/rfc822");
  assert_string_equal(g_mime_object_get_content_disposition_parameter(part, "filename"),
                      "Forwarded.msg");
  GMimeMessage *im = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
  assert_string_equal(g_mime_message_get_subject(im), "Inner: ünïcödé");
  GMimeObject *itop = g_mime_message_get_mime_part(im);
  assert_int_equal(count(itop), 2);
  g_autofree char *body = text_of(child(itop, 0));
  assert_string_equal(body, "inner body");
  g_autofree char *text = text_of(child(itop, 1));
  assert_string_equal(text, attached);
  g_object_unref(m);

  /* items within items: MSG_MAX_DEPTH converted, the rest noted */
  MsgWriterItem chain[MSG_MAX_DEPTH + 3];
  MsgWriterAttachment links[MSG_MAX_DEPTH + 3];
  for (int i = MSG_MAX_DEPTH + 2; i >= 0; i--) {
    chain[i] = (MsgWriterItem){ .subject = "level", .body = "b" };
    if (i < MSG_MAX_DEPTH + 2) {
      links[i] = (MsgWriterAttachment){ .filename = "next.msg", .embedded = &chain[i + 1] };
      chain[i].attachments = &links[i];
      chain[i].n_attachments = 1;
    }
  }
  m = round_trip(&chain[0]);
  int depth = 0;
  GMimeMessage *level = m;
  while (count(g_mime_message_get_mime_part(level)) == 2) {
    part = child(g_mime_message_get_mime_part(level), 1);
    level = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
    depth++;
  }
  assert_int_equal(depth, MSG_MAX_DEPTH);
  assert_int_equal(notes(m, "1 Outlook item nested more than 4 deep not converted"), 1);
  g_object_unref(m);
}

/* --- limits --- */

static void test_too_many_attachments(void **state)
{
  MsgWriterAttachment attachments[MSG_MAX_ATTACHMENTS + 6];
  for (guint i = 0; i < G_N_ELEMENTS(attachments); i++)
    attachments[i] = (MsgWriterAttachment){ .filename = "a.bin", .data = "x", .len = 1 };
  const MsgWriterItem item = { .subject = "s", .attachments = attachments,
                               .n_attachments = G_N_ELEMENTS(attachments) };
  GMimeMessage *m = round_trip(&item);
  assert_int_equal(count(g_mime_message_get_mime_part(m)), MSG_MAX_ATTACHMENTS);
  assert_int_equal(notes(m, "6 attachments beyond the first 64 not converted"), 1);
  g_object_unref(m);
}

static void test_size_limits(void **state)
{
  /* one body over its limit */
  g_autofree char *big = g_malloc(MSG_MAX_BODY + 2);
  memset(big, 'a', MSG_MAX_BODY + 1);
  big[MSG_MAX_BODY + 1] = '\0';
  const MsgWriterItem long_body = { .codepage = 1252, .subject = "s", .body = big };
  g_autoptr(GBytes) msg = msg_writer_write(&long_body);
  g_autofree char *e1 = error_of(g_bytes_get_data(msg, NULL), g_bytes_get_size(msg));
  assert_string_equal(e1, "Outlook item too large: body of 4194305 bytes (limit 4194304)");

  /* attachments that are each fine but too much together */
  g_autofree guint8 *chunk = g_malloc0(4u << 20);
  MsgWriterAttachment attachments[7];
  for (guint i = 0; i < G_N_ELEMENTS(attachments); i++)
    attachments[i] = (MsgWriterAttachment){ .filename = "big.bin", .data = chunk,
                                            .len = 4u << 20 };
  const MsgWriterItem heavy = { .subject = "s", .attachments = attachments,
                                .n_attachments = G_N_ELEMENTS(attachments) };
  g_autoptr(GBytes) msg2 = msg_writer_write(&heavy);
  g_autofree char *e2 = error_of(g_bytes_get_data(msg2, NULL), g_bytes_get_size(msg2));
  assert_string_equal(e2, "Outlook item too large: more than 25 MiB of content");

  /* a header field over its limit */
  g_autofree char *long_subject = g_strnfill(9000, 'x');
  const MsgWriterItem long_field = { .subject = long_subject };
  g_autoptr(GBytes) msg3 = msg_writer_write(&long_field);
  g_autofree char *e4 = error_of(g_bytes_get_data(msg3, NULL), g_bytes_get_size(msg3));
  assert_string_equal(e4, "Outlook item too large: subject of 18000 bytes (limit 16384)");

  /* input larger than any item is refused unread */
  g_autofree char *e3 = error_of(chunk, MSG_MAX_INPUT + 1);
  assert_prefix(e3, "Outlook item too large: ");
}

/* --- not an item, damaged, crafted --- */

/* A compound file of name (NULL: none) and count streams, by libgsf. */
static GBytes *compound_file(const char *name, guint count)
{
  GsfOutput *sink = gsf_output_memory_new();
  GsfOutfile *root = gsf_outfile_msole_new(sink);
  for (guint i = 0; i < count; i++) {
    g_autofree char *n = g_strdup_printf("%s%u", name, i);
    GsfOutput *s = gsf_outfile_new_child(root, n, FALSE);
    gsf_output_write(s, 3, (const guint8 *)"abc");
    gsf_output_close(s);
    g_object_unref(s);
  }
  gsf_output_close(GSF_OUTPUT(root));
  GBytes *b = g_bytes_new(gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(sink)),
                          (gsize)gsf_output_size(sink));
  g_object_unref(root);
  g_object_unref(sink);
  return b;
}

static void test_not_an_item(void **state)
{
  static const char text[] = "From: a@example.org\r\nSubject: plain mail\r\n\r\nbody\r\n";
  g_autofree char *e1 = error_of(text, sizeof text - 1);
  assert_string_equal(e1, "not an Outlook item: not an OLE2 compound file");
  g_autofree char *e2 = error_of(NULL, 0);
  assert_string_equal(e2, "not an Outlook item: not an OLE2 compound file");
  /* a compound file of another kind (a Word document, say) */
  g_autoptr(GBytes) doc = compound_file("WordDocument", 1);
  g_autofree char *e3 = error_of(g_bytes_get_data(doc, NULL), g_bytes_get_size(doc));
  assert_prefix(e3, "not an Outlook item: no MAPI properties");
}

/* The 128-byte directory entry of the stream called name. */
static guint8 *dirent(GByteArray *file, const char *name)
{
  glong n = 0;
  g_autofree gunichar2 *u = g_utf8_to_utf16(name, -1, NULL, &n, NULL);
  for (gsize off = 512; off + 128 <= file->len; off += 128) {
    gboolean same = TRUE;
    for (glong i = 0; i <= n && same; i++)
      same = file->data[off + 2 * i] == (guint8)u[i] && file->data[off + 2 * i + 1] == u[i] >> 8;
    if (same)
      return file->data + off;
  }
  fail_msg("no directory entry %s", name);
  return NULL;
}

static void put_le32(guint8 *p, guint32 v)
{
  for (guint i = 0; i < 4; i++)
    p[i] = (guint8)(v >> (8 * i));
}

static GByteArray *sample_file(void)
{
  static const MsgWriterAttachment attachment = { .filename = "a.txt", .data = "abc", .len = 3 };
  const MsgWriterItem item = { .subject = "Subject", .sender_name = "S",
                               .sender_address = "s@example.org", .body = "Body text",
                               .html = "<p>x</p>", .attachments = &attachment,
                               .n_attachments = 1 };
  g_autoptr(GBytes) b = msg_writer_write(&item);
  GByteArray *a = g_byte_array_new();
  g_byte_array_append(a, g_bytes_get_data(b, NULL), (guint)g_bytes_get_size(b));
  return a;
}

static char *error_of_array(GByteArray *file)
{
  return error_of(file->data, file->len);
}

static void test_damaged(void **state)
{
  g_autoptr(GByteArray) f = sample_file();
  /* truncations */
  for (guint cut = 0; cut < f->len; cut += 61) {
    g_autofree char *e = error_of(f->data, cut);
    assert_prefix(e, "not an Outlook item: ");
  }
  /* a stream claiming more than the file holds */
  g_autoptr(GByteArray) claim = sample_file();
  put_le32(dirent(claim, "__substg1.0_1000001F") + 0x78, 0x7FFFFFF0u);
  g_autofree char *e1 = error_of_array(claim);
  assert_prefix(e1, "not an Outlook item: damaged compound file (stream ");
  /* a stream claiming more than its chain holds */
  g_autoptr(GByteArray) longer = sample_file();
  put_le32(dirent(longer, "__substg1.0_1000001F") + 0x78, 400);
  g_autofree char *e2 = error_of_array(longer);
  assert_prefix(e2, "not an Outlook item: damaged compound file (stream ");
  /* a sibling link back to the root: a loop */
  g_autoptr(GByteArray) loop = sample_file();
  put_le32(dirent(loop, "__substg1.0_0037001F") + 0x48, 0);
  g_autofree char *e3 = error_of_array(loop);
  assert_string_equal(e3, "not an Outlook item: damaged compound file "
                          "(directory entry 0 reached twice)");
  /* a link past the directory */
  g_autoptr(GByteArray) past = sample_file();
  put_le32(dirent(past, "__substg1.0_0037001F") + 0x44, 0x00FFFFFFu);
  g_autofree char *e4 = error_of_array(past);
  assert_string_equal(e4, "not an Outlook item: damaged compound file "
                          "(directory entry 16777215 past the end)");
  /* a FAT sector past the end of the file */
  g_autoptr(GByteArray) fat = sample_file();
  put_le32(fat->data + 0x4C, 0x00FFFFFFu);
  g_autofree char *e5 = error_of_array(fat);
  assert_string_equal(e5, "not an Outlook item: damaged compound file "
                          "(FAT sector 16777215 past the end)");
  /* an empty stream that starts anywhere but at ENDOFCHAIN: libgsf would
   * walk from there when opening it */
  g_autoptr(GByteArray) empty = sample_file();
  put_le32(dirent(empty, "__substg1.0_00020102") + 0x74, 0);
  g_autofree char *e7 = error_of_array(empty);
  assert_prefix(e7, "not an Outlook item: damaged compound file (stream ");
  /* an entry of an unknown type */
  g_autoptr(GByteArray) type = sample_file();
  dirent(type, "__substg1.0_0037001F")[0x42] = 3;
  g_autofree char *e6 = error_of_array(type);
  assert_prefix(e6, "not an Outlook item: damaged compound file (directory entry ");
  /* unchanged, it converts */
  g_autoptr(GBytes) good = g_bytes_new(f->data, f->len);
  g_autoptr(GBytes) mime = convert_ok(good);
  assert_true(g_bytes_get_size(mime) > 0);
}

/* libgsf's writer links siblings in a list, which libgsf's reader walks
 * by recursion: a list too long for that is refused, not read. */
static void test_long_sibling_list(void **state)
{
  g_autoptr(GBytes) many = compound_file("__substg1.0_", 1100);
  g_autofree char *e = error_of(g_bytes_get_data(many, NULL), g_bytes_get_size(many));
  assert_string_equal(e, "Outlook item too large: more than 1024 levels of directory lists");
  /* a shorter list is read, to find that it holds no message */
  g_autoptr(GBytes) fewer = compound_file("__substg1.0_", 1000);
  g_autofree char *e2 = error_of(g_bytes_get_data(fewer, NULL), g_bytes_get_size(fewer));
  assert_prefix(e2, "not an Outlook item: no MAPI properties");
}

/* Random damage: a clear error or a message GMime reads, never a crash
 * or a g_critical. */
static void test_random_damage(void **state)
{
  g_autoptr(GByteArray) f = sample_file();
  GRand *rand = g_rand_new_with_seed(20231114);
  guint converted = 0;
  for (guint round = 0; round < 3000; round++) {
    g_autoptr(GByteArray) t = g_byte_array_new();
    g_byte_array_append(t, f->data, f->len);
    for (guint k = g_rand_int_range(rand, 1, 5); k > 0; k--)
      t->data[g_rand_int_range(rand, 0, (gint32)t->len)] = (guint8)g_rand_int_range(rand, 0, 256);
    GError *error = NULL;
    g_autoptr(GBytes) mime = msg_to_mime(t->data, t->len, &error);
    if (mime) {
      assert_null(error);
      g_object_unref(parse(mime));
      converted++;
    } else {
      assert_non_null(error);
      assert_true(g_str_has_prefix(error->message, "not an Outlook item: ") ||
                  g_str_has_prefix(error->message, "Outlook item too large: "));
      g_error_free(error);
    }
  }
  g_rand_free(rand);
  assert_true(converted > 0);
}

int main(void)
{
  g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  mail_library_init();
  gsf_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_transport_headers),
    cmocka_unit_test(test_synthesized_headers),
    cmocka_unit_test(test_code_pages),
    cmocka_unit_test(test_large_sectors),
    cmocka_unit_test(test_bodies),
    cmocka_unit_test(test_attachments),
    cmocka_unit_test(test_embedded_items),
    cmocka_unit_test(test_too_many_attachments),
    cmocka_unit_test(test_size_limits),
    cmocka_unit_test(test_not_an_item),
    cmocka_unit_test(test_damaged),
    cmocka_unit_test(test_long_sibling_list),
    cmocka_unit_test(test_random_damage),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
