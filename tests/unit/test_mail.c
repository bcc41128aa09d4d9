/* test_mail.c - unit tests for parsers/mail.c and parsers/html.c: header
 * reading (Message-ID, From, RFC 2047 subjects, threading, Return-Path,
 * X-Loop, report types), transfer encodings, charsets decoded to UTF-8
 * (declared, mislabelled, with NUL bytes), body selection (text/plain over
 * HTML, HTML turned into text), text attachments and attached messages,
 * and hostile input (no header, deep nesting, many parts, huge headers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/error.h"
#include "parsers/html.h"
#include "parsers/mail.h"
#include "tests/unit/msg_writer.h"

/* --- helpers --- */

static IgMail *parse_len(const char *raw, gsize len)
{
  g_autoptr(GError) error = NULL;
  IgMail *m = mail_parse(raw, len, &error);
  if (!m)
    print_error("mail_parse failed: %s\n", error ? error->message : "(no error)");
  assert_non_null(m);
  assert_null(error);
  assert_non_null(m->body);
  assert_non_null(m->attachments);
  return m;
}

static IgMail *parse(const char *raw)
{
  return parse_len(raw, strlen(raw));
}

/* got with surrounding whitespace removed must equal want. */
static void assert_trimmed(const char *got, const char *want)
{
  assert_non_null(got);
  g_autofree char *t = g_strstrip(g_strdup(got));
  if (strcmp(t, want) != 0)
    print_error("got \"%s\", want \"%s\"\n", t, want);
  assert_string_equal(t, want);
}

/* A one-part text/plain message: charset, transfer encoding and the
 * already encoded body bytes. */
static IgMail *parse_body(const char *charset, const char *cte, const char *encoded)
{
  g_autofree char *raw = g_strdup_printf(
      "From: a@example.org\nSubject: body\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=%s\nContent-Transfer-Encoding: %s\n\n%s\n",
      charset, cte, encoded);
  return parse(raw);
}

static void check_body(const char *charset, const char *cte, const char *encoded,
                       const char *want)
{
  g_autoptr(IgMail) m = parse_body(charset, cte, encoded);
  assert_true(g_utf8_validate(m->body, -1, NULL));
  assert_trimmed(m->body, want);
  assert_false(m->body_from_html);
}

static void check_utf8(const char *data, gsize len, const char *charset, const char *want)
{
  g_autofree char *got = mail_to_utf8(data, len, charset);
  assert_non_null(got);
  assert_true(g_utf8_validate(got, -1, NULL));
  if (strcmp(got, want) != 0)
    print_error("mail_to_utf8(charset %s): got \"%s\", want \"%s\"\n",
                charset ? charset : "NULL", got, want);
  assert_string_equal(got, want);
}

static gboolean strv_has(char **v, const char *s)
{
  return v && g_strv_contains((const char *const *)v, s);
}

/* multipart/mixed nested depth levels deep around one text part. */
static char *nested_message(int depth)
{
  GString *s = g_string_new("From: a@example.org\nSubject: deep\nMIME-Version: 1.0\n");
  for (int i = 0; i < depth; i++)
    g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n",
                           i, i);
  g_string_append(s, "Content-Type: text/plain\n\ndeep text\n");
  for (int i = depth - 1; i >= 0; i--)
    g_string_append_printf(s, "--b%d--\n", i);
  return g_string_free(s, FALSE);
}

/* --- headers --- */

static void test_basic_headers(void **state)
{
  g_autoptr(IgMail) m = parse(
      "Message-ID: <abc.123@example.org>\n"
      "From: \"Jane Smith\" <Jane.Smith@Justice.GOV.UK>\n"
      "To: security@justice.gov.uk\n"
      "Subject:   Lost laptop  \n"
      "Date: Sun, 22 Nov 2026 14:40:12 +0100\n"
      "\n"
      "Hello\n");
  assert_string_equal(m->message_id, "abc.123@example.org");
  assert_string_equal(m->from_name, "Jane Smith");
  assert_string_equal(m->from_addr, "jane.smith@justice.gov.uk");
  assert_string_equal(m->subject, "Lost laptop");
  assert_non_null(m->date);
  g_autofree char *date = g_date_time_format(m->date, "%Y-%m-%dT%H:%M:%SZ");
  assert_string_equal(date, "2026-11-22T13:40:12Z");
  assert_int_equal(g_date_time_get_utc_offset(m->date), 0);
  assert_string_equal(m->content_type, "text/plain");
  assert_null(m->report_type);
  assert_trimmed(m->body, "Hello");
  assert_int_equal(m->attachments->len, 0);
  assert_int_equal(m->parts_skipped, 0);
  assert_false(m->has_return_path);
  assert_null(m->return_path);
  assert_null(m->in_reply_to);
  assert_null(m->auto_submitted);
  assert_null(m->precedence);
  assert_null(m->list_id);
  assert_false(m->autoreply_header);
  assert_non_null(m->x_loop);
  assert_null(m->x_loop[0]);
}

