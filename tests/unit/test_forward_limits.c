/* test_forward_limits.c - unit tests for parsers/forward.c at its edges:
 * each length limit exactly at the limit and one past it (header block
 * lines, the bytes before a key's colon, marker lines, date values), the
 * no-break spaces Outlook writes around header keys and values (U+00A0,
 * U+202F) in every place white space is trimmed or tells a continuation,
 * values that are only white space, quoted names, implausible addresses
 * and the repairs made to dates. The message text is given to
 * forward_find() byte for byte (no mail_parse, which would normalise the
 * very bytes under test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/forward.h"
#include "parsers/mail.h"
#include "tests/unit/forward_fixture.h"

#define NBSP "\xc2\xa0"   /* U+00A0 NO-BREAK SPACE */
#define NNBSP "\xe2\x80\xaf" /* U+202F NARROW NO-BREAK SPACE */
#define BAD "\xef\xbf\xbd"   /* U+FFFD: a byte that is no UTF-8, made valid */

/* --- length limits --- */

/* "-----Original Message-----" over a block of n key lines: From, Cc
 * lines, and last "Subject: Last". */
static IgForward *find_block_of(guint n)
{
  g_autoptr(GString) body = g_string_new("-----Original Message-----\n"
                                         "From: Jane Doe <jane.doe@example.org>\n");
  for (guint i = 2; i < n; i++)
    g_string_append_printf(body, "Cc: user%u@example.org\n", i);
  g_string_append(body, "Subject: Last\n\nText\n");
  return find_exact("FW: Phishing", body->str);
}

/* A header block is read for 40 lines; the 41st is body. */
static void test_block_lines(void **state)
{
  g_autoptr(IgForward) forty = find_block_of(40);
  expect(forty, "Jane Doe", "jane.doe@example.org", NULL, "Last", "Text", NULL, 1, FALSE);

  g_autoptr(IgForward) past = find_block_of(41);
  expect(past, "Jane Doe", "jane.doe@example.org", NULL, NULL, "Subject: Last\n\nText",
         NULL, 1, FALSE);
}

/* A bare Outlook block whose From key is padded with `pad` spaces. */
static IgForward *find_padded_key(guint pad)
{
  g_autofree char *spaces = g_strnfill(pad, ' ');
  g_autofree char *body = g_strdup_printf(
      "From%s: Jane Doe <jane.doe@example.org>\n"
      "Sent: 23 November 2026 09:14\nTo: IT\nSubject: Phishing\n\nText\n", spaces);
  return find_exact("FW: Phishing", body);
}

/* A key's colon is looked for in the line's first MAX_KEY_LEN + 4 = 20
 * bytes, padding included: "From" and 15 spaces put it at byte 20, one
 * more space past the window, and the line is no key. */
static void test_key_length(void **state)
{
  g_autoptr(IgForward) in = find_padded_key(15);
  expect(in, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing", "Text",
         NULL, 1, FALSE);

  g_autoptr(IgForward) out = find_padded_key(16);
  assert_null(out);
}

/* A Gmail marker of len bytes, the words between runs of dashes, over a
 * block without a date (so that it is no bare Outlook block either). */
static IgForward *find_marker_of(guint len)
{
  static const char words[] = " Forwarded message ";
  const guint dashes = len - (guint)strlen(words);
  g_autofree char *lead = g_strnfill(dashes / 2, '-');
  g_autofree char *tail = g_strnfill(dashes - dashes / 2, '-');
  g_autofree char *body = g_strdup_printf(
      "%s%s%s\nFrom: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText\n", lead,
      words, tail);
  return find_exact("Fwd: Phishing", body);
}

/* A wrapped Gmail attribution whose second line ("... wrote:") is len
 * bytes, above an unquoted forward. */
