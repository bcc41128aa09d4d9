/* freetext_time.h - reading time expressions in prose (private to
 * freetext.c and its tests).
 *
 * freetext_time_scan() finds what the text says about when: the words and
 * what they mean ("yesterday" + 16:00), not yet an instant. freetext.c
 * resolves them against the mail's Date and chooses one. */
#ifndef IG_FREETEXT_TIME_H
#define IG_FREETEXT_TIME_H

#include <glib.h>

#include "parsers/freetext_input.h"

typedef enum {
  FT_DAY_NONE,       /* a clock time alone: today, or yesterday if to come,
                        unless a day named before it in its paragraph is
                        its day ("yesterday evening. At 17:45 I ...") */
  FT_DAY_TODAY,      /* today, this morning, tonight */
  FT_DAY_YESTERDAY,  /* yesterday, last night */
  FT_DAY_WEEKDAY,    /* (on | last) Sunday */
  FT_DAY_DM,         /* 22/11, 22 Nov: the year is the mail's */
  FT_DAY_ABS,        /* a date with its year: ukdate_parse() reads it */
  FT_DAY_OTHER       /* tomorrow, next Sunday: not a detection time */
} FtDayKind;

typedef enum {
  FT_PART_NONE, FT_PART_MORNING, FT_PART_AFTERNOON, FT_PART_EVENING,
  FT_PART_NIGHT
} FtPart;

typedef struct {
  FtDayKind kind;
  FtPart part;
  int weekday;     /* GDateWeekday or 0 */
  gboolean last;   /* "last Sunday": a week ago when today is Sunday */
  int day, month;  /* FT_DAY_DM; FT_DAY_WEEKDAY: day of "Friday 20th" */
} FtDay;

typedef struct {
  int hour, minute, second; /* 24-hour once am/pm are applied */
  gboolean dial;      /* read on a 12-hour dial: no am/pm, 1-12 */
  gboolean words;     /* "half past eight": a 12-hour time, am or pm */
  gboolean bare;      /* "around 2": an hour alone, am or pm */
  gboolean midnight;
  gboolean have_zone; /* GMT, BST, +01:00 written after it */
  int offset;         /* seconds east of UTC, when have_zone */
} FtClock;

typedef enum { FT_EXPR_DAY_CLOCK, FT_EXPR_ABSOLUTE, FT_EXPR_AGO } FtExprKind;

typedef struct {
  FtExprKind kind;
  FtDay day;
  FtClock clock;
  int minutes_ago;     /* FT_EXPR_AGO */
  gsize start, end;    /* the words in the text, "at about" included */
  gsize core;          /* FT_EXPR_ABSOLUTE: where the date and time start */
  gboolean noticing;   /* in a sentence about noticing or receiving */
  gboolean perceived;  /* right after the writer's noticing it ("I only
                          spotted it about 11.30", "realised (11.20)"):
                          stronger than the sentence's other times ("it
                          arrived at 11:02") */
  gboolean late;       /* "I didn't read it till 10.30": noticed then */
  gboolean since;      /* "since 9 this morning": when it began, which is
                          when it was noticed only if nothing says better */
  gboolean narrative;  /* in a sentence about someone else ("at 14:30 he
                          came out"), not the writer */
  gboolean today_too;  /* its sentence also names today without a time
                          ("... at 15:00, and this morning it was gone") */
} FtExpr;

/* Every time expression of the text read, in order. Caller unrefs. */
GArray *freetext_time_scan(const FtInput *in);

#endif