static void test_missing_headers(void **state)
{
  g_autoptr(IgMail) m = parse("To: security@justice.gov.uk\n\nbody\n");
  assert_null(m->message_id);
  assert_null(m->from_name);
  assert_null(m->from_addr);
  assert_null(m->subject);
  assert_null(m->date);
  assert_non_null(m->references);
  assert_null(m->references[0]);
  assert_trimmed(m->body, "body");
}

static void test_encoded_words(void **state)
{
  const char *text = "Vol de données – ordinateur";
  g_autofree char *b64 = g_base64_encode((const guchar *)text, strlen(text));
  g_autofree char *raw = g_strdup_printf(
      "From: =?utf-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>\n"
      "Subject: =?utf-8?B?%s?=\n\nx\n", b64);
  g_autoptr(IgMail) m = parse(raw);
  assert_string_equal(m->subject, text);
  assert_string_equal(m->from_name, "Jörg Müller");
  assert_string_equal(m->from_addr, "joerg@example.de");

  g_autoptr(IgMail) q = parse(
      "From: a@example.org\n"
      "Subject: =?iso-8859-1?Q?Caf=E9_ferm=E9?= et =?ISO-8859-1?q?d=E9j=E0?=\n\nx\n");
  assert_string_equal(q->subject, "Café fermé et déjà");

  /* Encoded CR/LF cannot smuggle a header line in. */
  g_autoptr(IgMail) crlf = parse("From: =?utf-8?Q?Eve=0D=0AX?= <eve@example.org>\n"
                                 "Subject: =?utf-8?Q?Hi=0D=0ABcc:_x@evil.example?=\n\nx\n");
  assert_string_equal(crlf->subject, "Hi  Bcc: x@evil.example");
  assert_string_equal(crlf->from_name, "Eve  X");
  /* Display names in quotes and in a comment. */
  g_autoptr(IgMail) quoted = parse("From: \"Smith, Jane\" <Jane@X.org>\n\nx\n");
  assert_string_equal(quoted->from_name, "Smith, Jane");
  assert_string_equal(quoted->from_addr, "jane@x.org");
  g_autoptr(IgMail) comment = parse("From: jane@x.org (Jane Smith)\n\nx\n");
  assert_string_equal(comment->from_name, "Jane Smith");
  assert_string_equal(comment->from_addr, "jane@x.org");

  /* A folded subject becomes one line. */
  g_autoptr(IgMail) f = parse("From: a@example.org\nSubject: first\n second\n\nx\n");
  assert_string_equal(f->subject, "first second");
}

static void test_threading_headers(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\n"
      "In-Reply-To: <parent@example.org>\n"
      "References: <root@example.org>\n <middle@example.org>\n\nx\n");
  assert_string_equal(m->in_reply_to, "parent@example.org");
  assert_int_equal(g_strv_length(m->references), 3);
  assert_true(strv_has(m->references, "parent@example.org"));
  assert_true(strv_has(m->references, "root@example.org"));
  assert_true(strv_has(m->references, "middle@example.org"));
  assert_false(strv_has(m->references, "<root@example.org>"));
}

/* The topmost Received: header is the last relay, the one nearest the
 * mailbox: its date is when the mail arrived. */
static void test_received_date(void **state)
{
  g_autoptr(IgMail) m = parse(
      "Received: from mx.example.org by imap.justice.gov.uk;\n"
      " Mon, 23 Nov 2026 09:02:11 +0000\n"
      "Received: from pc by mx.example.org; Mon, 23 Nov 2026 08:59:00 +0000\n"
      "From: a@example.org\nDate: Mon, 23 Nov 2026 08:58:00 +0000\n\nx\n");
  assert_non_null(m->received_date);
  g_autofree char *at = g_date_time_format_iso8601(m->received_date);
  assert_string_equal(at, "2026-11-23T09:02:11Z");

  g_autoptr(IgMail) none = parse("From: a@example.org\nReceived: from x by y\n\nx\n");
  assert_null(none->received_date);
}

/* Encrypted and opaquely signed reports are recognised; a clear-signed
 * one is read as usual. */
