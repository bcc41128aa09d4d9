/* test_ukdate.c - unit tests for parsers/ukdate.c: every accepted way of
 * writing a date and time, zone handling (GMT/BST and explicit offsets),
 * and the texts that must not be read as a date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/ukdate.h"

static GTimeZone *london(void)
{
  GTimeZone *tz = g_time_zone_new_identifier("Europe/London");
  assert_non_null(tz); /* needs tzdata */
  return tz;
}

/* Parses text in tz and compares the UTC result with want (or NULL). */
static void check_in(GTimeZone *tz, const char *text, const char *want)
{
  g_autoptr(GDateTime) dt = ukdate_parse(text, tz);
  g_autofree char *got =
      dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  if (g_strcmp0(got, want) != 0) {
    print_error("ukdate_parse('%s'): got %s, want %s\n", text,
                got ? got : "NULL", want ? want : "NULL");
    fail();
  }
  if (dt)
    assert_int_equal(g_date_time_get_utc_offset(dt), 0);
}

static void check(const char *text, const char *want)
{
  g_autoptr(GTimeZone) tz = london();
  check_in(tz, text, want);
}

static void test_formats_from_the_brief(void **state)
{
  static const char *const texts[] = {
    "2026-11-22 14:05",
    "2026-11-22T14:05",
    "2026-11-22T14:05:00Z",
    "22/11/2026 14:05",
    "22/11/26 14:05",
    "22-11-2026 14:05",
    "22.11.2026 14:05",
    "22/11/2026 at 14:05",
    "22/11/2026, 14:05",
    "14:05 22/11/2026",
    "14:05 on 22/11/2026",
    "22 Nov 2026 2:05pm",
    "22 Nov 2026 2:05 PM",
    "22 November 2026 14:05",
    "22nd November 2026 at 2.05pm",
    "Sunday 22 November 2026 14:05",
    "Sun, 22 Nov 2026 14:05",
    "November 22, 2026 2:05 pm",
    "22 Nov 2026 14:05 GMT",
    "22 Nov 2026 14:05 UTC",
    "1405hrs 22/11/2026",
    "22/11/2026 1405",
    "  22/11/2026 14:05  \n",
    "22/11/2026 14.05",
    "2.05 p.m. 22/11/2026",
    "22nd of November 2026 14:05",
    "Nov. 22, 2026 14:05",
    "22 NOV 2026 14:05",
    "2026/11/22 14:05",
    "22/11/2026 - 14:05",
    "22/11/2026 \xE2\x80\x93 14:05",
    "22 Nov 2026 2:05\xE2\x80\xAFPM",
    "22\xC2\xA0Nov\xC2\xA0" "2026 14:05",
    "approx. 14:05 on 22/11/2026",
    "Sun, 22 Nov 2026 14:05:00 +0000",
    "1405 hrs on Sunday 22nd November 2026",
    "22 Nov 26 14:05",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    check(texts[i], "2026-11-22T14:05:00Z");
}

static void test_seconds_and_fractions(void **state)
{
  check("2026-11-22 14:05:30", "2026-11-22T14:05:30Z");
  check("2026-11-22T14:05:30.250Z", "2026-11-22T14:05:30Z");
  check("22/11/2026 14:05:59", "2026-11-22T14:05:59Z");
  check("22/11/2026 14:05:60", NULL);
}

static void test_twelve_hour_clock(void **state)
{
  check("22/11/2026 12:30am", "2026-11-22T00:30:00Z");
  check("22/11/2026 12:30pm", "2026-11-22T12:30:00Z");
  check("22/11/2026 12am", "2026-11-22T00:00:00Z");
  check("2pm 22/11/2026", "2026-11-22T14:00:00Z");
  check("22/11/2026 9am", "2026-11-22T09:00:00Z");
  check("22/11/2026 9 a.m.", "2026-11-22T09:00:00Z");
  check("22/11/2026 11:59 PM", "2026-11-22T23:59:00Z");
  check("22/11/2026 12 noon", "2026-11-22T12:00:00Z");
  check("midday 22/11/2026", "2026-11-22T12:00:00Z");
  check("22/11/2026 noon", "2026-11-22T12:00:00Z");
  /* a 24-hour time with pm is still clear; with am it contradicts */
  check("22/11/2026 14:05pm", "2026-11-22T14:05:00Z");
  check("22/11/2026 14:05am", NULL);
  check("22/11/2026 0am", NULL);
  check("22/11/2026 13pm", "2026-11-22T13:00:00Z");
}

static void test_summer_time(void **state)
{
  /* Europe/London is UTC+1 in July: wall clock 14:05 is 13:05Z */
  check("2026-07-01 14:05", "2026-07-01T13:05:00Z");
  check("01/07/2026 2:05pm", "2026-07-01T13:05:00Z");
  check("1 July 2026 14:05", "2026-07-01T13:05:00Z");
  /* the clocks change on 29 March and 25 October 2026 */
  check("28/03/2026 12:00", "2026-03-28T12:00:00Z");
  check("29/03/2026 12:00", "2026-03-29T11:00:00Z");
  check("24/10/2026 12:00", "2026-10-24T11:00:00Z");
  check("25/10/2026 12:00", "2026-10-25T12:00:00Z");
}

static void test_explicit_zone_wins(void **state)
{
  check("22 Nov 2026 14:05 BST", "2026-11-22T13:05:00Z");
  check("22 Nov 2026 14:05 +0100", "2026-11-22T13:05:00Z");
  check("22 Nov 2026 14:05 +01:00", "2026-11-22T13:05:00Z");
  check("2026-11-22T14:05:00+01:00", "2026-11-22T13:05:00Z");
  check("22 Nov 2026 14:05 -0500", "2026-11-22T19:05:00Z");
  check("22 Nov 2026 14:05 GMT+1", "2026-11-22T13:05:00Z");
  check("22 Nov 2026 14:05 (BST)", "2026-11-22T13:05:00Z");
  /* in July an explicit GMT or UTC overrides London summer time */
  check("01/07/2026 14:05 GMT", "2026-07-01T14:05:00Z");
  check("01/07/2026 14:05 UTC", "2026-07-01T14:05:00Z");
  check("2026-07-01T14:05:00Z", "2026-07-01T14:05:00Z");
  check("01/07/2026 14:05 BST", "2026-07-01T13:05:00Z");
  check("22 Nov 2026 14:05 +1500", NULL);
}

static void test_other_zones_and_null(void **state)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier("Europe/Paris");
  assert_non_null(paris);
  check_in(paris, "22/11/2026 14:05", "2026-11-22T13:05:00Z");
  check_in(NULL, "22/11/2026 14:05", "2026-11-22T14:05:00Z");
  check_in(NULL, "01/07/2026 14:05", "2026-07-01T14:05:00Z");
}

