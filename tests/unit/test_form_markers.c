/* test_form_markers.c - unit tests for parsers/form.c at the edges of where
 * a value ends: forward markers and Outlook's rule (their length limit,
 * with CRLF too), lines that only look like them, the signature
 * separator, continuation lines (white space, one-letter values,
 * paragraphs), a date and a time given on two lines, no-break spaces, and
 * lines at the very start of the text. Which markers exist is in
 * test_form.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/form.h"
#include "tests/unit/form_fixture.h"

/* "-----Original Message" and dashes up to len bytes. */
static char *marker_of(gsize len)
{
  static const char words[] = "-----Original Message";
  g_autofree char *dashes = g_strnfill(len - strlen(words), '-');
  return g_strconcat(words, dashes, NULL);
}

/* A marker or a sign-off is a short line: up to 100 bytes, line ending
 * not counted. */
static void test_marker_length(void **state)
{
  g_autofree char *m100 = marker_of(100), *m101 = marker_of(101);
  g_autofree char *lf100 =
      g_strdup_printf("Description: See below.\n%s\nold text\n", m100);
  g_autofree char *crlf100 = g_strdup_printf(
      "Description: See below.\r\n%s\r\nold text\r\n", m100);
  g_autofree char *lf101 =
      g_strdup_printf("Description: See below.\n%s\nold text\n", m101);
  g_autofree char *want101 =
      g_strdup_printf("See below.\n%s\nold text", m101);
  expect_field(lf100, DESCRIPTION, "See below.");
  expect_field(crlf100, DESCRIPTION, "See below.");
  expect_field(lf101, DESCRIPTION, want101);
}

/* Outlook's rule is ten underscores or more, alone on the line. */
static void test_underscore_rule(void **state)
{
  expect_field("Description: See below.\n__________\nold text\n",
               DESCRIPTION, "See below.");
  expect_field("Description: See below.\n_________\nold text\n",
               DESCRIPTION, "See below.\n_________\nold text");
  expect_field("Description: The malware changed\n__init__.py and more\n",
               DESCRIPTION, "The malware changed\n__init__.py and more");
}

/* A dashed marker is two dashes or more, then the words; Apple Mail's
 * line is the words and a colon exactly. */
static void test_marker_lookalikes(void **state)
{
  expect_field("Description: See below.\n-- Forwarded message --\nold\n",
               DESCRIPTION, "See below.");
  expect_field("Actions taken: Reported it\n- Forwarded message\n"
               "- Blocked the sender\n",
               ACTIONS,
               "Reported it\n- Forwarded message\n- Blocked the sender");
  expect_field("Description: See below.\nBegin forwarded message:\nold\n",
               DESCRIPTION, "See below.");
  expect_field("Description: See below.\nBegin forwarded messages\nold\n",
               DESCRIPTION, "See below.\nBegin forwarded messages\nold");
  /* as long as Apple Mail's line */
  expect_field("Description: Sadly\nLaptop was left in a car\n",
               DESCRIPTION, "Sadly\nLaptop was left in a car");
  /* a From: line is a forward only when Sent: or Date: follows it */
  {
    g_autoptr(IgForm) f =
        parse("Description: a\nFrom: the logs\nImpact: low\n");
    assert_string_equal(f->description, "a\nFrom: the logs");
    assert_string_equal(f->impact, "low");
  }
}

/* "--" or "-- " alone on a line, the last line too; other short lines of
 * dashes are text. */
static void test_signature_separator(void **state)
{
  expect_field("Description: x\n-- ", DESCRIPTION, "x");
  expect_field("Description: x\n--", DESCRIPTION, "x");
  expect_field("Description: x\n-- \r\nJane\r\n", DESCRIPTION, "x");
  {
    g_autoptr(IgForm) f =
        parse("Description: a\n -\n- \n-->\nb\nImpact: low\n");
    assert_string_equal(f->description, "a\n -\n-\n-->\nb");
    assert_string_equal(f->impact, "low");
  }
}

static void test_continuation_lines(void **state)
{
  /* white space at the end of a line goes */
  expect_field("Description: a\nb  \nc\n", DESCRIPTION, "a\nb\nc");
  expect_field("Reporter name: Jane\n  Smith  \n  Jones\n", NAME,
               "Jane Smith Jones");
  /* a value of one letter is joined like any other */
  expect_field("Reporter name: J\n  Smith\n", NAME, "J Smith");
  expect_field("Description: a\n\nb\n", DESCRIPTION, "a\n\nb");
}

/* A date and a time on two lines of the same field are one value. */
static void test_date_in_two_lines(void **state)
{
  {
    g_autoptr(IgForm) f =
        parse("Date of detection: 22/11/2026\nTime detected: 9\n");
    assert_string_equal(f->detected_text, "22/11/2026 9");
  }
  {
    /* an empty repeat is skipped; only one line is joined */
    g_autoptr(IgForm) f =
        parse("Date of detection: 22/11/2026\nTime detected:\n"
              "Time detected: 14:05\nTime detected: 15:00\n");
    g_autofree char *det = format_time(f->detected_at);
    assert_string_equal(f->detected_text, "22/11/2026 14:05");
    assert_string_equal(det, "2026-11-22T14:05:00Z");
  }
}

/* U+00A0 and U+202F read as spaces, each alone too; the characters that
 * share bytes with them stay as written. */
static void test_no_break_spaces(void **state)
{
  expect_field("Reporter\xC2\xA0name: Jane\xC2\xA0Smith\n", NAME,
               "Jane Smith");
  expect_field("Reporter\xE2\x80\xAFname: Jane\xE2\x80\xAFSmith\n", NAME,
               "Jane Smith");
  expect_field("Reporter name:\xC2\xA0Jane\xE2\x80\xAFSmith\n"
               "Description: It wasn\xE2\x80\x99t me \xE2\x80\x93 \xC2\xA3"
               "5 \xC3\xA0 la carte\xE2\x80\xA6\n",
               DESCRIPTION,
               "It wasn\xE2\x80\x99t me \xE2\x80\x93 \xC2\xA3"
               "5 \xC3\xA0 la carte\xE2\x80\xA6");
}

/* Lines at the start of the text, in a buffer of its own so that a read
 * before it is caught. */
static void test_first_line(void **state)
{
  static const char *const texts[] = {
    "\nReporter name: Jane\n",
    "!\nReporter name: Jane\n",
    "...\nReporter name: Jane\n",
    "\r\nReporter name: Jane\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    g_autofree char *text = g_strdup(texts[i]);
    expect_field(text, NAME, "Jane");
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_marker_length),
    cmocka_unit_test(test_underscore_rule),
    cmocka_unit_test(test_marker_lookalikes),
    cmocka_unit_test(test_signature_separator),
    cmocka_unit_test(test_continuation_lines),
    cmocka_unit_test(test_date_in_two_lines),
    cmocka_unit_test(test_no_break_spaces),
    cmocka_unit_test(test_first_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