static IgForward *find_wrapped_attribution_of(guint len)
{
  static const char end[] = "jane.doe@example.org> wrote:";
  g_autofree char *names = g_strnfill(len - (guint)strlen(end), 'x');
  g_autofree char *body = g_strdup_printf(
      "Thanks.\n\nOn Mon, 23 Nov 2026 at 09:14, Jane Doe <\n%s%s\n\n"
      "---------- Forwarded message ---------\n"
      "From: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText\n", names, end);
  return find_exact("Fwd: Phishing", body);
}

/* Marker and attribution lines are at most 300 bytes; longer is text. */
static void test_marker_length(void **state)
{
  g_autoptr(IgForward) in = find_marker_of(300);
  expect(in, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", NULL, 1, FALSE);

  g_autoptr(IgForward) out = find_marker_of(301);
  assert_null(out);

  /* the attribution ends the search: what follows is reply history */
  g_autoptr(IgForward) reply = find_wrapped_attribution_of(300);
  assert_null(reply);

  /* too long for an attribution: the forward below it is read */
  g_autoptr(IgForward) text = find_wrapped_attribution_of(301);
  assert_non_null(text);
  expect_str("from_addr", text->from_addr, "jane.doe@example.org");
}

/* The forward of a Thunderbird block with this Date value. */
static IgForward *find_dated(const char *date)
{
  g_autofree char *body = g_strdup_printf(
      "-------- Forwarded Message --------\n"
      "Subject: Phishing\nDate: %s\nFrom: jane.doe@example.org\n\nText\n", date);
  return find_exact("Fwd: Phishing", body);
}

/* A date value is read up to 200 bytes (as ukdate reads them), counted
 * after its comments are dropped; a longer one is no date, not cut to
 * 200 bytes that might read as one. */
static void test_date_length(void **state)
{
  static const char date[] = "Mon, 23 Nov 2026 09:14:05";
  static const char zone[] = "+0000";
  g_autofree char *gap = g_strnfill(200 - strlen(date) - strlen(zone), ' ');
  g_autofree char *at = g_strconcat(date, gap, zone, NULL);
  g_autofree char *past = g_strconcat(at, "0", NULL);
  g_autofree char *commented = g_strconcat("(Monday) ", at, NULL);
  assert_int_equal(strlen(at), 200);

  g_autoptr(IgForward) f = find_dated(at);
  expect(f, NULL, "jane.doe@example.org", "2026-11-23T09:14:05Z", "Phishing", "Text", NULL,
         1, FALSE);

  g_autoptr(IgForward) g = find_dated(past);
  assert_non_null(g);
  assert_null(g->date);

  /* the comment goes, the space after it stays: 201 bytes */
  g_autoptr(IgForward) h = find_dated(commented);
  assert_non_null(h);
  assert_null(h->date);
}

/* --- white space --- */

/* Outlook writes no-break spaces after the keys, and after values
 * (last line of the text included); Exchange names internal senders
 * without an address. */
static void test_no_break_spaces(void **state)
{
  g_autoptr(IgForward) f = find_exact("FW: Phishing",
      "-----Original Message-----\n"
      "From:" NBSP "Jane Doe" NNBSP "\n"
      "Sent:" NNBSP "23 November 2026 09:14" NBSP "\n"
      "To:" NBSP "IT\n"
      "Subject:" NNBSP "Phishing" NBSP "\n\n"
      "Text\n");
  expect(f, "Jane Doe", NULL, "2026-11-23T09:14:00Z", "Phishing", "Text", NULL, 1, FALSE);

  /* U+202F before AM/PM, a bare block, the subject the last bytes of the
   * text */
  g_autoptr(IgForward) g = find_exact("FW: Phishing",
      "From:" NNBSP "Jane Doe <jane.doe@example.org>" NBSP "\n"
      "Sent:" NBSP "Monday, November 23, 2026 9:14" NNBSP "AM\n"
      "To: IT\n"
      "Subject:" NBSP NNBSP "Phishing" NBSP NNBSP);
  expect(g, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing", "", NULL,
         1, FALSE);

  /* the text cut inside a no-break space: the bytes left are no space,
   * and nothing past the text is read */
  static const char *const cut[][2] = {
    { "\xc2", "Phishing" BAD },
    { "\xe2\x80", "Phishing" BAD BAD },
    { NBSP "\xe2", "Phishing" NBSP BAD },
  };
  for (gsize n = 0; n < G_N_ELEMENTS(cut); n++) {
    g_autofree char *body = g_strconcat("-----Original Message-----\n"
                                        "From: Jane Doe <jane.doe@example.org>\n"
                                        "Subject: Phishing", cut[n][0], NULL);
    g_autoptr(IgForward) c = find_exact("FW: Phishing", body);
    assert_non_null(c);
    expect_str("subject of a cut text", c->subject, cut[n][1]);
  }

  /* a wrapped subject indented with no-break spaces continues it, at the
   * end of the block as anywhere */
  g_autoptr(IgForward) h = find_exact("FW: Phishing",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Subject: Your mailbox is almost\n"
      NBSP NBSP "full\n"
      "Sent: 23 November 2026 09:14\n"
      "To: IT\n"
      "Cc: Security <security@example.org>;\n"
      NNBSP "Facilities\n\n"
      "Text\n");
  expect(h, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z",
         "Your mailbox is almost full", "Text", NULL, 1, FALSE);

  /* a line that starts with a no-break space is no key, however
   * key-like: here the wrapped end of a subject */
  g_autoptr(IgForward) i = find_exact("FW: Training",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Subject: Training moved to a new\n"
      NBSP "Date: 30 November\n\n"
      "Text\n");
  expect(i, "Jane Doe", "jane.doe@example.org", NULL,
         "Training moved to a new Date: 30 November", "Text", NULL, 1, FALSE);

  /* nor one that starts with an ASCII space */
  g_autoptr(IgForward) j = find_exact("FW: Training",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Subject: Training moved to a new\n"
      "  date: 30 November\n\n"
      "Text\n");
  expect(j, "Jane Doe", "jane.doe@example.org", NULL,
         "Training moved to a new date: 30 November", "Text", NULL, 1, FALSE);
}

/* The subject read from a block whose Subject line is line. */
static char *subject_of(const char *line)
{
  g_autofree char *body = g_strdup_printf(
      "-----Original Message-----\nFrom: Jane Doe <jane.doe@example.org>\n%s\n\nText\n",
      line);
  g_autoptr(IgForward) f = find_exact("FW: Phishing", body);
  assert_non_null(f);
  return g_steal_pointer(&f->subject);
}

/* Keys and values are trimmed of spaces, tabs, stray CRs and no-break
 * spaces at either end; a value of white space only is empty. */
static void test_white_space_values(void **state)
{
  static const char *const cases[][2] = {
    { "Subject: Phishing", "Phishing" },
    { "Subject:" NBSP "Phishing", "Phishing" },
    { "Subject:" NNBSP "Phishing", "Phishing" },
    { "Subject: Phishing" NBSP, "Phishing" },
    { "Subject: Phishing" NNBSP, "Phishing" },
    { "Subject: Phishing" NBSP NNBSP NBSP, "Phishing" },
    { "Subject: Phishing\t", "Phishing" },
    { "Subject: Phishing\r\r", "Phishing" }, /* one CR of "\r\r\n" ends the line */
    { "Subject:\rPhishing", "Phishing" },
    { "Subject:\tPhishing", "Phishing" },
    { "Subject \t: Phishing", "Phishing" },
    { "Objet" NBSP ": Courriel suspect", "Courriel suspect" }, /* French typography */
    { "Subject: \t \r\r", "" },
    { "Subject:" NBSP, "" },
    { "Subject:" NNBSP " ", "" },
    { "Subject: " NBSP "x", "x" },
    { "Subject: Ab" NBSP "c", "Ab" NBSP "c" },
    { "Subject: Ab" NNBSP "c", "Ab" NNBSP "c" },
    { "Subject: Order" NBSP "A", "Order" NBSP "A" },
    /* other characters of the same lead bytes are not white space */
    { "Subject: £5 off, voilà", "£5 off, voilà" },
    { "Subject: —Phishing…", "—Phishing…" },
    { "Subject: ¯Phishing¯", "¯Phishing¯" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = subject_of(cases[i][0]);
    expect_str(cases[i][0], got, cases[i][1]);
  }
}

/* --- values --- */

/* The sender's name without the quotes around it, in pairs; the
 * address only when plausible, else the whole value is the name. */
static void test_from_values(void **state)
{
  static const char *const cases[][3] = {
    { "'Jane Doe' <jane.doe@example.org>", "Jane Doe", "jane.doe@example.org" },
    { "\"'Jane Doe'\" <jane.doe@example.org>", "Jane Doe", "jane.doe@example.org" },
    { "Anna <anna@example.org>", "Anna", "anna@example.org" },
    { "\"\" <jane.doe@example.org>", NULL, "jane.doe@example.org" },
    { "\" <jane.doe@example.org>", "\"", "jane.doe@example.org" },
    { "Jane Doe <mailto jane.doe@example.org>", "Jane Doe <mailto jane.doe@example.org>", NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *body = g_strconcat("---------- Forwarded message ---------\nFrom: ",
                                        cases[i][0], "\nSubject: Phishing\n\nText\n", NULL);
    g_autoptr(IgForward) f = find_exact("Fwd: Phishing", body);
    assert_non_null(f);
    expect_str(cases[i][0], f->from_name, cases[i][1]);
    expect_str(cases[i][0], f->from_addr, cases[i][2]);
  }
}

/* Comments anywhere in a date are dropped; the zone names ukdate lacks
 * become offsets, the first and last of the table included. */
static void test_date_repairs(void **state)
{
  static const char *const cases[][2] = {
    { "Mon, 23 Nov 2026 (Monday) 09:14:05 +0000", "2026-11-23T09:14:05Z" },
    { "Mon, 23 Nov 2026 09:14:05 CET", "2026-11-23T08:14:05Z" },
    { "Mon, 15 Jun 2026 09:14:05 CEST", "2026-06-15T07:14:05Z" },
    { "Mon, 15 Jun 2026 09:14:05 PDT", "2026-06-15T16:14:05Z" },
    { "Mon, 23 Nov 2026 09:14:05 XYZ", NULL },
    { "Mon, 23 Nov 2026 09:14:05 GMT CET", NULL }, /* two zones contradict */
    { "Mon, 23 Nov 2026 09:14:05 +00)00", NULL },  /* a ')' closing nothing stays */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(IgForward) f = find_dated(cases[i][0]);
    assert_non_null(f);
    g_autofree char *iso = f->date ? g_date_time_format(f->date, "%Y-%m-%dT%H:%M:%SZ") : NULL;
    expect_str(cases[i][0], iso, cases[i][1]);
  }
}

/* Lines of one and two bytes at the very start of the text: trimming
 * them reads nothing before the text (ASan checks under make test). */
static void test_short_lines(void **state)
{
  g_autoptr(IgForward) f = find_exact("FW: Phishing",
      "K\nOK\n\n"
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "Subject: Phishing\n\n"
      "A\n");
  expect(f, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "A", "K\nOK", 1, FALSE);

  g_autoptr(IgForward) g = find_exact("FW: Phishing", "OK");
  assert_null(g);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_block_lines),
    cmocka_unit_test(test_key_length),
    cmocka_unit_test(test_marker_length),
    cmocka_unit_test(test_date_length),
    cmocka_unit_test(test_no_break_spaces),
    cmocka_unit_test(test_white_space_values),
    cmocka_unit_test(test_from_values),
    cmocka_unit_test(test_date_repairs),
    cmocka_unit_test(test_short_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
