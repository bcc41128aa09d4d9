/* form_fixture.h - test helpers for the form tests: form_parse() with
 * UK times, any field of the result as text so one table can test every
 * field, and the problems expected. Include after cmocka.h. Shared by
 * test_form.c and test_form_convert.c, which use different helpers:
 * hence G_GNUC_UNUSED. */
#ifndef IG_TEST_FORM_FIXTURE_H
#define IG_TEST_FORM_FIXTURE_H

#include "parsers/form.h"

enum { NAME, EMAIL, PHONE, AREA, DETECTED, OCCURRED, CATEGORY, IMPACT,
       PERSONAL, NEAR_MISS, SYSTEMS, ASSET, SUPPLIER, DESCRIPTION, ACTIONS };

G_GNUC_UNUSED static IgForm *parse(const char *text)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  assert_non_null(tz); /* needs tzdata */
  return form_parse(text, tz);
}

G_GNUC_UNUSED static char *format_time(GDateTime *dt)
{
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* Any field as text, so that one table can test every field. */
G_GNUC_UNUSED static char *field_text(const IgForm *f, int field)
{
  switch (field) {
  case NAME: return g_strdup(f->reporter_name);
  case EMAIL: return g_strdup(f->reporter_email);
  case PHONE: return g_strdup(f->reporter_phone);
  case AREA: return g_strdup(f->business_area);
  case DETECTED: return format_time(f->detected_at);
  case OCCURRED: return format_time(f->occurred_at);
  case CATEGORY: return g_strdup(f->category);
  case IMPACT: return g_strdup(f->impact);
  case PERSONAL: return g_strdup(f->personal_data);
  case NEAR_MISS: return g_strdup_printf("%d", f->near_miss);
  case SYSTEMS: return g_strdup(f->systems_affected);
  case ASSET: return g_strdup(f->information_asset);
  case SUPPLIER: return g_strdup(f->supplier);
  case DESCRIPTION: return g_strdup(f->description);
  case ACTIONS: return g_strdup(f->actions_taken);
  default: return NULL;
  }
}

G_GNUC_UNUSED static void expect_field(const char *text, int field, const char *want)
{
  g_autoptr(IgForm) f = parse(text);
  g_autofree char *got = field_text(f, field);
  if (g_strcmp0(got, want) != 0) {
    print_error("field %d of '%s': got '%s', want '%s'\n", field, text,
                got ? got : "NULL", want ? want : "NULL");
    fail();
  }
}

G_GNUC_UNUSED static void expect_problems(const IgForm *f, const char *const *want)
{
  gsize n = 0;
  while (want[n])
    n++;
  for (guint i = 0; i < f->problems->len; i++)
    print_message("problem: %s\n", (char *)f->problems->pdata[i]);
  assert_int_equal(f->problems->len, n);
  for (gsize i = 0; i < n; i++)
    assert_string_equal(f->problems->pdata[i], want[i]);
}

G_GNUC_UNUSED static const char *const no_problems[] = { NULL };

#endif
