/* store.h - the case store: the only module that speaks SQL.
 *
 * The SQLite implementation (store*.c, private store_db.h) runs in
 * WAL mode with synchronous=FULL, migrates its schema by PRAGMA
 * user_version and uses prepared statements only. A PostgreSQL backend would be a second
 * implementation of this header. Writes happen inside store_begin() /
 * store_commit(); store_savepoint() isolates one message inside a batch so
 * a failure rolls back that message alone. All returned records belong to
 * the caller. */
#ifndef IG_STORE_H
#define IG_STORE_H

#include <glib.h>
#include "gateway/records.h"

typedef struct IgStore IgStore;

/* Opens and migrates the store at path. A new one is made (directories
 * included) only where no file exists; a file that is empty, truncated or
 * not a gateway store is refused and left untouched. Schema migrations are
 * safe against other processes opening the same store at once. */
IgStore *store_open(const char *path, GError **error);

/* TRUE when database is a libpq URI (postgresql://...): a PostgreSQL
 * store, not a file. */
gboolean store_database_is_pg(const char *database);
void store_close(IgStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgStore, store_close)

/* A consistent copy of the store written to path while others go on
 * writing (SQLite's online backup, in one read transaction), synced,
 * readable alone (no log beside it) and made 0600; path must not exist,
 * and nothing is left at it on failure. */
gboolean store_backup(IgStore *store, const char *path, GError **error);

/* Opens a copy made by store_backup() read-only, to verify it: nothing is
 * written to it, not even a log. Refused when it is not a store of this
 * program's schema version. */
IgStore *store_open_copy(const char *path, GError **error);

/* --- health, for `status` --- */

/* What the service notes of its source after each look: "source_ok"
 * (detail NULL) or "source_error" with the error. Not synced: a power
 * cut loses a note the next look writes again. */
gboolean store_health_note(IgStore *store, const char *name, const char *at,
                           const char *detail, GError **error);

typedef struct {
  char *last_mail_at;          /* the newest message received; NULL: none */
  char *source_ok_at;          /* `run`'s last good look at the source; NULL: never */
  char *source_error_at;       /* and its last failed one, with the error */
  char *source_error;
  gint64 outbox_pending;       /* mail and webhooks not yet sent */
  char *outbox_oldest_at;      /* when the oldest of them was queued */
  gint64 deadlines_overdue;    /* pending or escalated, due before now */
  char *last_digest_at;        /* the newest managers' digest; NULL: none */
} IgHealth;

/* Fills *health (cleared first; free with health_clear()) as of now. */
gboolean store_health(IgStore *store, const char *now, IgHealth *health, GError **error);
void health_clear(IgHealth *health);

/* The right to run the service (`run`) on the store at database, held
 * until store_unlock_service() or the process ends; other commands
 * (`poll`, `ingest`, ...) need none. On SQLite one run holds it: a second
 * is refused with an error naming the first one's PID. On PostgreSQL any
 * number hold one and take turns to lead (store_lead()). Caller frees
 * with store_unlock_service(). */
typedef struct IgStoreLock IgStoreLock;
IgStoreLock *store_lock_service(const char *database, GError **error);
void store_unlock_service(IgStoreLock *lock);

/* *leading: this run leads now, and alone watches the source and runs
 * the scheduler; the others only send the outbox. Always on SQLite. On
 * PostgreSQL the lead is a lock held by a database session of the
 * lock's own, taken here when free: a standby asks each cycle, and a
 * leader whose session died (its database restarted, its network lost)
 * learns here that it no longer leads, while another may already.
 * FALSE (and not leading) when the database cannot be reached. */
gboolean store_lead(IgStoreLock *lock, gboolean *leading, GError **error);
/* TRUE when several runs may share the store (PostgreSQL). */
gboolean store_lead_shared(const IgStoreLock *lock);

/* When a statement fails because the disk is full, on an I/O error or
 * for want of memory, the whole transaction is rolled back; every later
 * call in it then fails with that first cause. A failed store_commit()
 * has rolled the transaction back. */
