/* test_freetext_time.c - unit tests for parsers/freetext_time.c and
 * freetext_clock.c, through freetext_extract(): every kind of time
 * expression resolved against a fixed Date (Monday 23 November 2026 10:30
 * GMT, and a summer date in BST), times in the future or without a Date,
 * the preference for sentences about noticing, office hours on a named
 * day, loose times, and bounds, ranges and numbers that are not times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "parsers/freetext.h"
#include "tests/unit/freetext_fixture.h"

/* The detection time (UTC) and its words read from text sent at sent_iso,
 * or none (want NULL). */
static void check_time(const char *sent_iso, const char *text,
                       const char *want, const char *words)
{
  g_autoptr(IgFreeText) ft = extract_at(text, sent_iso);
  g_autofree char *got =
      ft->detected_at ? g_date_time_format(ft->detected_at,
                                           "%Y-%m-%dT%H:%M:%SZ")
                      : NULL;
  if (g_strcmp0(got, want) != 0 ||
      g_strcmp0(ft->detected_words, want ? words : NULL) != 0) {
    print_error("'%s' sent %s: got %s ('%s'), want %s ('%s')\n", text,
                sent_iso ? sent_iso : "-", got ? got : "NULL",
                ft->detected_words ? ft->detected_words : "NULL",
                want ? want : "NULL", want ? words : "NULL");
    fail();
  }
  if (ft->detected_at)
    assert_int_equal(g_date_time_get_utc_offset(ft->detected_at), 0);
}

static void check_monday(const char *text, const char *want, const char *words)
{
  check_time(MONDAY, text, want, words);
}

static void test_times_of_today(void **state)
{
  check_monday("I clicked the link at about 9.30 this morning",
               "2026-11-23T09:30:00Z", "at about 9.30 this morning");
  check_monday("This morning at 8am I received it", "2026-11-23T08:00:00Z",
               "This morning at 8am");
  check_monday("today at 10:15", "2026-11-23T10:15:00Z", "today at 10:15");
  check_monday("earlier today at 09:40", "2026-11-23T09:40:00Z",
               "earlier today at 09:40");
  check_monday("at 09:05 I noticed", "2026-11-23T09:05:00Z", "at 09:05");
  check_monday("At 9am", "2026-11-23T09:00:00Z", "At 9am");
  check_monday("at 9.30", "2026-11-23T09:30:00Z", "at 9.30");
  check_monday("at 0930hrs", "2026-11-23T09:30:00Z", "at 0930hrs");
  check_monday("at 2.05 a.m. I saw it", "2026-11-23T02:05:00Z",
               "at 2.05 a.m.");
  check_monday("at midnight", "2026-11-23T00:00:00Z", "at midnight");
  check_monday("At 0930 I received an email", "2026-11-23T09:30:00Z",
               "At 0930");
  /* the time on the dial, in words */
  check_monday("Earlier today, around half past eight, a man got in",
               "2026-11-23T08:30:00Z",
               "Earlier today, around half past eight");
  check_monday("At ten past nine this morning my screen went black",
               "2026-11-23T09:10:00Z", "At ten past nine this morning");
  check_monday("at a quarter to ten", "2026-11-23T09:45:00Z",
               "at a quarter to ten");
  check_monday("at 20 minutes past 9", "2026-11-23T09:20:00Z",
               "at 20 minutes past 9");
  check_monday("at nine this morning", "2026-11-23T09:00:00Z",
               "at nine this morning");
  check_monday("yesterday at five to six in the evening",
               "2026-11-22T17:55:00Z", "yesterday at five to six in the evening");
  /* am or pm: on a named day, office hours decide */
  check_monday("yesterday at five to six", "2026-11-22T17:55:00Z",
               "yesterday at five to six");
  check_monday("at about half 2 today", NULL, NULL); /* still to come */
  check_time("2026-11-23T15:10:00Z", "I went to use it at about half 2 today",
             "2026-11-23T14:30:00Z", "at about half 2 today");
  check_monday("yesterday at seven", NULL, NULL); /* 7: either */
  check_time("2026-11-23T22:30:00Z", "at a quarter to ten",
             "2026-11-23T21:45:00Z", "at a quarter to ten");
  check_monday("yesterday evening at five to six", "2026-11-22T17:55:00Z",
               "yesterday evening at five to six");
  /* a clock time alone that is still to come today was yesterday's */
  check_monday("at 14:05", "2026-11-22T14:05:00Z", "at 14:05");
  check_monday("at 10:31", "2026-11-22T10:31:00Z", "at 10:31");
  check_monday("at 10:30", "2026-11-23T10:30:00Z", "at 10:30");
  /* this afternoon: to come at 10:30, past by 16:30 */
  check_monday("this afternoon at 2pm", NULL, NULL);
  check_time("2026-11-23T16:30:00Z", "this afternoon at 2pm",
             "2026-11-23T14:00:00Z", "this afternoon at 2pm");
  check_time("2026-11-23T16:30:00Z", "this afternoon at 2",
             "2026-11-23T14:00:00Z", "this afternoon at 2");
  check_time("2026-11-23T16:30:00Z", "at 3 in the afternoon",
             "2026-11-23T15:00:00Z", "at 3 in the afternoon");
  check_time("2026-11-23T22:30:00Z", "this evening at 7.15",
             "2026-11-23T19:15:00Z", "this evening at 7.15");
}