static void test_sealed_parts(void **state)
{
  static const struct { const char *mime; const char *sealed; } cases[] = {
    { "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\n\n"
      "--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--b\n"
      "Content-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\nhQEM\n"
      "-----END PGP MESSAGE-----\n--b--\n", "PGP/MIME encrypted" },
    { "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
      "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\n", "S/MIME encrypted" },
    { "Content-Type: application/x-pkcs7-mime; smime-type=signed-data\n"
      "Content-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n", "S/MIME signed (opaque)" },
    { "Content-Type: text/plain\n\n-----BEGIN PGP MESSAGE-----\nhQEM\n-----END PGP MESSAGE-----\n",
      "inline PGP encrypted" },
    { "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s\n\n"
      "--s\nContent-Type: text/plain\n\nMy laptop was stolen.\n--s\n"
      "Content-Type: application/pkcs7-signature\n\nMIAGCSqG\n--s--\n", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *raw = g_strconcat("From: a@example.org\nMIME-Version: 1.0\n", cases[i].mime,
                                       NULL);
    g_autoptr(IgMail) m = parse(raw);
    assert_string_equal(m->sealed ? m->sealed : "(null)",
                        cases[i].sealed ? cases[i].sealed : "(null)");
  }
  g_autoptr(IgMail) signed_mail = parse(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/signed; "
      "protocol=\"application/pkcs7-signature\"; boundary=s\n\n--s\nContent-Type: text/plain\n\n"
      "My laptop was stolen.\n--s\nContent-Type: application/pkcs7-signature\n\nMIAGCSqG\n--s--\n");
  assert_non_null(strstr(signed_mail->body, "laptop was stolen"));
}

static void test_return_path_and_loops(void **state)
{
  g_autoptr(IgMail) m = parse(
      "Return-Path: <>\n"
      "From: a@example.org\n"
      "X-Loop: security@justice.gov.uk\n"
      "X-Loop:  helpdesk@example.org \n"
      "Auto-Submitted: auto-replied\n"
      "Precedence: bulk\n"
      "List-Id: <staff.example.org>\n"
      "X-Autoreply: yes\n\nx\n");
  assert_true(m->has_return_path);
  assert_string_equal(m->return_path, "");
  assert_int_equal(g_strv_length(m->x_loop), 2);
  assert_string_equal(m->x_loop[0], "security@justice.gov.uk");
  assert_string_equal(m->x_loop[1], "helpdesk@example.org");
  assert_string_equal(m->auto_submitted, "auto-replied");
  assert_string_equal(m->precedence, "bulk");
  assert_string_equal(m->list_id, "<staff.example.org>");
  assert_true(m->autoreply_header);

  g_autoptr(IgMail) r = parse("Return-Path: <Bounce@Example.ORG>\nFrom: a@example.org\n\nx\n");
  assert_true(r->has_return_path);
  assert_string_equal(r->return_path, "bounce@example.org");
}

static void test_delivery_report(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: MAILER-DAEMON@mx.example.org\n"
      "Subject: Undelivered Mail Returned to Sender\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=Delivery-Status; boundary=\"r\"\n\n"
      "--r\nContent-Type: text/plain\n\nDelivery to x@example.org failed.\n"
      "--r\nContent-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; x@example.org\n"
      "Action: failed\nStatus: 5.1.1\n"
      "--r--\n");
  assert_string_equal(m->content_type, "multipart/report");
  assert_string_equal(m->report_type, "delivery-status");
  assert_string_equal(m->from_addr, "mailer-daemon@mx.example.org");
  assert_trimmed(m->body, "Delivery to x@example.org failed.");
  assert_null(m->reported_message_id);
}

/* The mail a bounce reports on is named by the Message-ID of the message
 * it returns, whole (message/rfc822) or its header alone
 * (text/rfc822-headers); the first one returned counts. */
static void test_delivery_report_names_our_mail(void **state)
{
  static const char *const returned[] = {
    "Content-Type: message/rfc822\n\n"
    "From: security@justice.gov.uk\nMessage-ID: <INC-2026-000001.ack.1@justice.gov.uk>\n"
    "Subject: [INC-2026-000001] recorded\n\nYour report was recorded.\n",
    "Content-Type: text/rfc822-headers\n\n"
    "From: security@justice.gov.uk\nMessage-ID: <INC-2026-000001.ack.1@justice.gov.uk>\n"
    "Subject: [INC-2026-000001] recorded\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(returned); i++) {
    g_autofree char *raw = g_strdup_printf(
        "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n\n"
        "--r\nContent-Type: text/plain\n\nDelivery to x@example.org failed.\n"
        "--r\nContent-Type: message/delivery-status\n\nAction: failed\nStatus: 5.1.1\n"
        "--r\n%s--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: <other@example.org>\n"
        "--r--\n", returned[i]);
    g_autoptr(IgMail) m = parse(raw);
    assert_string_equal(m->reported_message_id, "INC-2026-000001.ack.1@justice.gov.uk");
  }
}

/* --- transfer encodings and charsets --- */

static void test_transfer_encodings(void **state)
{
  check_body("utf-8", "quoted-printable",
             "Caf=C3=A9 =E2=80=93 soft=\nbreak =3D ok", "Café – softbreak = ok");
  const char *text = "Große Straße 1\nZweite Zeile";
  g_autofree char *b64 = g_base64_encode((const guchar *)text, strlen(text));
  check_body("utf-8", "base64", b64, text);
  /* Base64 of Windows-1252 bytes: both layers are undone. */
  g_autofree char *cp = g_base64_encode((const guchar *)"\x93Hi\x94 \x96 5\x80", 9);
  check_body("windows-1252", "base64", cp, "“Hi” – 5€");
}