gboolean store_begin(IgStore *store, GError **error);
gboolean store_commit(IgStore *store, GError **error);
void store_rollback(IgStore *store);
gboolean store_savepoint(IgStore *store, GError **error);
gboolean store_release(IgStore *store, GError **error);
void store_rollback_to(IgStore *store);

/* --- incoming messages --- */

/* TRUE in *seen when a message with this SHA-256 (hex) or this Message-ID
 * (may be NULL) is already stored. */
gboolean store_message_seen(IgStore *store, const char *sha256,
                            const char *message_id, gboolean *seen,
                            GError **error);

typedef struct {
  const char *message_id;
  const char *sha256;
  const void *raw;
  gsize raw_len;
  const char *from_addr;
  const char *subject;
  const char *received_at;
  const char *kind;
  gint64 incident_id;       /* 0 = unmatched */
  const char *note;         /* why (quarantine reason, loop verdict) or NULL */
  const char *recorded_at;  /* now, ISO: the time of its audit event */
} IgMessageIn;

/* Stores the message and the audit event that records it (its row and
 * SHA-256). Returns the new row id, or 0 on error. */
gint64 store_add_message(IgStore *store, const IgMessageIn *in, GError **error);

/* Raw bytes of a stored message; caller unrefs. */
GBytes *store_message_raw(IgStore *store, gint64 id, GError **error);

/* Newest first; unmatched_only keeps those without an incident. */
GPtrArray *store_list_messages(IgStore *store, gboolean unmatched_only,
                               GError **error);

/* The incident that a message with one of these Message-IDs (incoming or
 * sent by us) belongs to; 0 when none. */
gint64 store_incident_for_message_ids(IgStore *store, const char *const *ids,
                                      GError **error);

/* Counts failed processing attempts of a raw message across runs;
 * returns the new count, or -1 on error. */
int store_note_failure(IgStore *store, const char *sha256, const char *error_text,
                       const char *at, GError **error);

/* Marks of messages being recorded (see intake.c): the mark of sha256 is
 * -1 none, 0 marked with its batch, 1 marked alone; -2 on error. */
int store_in_flight_get(IgStore *store, const char *sha256, GError **error);
gboolean store_in_flight_set(IgStore *store, const char *sha256, gboolean single,
                             GError **error);
gboolean store_in_flight_clear(IgStore *store, const char *sha256, GError **error);
/* Sets the marks of n messages in one transaction of its own (call it
 * outside one), not synced: a mark lost in a power cut only loses one
 * count towards quarantine, never a message. */
gboolean store_in_flight_mark(IgStore *store, char *const *shas, gsize n, gboolean single,
                              GError **error);

/* --- incidents --- */

/* Allocates the next "PREFIX-YYYY-NNNNNN" for that year; call inside the
 * transaction that records the incident. Caller frees. */
char *store_next_reference(IgStore *store, const char *prefix, int year,
                           GError **error);

/* Inserts incident (its reference already allocated); sets incident->id. */
gboolean store_add_incident(IgStore *store, IgIncident *incident, GError **error);

/* The reference of incident id; caller frees; NULL with *error set if
 * there is none or the store could not be read. */
char *store_incident_reference(IgStore *store, gint64 id, GError **error);

/* 0 when no such reference, without an error; 0 with *error set when the
 * store could not be read (never taken for "no such incident"). */
gint64 store_incident_id(IgStore *store, const char *reference, GError **error);

/* Writes every field of incident (found by its id) back. */
gboolean store_update_incident(IgStore *store, const IgIncident *incident, GError **error);

/* NULL with no error when not found. */
IgIncident *store_get_incident(IgStore *store, const char *reference,
                               GError **error);

/* Records incident->evidence and incident->observables of a new incident
 * (its id and created_at set). */
gboolean store_add_evidence(IgStore *store, const IgIncident *incident, GError **error);

/* IgEvidence* of one incident, in the order recorded; caller frees. */
GPtrArray *store_incident_evidence(IgStore *store, gint64 incident_id, GError **error);