static void test_times_of_other_days(void **state)
{
  check_monday("yesterday at 16:00", "2026-11-22T16:00:00Z",
               "yesterday at 16:00");
  check_monday("at 4pm yesterday", "2026-11-22T16:00:00Z",
               "at 4pm yesterday");
  check_monday("yesterday afternoon at 3", "2026-11-22T15:00:00Z",
               "yesterday afternoon at 3");
  check_monday("yesterday at noon", "2026-11-22T12:00:00Z",
               "yesterday at noon");
  check_monday("1405hrs yesterday", "2026-11-22T14:05:00Z",
               "1405hrs yesterday");
  check_monday("yesterday 1405", "2026-11-22T14:05:00Z", "yesterday 1405");
  check_monday("(yesterday at 16:00)", "2026-11-22T16:00:00Z",
               "yesterday at 16:00");
  check_monday("last night at 11pm", "2026-11-22T23:00:00Z",
               "last night at 11pm");
  check_monday("last night at 11", "2026-11-22T23:00:00Z",
               "last night at 11");
  /* the small hours of last night are this morning */
  check_monday("last night at 1am", "2026-11-23T01:00:00Z",
               "last night at 1am");
  check_monday("last night at midnight", "2026-11-23T00:00:00Z",
               "last night at midnight");
  /* the last such weekday on or before the mail's date */
  check_monday("on Sunday at 14:00", "2026-11-22T14:00:00Z",
               "on Sunday at 14:00");
  check_monday("Sunday at 3pm", "2026-11-22T15:00:00Z", "Sunday at 3pm");
  check_monday("on Friday at 17:45", "2026-11-20T17:45:00Z",
               "on Friday at 17:45");
  check_monday("Sunday afternoon at 2", "2026-11-22T14:00:00Z",
               "Sunday afternoon at 2");
  check_monday("on Monday at 9am", "2026-11-23T09:00:00Z",
               "on Monday at 9am");
  check_monday("on Monday at 11am", NULL, NULL); /* later today */
  check_monday("last Monday at 11am", "2026-11-16T11:00:00Z",
               "last Monday at 11am");
  check_monday("last Friday at 9am", "2026-11-20T09:00:00Z",
               "last Friday at 9am");
  check_monday("On Friday 20th at 5.45pm, as I was leaving",
               "2026-11-20T17:45:00Z", "On Friday 20th at 5.45pm");
  check_monday("On Friday 13th at 5.45pm", NULL, NULL); /* not a Friday */
  /* day and month: this year's, or last year's if the day is to come */
  check_monday("22/11 at 14:05", "2026-11-22T14:05:00Z", "22/11 at 14:05");
  check_monday("at 14:05 on 22/11", "2026-11-22T14:05:00Z",
               "at 14:05 on 22/11");
  check_monday("22 Nov at 2:05pm", "2026-11-22T14:05:00Z",
               "22 Nov at 2:05pm");
  check_monday("on 22nd November at 14:05", "2026-11-22T14:05:00Z",
               "on 22nd November at 14:05");
  check_monday("24/11 at 14:05", "2025-11-24T14:05:00Z", "24/11 at 14:05");
  check_monday("23/11 at 11:00", NULL, NULL); /* later today */
  check_monday("Sunday 22/11 at 14:05", "2026-11-22T14:05:00Z",
               "Sunday 22/11 at 14:05");
  check_monday("Monday 22/11 at 14:05", NULL, NULL); /* not a Monday */
  check_monday("29/02 at 10:00", NULL, NULL);
  check_monday("31/11 at 10:00", NULL, NULL);
}