static void test_charsets(void **state)
{
  check_body("iso-8859-1", "8bit", "Caf\xe9 \xa3" "5 na\xefve", "Café £5 naïve");
  check_body("windows-1252", "8bit", "\x93smart\x94 \x91quotes\x92 \x96 \x85",
             "“smart” ‘quotes’ – …");
  check_body("koi8-r", "8bit", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет");
  check_body("shift_jis", "8bit", "\x93\xfa\x96\x7b", "日本");
  check_body("\"Shift_JIS\"", "8bit", "\x83\x65\x83\x58\x83\x67", "テスト");
  check_body("iso-8859-1", "quoted-printable", "r=E9sum=E9", "résumé");
}

static void test_mislabelled_charset(void **state)
{
  /* Declared UTF-8, actually Latin-1. */
  check_body("utf-8", "8bit", "Caf\xe9 cr\xe8me br\xfbl\xe9" "e", "Café crème brûlée");
  /* Declared Latin-1 but the bytes are Windows-1252 smart quotes. */
  check_body("iso-8859-1", "8bit", "\x93quoted\x94", "“quoted”");
  /* No charset at all, 8-bit bytes. */
  g_autoptr(IgMail) m = parse("From: a@example.org\nContent-Type: text/plain\n\n"
                              "na\xefve\n");
  assert_trimmed(m->body, "naïve");
  /* An unknown charset name: UTF-8 kept as it is. */
  check_body("x-no-such-charset", "8bit", "d\xc3\xa9j\xc3\xa0", "déjà");
}

static void test_nul_bytes_removed(void **state)
{
  static const char raw[] = "From: a@example.org\nSubject: nul\n"
                            "Content-Type: text/plain; charset=utf-8\n\nab\0cd\0\0ef\n";
  g_autoptr(IgMail) m = parse_len(raw, sizeof raw - 1);
  /* Were a NUL left in, the C string would end at "ab". */
  assert_trimmed(m->body, "abcdef");
}

static void test_mail_to_utf8(void **state)
{
  check_utf8("Caf\xe9", 4, "iso-8859-1", "Café");
  check_utf8("Caf\xe9", 4, "latin1", "Café");
  check_utf8("\x93hi\x94 \x80", 6, "windows-1252", "“hi” €");
  check_utf8("\x93hi\x94", 4, "cp1252", "“hi”");
  check_utf8("\xf0\xd2\xc9\xd7\xc5\xd4", 6, "KOI8-R", "Привет");
  check_utf8("\x93\xfa\x96\x7b", 4, "Shift_JIS", "日本");
  check_utf8("\x1b$B" "F|K\\" "\x1b(B", 10, "iso-2022-jp", "日本");
  check_utf8("d\xc3\xa9j\xc3\xa0", 6, NULL, "déjà");
  check_utf8("Caf\xe9", 4, NULL, "Café");
  check_utf8("Caf\xe9", 4, "us-ascii", "Café");
  check_utf8("a\0b\0", 4, "utf-8", "ab");
  check_utf8("a\0b", 3, NULL, "ab");
  check_utf8("", 0, "utf-8", "");
  check_utf8("", 0, NULL, "");
  /* Any byte soup comes out as valid UTF-8. */
  g_autofree char *soup = mail_to_utf8("\xff\xfe\xc3\x28\x80\x81", 6, "utf-8");
  assert_true(g_utf8_validate(soup, -1, NULL));
  assert_true(g_str_has_prefix(soup, "ÿþ"));
}

/* One byte that Windows-1252 leaves undefined (0x81) must not make the
 * whole text fall back to ISO-8859-1: the defined bytes keep their
 * Windows-1252 meaning. */
static void test_cp1252_undefined_byte(void **state)
{
  char *got = mail_to_utf8("\x93quote\x94 \x81", 9, "windows-1252");
  gboolean valid = g_utf8_validate(got, -1, NULL);
  gboolean quotes = g_str_has_prefix(got, "“quote”");
  if (!quotes)
    print_error("mail_to_utf8: got \"%s\"\n", got);
  g_free(got); /* before asserting: a failed assertion skips cleanup */
  assert_true(valid);
  assert_true(quotes);
}

/* Raw 8-bit header bytes (no RFC 2047) fall back to Windows-1252 like the
 * body does, so smart quotes in a Subject survive. */
static void test_raw_8bit_subject_cp1252(void **state)
{
  static const char raw[] = "From: a@example.org\nSubject: caf\xe9 \x93urgent\x94\n\nx\n";
  IgMail *m = mail_parse(raw, sizeof raw - 1, NULL);
  assert_non_null(m);
  gboolean ok = g_strcmp0(m->subject, "café “urgent”") == 0;
  if (!ok)
    print_error("raw 8-bit subject: got \"%s\"\n", m->subject);
  mail_free(m); /* before asserting: a failed assertion skips cleanup */
  assert_true(ok);
}

/* GMime takes F6 BB 9E 86 (old-style UTF-8 for a code point past
 * U+10FFFF) as UTF-8; GLib and JSON do not, so no header string keeps it. */
static void test_raw_8bit_headers_valid_utf8(void **state)
{
  static const char raw[] =
      "From: J\xf6\xbb\x9e\x86 <a@example.org>\nSubject: x\xf6\xbb\x9e\x86\n"
      "Message-ID: <\xf6\xbb\x9e\x86@x>\nReferences: <r\xf6\xbb\x9e\x86@x>\n"
      "X-Loop: l\xf6\xbb\x9e\x86\nList-Id: l\xf6\xbb\x9e\x86\n"
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Disposition: attachment; filename=\"f\xf6\xbb\x9e\x86.txt\"\n\nx\n--b--\n";
  g_autoptr(IgMail) m = parse_len(raw, sizeof raw - 1);
  const char *const fields[] = { m->from_name, m->subject, m->message_id, m->list_id };
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++) {
    assert_non_null(fields[i]);
    assert_true(g_utf8_validate(fields[i], -1, NULL));
  }
  assert_true(g_strv_length(m->references) == 1 && g_strv_length(m->x_loop) == 1);
  assert_true(g_utf8_validate(m->references[0], -1, NULL));
  assert_true(g_utf8_validate(m->x_loop[0], -1, NULL));
  assert_int_equal(m->attachments->len, 1);
  const IgTextPart *t = g_ptr_array_index(m->attachments, 0);
  assert_non_null(t->filename);
  assert_true(g_utf8_validate(t->filename, -1, NULL));
}