/* IgObservable* with reference set, oldest first: one incident's
 * (reference), those recorded at or after since (ISO-8601 UTC), both or,
 * with neither, all. Caller frees. */
GPtrArray *store_observables(IgStore *store, const char *reference, const char *since,
                             GError **error);

typedef struct {
  const char *status;       /* NULL = any */
  const char *impact;       /* NULL = any */
  gboolean open_only;       /* status not resolved, closed or rejected */
  gboolean overdue_only;    /* a pending deadline due before now */
  const char *now;          /* ISO time for overdue_only */
  /* NULL = any; else every word of it (a run of letters or digits) is a
   * whole word of the summary, description, reporter's name or address,
   * or a note of OST's, case and accents aside. Plain text, never a query
   * language: quotes, `*`, `OR` or `NEAR(` are characters like others. */
  const char *search;
  guint limit;              /* the newest limit incidents only; 0 = all */
} IgIncidentFilter;

/* An incident of a listing with, when asked for, its deadlines
 * (IgDeadlineRec*), messages (IgMessageRec*, as store_incident_messages())
 * and events (IgEventRec*), else NULL. The store's: valid during the
 * call it is passed to. */
typedef struct {
  const IgIncident *incident;
  GPtrArray *deadlines;
  GPtrArray *messages;
  GPtrArray *events;
} IgListedIncident;

/* Takes one listed incident; FALSE (error set) stops the listing. It must
 * not list the store again. */
typedef gboolean (*IgListFn)(const IgListedIncident *row, gpointer data, GError **error);

/* Hands each incident that filter (NULL: all) keeps to fn, newest first,
 * as the rows are read, so that memory stays flat however many there
 * are; with details, their deadlines, messages and events too, read by
 * one query per kind for a page of incidents at a time, never one per
 * incident. All of it is one snapshot of the store. FALSE with the
 * store's error or fn's. */
gboolean store_each_incident(IgStore *store, const IgIncidentFilter *filter,
                             gboolean details, IgListFn fn, gpointer data, GError **error);

/* IgIncident* received at or after from and before to (ISO-8601 UTC),
 * oldest first, in one query: the rows of a period's return. Caller
 * unrefs. */
GPtrArray *store_incidents_received(IgStore *store, const char *from, const char *to,
                                    GError **error);

/* IgSystemRow* of every incident received at or after since (ISO-8601
 * UTC; NULL: all) that has systems_affected or information_asset, oldest
 * first, in one query: the candidates of `report system`, which
 * system_report.c matches against the system's name. Caller unrefs. */
GPtrArray *store_system_candidates(IgStore *store, const char *since, GError **error);

/* IgMessageRec* of one incident, incoming then outgoing, oldest first. */
GPtrArray *store_incident_messages(IgStore *store, gint64 incident_id,
                                   GError **error);

/* --- audit events (hash-chained) --- */

/* Every event of an incident records the incident's state after it: make
 * the change first, then add its event. */

gboolean store_add_event(IgStore *store, gint64 incident_id, const char *at,
                         const char *actor, const char *type,
                         const char *detail, GError **error);
/* IgEventRec* of one incident, oldest first, with their chain fields. */
GPtrArray *store_incident_events(IgStore *store, gint64 incident_id,
                                 GError **error);

/* --- policy rules and deadlines --- */

/* Records that rule fired for incident; *first is FALSE when it had
 * already fired (each rule fires once per incident). */
gboolean store_fire_rule(IgStore *store, gint64 incident_id, const char *rule,
                         const char *at, gboolean *first, GError **error);

/* Sets incident_id's deadline of kind, pending, due at due_at: a new one,
 * or the one it had moved (pending again, no reminders sent, if it had
 * ended). */
gboolean store_add_deadline(IgStore *store, gint64 incident_id,
                            const char *kind, const char *due_at,
                            GError **error);
GPtrArray *store_incident_deadlines(IgStore *store, gint64 incident_id,
                                    GError **error);

