/* test_compose.c - unit tests for gateway/compose.c: outgoing mail is a
 * complete RFC 5322 message with CRLF line endings, the headers SPEC 6
 * asks for, encoded values that cannot inject headers, and bodies that
 * parse back to the text that went in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "gateway/compose.h"
#include "parsers/mail.h"

static char *compose_text(const char *subject, const char *text, const char *html,
                          gboolean auto_replied)
{
  const char *to[] = { "jane.smith@justice.gov.uk", NULL };
  const char *refs[] = { "orig@justice.gov.uk", NULL };
  g_autoptr(GDateTime) date = g_date_time_new_utc(2026, 11, 22, 14, 40, 12);
  IgOutMail m = {
    .from = "IT Security Incidents <security@justice.gov.uk>",
    .to = to,
    .subject = subject,
    .text = text,
    .html = html,
    .message_id = "INC-2026-000001.ack.1@justice.gov.uk",
    .in_reply_to = "orig@justice.gov.uk",
    .references = refs,
    .auto_replied = auto_replied,
    .loop_address = "security@justice.gov.uk",
    .date = date,
  };
  g_autoptr(GBytes) bytes = compose_mail(&m);
  gsize len = 0;
  const char *data = g_bytes_get_data(bytes, &len);
  return g_strndup(data, len);
}

static void test_headers(void **state)
{
  g_autofree char *mail = compose_text("[INC-2026-000001] Recorded", "Hello\nWorld\n", NULL, TRUE);
  const char *expect[] = {
    "Date: Sun, 22 Nov 2026 14:40:12 +0000\r\n",
    "From: IT Security Incidents <security@justice.gov.uk>\r\n",
    "Subject: [INC-2026-000001] Recorded\r\n",
    "To: jane.smith@justice.gov.uk\r\n",
    "Message-ID: <INC-2026-000001.ack.1@justice.gov.uk>\r\n",
    "In-Reply-To: <orig@justice.gov.uk>\r\n",
    "References: <orig@justice.gov.uk>\r\n",
    "Auto-Submitted: auto-replied\r\n",
    "X-Auto-Response-Suppress: All\r\n",
    "X-Loop: security@justice.gov.uk\r\n",
    "MIME-Version: 1.0\r\n",
    "Content-Transfer-Encoding: 7bit\r\n\r\nHello\r\nWorld\r\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(expect); i++)
    assert_non_null(strstr(mail, expect[i]));
  g_autofree char *generated = compose_text("x", "y", NULL, FALSE);
  assert_non_null(strstr(generated, "Auto-Submitted: auto-generated\r\n"));
}

static void test_every_line_ends_crlf(void **state)
{
  g_autofree char *mail = compose_text("Subject with ünïcode and a long tail that will need folding "
                                       "because it goes on and on past seventy-eight columns",
                                       "line one\nline two – ü\n", "<p>x</p>", TRUE);
  for (const char *p = mail; (p = strchr(p, '\n')); p++)
    assert_true(p > mail && p[-1] == '\r');
}

static void test_no_header_injection(void **state)
{
  g_autofree char *mail = compose_text("Hi\r\nBcc: evil@example.org\nX-Evil: 1", "body", NULL, TRUE);
  assert_null(strstr(mail, "\r\nBcc:"));
  assert_null(strstr(mail, "\r\nX-Evil:"));
  g_autoptr(IgMail) parsed = mail_parse(mail, strlen(mail), NULL);
  assert_non_null(parsed);
  assert_string_equal(parsed->subject, "Hi  Bcc: evil@example.org X-Evil: 1");
}

static void test_round_trip_utf8(void **state)
{
  const char *subject = "[INC-2026-000007] Seán’s report – £2 postage";
  const char *text = "Dear Seán,\n\nThe cost was £2 – “small”.\n";
  g_autofree char *mail = compose_text(subject, text, NULL, TRUE);
  assert_null(strstr(mail, "Seán"));           /* encoded, not raw 8-bit */
  assert_non_null(strstr(mail, "quoted-printable"));
  g_autoptr(IgMail) parsed = mail_parse(mail, strlen(mail), NULL);
  assert_non_null(parsed);
  assert_string_equal(parsed->subject, subject);
  g_auto(GStrv) lines = g_strsplit(parsed->body, "\r\n", -1);
  g_autofree char *lf = g_strjoinv("\n", lines);
  assert_string_equal(lf, text);
}

static void test_long_line_encoded(void **state)
{
  g_autofree char *line = g_strnfill(2000, 'a');
  g_autofree char *mail = compose_text("x", line, NULL, TRUE);
  assert_non_null(strstr(mail, "Content-Transfer-Encoding: quoted-printable"));
  for (const char *p = mail, *nl; (nl = strchr(p, '\n')); p = nl + 1)
    assert_true(nl - p <= 1000);
  g_autoptr(IgMail) parsed = mail_parse(mail, strlen(mail), NULL);
  assert_string_equal(g_strchomp(parsed->body), line);
}

static void test_alternative_html(void **state)
{
  g_autofree char *mail = compose_text("Digest", "plain text", "<p>rich <b>text</b></p>", FALSE);
  g_autoptr(IgMail) parsed = mail_parse(mail, strlen(mail), NULL);
  assert_non_null(parsed);
  assert_string_equal(parsed->content_type, "multipart/alternative");
  assert_string_equal(g_strchomp(parsed->body), "plain text");
}

/* Display names with specials are quoted, non-ASCII ones encoded. */
static void test_from_phrases(void **state)
{
  const char *to[] = { "a@justice.gov.uk", NULL };
  g_autoptr(GDateTime) date = g_date_time_new_utc(2026, 11, 22, 14, 40, 12);
  IgOutMail m = { .from = "\"Security, IT\" <security@justice.gov.uk>", .to = to,
                  .subject = "s", .text = "t", .message_id = "x@y", .date = date };
  g_autoptr(GBytes) quoted = compose_mail(&m);
  assert_non_null(strstr(g_bytes_get_data(quoted, NULL),
                         "From: \"Security, IT\" <security@justice.gov.uk>\r\n"));
  m.from = "Sécurité <security@justice.gov.uk>";
  g_autoptr(GBytes) encoded = compose_mail(&m);
  gsize len = 0;
  const char *data = g_bytes_get_data(encoded, &len);
  g_autoptr(IgMail) parsed = mail_parse(data, len, NULL);
  assert_string_equal(parsed->from_name, "Sécurité");
  assert_string_equal(parsed->from_addr, "security@justice.gov.uk");
}

static void test_message_id_shape(void **state)
{
  g_autofree char *a = compose_message_id("INC-2026-000001", "ack", "security@justice.gov.uk");
  g_autofree char *b = compose_message_id("INC-2026-000001", "ack", "security@justice.gov.uk");
  assert_true(g_str_has_prefix(a, "INC-2026-000001.ack."));
  assert_true(g_str_has_suffix(a, "@justice.gov.uk"));
  assert_string_not_equal(a, b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_headers),
    cmocka_unit_test(test_every_line_ends_crlf),
    cmocka_unit_test(test_no_header_injection),
    cmocka_unit_test(test_round_trip_utf8),
    cmocka_unit_test(test_long_line_encoded),
    cmocka_unit_test(test_alternative_html),
    cmocka_unit_test(test_from_phrases),
    cmocka_unit_test(test_message_id_shape),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