static void test_times_ago(void **state)
{
  check_monday("an hour ago", "2026-11-23T09:30:00Z", "an hour ago");
  check_monday("about an hour ago", "2026-11-23T09:30:00Z",
               "about an hour ago");
  check_monday("30 minutes ago", "2026-11-23T10:00:00Z", "30 minutes ago");
  check_monday("ten minutes ago", "2026-11-23T10:20:00Z", "ten minutes ago");
  check_monday("forty-five minutes ago", "2026-11-23T09:45:00Z",
               "forty-five minutes ago");
  check_monday("half an hour ago", "2026-11-23T10:00:00Z",
               "half an hour ago");
  check_monday("an hour and a half ago", "2026-11-23T09:00:00Z",
               "an hour and a half ago");
  check_monday("2 hours ago", "2026-11-23T08:30:00Z", "2 hours ago");
  check_monday("5 mins ago", "2026-11-23T10:25:00Z", "5 mins ago");
  /* vague amounts are not times */
  check_monday("a few minutes ago", NULL, NULL);
  check_monday("a couple of hours ago", NULL, NULL);
  check_monday("some time ago", NULL, NULL);
  check_monday("two days ago", NULL, NULL);
}

static void test_absolute_times(void **state)
{
  check_monday("22/11/2026 14:05", "2026-11-22T14:05:00Z", "22/11/2026 14:05");
  check_monday("On 22 Nov 2026 2:05pm I noticed", "2026-11-22T14:05:00Z",
               "On 22 Nov 2026 2:05pm");
  check_monday("at 14:05 on 22/11/2026", "2026-11-22T14:05:00Z",
               "at 14:05 on 22/11/2026");
  check_monday("Sunday 22 November 2026 at 14:05", "2026-11-22T14:05:00Z",
               "Sunday 22 November 2026 at 14:05");
  check_monday("2026-11-22T14:05:00Z", "2026-11-22T14:05:00Z",
               "2026-11-22T14:05:00Z");
  check_monday("November 22, 2026 at 9am", "2026-11-22T09:00:00Z",
               "November 22, 2026 at 9am");
  check_monday("22/11/2026 14:05 BST", "2026-11-22T13:05:00Z",
               "22/11/2026 14:05 BST");
  /* ukdate_parse() decides: a weekday that disagrees, no such day */
  check_monday("Monday 22 November 2026 14:05", NULL, NULL);
  check_monday("31/11/2026 14:05", NULL, NULL);
  /* in the future of the mail */
  check_monday("24/11/2026 14:05", NULL, NULL);
  /* a date without a time is not a time */
  check_monday("on 22/11/2026 my laptop was stolen", NULL, NULL);
}

static void test_summer_time(void **state)
{
  check_time(WEDNESDAY, "at about 9.30 this morning", "2026-07-01T08:30:00Z",
             "at about 9.30 this morning");
  check_time(WEDNESDAY, "yesterday at 16:00", "2026-06-30T15:00:00Z",
             "yesterday at 16:00");
  check_time(WEDNESDAY, "on Sunday at 14:00", "2026-06-28T13:00:00Z",
             "on Sunday at 14:00");
  check_time(WEDNESDAY, "1/7 at 11:00", "2026-07-01T10:00:00Z",
             "1/7 at 11:00");
  check_time(WEDNESDAY, "at 11:45", "2026-06-30T10:45:00Z", "at 11:45");
  check_time(WEDNESDAY, "at 11:25", "2026-07-01T10:25:00Z", "at 11:25");
  check_time(WEDNESDAY, "an hour ago", "2026-07-01T09:30:00Z", "an hour ago");
  check_time(WEDNESDAY, "01/07/2026 09:00", "2026-07-01T08:00:00Z",
             "01/07/2026 09:00");
  check_time(WEDNESDAY, "at 14:05 UTC yesterday", "2026-06-30T14:05:00Z",
             "at 14:05 UTC yesterday");
  /* across the change back to GMT on Sunday 25 October 2026 */
  check_time("2026-10-26T10:30:00Z", "yesterday at 00:30",
             "2026-10-24T23:30:00Z", "yesterday at 00:30");
  check_time("2026-10-26T10:30:00Z", "yesterday at 14:00",
             "2026-10-25T14:00:00Z", "yesterday at 14:00");
}

