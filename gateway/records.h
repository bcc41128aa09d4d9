/* records.h - the plain data that flows between store, case logic and
 * output: incidents, stored messages, audit events, deadlines and outbox
 * rows. Every string is owned by its struct and freed by its free
 * function; times are UTC ISO-8601 strings ("2026-11-22T14:05:00Z"), NULL
 * when unknown. */
#ifndef IG_RECORDS_H
#define IG_RECORDS_H

#include <glib.h>
#include "parsers/observables.h"

typedef struct {
  gint64 id;
  char *reference;
  char *status;            /* new, triaged, investigating, ... */
  char *impact;            /* low | medium | high | NULL */
  char *category;
  int near_miss;           /* 1 yes, 0 no (or not said), -1 unknown (a form
                              left it blank or "not sure") */
  char *personal_data;     /* yes | no | unknown | NULL */
  char *reporter_name;
  char *reporter_email;
  char *reporter_phone;
  char *business_area;
  char *supplier;
  char *via;               /* direct | helpdesk | supplier */
  char *source;            /* form | free_text | forward */
  char *forwarded_by;
  char *detected_at;
  char *occurred_at;
  char *received_at;
  int reported_late;       /* 1, 0, or -1 when detected_at is unknown */
  gint64 minutes_to_report;/* -1 when unknown */
  char *systems_affected;
  char *information_asset;
  char *asset_owner;
  char *summary;
  char *description;
  char *actions_taken;
  char **missing_fields;   /* NULL-terminated, never NULL */
  char *owner;
  char *created_at;
  char *updated_at;
  GPtrArray *evidence;     /* IgEvidence*: suspicious mail reported, never NULL */
  GPtrArray *observables;  /* IgObservable*: its indicators, never NULL */
} IgIncident;

/* A suspicious mail reported (a phish forwarded by staff): evidence of
 * the incident, never its reporter. */
typedef struct {
  char *from_addr;         /* lower case, or NULL */
  char *from_name;
  char *reply_to;
  char *return_path;       /* "" for <>, NULL when not known */
  char *subject;
  char *date;              /* its Date, ISO-8601 UTC, or NULL */
  char *sha256;            /* of the attached message, else of its forwarded text */
  char **relays;           /* its Received: values, topmost first; never NULL */
} IgEvidence;

typedef struct {
  gint64 id;
  char *message_id;        /* without <>, NULL if the mail had none */
  char *direction;         /* "in" | "out" */
  char *from_addr;
  char *subject;
  char *received_at;
  char *kind;              /* report, reply, command, correspondence, ... */
  char *reference;         /* incident it belongs to, or NULL */
  char *sha256;
} IgMessageRec;

typedef struct {
  gint64 id;
  char *at;
  char *actor;
  char *type;
  char *detail;
  /* What its place in the audit chain rests on (SPEC 9), for export: */
  char *prev_hash;
  char *hash;
  gint64 message_row;      /* the stored message it records, 0 = none */
  char *message_sha256;    /* and that message's SHA-256, or NULL */
  char *state;             /* SHA-256 of the incident's state after it, or NULL */
} IgEventRec;

typedef struct {
  gint64 incident_id;
  char *kind;              /* triage, form_reminder, management_report,
                              correspondence_notice */
  char *due_at;            /* when it was due */
  char *next_at;           /* when the scheduler acts on it next */
  char *state;             /* pending, escalated (still waiting, no more
                              reminders), done (what it waited for came),
                              cancelled (the case ended) */
  int reminders;           /* reminders and escalations sent so far */
} IgDeadlineRec;

typedef struct {
  gint64 id;
  char *kind;              /* "mail" | "webhook" */
  char *template_name;     /* mail: its template; webhook: the NAME of [webhook.NAME] */
  char *to;                /* address(es) or URL */
  char *subject;
  char *message_id;
  char *reference;
  char *state;             /* pending | sent | failed | bounced */
  gint64 attempts;
  char *next_attempt_at;
  char *last_error;
  char *created_at;
  GBytes *body;            /* complete message or JSON body; may be NULL in listings */
} IgOutboxRec;

/* One line of the manager digest (store.h, digest.c): an incident, or
 * one pending deadline of it. */
typedef struct {
  char *reference;
  char *at;                /* an incident: received_at; a deadline: due_at */
  char *impact;
  char *category;
  char *summary;
  char *kind;              /* a deadline's kind (triage, ...); NULL for an incident */
} IgDigestItem;

/* One group of an aggregate count. */
typedef struct {
  char *key;               /* the value grouped by (a status, a category); NULL when unset */
  char *key2;              /* the second value grouped by (an impact), or NULL */
  gint64 count;
} IgCountRow;

/* One incident of an IT system's report for its Accreditor (store.h,
 * system_report.c): the incident with what the case records say of its
 * outcome. */
typedef struct {
  IgIncident *incident;
  char *closing_reason;    /* the newest "reason for resolved|closed|rejected: ..." note */
  char *last_note;         /* the newest note of any kind */
  char *management_report; /* the newest management report's text */
} IgSystemRow;             /* each NULL when there is none */

IgIncident *incident_new(void);
void incident_free(IgIncident *incident);
void message_rec_free(IgMessageRec *rec);
void event_rec_free(IgEventRec *rec);
void deadline_rec_free(IgDeadlineRec *rec);
void outbox_rec_free(IgOutboxRec *rec);
void evidence_free(gpointer evidence);
void digest_item_free(gpointer item);
void count_row_free(gpointer row);
void system_row_free(gpointer row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgIncident, incident_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgOutboxRec, outbox_rec_free)

/* "2026-11-22T14:05:00Z" for a time in any zone; caller frees. */
char *iso_utc(GDateTime *when);

/* Whether text has the shape of an incident reference, PREFIX-YYYY-NNNNNN
 * (1 to 10 letters or digits, six digits or more): what a command taking
 * REF refuses as a usage error before looking anything up. */
gboolean reference_shape_ok(const char *text);
/* Parses what iso_utc() writes (and any ISO-8601 with a zone); NULL if bad. */
GDateTime *iso_parse(const char *text);
/* How the text output shows a time: "2026-11-22 14:40 GMT". */
#define IG_TIME_SHOWN "%Y-%m-%d %H:%M %Z"
/* An ISO-8601 time in zone tz as format (g_date_time_format()) writes
 * it; NULL when iso is NULL or not a time. Caller frees. */
char *iso_local(const char *iso, GTimeZone *tz, const char *format);
/* when in zone tz as people write it, in English whatever the locale:
 * "Tue 1 Dec 08:00", with the year when it is not ref's ("Tue 1 Dec 2025
 * 08:00"); with_time FALSE: "Tue 1 Dec 2026". "unknown" for NULL. Caller
 * frees. */
char *date_words(GDateTime *when, GTimeZone *tz, GDateTime *ref, gboolean with_time);
/* A time as people say it, in tz, seen from now: "14:05 today", "09:00
 * tomorrow", "08:30 yesterday", else as date_words(). NULL when iso is
 * not a time. Caller frees. */
char *time_words(const char *iso, GDateTime *now, GTimeZone *tz);

#endif
