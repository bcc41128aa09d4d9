/* template.h - the text of every outgoing mail comes from templates/NAME.txt.
 *
 * A template starts with a "Subject: ..." line, then a blank line, then the
 * body. {{name}} inserts a variable; {{#name}}...{{/name}} keeps its
 * content only when the variable is non-empty, {{^name}}...{{/name}} only
 * when it is empty. An unknown variable is empty. Files are read once and
 * cached. */
#ifndef IG_TEMPLATE_H
#define IG_TEMPLATE_H

#include <glib.h>

typedef struct IgTemplates IgTemplates;

/* dir is copied. */
IgTemplates *templates_new(const char *dir);
void templates_free(IgTemplates *templates);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgTemplates, templates_free)

/* Renders templates/name.txt with vars (char* -> char*). Fills *subject
 * and *body (caller frees). IG_ERROR_CONFIG when the file is missing or
 * malformed; a section vars hide is not read, so a mistake inside one is
 * for templates_check() to find. */
gboolean templates_render(IgTemplates *templates, const char *name,
                          GHashTable *vars, char **subject, char **body,
                          GError **error);

/* The names of the templates the gateway sends mail from, NULL-ended:
 * ack, notify, notify_ost, correspondence, quarantine, confirmation,
 * status_changed, security_alert, and the deadlines' triage_reminder,
 * triage_escalation, form_reminder, form_escalation, report_reminder,
 * report_escalation. Static. */
const char *const *templates_required(void);

/* Reads every template templates_required() names and every other *.txt
 * in the directory, and checks that each is well formed, hidden sections
 * included. IG_ERROR_CONFIG naming the file (and the line) at fault. */
gboolean templates_check(IgTemplates *templates, GError **error);

#endif
