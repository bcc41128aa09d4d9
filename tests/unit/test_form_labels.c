/* test_form_labels.c - unit tests for parsers/form.c at the edges of what
 * is a label: the list marks skipped before one (and lookalikes that are
 * not), the hint in brackets cut off after one, markdown around a label
 * and its value, how far along a line the separator may come, in a line
 * and in a table cell, and lines that hold no label at all. Which labels
 * exist is in test_form.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/form.h"
#include "tests/unit/form_fixture.h"

/* Each mark the parser knows, before a label. */
static void test_list_marks(void **state)
{
  static const char *const texts[] = {
    "# Reporter name: Jane Smith",
    "### Reporter name: Jane Smith",
    "\xC2\xB7 Reporter name: Jane Smith", /* U+00B7 MIDDLE DOT */
    "\xE2\x80\xA2\tReporter name: Jane Smith",
    "7) Reporter name: Jane Smith",
    "100. Reporter name: Jane Smith",
    "3.   Reporter name: Jane Smith",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect_field(texts[i], NAME, "Jane Smith");
}

/* Text before a label that is not a list mark keeps the line from being
 * the label: it asks something else. */
static void test_not_list_marks(void **state)
{
  static const char *const texts[] = {
    "1000. Reporter name: Jane", /* four digits: a year, an amount */
    "a) Reporter name: Jane",     /* a letter is not a number */
    ". Reporter name: Jane",      /* a full stop with no number */
    "1x Reporter name: Jane",     /* a number must end in . or ) */
    "2 Reporter name: Jane",
    "x Reporter name: Jane",      /* a word */
    "\xC2\xA7 Reporter name: Jane", /* section sign: only the two dots */
    "\xE2\x80\xA0 Reporter name: Jane", /* dagger: a footnote */
    "\xC2\xB7Reporter name: Jane",  /* a mark needs a space after it */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    expect_field(texts[i], NAME, NULL);
}

/* One trailing hint in brackets is cut off an unknown label; brackets
 * anywhere else, or a second hint, make it another question. */
static void test_hints(void **state)
{
  expect_field("Impact (low/medium/high): High\n", IMPACT, "high");
  {
    /* a question about the impact on something, not the Impact line */
    g_autoptr(IgForm) f = parse("Impact (if any) on services: none\n");
    assert_null(f->impact);
    assert_int_equal(f->labels_found, 0);
    expect_problems(f, no_problems);
  }
  expect_field("Details (of the supplier) (optional): Acme Ltd\n",
               DESCRIPTION, NULL);
  /* a hint and nothing else */
  {
    g_autoptr(IgForm) f = parse("(required): Jane\n( ) : x\n");
    assert_int_equal(f->labels_found, 0);
  }
}

/* Markdown around the label, around the value, or around both. */
static void test_markup(void **state)
{
  expect_field("** Reporter name **: Jane Smith", NAME, "Jane Smith");
  expect_field("**Reporter name: Jane Smith**", NAME, "Jane Smith");
  expect_field("__Reporter name: Jane Smith__", NAME, "Jane Smith");
  expect_field("**Reporter name: Jane Smith **", NAME, "Jane Smith");
  /* bold label, bold value */
  expect_field("**Reporter name:** **Jane Smith**", NAME, "Jane Smith");
  expect_field("__Reporter name:__ __Jane Smith__", NAME, "Jane Smith");
  {
    g_autoptr(IgForm) f = parse("**Impact:** **High**\n");
    assert_string_equal(f->impact, "high");
    expect_problems(f, no_problems);
  }
  /* bold left empty is no value; the line under it may be */
  expect_field("**Reporter name:** **\nImpact: low\n", NAME, NULL);
  expect_field("**Reporter name:**\nImpact: low\n", NAME, NULL);
  expect_field("**Reporter name:**\nJane Smith\n", NAME, "Jane Smith");
  expect_field("**Reporter name:** __\nImpact: low\n", IMPACT, "low");
}

/* Words stay apart, and a label is not punctuation alone. */
static void test_label_words(void **state)
{
  expect_field("E mail: jane@justice.gov.uk\n", EMAIL, NULL);
  expect_field("E-mail: jane@justice.gov.uk\n", EMAIL,
               "jane@justice.gov.uk");
  {
    g_autoptr(IgForm) f = parse("?: what\n.: x\n...: y\n");
    assert_int_equal(f->labels_found, 0);
  }
  /* a label alone on its line, with no separator, is a heading */
  {
    g_autoptr(IgForm) f = parse("Details\nReporter name: Jane\n"
                                "Description\nImpact: low\n");
    assert_null(f->description);
    assert_string_equal(f->reporter_name, "Jane");
    assert_string_equal(f->impact, "low");
    assert_int_equal(f->labels_found, 2);
  }
}

/* A label line whose separator comes at byte pos: "Reporter name (x...):". */
static char *label_at(gsize pos, const char *after)
{
  g_autofree char *hint = g_strnfill(pos - strlen("Reporter name ()"), 'x');
  return g_strdup_printf("Reporter name (%s):%s", hint, after);
}

/* The separator must come within the first 80 bytes of a line, and a
 * table cell holding a label must be shorter than 80 bytes. */
static void test_label_length(void **state)
{
  {
    g_autofree char *at79 = label_at(79, " Jane\n");
    g_autofree char *at80 = label_at(80, " Jane\n");
    assert_int_equal(strchr(at79, ':') - at79, 79);
    expect_field(at79, NAME, "Jane");
    expect_field(at80, NAME, NULL);
  }
  {
    /* the cell is the label with its hint, the colon in a cell of its own */
    g_autofree char *cell79 = label_at(79, "");
    g_autofree char *cell80 = label_at(80, "");
    g_autofree char *row79 = NULL, *row80 = NULL;
    cell79[79] = '\0';
    cell80[80] = '\0';
    row79 = g_strdup_printf("%s | : | Jane\nImpact | : | low\n", cell79);
    row80 = g_strdup_printf("%s | : | Jane\nImpact | : | low\n", cell80);
    expect_field(row79, NAME, "Jane");
    expect_field(row80, NAME, NULL);
    expect_field(row80, IMPACT, "low");
  }
  {
    /* so a row starting with such a cell is left as it is */
    g_autofree char *cell80 = label_at(80, "");
    g_autofree char *text = NULL, *want = NULL;
    cell80[80] = '\0';
    text = g_strdup_printf("Description: foo\n%s | : | Jane\n", cell80);
    want = g_strdup_printf("foo\n%s | : | Jane", cell80);
    expect_field(text, DESCRIPTION, want);
  }
  {
    /* the most a label can grow in normalising: every byte an "&" */
    g_autofree char *amps = g_strnfill(79, '&');
    g_autofree char *line = g_strdup_printf("%s: x\n%s | : | y\n", amps, amps);
    g_autoptr(IgForm) f = parse(line);
    assert_int_equal(f->labels_found, 0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_list_marks),
    cmocka_unit_test(test_not_list_marks),
    cmocka_unit_test(test_hints),
    cmocka_unit_test(test_markup),
    cmocka_unit_test(test_label_words),
    cmocka_unit_test(test_label_length),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