static void test_calendar(void **state)
{
  check("29/02/2028 10:00", "2028-02-29T10:00:00Z");
  check("29/02/2026 10:00", NULL);
  check("31/02/2026 10:00", NULL);
  check("31/04/2026 10:00", NULL);
  check("31/12/2026 23:59", "2026-12-31T23:59:00Z");
  check("01/01/2027 00:00", "2027-01-01T00:00:00Z");
  check("1/2/2026 9:05", "2026-02-01T09:05:00Z"); /* 1 February: day first */
  check("05/06/26 10:00", "2026-06-05T09:00:00Z");
}

static void test_rejects(void **state)
{
  static const char *const texts[] = {
    "",
    "   ",
    "22/11/2026",             /* no time */
    "22 November 2026",       /* no time */
    "2026-11-22",             /* no time */
    "14:05",                  /* no date */
    "12:30am",                /* no date */
    "2pm",                    /* no date */
    "22/11/2026 25:00",       /* no such hour */
    "22/11/2026 14:60",       /* no such minute */
    "13/25/2026 14:05",       /* month first is never read */
    "11/22/2026 14:05",       /* month first is never read */
    "00/11/2026 14:05",
    "22/00/2026 14:05",
    "22/11 14:05",            /* no year */
    "22 Nov 14:05",           /* no year */
    "November 22 14:05",      /* no year */
    "22/11-2026 14:05",       /* mixed separators */
    "22/11/2026 14",          /* an hour alone needs am or pm */
    "22/11/2026 905",         /* three digits need "hrs" */
    "22/11/2026 14:05 14:06", /* two times */
    "22/11/2026 23/11/2026 14:05",
    "Monday 22 November 2026 14:05", /* 22 November 2026 is a Sunday */
    "yesterday at 14:05",
    "last Tuesday afternoon",
    "22/11/2026 14:05 or thereabouts",
    "22/11/2026 14:05!",
    "22/11/2026 14:05 CET",
    "not a date",
    "22/11/2026 1405 1405",
    "22/11/2026 14:05 +",
    "99999999999999999999/11/2026 14:05",
    "22 Nov 1405 14:05",      /* 1405 is a time, not a year */
    "22/11/1969 14:05",
    "22/11/2100 14:05",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    check(texts[i], NULL);
  assert_null(ukdate_parse(NULL, NULL));
}

static void test_hostile_input(void **state)
{
  const gsize n = 1024 * 1024;
  g_autofree char *big = g_malloc(n + 1);
  g_autofree char *digits = g_malloc(n + 1);
  memset(big, 'a', n);
  big[n] = '\0';
  memset(digits, '1', n);
  digits[n] = '\0';
  check(big, NULL);
  check(digits, NULL);
  /* a real date followed by a megabyte of text is not a date */
  memcpy(big, "22/11/2026 14:05 ", 17);
  check(big, NULL);
  /* a long but bounded run of separators is still fast and rejected */
  memset(big, ':', n);
  check(big, NULL);
  check("\xff\xfe 22/11/2026 14:05", NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_formats_from_the_brief),
    cmocka_unit_test(test_seconds_and_fractions),
    cmocka_unit_test(test_twelve_hour_clock),
    cmocka_unit_test(test_summer_time),
    cmocka_unit_test(test_explicit_zone_wins),
    cmocka_unit_test(test_other_zones_and_null),
    cmocka_unit_test(test_calendar),
    cmocka_unit_test(test_rejects),
    cmocka_unit_test(test_hostile_input),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
