/* report.h - a new report (IgMail) becomes the fields of an incident.
 *
 * Unwraps a forward (the original sender becomes the reporter, the
 * forwarder's domain decides the route), then reads the form (body, else a
 * text attachment) or, failing that, the sender's own words by the free
 * text rules; applies the sender defaults, looks up the information
 * asset's owner and works out missing_fields, minutes_to_report and
 * reported_late against report_within. Leaves reference, status and
 * timestamps of the record to the caller. No I/O. */
#ifndef IG_REPORT_H
#define IG_REPORT_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/records.h"
#include "parsers/mail.h"

/* Returns a new incident; appends human-readable notes about values that
 * could not be read to problems (char*), and how each value found by rule
 * was decided, with the words that triggered it, to decisions (char*).
 * received is the arrival time. */
IgIncident *report_build(const IgConfig *config, const IgMail *mail,
                         GDateTime *received, GPtrArray *problems,
                         GPtrArray *decisions);

/* The fields a reporter's reply gives as form lines ("Impact: high",
 * indented or not), read as report_build() reads a form; times relative
 * to sent, lateness against received (the report's arrival). NULL when
 * text has no form line. Notes on unreadable values go to problems. */
IgIncident *report_form_fields(const IgConfig *config, const char *text, GDateTime *sent,
                               GDateTime *received, GPtrArray *problems);

/* Sets missing_fields: which fields a complete report needs and inc
 * lacks, in SPEC order. */
void report_set_missing(IgIncident *inc);

/* The form label of a missing_fields name ("detected_at" -> "Date and time
 * of detection"); static. */
const char *report_field_label(const char *field);

/* A display name as people say it: "Okafor, David" (Outlook's directory
 * style) becomes "David Okafor", an honorific is dropped; NULL for none.
 * Caller frees. */
char *report_person_name(const char *display);

/* The subject without Re:/Fw:/Fwd: prefixes; caller frees. */
char *report_clean_subject(const char *subject);

#endif
