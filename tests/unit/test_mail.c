/* test_mail.c - unit tests for parsers/mail.c: header reading
 * (Message-ID, From, RFC 2047 subjects, threading, Return-Path, X-Loop,
 * report types, sealed parts), transfer encodings and charsets decoded to
 * UTF-8 (declared, mislabelled, with NUL bytes, raw 8-bit headers). The
 * body's structure is test_mail_parts.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gateway/error.h"
#include "parsers/html.h"
#include "parsers/mail.h"
#include "tests/unit/mail_fixture.h"
#include "tests/unit/msg_writer.h"

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
    cmocka_unit_test(test_delivery_report_names_our_mail),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
