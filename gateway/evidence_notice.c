/* evidence_notice.c - evidence and observables in words (evidence_notice.h). */
#include "gateway/evidence_notice.h"

/* A header value in a notification: one line, at most this many
 * characters (a subject is bait of any length). */
#define LINE_MAX_CHARS 200

/* value on one line of at most LINE_MAX_CHARS characters; caller frees. */
static char *one_line(const char *value)
{
  char *one = g_strdelimit(g_strdup(value), "\r\n\t\v\f", ' ');
  if (g_utf8_strlen(one, -1) <= LINE_MAX_CHARS)
    return one;
  g_autofree char *cut = g_utf8_substring(one, 0, LINE_MAX_CHARS);
  g_free(one);
  return g_strconcat(cut, "\u2026", NULL);
}

static void line(GString *out, const char *label, const char *value)
{
  if (!value)
    return;
  g_autofree char *one = one_line(value);
  g_string_append_printf(out, "  %-12s %s\n", label, one);
}

char *evidence_notice(const IgIncident *inc)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < inc->evidence->len; i++) {
    const IgEvidence *e = g_ptr_array_index(inc->evidence, i);
    g_autofree char *from = observable_defang("email", e->from_addr);
    g_autofree char *reply_to = observable_defang("email", e->reply_to);
    g_autofree char *return_path = e->return_path && *e->return_path
                                       ? observable_defang("email", e->return_path) : NULL;
    g_autofree char *name = e->from_name ? observable_defang("domain", e->from_name) : NULL;
    g_autofree char *sender = g_strdup_printf("%s%s<%s>", name ? name : "", name ? " " : "",
                                              from ? from : "unknown");
    line(out, "From:", sender);
    line(out, "Reply-To:", reply_to);
    line(out, "Return-Path:", return_path);
    line(out, "Subject:", e->subject);
    line(out, "Date:", e->date);
    line(out, "SHA-256:", e->sha256);
  }
  return g_string_free(out, FALSE);
}

char *evidence_notice_observables(const IgIncident *inc)
{
  GString *out = g_string_new(NULL);
  const guint n = inc->observables->len;
  for (guint i = 0; i < n && i < EVIDENCE_NOTICE_MAX; i++) {
    const IgObservable *o = g_ptr_array_index(inc->observables, i);
    g_autofree char *shown = one_line(o->defanged);
    g_string_append_printf(out, "  %-7s %s%s%s\n", o->type, shown,
                           o->sha256 ? "  sha256 " : "", o->sha256 ? o->sha256 : "");
  }
  if (n > EVIDENCE_NOTICE_MAX)
    g_string_append_printf(out, "  ... and %u more: incident-gateway observables %s\n",
                           n - EVIDENCE_NOTICE_MAX, inc->reference);
  return g_string_free(out, FALSE);
}