/* --- structure --- */

static void test_alternative_prefers_plain(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
      "--alt\nContent-Type: text/html; charset=utf-8\n\n<p>HTML <b>version</b></p>\n"
      "--alt\nContent-Type: text/plain; charset=utf-8\n\nPlain version\n"
      "--alt--\n");
  assert_string_equal(m->content_type, "multipart/alternative");
  assert_trimmed(m->body, "Plain version");
  assert_false(m->body_from_html);
  assert_int_equal(m->attachments->len, 0);
}

static void test_html_only(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: text/html; charset=utf-8\n\n"
      "<html><head><title>Title</title><style>p { color: red; }</style>"
      "<script>alert('head');</script></head>\n<body>"
      "<p>First paragraph.</p><p>Second\n   paragraph.</p>"
      "<ul><li>one</li><li>two</li></ul>"
      "<script>var secret = 1;</script>"
      "<p>See <a href=\"https://example.org/x\">the page</a>.</p>"
      "</body></html>\n");
  assert_true(m->body_from_html);
  assert_null(strstr(m->body, "alert"));
  assert_null(strstr(m->body, "secret"));
  assert_null(strstr(m->body, "color"));
  assert_null(strstr(m->body, "Title"));
  assert_null(strstr(m->body, "<p>"));
  assert_trimmed(m->body,
                 "First paragraph.\n\nSecond paragraph.\n\n- one\n- two\n"
                 "See the page <https://example.org/x>.");
}

static void test_html_to_text(void **state)
{
  static const char html[] =
      "<div>Line one<br>Line two</div><!-- hidden comment -->"
      "<table><tr><td>Name</td><td>Jane</td></tr><tr><th>Phone</th><td>0123</td></tr></table>"
      "<p><a href=\"mailto:ost@justice.gov.uk\">ost@justice.gov.uk</a> or "
      "<a href=\"https://example.org/\">https://example.org/</a> or "
      "<a href=\"mailto:ost@justice.gov.uk\">OST</a></p>"
      "<p>caf&eacute; &amp; &lt;tag&gt;</p>";
  g_autofree char *t = html_to_text(html, sizeof html - 1);
  assert_string_equal(t, "Line one\nLine two\nName: Jane\nPhone: 0123\n"
                         "ost@justice.gov.uk or https://example.org/ or OST "
                         "<ost@justice.gov.uk>\n\ncafé & <tag>");
  /* The text is already UTF-8: a stale <meta charset> must not re-decode it. */
  static const char meta[] = "<html><head><meta http-equiv=\"Content-Type\" "
                             "content=\"text/html; charset=iso-8859-1\"></head>"
                             "<body><p>caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d</p></body></html>";
  g_autofree char *m = html_to_text(meta, sizeof meta - 1);
  assert_string_equal(m, "café “q”");
  g_autofree char *empty = html_to_text("", 0);
  assert_string_equal(empty, "");
  /* Wider tables keep their cells apart; a label cell ending in ':' gets
   * no second colon; <pre> keeps its lines. */
  static const char wide[] = "<table><tr><td>a</td><td>b</td><td>c</td></tr></table>"
                             "<table><tr><td>Impact:</td><td>High</td></tr></table>"
                             "<pre>Impact: low\nNear miss: no</pre>";
  g_autofree char *w = html_to_text(wide, sizeof wide - 1);
  assert_string_equal(w, "a | b | c\nImpact: High\nImpact: low\nNear miss: no");
  g_autofree char *only_script = html_to_text("<script>x()</script>", 20);
  assert_string_equal(only_script, "");
}

/* A reply's quoted message in <blockquote> keeps its quoting as "> "
 * lines, nested ones and list items and <pre> lines included; the reply's
 * own lines around it get no mark. */