/* The pending deadlines (IgDeadlineRec*) of every kind whose next act is
 * due at or before now (ISO), the earliest first. Caller unrefs. */
GPtrArray *store_due_deadlines(IgStore *store, const char *now, GError **error);

/* Counts a reminder sent for incident_id's pending deadline of kind and
 * moves its next act to next_due; with next_due NULL, ends it with state
 * instead.
 * *changed is FALSE when none was pending (another process acted). */
gboolean store_advance_deadline(IgStore *store, gint64 incident_id, const char *kind,
                                const char *next_due, const char *state, gboolean *changed,
                                GError **error);

/* Ends incident_id's pending or escalated deadline of kind with state
 * ("done", ...); *changed is FALSE when there was none. */
gboolean store_set_deadline_state(IgStore *store, gint64 incident_id, const char *kind,
                                  const char *state, gboolean *changed, GError **error);

/* --- management reports (policy 001) --- */

gboolean store_add_management_report(IgStore *store, gint64 incident_id, const char *at,
                                     const char *author, const char *text, GError **error);

/* The newest report's text; NULL when none (check *error). Caller frees. */
char *store_management_report(IgStore *store, gint64 incident_id, GError **error);

/* --- outbox --- */

typedef struct {
  gint64 incident_id;       /* 0 = none */
  const char *kind;         /* "mail" | "webhook" */
  const char *template_name;
  const char *to;
  const char *subject;
  const char *message_id;
  GBytes *body;
  const char *created_at;
} IgOutboxIn;

gint64 store_outbox_add(IgStore *store, const IgOutboxIn *in, GError **error);

/* Claims the oldest pending row due at or before now that no one else
 * holds (never claimed, claim released, or claimed_until before now) for
 * owner until until, in a short transaction of its own (call it outside
 * one), so that of several processes only the claimer sends it. The row
 * stays "pending" for everyone reading the outbox. NULL with no error when
 * nothing is due; caller frees. store_outbox_sent() and
 * store_outbox_retry() end the claim. */
IgOutboxRec *store_outbox_claim(IgStore *store, const char *now, const char *owner,
                                const char *until, GError **error);
/* The same for up to max rows, oldest first, in one transaction: an empty
 * array when nothing is due, NULL on error. Caller unrefs. */
GPtrArray *store_outbox_claim_many(IgStore *store, const char *now, const char *owner,
                                   const char *until, guint max, GError **error);

/* Owners of claims on pending rows (char*), so that claims left by a
 * process known to be dead can be released at once instead of lapsing. */
GPtrArray *store_outbox_claimers(IgStore *store, GError **error);
gboolean store_outbox_release(IgStore *store, const char *owner, GError **error);

/* All rows newest first (pending_only: state pending), without bodies. */
GPtrArray *store_list_outbox(IgStore *store, gboolean pending_only,
                             GError **error);

/* The mails rendered from template_name about incident_id (IgOutboxRec*,
 * every state, without bodies), oldest first. Caller unrefs. */
GPtrArray *store_outbox_of(IgStore *store, gint64 incident_id, const char *template_name,
                           GError **error);

/* Marks the row sent, whoever holds its claim: it has left. */
gboolean store_outbox_sent(IgStore *store, gint64 id, const char *at,
                           GError **error);
/* Marks the n rows ids sent in one transaction of its own (call it
 * outside one), not synced: a power cut before the store's next synced
 * commit leaves them to be sent again. */
gboolean store_outbox_sent_many(IgStore *store, const gint64 *ids, guint n, const char *at,
                                GError **error);
/* Counts a failed attempt of a row still pending; a row sent meanwhile
 * by another process stays sent. */
gboolean store_outbox_retry(IgStore *store, gint64 id, const char *next_at,
                            gboolean give_up, const char *error_text,
                            GError **error);

/* The complete message (or webhook body) of outbox row id; caller unrefs. */
GBytes *store_outbox_body(IgStore *store, gint64 id, GError **error);

