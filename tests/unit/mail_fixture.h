/* mail_fixture.h - what the mail parser's tests share: parsing a raw
 * message (it must parse), bodies in a charset and transfer encoding,
 * and messages nested deep. Include after cmocka.h. */
#ifndef IG_TEST_MAIL_FIXTURE_H
#define IG_TEST_MAIL_FIXTURE_H

#include <string.h>

#include "parsers/mail.h"

G_GNUC_UNUSED static IgMail *parse_len(const char *raw, gsize len)
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

G_GNUC_UNUSED static IgMail *parse(const char *raw)
{
  return parse_len(raw, strlen(raw));
}

/* got with surrounding whitespace removed must equal want. */
G_GNUC_UNUSED static void assert_trimmed(const char *got, const char *want)
{
  assert_non_null(got);
  g_autofree char *t = g_strstrip(g_strdup(got));
  if (strcmp(t, want) != 0)
    print_error("got \"%s\", want \"%s\"\n", t, want);
  assert_string_equal(t, want);
}

/* A one-part text/plain message: charset, transfer encoding and the
 * already encoded body bytes. */
G_GNUC_UNUSED static IgMail *parse_body(const char *charset, const char *cte, const char *encoded)
{
  g_autofree char *raw = g_strdup_printf(
      "From: a@example.org\nSubject: body\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=%s\nContent-Transfer-Encoding: %s\n\n%s\n",
      charset, cte, encoded);
  return parse(raw);
}

G_GNUC_UNUSED static void check_body(const char *charset, const char *cte, const char *encoded,
                       const char *want)
{
  g_autoptr(IgMail) m = parse_body(charset, cte, encoded);
  assert_true(g_utf8_validate(m->body, -1, NULL));
  assert_trimmed(m->body, want);
  assert_false(m->body_from_html);
}

G_GNUC_UNUSED static void check_utf8(const char *data, gsize len, const char *charset, const char *want)
{
  g_autofree char *got = mail_to_utf8(data, len, charset);
  assert_non_null(got);
  assert_true(g_utf8_validate(got, -1, NULL));
  if (strcmp(got, want) != 0)
    print_error("mail_to_utf8(charset %s): got \"%s\", want \"%s\"\n",
                charset ? charset : "NULL", got, want);
  assert_string_equal(got, want);
}

G_GNUC_UNUSED static gboolean strv_has(char **v, const char *s)
{
  return v && g_strv_contains((const char *const *)v, s);
}

/* multipart/mixed nested depth levels deep around one text part. */
G_GNUC_UNUSED static char *nested_message(int depth)
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


#endif
