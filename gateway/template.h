/* template.h - the text of every outgoing mail comes from templates/NAME.txt,
 * and the HTML alternative of a mail that has one from templates/NAME.html.
 *
 * A .txt template starts with a "Subject: ..." line, then a blank line,
 * then the body; an .html template is the HTML body alone. {{name}}
 * inserts a variable (HTML-escaped in an .html template); {{&name}}
 * inserts it as it is, for markup the caller built and escaped;
 * {{#name}}...{{/name}} keeps its content only when the variable is
 * non-empty, {{^name}}...{{/name}} only when it is empty. An unknown
 * variable is empty. Files are read once and cached. */
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

/* Renders templates/name.html with vars, every {{value}} HTML-escaped.
 * Returns the HTML (caller frees), or NULL with IG_ERROR_CONFIG. */
char *templates_render_html(IgTemplates *templates, const char *name, GHashTable *vars,
                            GError **error);

/* text escaped for HTML (g_markup_escape_text(), with the apostrophe as
 * &#39;: HTML 4, and so Outlook's Word engine, has no &apos;). Caller
 * frees. */
char *templates_escape_html(const char *text);

/* The names of the templates the gateway sends mail from, NULL-ended:
 * ack, notify, notify_ost, correspondence, quarantine, confirmation,
 * status_changed, security_alert, the deadlines' triage_reminder,
 * triage_escalation, form_reminder, form_escalation, report_reminder,
 * report_escalation, the stakeholders' outcome, and digest (with
 * digest.html). Static. */
const char *const *templates_required(void);

/* Reads every template templates_required() names and every other *.txt
 * and *.html in the directory, and checks that each is well formed,
 * hidden sections included. IG_ERROR_CONFIG naming the file (and the
 * line) at fault. */
gboolean templates_check(IgTemplates *templates, GError **error);

#endif
