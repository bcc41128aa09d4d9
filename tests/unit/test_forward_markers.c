/* test_forward_markers.c - unit tests for parsers/forward.c at the edges
 * of its line rules: what is and is not a separator rule or a dashed
 * marker, reply attributions that end the search (one line, wrapped, and
 * lines that only look like them), the subject prefixes and the tags
 * before them, "> " quoting over a whole forward, and CRLF text. The
 * message text is given to forward_find() byte for byte (no mail_parse,
 * which would normalise line ends). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/forward.h"
#include "parsers/mail.h"
#include "tests/unit/forward_fixture.h"

#define BLOCK                                                                    \
  "From: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\nTo: IT\n" \
  "Subject: Phishing\n\nText\n"
#define GMAIL                                                                    \
  "---------- Forwarded message ---------\n"                                     \
  "From: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText\n"

/* --- separator rules --- */

/* Outlook's rule is ten or more underscores alone on the line: it is not
 * part of the note above the block; anything else is. */
static void test_rules(void **state)
{
  static const char *const cases[][2] = {
    { "__________\n", NULL },
    { "________________________________\n", NULL },
    { "_________\n", "_________" },
    { "_____\n", "_____" },
    { "__Please read__\n", "__Please read__" },
    { "__________ see below\n", "__________ see below" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *body = g_strconcat(cases[i][0], BLOCK, NULL);
    g_autoptr(IgForward) f = find_exact("FW: Phishing", body);
    expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing", "Text",
           cases[i][1], 1, FALSE);
  }
}

/* A dashed marker is three or more dashes, the words, three or more
 * dashes ending the line; a block without a date below anything else is
 * no forward. */
