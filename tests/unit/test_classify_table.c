/* test_classify_table.c - unit tests for parsers/classify_table.c, the
 * compiler of the classification table, on rows an operator may write
 * that the shipped table (classify_rules.c) has none of: phrases that
 * start with a date or a clock time, which must be tried at every word
 * that may begin one, and phrases that could never match ("* laptop", an
 * empty alternative, punctuation alone), which are dropped while the
 * rest of their row still fires.
 *
 * This program brings its own table: it defines what classify_rules.c
 * defines (classify_tables and the word lists), so the linker takes these
 * and never the shipped table from the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/classify.h"
#include "parsers/classify_rules.h"
#include "parsers/classify_table.h"
#include "tests/unit/classify_fixture.h"

#define PHRASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const IgClassifyRule rules[] = {
  { "category", "lost-or-stolen-equipment", "stolen-laptop", 50,
    PHRASES("* laptop", "** laptop", "laptop|", "phone|tablet laptop|", "!!!", "",
            "stolen laptop"), NULL, NULL, FALSE },
  { "category", "lost-or-stolen-equipment", "dated-loss", 40,
    PHRASES("<date> lost * badge"), NULL, NULL, FALSE },
  { "category", "phishing", "clicked-at", 60,
    PHRASES("<time> clicked"), NULL, NULL, FALSE },
  { NULL, NULL, NULL, 0, NULL, NULL, NULL, FALSE } };

const IgClassifyRule *const classify_tables[] = { rules, NULL };
const char *const classify_negations[] = { "not", NULL };
const char *const classify_negation_stops[] = { "but", NULL };
const char *const classify_gap_stops[] = { "to", NULL };

/* Of the first row only "stolen laptop" is kept: the others could never
 * match, or (a gap first) would match anything before the word. */
static void test_phrases_that_cannot_match_are_dropped(void **state)
{
  assert_int_equal(classify_table()->phrases->len, 3);
  expect_rule("Someone took my stolen laptop", "category", "lost-or-stolen-equipment",
              "stolen-laptop", "stolen laptop");
  expect_rule("I have a new laptop", "category", NULL, NULL, NULL);
  expect_rule("My phone laptop", "category", NULL, NULL, NULL);
}

/* A phrase that starts with a date or a time fires wherever the text has
 * one, quoting it as written; not where it has none. */
static void test_phrases_that_start_with_a_pattern(void **state)
{
  expect_rule("On 3 March 2026 lost my badge at the station.", "category",
              "lost-or-stolen-equipment", "dated-loss", "3 March 2026 lost my badge");
  expect_rule("Yesterday I lost my badge.", "category", NULL, NULL, NULL);
  expect_rule("At 08:32 clicked the link in the mail.", "category", "phishing", "clicked-at",
              "08:32 clicked");
  expect_rule("Someone clicked the link.", "category", NULL, NULL, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_phrases_that_cannot_match_are_dropped),
    cmocka_unit_test(test_phrases_that_start_with_a_pattern),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