static void test_html_blockquote(void **state)
{
  static const char html[] =
      "<div>Status: resolved</div><div>On Mon, 23 Nov 2026, Sec &lt;s@x.uk&gt; wrote:</div>"
      "<blockquote><div>Status: new<br>Impact:   low</div><ul><li>item</li></ul>"
      "<blockquote>inner<p>para</p></blockquote><pre>one\ntwo</pre>after</blockquote>"
      "<p>Thanks</p>";
  g_autofree char *t = html_to_text(html, sizeof html - 1);
  assert_string_equal(t, "Status: resolved\nOn Mon, 23 Nov 2026, Sec <s@x.uk> wrote:\n"
                         "> Status: new\n> Impact: low\n> - item\n> inner\n> para\n\n"
                         "> one\n> two\n> after\nThanks");
}

static void test_text_attachment(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"mix\"\n\n"
      "--mix\nContent-Type: text/plain; charset=utf-8\n\nSee attached.\n"
      "--mix\nContent-Type: text/plain; charset=iso-8859-1\n"
      "Content-Disposition: attachment; filename=form.txt\n"
      "Content-Transfer-Encoding: quoted-printable\n\n"
      "Reporter name: Ren=E9e Smith\n"
      "--mix\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=x.pdf\n"
      "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
      "--mix--\n");
  assert_string_equal(m->content_type, "multipart/mixed");
  assert_trimmed(m->body, "See attached.");
  assert_int_equal(m->attachments->len, 1);
  IgTextPart *a = g_ptr_array_index(m->attachments, 0);
  assert_string_equal(a->filename, "form.txt");
  assert_string_equal(a->content_type, "text/plain");
  assert_trimmed(a->text, "Reporter name: Renée Smith");
}

static void test_attached_message(void **state)
{
  g_autoptr(IgMail) m = parse(
      "From: supplier@example-supplier.co.uk\nSubject: Fwd: incident\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"fwd\"\n\n"
      "--fwd\nContent-Type: text/plain\n\nPlease see the forwarded report.\n"
      "--fwd\nContent-Type: message/rfc822\n\n"
      "From: Original Sender <orig@example-supplier.co.uk>\nSubject: Phishing\n"
      "Content-Type: text/plain; charset=utf-8\n\nOriginal report text.\n"
      "--fwd--\n");
  assert_trimmed(m->body, "Please see the forwarded report.");
  assert_string_equal(m->subject, "Fwd: incident");
  assert_int_equal(m->attachments->len, 1);
  IgTextPart *a = g_ptr_array_index(m->attachments, 0);
  assert_null(a->filename);
  assert_string_equal(a->content_type, "text/plain");
  assert_trimmed(a->text, "Original report text.");

  /* An HTML cover note: the attached message's plain text stays an
   * attachment and does not displace the sender's own (HTML) body. */
  g_autoptr(IgMail) h = parse(
      "From: supplier@example-supplier.co.uk\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"fwd\"\n\n"
      "--fwd\nContent-Type: text/html\n\n<p>See the <b>attached</b> report.</p>\n"
      "--fwd\nContent-Type: message/rfc822\n\n"
      "From: orig@example-supplier.co.uk\nSubject: Phishing\n\nOriginal report text.\n"
      "--fwd--\n");
  assert_true(h->body_from_html);
  assert_trimmed(h->body, "See the attached report.");
  assert_int_equal(h->attachments->len, 1);
  assert_trimmed(((IgTextPart *)g_ptr_array_index(h->attachments, 0))->text,
                 "Original report text.");
}

/* What a reported suspicious mail carries as evidence: its Reply-To,
 * every relay, its HTML markup (for link targets) and each attachment's
 * name and SHA-256, the attached message's kept apart from the cover
 * mail's. */
