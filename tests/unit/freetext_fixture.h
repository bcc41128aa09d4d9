/* freetext_fixture.h - test helpers for the free-text tests: a fixed
 * Date to resolve times against, the configured assets and suppliers, and
 * freetext_extract() with UK times. Include after cmocka.h. Shared by
 * test_freetext.c and test_freetext_time.c. */
#ifndef IG_TEST_FREETEXT_FIXTURE_H
#define IG_TEST_FREETEXT_FIXTURE_H

#include "parsers/freetext.h"

#define MONDAY "2026-11-23T10:30:00Z"    /* GMT: local 10:30 */
#define WEDNESDAY "2026-07-01T10:30:00Z" /* BST: local 11:30 */

static const char *const assets[] = { "Prison NOMIS", "HR System", "Court Store",
                                      NULL };
static const char *const suppliers[] = { "example-supplier.co.uk",
                                         "Acme Secure Shredding", NULL };

G_GNUC_UNUSED static IgFreeText *extract_at(const char *text, const char *sent_iso)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier("Europe/London");
  g_autoptr(GDateTime) sent =
      sent_iso ? g_date_time_new_from_iso8601(sent_iso, NULL) : NULL;
  assert_non_null(tz); /* needs tzdata */
  assert_true(!sent_iso || sent);
  return freetext_extract(text, NULL, sent, tz, assets, suppliers);
}

#endif