static void test_dashed_markers(void **state)
{
  static const char *const markers[] = {
    "--- Forwarded message ---",
    "----- Forwarded message from Jane Doe <jane.doe@example.org> -----",
    "----- Forwarded message from J -----",
    "-------- Original Message --------",
  };
  static const char *const not_markers[] = {
    "-- Forwarded message ---",
    "--- Forwarded message --",
    "---------- Forwarded message ---------x",
    "----- Forwarded message from -----",
    "-------- Original Messages --------",
    "----------",
    "----- Ende der weitergeleiteten Nachricht -----",
    "----- Forwarded message from:Jane -----", /* mutt's form only */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(markers); i++) {
    g_autofree char *body = g_strconcat(markers[i],
        "\nFrom: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText\n", NULL);
    g_autoptr(IgForward) f = find_exact("Fwd: Phishing", body);
    expect(f, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", NULL, 1, FALSE);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(not_markers); i++) {
    g_autofree char *body = g_strconcat(not_markers[i],
        "\nFrom: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText\n", NULL);
    g_autoptr(IgForward) f = find_exact("Fwd: Phishing", body);
    if (f)
      print_error("\"%s\" read as a marker\n", not_markers[i]);
    assert_null(f);
  }
}

/* --- attributions --- */

/* An attribution ends the search, even above an unquoted forward: what
 * follows it is history. Lines that only look like one do not. */
static void test_attributions(void **state)
{
  static const char *const replies[] = {
    "On Mon, 23 Nov 2026 at 09:14, Jane Doe <jane.doe@example.org> wrote:\n",
    "Am Montag, 23. November 2026, 09:14 Jane Doe <jane.doe@example.org> schrieb:\n",
    "Le lun. 23 nov. 2026 à 09:14, Jane Doe <jane.doe@example.org> a écrit :\n",
    /* Gmail wraps before "wrote:", leaving it alone on the next line */
    "On Mon, 23 Nov 2026 at 09:14, Jane Doe <jane.doe@example.org>\nwrote:\n",
  };
  static const char *const notes[] = {
    "Please see what the scammer wrote:", /* no "On " */
    "On Monday I scanned this on the Xerox.", /* no "wrote:" */
    "Oh, and Phil wrote:",
    "FYI,\nsee what the scammer wrote:", /* "wrote:" under a line without "On " */
    "Am Montag kam diese E-Mail.",
    "Ich habe sie nicht geöffnet, schrieb:",
    "Le lundi, ce courriel est arrivé.",
    "Voici ce qu'il a écrit :",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(replies); i++) {
    g_autofree char *body = g_strconcat("Thanks.\n\n", replies[i], GMAIL, NULL);
    g_autoptr(IgForward) f = find_exact("Fwd: Phishing", body);
    if (f)
      print_error("reply %zu read as a forward\n", i);
    assert_null(f);
  }
  /* "On " on the last line: no next line to look at */
  g_autoptr(IgForward) last = find_exact("Fwd: Phishing", "On Monday it arrived.");
  assert_null(last);

  for (gsize i = 0; i < G_N_ELEMENTS(notes); i++) {
    g_autofree char *body = g_strconcat(notes[i], "\n\n", GMAIL, NULL);
    g_autoptr(IgForward) f = find_exact("Fwd: Phishing", body);
    expect(f, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", notes[i], 1,
           FALSE);
  }
}

/* --- header blocks --- */

/* Where a header block ends: a blank line, or a line that is no key and
 * no continuation. Continuations are indented, follow a To/Cc value that
 * ends in ',' or ';', or stand between two keys. */
static void test_block_continuations(void **state)
{
  /* an incident form in the original, its first line key-like */
  g_autoptr(IgForward) f = find_exact("FW: Phishing",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\n"
      "To: IT\nSubject: Phishing\n\n"
      "Date: 22/11/2026\nLocation: Leeds office\n");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing",
         "Date: 22/11/2026\nLocation: Leeds office", NULL, 1, FALSE);

  /* a recipient list wrapped over four lines, each ending in ';' but the
   * last */
  g_autoptr(IgForward) g = find_exact("FW: Phishing",
      "-----Original Message-----\n"
      "From: Jane Doe <jane.doe@example.org>\n"
      "To: a@example.org;\nb@example.org;\nc@example.org;\nd@example.org\n"
      "Subject: Phishing\n\nText\n");
  expect(g, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", NULL, 1, FALSE);

  /* HTML turned into text can lose the blank line under the block: a
   * line that is no key ends it, after a To value or its wrapped end */
  static const char *const tails[] = {
    "To: <it@example.org>\n",
    "To: a@example.org;\nb@example.org\n",
    "Subject: Phishing,\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(tails); i++) {
    g_autofree char *body = g_strconcat("---------- Forwarded message ---------\n"
                                        "From: Jane Doe <jane.doe@example.org>\n",
                                        tails[i], "Click the link.\n", NULL);
    g_autoptr(IgForward) h = find_exact("Fwd: Phishing", body);
    assert_non_null(h);
    expect_str("body", h->body, "Click the link.");
  }

  /* the block starts right below the marker: text there means none */
  g_autoptr(IgForward) j = find_exact("Fwd: Phishing",
      "---------- Forwarded message ---------\nSee below\n"
      "From: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText\n");
  expect(j, NULL, NULL, NULL, NULL,
         "See below\nFrom: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n\nText",
         NULL, 1, FALSE);

  /* a subject wrapped without indenting goes on only up to a key */
  g_autoptr(IgForward) k = find_exact("Fwd: Phishing",
      "-------- Forwarded Message --------\n"
      "Subject: Your mailbox is almost\nfull\nFrom: jane.doe@example.org\n\nText\n");
  expect(k, NULL, "jane.doe@example.org", NULL, "Your mailbox is almost full", "Text", NULL,
         1, FALSE);
  g_autoptr(IgForward) last = find_exact("Fwd: Phishing",
      "-------- Forwarded Message --------\n"
      "From: jane.doe@example.org\nSubject: Your mailbox is almost\nfull\nTo: it@example.org");
  expect(last, NULL, "jane.doe@example.org", NULL, "Your mailbox is almost full", "", NULL, 1,
         FALSE);
  g_autoptr(IgForward) m = find_exact("Fwd: Phishing",
      "-------- Forwarded Message --------\n"
      "From: jane.doe@example.org\nSubject: Your mailbox is almost\nfull");
  expect(m, NULL, "jane.doe@example.org", NULL, "Your mailbox is almost", "full", NULL, 1,
         FALSE);
}

/* Which blocks count: under a rule, a From with a Sent or a Subject;
 * with no line above, a From and a Sent with a To or a Subject. */
static void test_block_contents(void **state)
{
  static const char *const ruled[] = {
    "From: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\n",
    "From: Jane Doe <jane.doe@example.org>\nSubject: Phishing\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(ruled); i++) {
    g_autofree char *body = g_strconcat("________________________________\n", ruled[i],
                                        "\nText\n", NULL);
    g_autoptr(IgForward) f = find_exact("FW: Phishing", body);
    assert_non_null(f);
    expect_str("from_addr", f->from_addr, "jane.doe@example.org");
  }
  g_autoptr(IgForward) g = find_exact("FW: Phishing",
      "________________________________\nSent: 23 November 2026 09:14\n"
      "Subject: Phishing\n\nText\n");
  assert_null(g);

  g_autoptr(IgForward) h = find_exact("FW: Phishing",
      "From: Jane Doe <jane.doe@example.org>\nSent: 23 November 2026 09:14\nTo: IT\n\n"
      "Text\n");
  expect(h, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", NULL, "Text", NULL, 1,
         FALSE);
}

/* A From value that holds no plausible address is all name. */
static void test_implausible_addresses(void **state)
{
  static const char *const names[] = {
    "jane.doe@", "@example.org", "jane@doe@example.org", "jane@@example.org",
    "Help Desk (helpdesk@example.org)",
    "Jane Doe [mailtojane.doe@example.org]", /* Outlook's form has the colon */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree char *body = g_strconcat("---------- Forwarded message ---------\nFrom: ",
                                        names[i], "\nSubject: Phishing\n\nText\n", NULL);
    g_autoptr(IgForward) f = find_exact("Fwd: Phishing", body);
    expect(f, names[i], NULL, NULL, "Phishing", "Text", NULL, 1, FALSE);
  }
}

/* --- subjects --- */

/* The subject prefix tells an Outlook forward from reply history: up to
 * four tags before it, the prefix a word of its own before a colon. */
static void test_subject_prefixes(void **state)
{
  static const char *const forwards[] = {
    "FW: Phishing",
    "[EXTERNAL]FW: Phishing",
    "[EXTERNAL] [SPAM] [Org] FW: Phishing",
    "[1][2][3][4]FW: Phishing",
    "Enc: Phishing",
    "TR  : Phishing",
  };
  static const char *const others[] = {
    "Phishing",
    "[1][2][3][4][5]FW: Phishing",
    "WG meeting: minutes",
    "FWD2: Phishing",
    "RE: FW: Phishing",
    ": Phishing",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(forwards); i++) {
    g_autoptr(IgForward) f = find_exact(forwards[i], BLOCK);
    if (!f)
      print_error("\"%s\" not read as a forward subject\n", forwards[i]);
    assert_non_null(f);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(others); i++) {
    g_autoptr(IgForward) f = find_exact(others[i], BLOCK);
    if (f)
      print_error("\"%s\" read as a forward subject\n", others[i]);
    assert_null(f);
  }
}

/* --- quoting --- */

/* A whole forward quoted with "> ", its blank lines written as ">", "> "
 * or nothing at all. */
static void test_quoted_blank_lines(void **state)
{
  g_autoptr(IgForward) f = find_exact("Fwd: Phishing",
      "Please log this.\n\n"
      "-------- Forwarded Message --------\n"
      "> \n"
      "> From: Jane Doe <jane.doe@example.org>\n"
      "> Subject: Phishing\n"
      "\n"
      "> Text\n"
      "> \n"
      ">\n"
      "> More\n");
  expect(f, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text\n\n\nMore",
         "Please log this.", 1, FALSE);

  /* a line below the quoted block, one character long or more, makes it
   * quoted history: the block is not read */
  g_autoptr(IgForward) g = find_exact("Fwd: Phishing",
      "-------- Forwarded Message --------\n"
      "> From: Jane Doe <jane.doe@example.org>\n"
      "> Subject: Phishing\n"
      ">\n"
      "> Text\n"
      "\nK\n");
  assert_non_null(g);
  assert_null(g->from_addr);
  assert_null(g->subject);
}

/* A forward that someone answered on top without quoting is still read
 * under a reply subject; quoted, it is history. */
static void test_reply_above_forward(void **state)
{
  g_autoptr(IgForward) f = find_exact("Re: Fwd: Phishing", "Logged.\n\n" GMAIL);
  expect(f, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", "Logged.", 1, FALSE);

  g_autoptr(IgForward) g = find_exact("Re: Fwd: Phishing",
      "Logged.\n\n> ---------- Forwarded message ---------\n"
      "> From: Jane Doe <jane.doe@example.org>\n> Subject: Phishing\n>\n> Text\n");
  assert_null(g);
}

/* --- line ends --- */

/* CRLF line ends, blank lines of a lone CR, a text starting with a blank
 * line. */
static void test_crlf(void **state)
{
  g_autoptr(IgForward) f = find_exact("FW: Phishing",
      "\r\nSee below.\r\n\r\n"
      "-----Original Message-----\r\n"
      "From: Jane Doe <jane.doe@example.org>\r\n"
      "Sent: 23 November 2026 09:14\r\n"
      "Subject: Phishing\r\n\r\n"
      "Text\r\n\r\nMore\r\n\r");
  expect(f, "Jane Doe", "jane.doe@example.org", "2026-11-23T09:14:00Z", "Phishing",
         "Text\n\nMore", "See below.", 1, FALSE);

  g_autoptr(IgForward) g = find_exact("Fwd: Phishing", "\n" GMAIL);
  expect(g, "Jane Doe", "jane.doe@example.org", NULL, "Phishing", "Text", NULL, 1, FALSE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rules),
    cmocka_unit_test(test_dashed_markers),
    cmocka_unit_test(test_attributions),
    cmocka_unit_test(test_block_continuations),
    cmocka_unit_test(test_block_contents),
    cmocka_unit_test(test_implausible_addresses),
    cmocka_unit_test(test_subject_prefixes),
    cmocka_unit_test(test_quoted_blank_lines),
    cmocka_unit_test(test_reply_above_forward),
    cmocka_unit_test(test_crlf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