static void test_evidence_fields(void **state)
{
  g_autoptr(IgMail) m = parse(
      "Received: from mx.justice.gov.uk by store.justice.gov.uk; Mon, 23 Nov 2026 09:02:11 +0000\n"
      "Received: from mail.evil.example (mail.evil.example [203.0.113.7])\n"
      "\tby mx.justice.gov.uk; Mon, 23 Nov 2026 09:02:10 +0000\n"
      "From: Accounts <accounts@invoices.example>\nReply-To: \"Pay\" <Pay@Collect.Example>\n"
      "Subject: Invoice overdue\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: multipart/alternative; boundary=\"a\"\n\n"
      "--a\nContent-Type: text/plain\n\nPay now.\n"
      "--a\nContent-Type: text/html\n\n<a href=\"https://evil.example/pay\">Pay now</a>\n"
      "--a--\n"
      "--m\nContent-Type: application/pdf; name=\"invoice.pdf\"\n"
      "Content-Disposition: attachment; filename=\"invoice.pdf\"\n"
      "Content-Transfer-Encoding: base64\n\naGVsbG8=\n"
      "--m\nContent-Type: message/rfc822\n\n"
      "From: inner@example.org\nSubject: inner\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"i\"\n\n"
      "--i\nContent-Type: text/plain\n\ninner text\n"
      "--i\nContent-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"x.bin\"\n\nabc\n"
      "--i--\n"
      "--m--\n");
  assert_string_equal(m->reply_to, "pay@collect.example");
  assert_int_equal(g_strv_length(m->received), 2);
  assert_string_equal(m->received[0],
                      "from mx.justice.gov.uk by store.justice.gov.uk; Mon, 23 Nov 2026 09:02:11 +0000");
  assert_non_null(strstr(m->received[1], "[203.0.113.7]"));
  assert_non_null(strstr(m->received[1], "by mx.justice.gov.uk"));
  assert_null(strpbrk(m->received[1], "\r\n\t"));
  assert_non_null(strstr(m->html, "href=\"https://evil.example/pay\""));
  assert_trimmed(m->body, "Pay now.");
  assert_int_equal(m->files->len, 1);
  IgFilePart *f = g_ptr_array_index(m->files, 0);
  assert_string_equal(f->filename, "invoice.pdf");
  assert_string_equal(f->content_type, "application/pdf");
  assert_int_equal(f->size, 5);
  assert_string_equal(f->sha256,
                      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  assert_int_equal(m->embedded->len, 1);
  IgMail *inner = g_ptr_array_index(m->embedded, 0);
  assert_null(m->sha256);
  assert_non_null(inner->sha256);
  assert_int_equal(strlen(inner->sha256), 64);
  assert_int_equal(inner->files->len, 1);
  assert_string_equal(((IgFilePart *)g_ptr_array_index(inner->files, 0))->filename, "x.bin");
  assert_null(inner->reply_to);
  assert_int_equal(g_strv_length(inner->received), 0);
  assert_null(inner->html);
}

/* The raw mail of a staff member attaching an Outlook item (base64). */
static char *with_outlook_item(GBytes *item)
{
  g_autofree char *b64 = g_base64_encode(g_bytes_get_data(item, NULL), g_bytes_get_size(item));
  return g_strdup_printf(
      "From: jane.smith@justice.gov.uk\nSubject: Suspicious\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"m\"\n\n"
      "--m\nContent-Type: text/plain\n\nSee the attached item.\n"
      "--m\nContent-Type: application/vnd.ms-outlook; name=\"Invoice overdue.msg\"\n"
      "Content-Disposition: attachment; filename=\"Invoice overdue.msg\"\n"
      "Content-Transfer-Encoding: base64\n\n%s\n--m--\n", b64);
}

/* An Outlook item attached is read as an attached message: its sender,
 * Reply-To, relays, links and files, its SHA-256 that of the item. */
static void test_outlook_item(void **state)
{
  static const char payload[] = "MZ fake";
  const MsgWriterAttachment files[] = {
    { .filename = "payslip.pdf.exe", .mime_type = "application/octet-stream",
      .data = payload, .len = sizeof(payload) - 1 },
  };
  const MsgWriterItem item = {
    .subject = "Invoice overdue",
    .transport_headers =
        "Received: from mail.evil.example ([203.0.113.9]) by mx.justice.gov.uk;"
        " Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        "From: Accounts <accounts@evil.example>\r\nReply-To: pay@collect.example\r\n"
        "Subject: Invoice overdue\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\n",
    .body = "Pay now.",
    .html = "<a href=\"https://evil.example/pay\">Pay now</a>",
    .attachments = files,
    .n_attachments = 1,
  };
  g_autoptr(GBytes) msg = msg_writer_write(&item);
  g_autofree char *raw = with_outlook_item(msg);
  g_autoptr(IgMail) m = parse(raw);
  assert_trimmed(m->body, "See the attached item.");
  assert_int_equal(m->embedded->len, 1);
  IgMail *inner = g_ptr_array_index(m->embedded, 0);
  assert_string_equal(inner->from_addr, "accounts@evil.example");
  assert_string_equal(inner->reply_to, "pay@collect.example");
  assert_string_equal(inner->subject, "Invoice overdue");
  assert_int_equal(g_strv_length(inner->received), 1);
  assert_non_null(strstr(inner->html, "https://evil.example/pay"));
  assert_int_equal(inner->files->len, 1);
  assert_string_equal(((IgFilePart *)g_ptr_array_index(inner->files, 0))->filename,
                      "payslip.pdf.exe");
  g_autofree char *hash = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, msg);
  assert_string_equal(inner->sha256, hash);
  assert_int_equal(m->skipped->len, 0);

  /* what the conversion left out is noted for OST */
  static const char rtf[] = "compressed RTF stand-in";
  const MsgWriterItem rtf_only = { .subject = "rtf", .sender_address = "x@evil.example",
                                   .rtf = rtf, .rtf_len = sizeof(rtf) - 1 };
  g_autoptr(GBytes) rtf_msg = msg_writer_write(&rtf_only);
  g_autofree char *rtf_raw = with_outlook_item(rtf_msg);
  g_autoptr(IgMail) r = parse(rtf_raw);
  assert_int_equal(r->embedded->len, 1);
  assert_int_equal(r->skipped->len, 1);
  assert_true(g_str_has_prefix(g_ptr_array_index(r->skipped, 0), "Outlook item: "));

  /* an item that is not one: noted, the rest read */
  GBytes *junk = g_bytes_new_static("not an OLE2 file at all", 23);
  g_autofree char *bad = with_outlook_item(junk);
  g_bytes_unref(junk);
  g_autoptr(IgMail) b = parse(bad);
  assert_int_equal(b->embedded->len, 0);
  assert_int_equal(b->skipped->len, 1);
  assert_non_null(strstr(g_ptr_array_index(b->skipped, 0), "1 Outlook item (.msg) could not be read"));
  assert_trimmed(b->body, "See the attached item.");
}