static void test_without_a_date(void **state)
{
  /* relative times need the mail's Date; absolute ones do not */
  check_time(NULL, "yesterday at 16:00", NULL, NULL);
  check_time(NULL, "at about 9.30 this morning", NULL, NULL);
  check_time(NULL, "an hour ago", NULL, NULL);
  check_time(NULL, "22/11 at 14:05", NULL, NULL);
  check_time(NULL, "22/11/2026 14:05", "2026-11-22T14:05:00Z",
             "22/11/2026 14:05");
  check_time(NULL, "24/11/2026 14:05", "2026-11-24T14:05:00Z",
             "24/11/2026 14:05");
}

static void test_choosing_among_times(void **state)
{
  /* a sentence about noticing wins */
  check_monday("The email arrived on Sunday at 14:00. I noticed it was "
               "phishing at 9.30 this morning.",
               "2026-11-23T09:30:00Z", "at 9.30 this morning");
  check_monday("I received it yesterday at 16:00 and reported it today at "
               "10:15",
               "2026-11-22T16:00:00Z", "yesterday at 16:00");
  /* within one sentence, the time right after the writer saw it wins
   * over when it arrived or was sent */
  check_monday("The email came in at 9:02 but I only spotted it at about 9.30.",
               "2026-11-23T09:30:00Z", "at about 9.30");
  check_monday("It was sent at 08:10 today and I noticed it at 08:40 when I opened "
               "my inbox.", "2026-11-23T08:40:00Z", "at 08:40");
  check_monday("I realised at 10:20 that the report I sent at 10:05 went to the "
               "wrong solicitor.", "2026-11-23T10:20:00Z", "at 10:20");
  /* else the first */
  check_monday("It happened yesterday at 16:00. I was told today at 10:15.",
               "2026-11-22T16:00:00Z", "yesterday at 16:00");
  /* a time beside a day without one is not clearly the detection */
  check_monday("I left my laptop in the meeting room yesterday at 15:00 and "
               "when I went back this morning it was gone.",
               NULL, NULL);
  check_monday("I left it there yesterday at 15:00 and noticed this morning.",
               NULL, NULL);
  check_monday("I noticed at 9:30 this morning that the laptop I left "
               "yesterday was gone", "2026-11-23T09:30:00Z",
               "at 9:30 this morning");
  check_monday("I left it at 08:00 and this morning it was gone",
               "2026-11-23T08:00:00Z", "at 08:00");
  /* a time to come is skipped, not used */
  check_monday("I will call you at 3pm today. I clicked it at 9am today.",
               "2026-11-23T09:00:00Z", "at 9am today");
  /* a clock time alone is the day named before it in its paragraph, in
   * the same sentence or not; a day named after it is another matter */
  check_monday("Yesterday I noticed at 14:05 that it was gone",
               "2026-11-22T14:05:00Z", "at 14:05");
  check_monday("It started on Sunday. At 9am I found it",
               "2026-11-22T09:00:00Z", "At 9am");
  /* ... but a day named in an earlier paragraph leaves it unclear */
  check_monday("It started on Sunday.\n\nAt 9am I found it", NULL, NULL);
  check_monday("At 9am I found it. It started on Sunday", "2026-11-23T09:00:00Z",
               "At 9am");
  check_monday("At 10:15 I found a bucket left open since a change on Monday",
               "2026-11-23T10:15:00Z", "At 10:15");
}

/* Class: times written loosely, or apart from their day. */
/* A time on the dial on an earlier named day is an office-hours time; a
 * 24-hour time stays as written. */
static void test_named_day_office_hours(void **state)
{
  check_monday("My bag went missing on Friday at about 4.30",
               "2026-11-20T16:30:00Z", "on Friday at about 4.30");
  check_monday("The door was open yesterday at 5:15 when I left",
               "2026-11-22T17:15:00Z", "yesterday at 5:15");
  check_monday("I noticed it on Saturday at 16:30", "2026-11-21T16:30:00Z",
               "on Saturday at 16:30");
  check_monday("Friday at 04:30 the alarm went off", "2026-11-20T04:30:00Z",
               "Friday at 04:30");
  check_monday("It arrived on Thursday at 9.40", "2026-11-19T09:40:00Z",
               "on Thursday at 9.40");
}

