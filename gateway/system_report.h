/* system_report.h - an IT system's incidents for its Accreditor's
 * re-accreditation (SPEC 2 `report system NAME`, policy 001): which
 * incidents name the system, and the report as text, CSV or JSON.
 *
 * Pure: names and candidate rows (store_system_candidates()) in, text
 * out. No store, no clock, no I/O.
 *
 * The rule: a name and a text are compared after normalising both (lower
 * case, every run of characters that are not letters or digits one space,
 * trimmed); NAME matches an incident when its words appear as whole words
 * in the incident's systems affected or information asset. So "NOMIS"
 * finds "nomis", "Prison-NOMIS" and "prison nomis (case notes)", but not
 * "NOMISx". A configured asset the name is, or is a whole-word part of,
 * is shown in the report; its incidents (information asset that asset)
 * match by the same rule. */
#ifndef IG_SYSTEM_REPORT_H
#define IG_SYSTEM_REPORT_H

#include <glib.h>
#include <jansson.h>

#include "gateway/config.h"
#include "gateway/records.h"

/* The outcome shown is at most this many characters, then "...". */
#define SYSTEM_OUTCOME_MAX 500

/* text normalised as above (invalid UTF-8 replaced first). Caller frees. */
char *system_name_norm(const char *text);

/* TRUE when name (already normalised, not empty) appears as whole words
 * in text (any text; NULL never matches). */
gboolean system_words_in(const char *name, const char *text);

/* TRUE when name (normalised, not empty) matches incident. */
gboolean system_report_matches(const char *name, const IgIncident *incident);

/* The outcome of a row: the reason given with its last resolving, closing
 * or rejecting status ("closed: ..."), else its last note, else NULL;
 * bounded to SYSTEM_OUTCOME_MAX characters. Caller frees. */
char *system_report_outcome(const IgSystemRow *row);

typedef struct {
  char *name;               /* as given */
  char *since;              /* ISO-8601 UTC, or NULL: since the first */
  GPtrArray *assets;        /* const IgPair* of the config: assets it names */
  GPtrArray *rows;          /* const IgSystemRow* of candidates: the incidents, in order */
  GPtrArray *candidates;    /* IgSystemRow*, a reference held */
} IgSystemReport;

/* The report of name (not normalised; its normalised form not empty) from
 * the candidate rows (IgSystemRow*, in the order given) and the configured
 * assets (IgPair*; must outlive the report). Free with
 * system_report_free(). */
IgSystemReport *system_report_new(const char *name, const char *since, GPtrArray *assets,
                                  GPtrArray *candidates);
void system_report_free(IgSystemReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgSystemReport, system_report_free)

/* Plain text for the Accreditor: a heading naming the system, its assets,
 * the period and the count, then one block per incident with times in tz
 * and the management report indented. Caller frees. */
char *system_report_text(const IgSystemReport *report, GTimeZone *tz);

/* CSV (RFC 4180, CRLF, guarded as csv.h): the header row (reference,
 * received_at, detected_at, category, impact, status, systems_affected,
 * information_asset, outcome, management_report) and one row per
 * incident; management_report is yes or no. Caller frees. */
char *system_report_csv(const IgSystemReport *report);

/* {"system","since","assets":[{"name","iao"}],"count","incidents":[{the
 * CSV's columns, values as `show --json` gives them,
 * "management_report_text"}]}. New reference; the caller decrefs. */
json_t *system_report_json(const IgSystemReport *report);

#endif
