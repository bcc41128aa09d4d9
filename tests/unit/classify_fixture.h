/* classify_fixture.h - test helpers for the classifier tests: the
 * decision classify_text() makes for a field, checked against the value,
 * rule and words wanted, or no decision at all. Include after cmocka.h.
 * Shared by test_classify.c and test_classify_described.c, which use
 * different helpers: hence G_GNUC_UNUSED. */
#ifndef IG_TEST_CLASSIFY_FIXTURE_H
#define IG_TEST_CLASSIFY_FIXTURE_H

#include <string.h>

#include "parsers/classify.h"

G_GNUC_UNUSED static const IgDecision *find(GPtrArray *ds, const char *field)
{
  for (guint i = 0; i < ds->len; i++) {
    const IgDecision *d = ds->pdata[i];
    if (strcmp(d->field, field) == 0)
      return d;
  }
  return NULL;
}

/* The decision for field: value, rule and words, or none (value NULL). */
G_GNUC_UNUSED static void expect_rule(const char *text, const char *field, const char *value,
                        const char *rule, const char *words)
{
  g_autoptr(GPtrArray) ds = classify_text(text);
  const IgDecision *d = find(ds, field);
  if (g_strcmp0(d ? d->value : NULL, value) != 0 ||
      (d && rule && strcmp(d->rule, rule) != 0) ||
      (d && words && strcmp(d->words, words) != 0)) {
    print_error("'%s' %s: got %s (%s, '%s'), want %s (%s, '%s')\n", text,
                field, d ? d->value : "NULL", d ? d->rule : "-",
                d ? d->words : "-", value ? value : "NULL",
                rule ? rule : "-", words ? words : "-");
    fail();
  }
}

G_GNUC_UNUSED static void expect(const char *text, const char *field, const char *value,
                   const char *words)
{
  expect_rule(text, field, value, NULL, words);
}

/* No decision about the incident (that something happened, "event", may
 * still be said). */
G_GNUC_UNUSED static void expect_nothing(const char *text)
{
  g_autoptr(GPtrArray) ds = classify_text(text);
  for (guint i = 0; i < ds->len; i++) {
    const IgDecision *d = ds->pdata[i];
    if (strcmp(d->field, "event") == 0)
      continue;
    print_error("'%s': want no decision, got %s=%s (%s, '%s')\n", text,
                d->field, d->value, d->rule, d->words);
    fail();
  }
}

#endif
