/* report.h - a new report (IgMail) becomes the fields of an incident.
 *
 * Chooses the form (body, else a text attachment) or free text, applies
 * the sender defaults (reporter email, helpdesk or supplier route), looks
 * up the information asset's owner and works out missing_fields,
 * minutes_to_report and reported_late against report_within. Leaves
 * reference, status and timestamps of the record to the caller. No I/O. */
#ifndef IG_REPORT_H
#define IG_REPORT_H

#include <glib.h>
#include "gateway/config.h"
#include "gateway/records.h"
#include "parsers/mail.h"

/* Returns a new incident; appends human-readable notes about values that
 * could not be read to problems (char*). received is the arrival time. */
IgIncident *report_build(const IgConfig *config, const IgMail *mail,
                         GDateTime *received, GPtrArray *problems);

/* The form label of a missing_fields name ("detected_at" -> "Date and time
 * of detection"); static. */
const char *report_field_label(const char *field);

/* The subject without Re:/Fw:/Fwd: prefixes; caller frees. */
char *report_clean_subject(const char *subject);

#endif