/* --- hostile input --- */

static void test_not_a_message(void **state)
{
  g_autoptr(GError) error = NULL;
  IgMail *m = mail_parse("", 0, &error);
  assert_null(m);
  assert_non_null(error);
  assert_true(g_error_matches(error, IG_ERROR, IG_ERROR_INPUT));
  /* Also safe without a GError. */
  assert_null(mail_parse("", 0, NULL));
}

static void test_deep_nesting(void **state)
{
  g_autofree char *shallow = nested_message(5);
  g_autoptr(IgMail) ok = parse(shallow);
  assert_trimmed(ok->body, "deep text");
  assert_int_equal(ok->parts_skipped, 0);

  g_autofree char *deep = nested_message(200);
  g_autoptr(IgMail) m = parse(deep);
  assert_true(m->parts_skipped > 0);
  assert_string_equal(m->content_type, "multipart/mixed");
  assert_string_equal(m->body, "");
}

static void test_many_parts(void **state)
{
  GString *s = g_string_new("From: a@example.org\nMIME-Version: 1.0\n"
                            "Content-Type: multipart/mixed; boundary=\"p\"\n\n");
  for (int i = 0; i < 300; i++)
    g_string_append_printf(s, "--p\nContent-Type: text/plain\n"
                              "Content-Disposition: attachment; filename=f%d.txt\n\n%d\n", i, i);
  g_string_append(s, "--p--\n");
  g_autofree char *raw = g_string_free(s, FALSE);
  g_autoptr(IgMail) m = parse(raw);
  assert_true(m->parts_skipped > 0);
  assert_true(m->attachments->len < 300);
  /* Every part is either read or counted as skipped. */
  assert_int_equal(m->attachments->len + m->parts_skipped, 300);
  IgTextPart *first = g_ptr_array_index(m->attachments, 0);
  assert_string_equal(first->filename, "f0.txt");
}

static void test_huge_header_line(void **state)
{
  const gsize n = 2 * 1024 * 1024;
  GString *s = g_string_new("From: a@example.org\nX-Junk: ");
  for (gsize i = 0; i < n; i++)
    g_string_append_c(s, 'a');
  g_string_append(s, "\nSubject: after the junk\n\nstill read\n");
  g_autoptr(IgMail) m = parse_len(s->str, s->len);
  g_string_free(s, TRUE);
  assert_string_equal(m->from_addr, "a@example.org");
  assert_string_equal(m->subject, "after the junk");
  assert_trimmed(m->body, "still read");

  /* A 2 MB subject: kept, one line. */
  GString *t = g_string_new("From: a@example.org\nSubject: ");
  for (gsize i = 0; i < n; i++)
    g_string_append_c(t, i % 80 == 79 ? ' ' : 'b');
  g_string_append(t, "\n\nx\n");
  g_autoptr(IgMail) big = parse_len(t->str, t->len);
  g_string_free(t, TRUE);
  assert_non_null(big->subject);
  assert_true(strlen(big->subject) > n / 2);
  assert_null(strchr(big->subject, '\n'));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_basic_headers),
    cmocka_unit_test(test_missing_headers),
    cmocka_unit_test(test_encoded_words),
    cmocka_unit_test(test_threading_headers),
    cmocka_unit_test(test_received_date),
    cmocka_unit_test(test_sealed_parts),
    cmocka_unit_test(test_return_path_and_loops),
    cmocka_unit_test(test_delivery_report),
    cmocka_unit_test(test_transfer_encodings),
    cmocka_unit_test(test_charsets),
    cmocka_unit_test(test_mislabelled_charset),
    cmocka_unit_test(test_nul_bytes_removed),
    cmocka_unit_test(test_mail_to_utf8),
    cmocka_unit_test(test_cp1252_undefined_byte),
    cmocka_unit_test(test_raw_8bit_subject_cp1252),
    cmocka_unit_test(test_raw_8bit_headers_valid_utf8),
    cmocka_unit_test(test_alternative_prefers_plain),
    cmocka_unit_test(test_html_only),
    cmocka_unit_test(test_html_to_text),
    cmocka_unit_test(test_html_blockquote),
    cmocka_unit_test(test_text_attachment),
    cmocka_unit_test(test_attached_message),
    cmocka_unit_test(test_not_a_message),
    cmocka_unit_test(test_evidence_fields),
    cmocka_unit_test(test_outlook_item),
    cmocka_unit_test(test_deep_nesting),
    cmocka_unit_test(test_many_parts),
    cmocka_unit_test(test_huge_header_line),
    cmocka_unit_test(test_delivery_report_names_our_mail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