/* The newest mail rendered from template_name about incident_id: its
 * recipient, when it was queued and (message_id may be NULL) its
 * Message-ID without <>; all NULL when none. Caller frees. */
gboolean store_outbox_last(IgStore *store, gint64 incident_id, const char *template_name,
                           char **to, char **created_at, char **message_id, GError **error);

/* Marks the mail with this Message-ID bounced; *incident_id is its
 * incident (0 when none). *found is FALSE when no row has that ID. */
gboolean store_outbox_bounced(IgStore *store, const char *message_id, const char *error_text,
                              gboolean *found, gint64 *incident_id, GError **error);

/* Acknowledgements queued since the given time to address (as
 * address_canonical() spells it), or to anyone when address is NULL. */
gint64 store_count_acks_since(IgStore *store, const char *address,
                              const char *since, GError **error);

/* --- manager digest (SPEC 8, digest.c) --- */

/* Incidents recorded after since (ISO UTC; NULL: from the first) and at
 * or before until, oldest first, as IgDigestItem* (kind NULL);
 * late_only keeps those reported late. Caller unrefs. */
GPtrArray *store_digest_incidents(IgStore *store, const char *since, const char *until,
                                  gboolean late_only, GError **error);

/* Incidents recorded at or before until and open (status neither closed
 * nor rejected) counted by status (key) and impact (key2, NULL when not
 * set), as IgCountRow*. */
GPtrArray *store_digest_open_counts(IgStore *store, const char *until, GError **error);

/* Incidents received from from to until (ISO UTC, both included)
 * counted by category (key, NULL when none), as IgCountRow*. */
GPtrArray *store_digest_category_counts(IgStore *store, const char *from, const char *until,
                                        GError **error);

/* Pending deadlines due before now (ISO UTC) of incidents recorded by
 * then, earliest first, as
 * IgDigestItem* with kind and at (its due time). Held correspondence is
 * the gateway's own timer, not a deadline anyone can miss: left out. */
GPtrArray *store_digest_overdue(IgStore *store, const char *now, GError **error);

/* The head of the audit chain: the newest event's hash and time (caller
 * frees both); with no events yet, the chain's genesis hash and NULL. */
gboolean store_audit_head(IgStore *store, char **hash, char **at, GError **error);

/* When the newest digest recorded at or before now was sent (ISO UTC;
 * NULL when none; caller frees). */
gboolean store_digest_last(IgStore *store, const char *now, char **at, GError **error);

/* *sent: the daily digest of day (a local date, YYYY-MM-DD) is recorded. */
gboolean store_digest_sent_on(IgStore *store, const char *day, gboolean *sent, GError **error);

/* Records a digest sent at at with the chain head it showed: day is the
 * local date of a daily one (one per day: *recorded is FALSE when that day
 * has its digest already), NULL for one sent on demand. */
gboolean store_digest_record(IgStore *store, const char *at, const char *day,
                             const char *head_hash, gboolean *recorded, GError **error);

/* --- integrity --- */

typedef struct {
  gint64 events;            /* chained events */
  gint64 messages;          /* raw messages matching their SHA-256 */
  gint64 incidents;         /* incidents as their newest event left them */
} IgVerifyCounts;

/* Walks the event chain, rehashes every raw message, and checks that the
 * chain accounts for every stored message (the event that recorded it,
 * with its SHA-256) and for every incident's current state (fields,
 * deadlines, rules fired, messages, evidence, as hashed in its newest
 * event), so that nothing changed outside the audit trail passes. Returns
 * FALSE with IG_ERROR_INTEGRITY naming the first mismatch. */
gboolean store_verify(IgStore *store, IgVerifyCounts *counts, GError **error);

/* A chain head published earlier (SPEC 8: the digest's) is still in the
 * chain: *event_id is the event whose hash it is. Call after a
 * store_verify() that passed. IG_ERROR_INTEGRITY when it is not: the
 * history up to it was rewritten. */
gboolean store_verify_anchor(IgStore *store, const char *hash, gint64 *event_id,
                             GError **error);

#endif
