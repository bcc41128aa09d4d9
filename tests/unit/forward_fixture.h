/* forward_fixture.h - test helpers for the forward tests: forward_find()
 * on a raw message read by mail_parse(), as intake reads it, or on a body
 * given byte for byte, and the fields of the forward found checked one by
 * one. Include after cmocka.h. Shared by test_forward.c,
 * test_forward_chains.c, test_forward_limits.c and test_forward_markers.c. */
#ifndef IG_TEST_FORWARD_FIXTURE_H
#define IG_TEST_FORWARD_FIXTURE_H

#include <string.h>

#include "parsers/forward.h"
#include "parsers/mail.h"

G_GNUC_UNUSED static IgForward *find_raw(const char *raw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IgMail) mail = mail_parse(raw, strlen(raw), &error);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  assert_non_null(mail);
  assert_non_null(tz); /* needs tzdata */
  return forward_find(mail, tz);
}

/* forward_find() on a message with this subject and exactly this body,
 * built by hand: mail_parse would normalise the bytes under test. */
G_GNUC_UNUSED static IgForward *find_exact(const char *subject, const char *body)
{
  g_autoptr(IgMail) mail = g_new0(IgMail, 1);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  assert_non_null(tz); /* needs tzdata */
  mail->subject = g_strdup(subject);
  mail->body = g_strdup(body);
  mail->attachments = g_ptr_array_new();
  mail->files = g_ptr_array_new();
  mail->embedded = g_ptr_array_new();
  mail->skipped = g_ptr_array_new();
  mail->x_loop = g_new0(char *, 1);
  mail->received = g_new0(char *, 1);
  return forward_find(mail, tz);
}

/* A plain UTF-8 message from the help desk with this subject and body. */
G_GNUC_UNUSED static IgForward *find_text(const char *subject, const char *body)
{
  g_autofree char *raw = g_strdup_printf(
      "From: Help Desk <helpdesk@example.org>\nTo: security@example.org\n"
      "Subject: %s\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s",
      subject, body);
  return find_raw(raw);
}

G_GNUC_UNUSED static void expect_str(const char *what, const char *got, const char *want)
{
  if (g_strcmp0(got, want) != 0) {
    print_error("%s: got \"%s\", want \"%s\"\n", what, got ? got : "NULL",
                want ? want : "NULL");
    fail();
  }
}

/* The fields of f; date as ISO 8601 UTC or NULL. */
G_GNUC_UNUSED static void expect(const IgForward *f, const char *name, const char *addr,
                   const char *date, const char *subject, const char *body,
                   const char *note, guint depth, gboolean attached)
{
  assert_non_null(f);
  g_autofree char *iso = f->date ? g_date_time_format(f->date, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  if (f->date)
    assert_int_equal(g_date_time_get_utc_offset(f->date), 0);
  expect_str("from_name", f->from_name, name);
  expect_str("from_addr", f->from_addr, addr);
  expect_str("date", iso, date);
  expect_str("subject", f->subject, subject);
  assert_non_null(f->body);
  expect_str("body", f->body, body);
  expect_str("note", f->note, note);
  assert_int_equal(f->depth, depth);
  assert_int_equal(f->attached, attached);
}

#define REPORT "Reporter name: Jane Doe\nIncident category: phishing"

#endif