static void test_loose_times(void **state)
{
  static const char *const wednesday = "2026-11-25T15:10:00Z";
  check_monday("Saw it on Saturday ~6pm on my work phone",
               "2026-11-21T18:00:00Z", "on Saturday ~6pm");
  check_time(wednesday, "It came in around 2 and I opened it",
             "2026-11-25T14:00:00Z", "around 2");
  check_time(wednesday, "It happened at about 10 this morning",
             "2026-11-25T10:00:00Z", "at about 10 this morning");
  check_monday("A warning popped up just now", "2026-11-23T10:30:00Z",
               "just now");
  check_monday("The screen went red a moment ago", "2026-11-23T10:30:00Z",
               "a moment ago");
  check_time(wednesday, "The site has been down since 9ish this morning",
             "2026-11-25T09:00:00Z", "since 9ish this morning");
  check_time(wednesday, "Approval requests have come in since 21:00 last "
             "night", "2026-11-24T21:00:00Z", "since 21:00 last night");
  check_time(wednesday, "This afternoon (14:20) I noticed his name",
             "2026-11-25T14:20:00Z", "This afternoon (14:20)");
  /* the day in one sentence, the time in the next */
  check_monday("I left it on the bus yesterday evening. I noticed it was "
               "missing at 17:45.", "2026-11-22T17:45:00Z", "at 17:45");
  check_monday("Last night I was out with friends. Around 23:00 I realised "
               "my phone had gone.", "2026-11-22T23:00:00Z", "Around 23:00");
  check_time(wednesday, "On Monday I was covering her inbox. It was around "
             "11 when I saw the emails.", "2026-11-23T11:00:00Z",
             "around 11");
  check_monday("I found the car on Sunday morning with the window smashed. "
               "It was about 7.20 when I went out.", "2026-11-22T07:20:00Z",
               "about 7.20");
  /* a time the day's part rules out is no time */
  check_monday("I left it on the bus yesterday evening. At 08:15 I called "
               "the depot.", NULL, NULL);
  /* when it began counts only if nothing better is said */
  check_monday("Slow since about 6 this morning. The alert came in at 06:10.",
               "2026-11-23T06:10:00Z", "at 06:10");
  /* "not until": when it was noticed, over when it arrived */
  check_monday("It arrived at 10.05 but I didn't read it till about 10.20",
               "2026-11-23T10:20:00Z", "about 10.20");
  /* a time in a sentence about someone else, only if nothing better */
  check_monday("At 9.10 he came out of a delivery van. The door was open at "
               "9.20.", "2026-11-23T09:20:00Z", "at 9.20");
  check_monday("At 9.10 he came out of a delivery van and walked in.",
               "2026-11-23T09:10:00Z", "At 9.10");
  /* numbers that are not times */
  check_time(wednesday, "I left my bag on the 08:32 from Leeds", NULL, NULL);
  check_time(wednesday, "around 2 people saw it", NULL, NULL);
  check_time(wednesday, "at 3 sites", NULL, NULL);
  check_time(wednesday, "it's been like this for about 2 weeks", NULL, NULL);
  check_time(wednesday, "it started around 7", NULL, NULL); /* am or pm */
}

static void test_not_times(void **state)
{
  static const char *const texts[] = {
    "Sunday afternoon",
    "yesterday",
    "this morning",
    "last night",
    "on Sunday evening",
    "22/11/2026",
    "after 9.30 this morning",
    "before 10am",
    "between 9 and 10am",
    "9-10am",
    "from 14:00 to 15:00 yesterday",
    "open 9:00-17:00",
    "by 10:00 today",
    "every day at 9am",
    "version 9.30",
    "the 14:05 train",
    "room 1405",
    "costs \xC2\xA3" "9.30",
    "9.30",
    "14:05",
    "at 25:00",
    "at 9.75",
    "this morning at 3pm",
    "this afternoon at 9am",
    "tonight at 8pm",
    "tomorrow at 9am",
    "next Sunday at 2pm",
    "midnight yesterday",
    "Sunday at midnight",
    "yesterday at 2026",
    "at 2026",
    "at 1999 prices",
    "about1405",
    "yesterday1405",
    "at9.30",
    "",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++)
    check_monday(texts[i], NULL, NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_times_of_today),
    cmocka_unit_test(test_times_of_other_days),
    cmocka_unit_test(test_times_ago),
    cmocka_unit_test(test_absolute_times),
    cmocka_unit_test(test_summer_time),
    cmocka_unit_test(test_without_a_date),
    cmocka_unit_test(test_choosing_among_times),
    cmocka_unit_test(test_named_day_office_hours),
    cmocka_unit_test(test_loose_times),
    cmocka_unit_test(test_not_times),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
