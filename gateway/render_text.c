/* render_text.c - tables and detail views for people (render_text.h). */
#include "gateway/render_text.h"

#include <stdio.h>
#include <string.h>

static char *local(const char *iso, GTimeZone *tz)
{
  char *shown = iso_local(iso, tz, IG_TIME_SHOWN);
  return shown ? shown : g_strdup("-");
}

/* A span of minutes as people read it: "45 min", "2 h 05 min",
 * "7 d 20 h 13 min". */
static char *duration(gint64 minutes)
{
  if (minutes < 60)
    return g_strdup_printf("%" G_GINT64_FORMAT " min", minutes);
  gint64 h = minutes / 60 % 24, d = minutes / (24 * 60), m = minutes % 60;
  if (!d)
    return g_strdup_printf("%" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT " min", h, m);
  return g_strdup_printf("%" G_GINT64_FORMAT " d %" G_GINT64_FORMAT " h %02" G_GINT64_FORMAT
                         " min", d, h, m);
}

static const char *or_dash(const char *s)
{
  return s && *s ? s : "-";
}

/* Characters a terminal would act on rather than show: C0 and C1 controls,
 * DEL, and the bidirectional overrides that reorder what is shown. */
static gboolean acts_on_terminal(gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

/* s (or "-") fit to print: every control character escaped as \r, \n,
 * \t or \u{XX}, bytes that are not UTF-8 as \xXX, so text from a mail
 * cannot add rows or move the cursor. keep_lines keeps line feeds and
 * tabs, for the multi-line fields of show. Caller frees. */
static char *safe(const char *s, gboolean keep_lines)
{
  s = or_dash(s);
  GString *out = g_string_sized_new(strlen(s));
  const char *end = s + strlen(s);
  while (s < end) {
    gunichar c = g_utf8_get_char_validated(s, end - s);
    if (c == (gunichar)-1 || c == (gunichar)-2) {
      g_string_append_printf(out, "\\x%02X", (guchar)*s++);
      continue;
    }
    const char *next = g_utf8_next_char(s);
    if ((c == '\n' || c == '\t') && keep_lines)
      g_string_append_c(out, (char)c);
    else if (c == '\r' || c == '\n' || c == '\t')
      g_string_append(out, c == '\r' ? "\\r" : c == '\n' ? "\\n" : "\\t");
    else if (acts_on_terminal(c))
      g_string_append_printf(out, "\\u{%X}", c);
    else
      g_string_append_len(out, s, next - s);
    s = next;
  }
  return g_string_free(out, FALSE);
}

void text_no_incidents(void)
{
  printf("no incidents\n");
}

void text_incident_row(const IgIncident *inc, gboolean first, GTimeZone *tz)
{
  if (first)
    printf("%-16s  %-13s  %-6s  %-25s  %-20s  %s\n", "REFERENCE", "STATUS", "IMPACT",
           "CATEGORY", "RECEIVED", "SUMMARY");
  g_autofree char *received = local(inc->received_at, tz);
  g_autofree char *summary = safe(inc->summary, FALSE);
  printf("%-16s  %-13s  %-6s  %-25s  %-20s  %s%s\n", inc->reference, inc->status,
         or_dash(inc->impact), or_dash(inc->category), received, summary,
         inc->reported_late == 1 ? "  [late]" : "");
}

static void field(const char *label, const char *value)
{
  g_autofree char *shown = safe(value, FALSE);
  printf("%-19s %s\n", label, shown);
}

/* The suspicious mail reported and its indicators, addresses defanged:
 * what is shown is for reading, never for clicking. */
static void text_evidence(const IgIncident *inc, GTimeZone *tz)
{
  for (guint i = 0; i < inc->evidence->len; i++) {
    const IgEvidence *e = g_ptr_array_index(inc->evidence, i);
    g_autofree char *from = observable_defang("email", e->from_addr);
    g_autofree char *reply_to = observable_defang("email", e->reply_to);
    g_autofree char *return_path = observable_defang("email", e->return_path);
    g_autofree char *name = safe(e->from_name, FALSE);
    g_autofree char *subject = safe(e->subject, FALSE);
    g_autofree char *date = local(e->date, tz);
    printf("\nEvidence (the suspicious mail reported):\n");
    printf("  From:        %s <%s>\n", or_dash(name), or_dash(from));
    if (reply_to)
      printf("  Reply-To:    %s\n", reply_to);
    if (return_path)
      printf("  Return-Path: %s\n", *return_path ? return_path : "<>");
    printf("  Subject:     %s\n", or_dash(subject));
    printf("  Date:        %s\n", or_dash(date));
    printf("  SHA-256:     %s\n", or_dash(e->sha256));
    /* relays as written name hosts undefanged: their hosts and IPs are
     * among the observables, the headers in show --json */
    if (e->relays[0])
      printf("  Relays:      %u Received: headers\n", g_strv_length(e->relays));
  }
  if (inc->observables->len > 0)
    printf("\nObservables (defanged):\n");
  for (guint i = 0; i < inc->observables->len; i++) {
    const IgObservable *o = g_ptr_array_index(inc->observables, i);
    printf("  %-7s %s%s%s\n", o->type, o->defanged, o->sha256 ? "  sha256 " : "",
           o->sha256 ? o->sha256 : "");
  }
}

void text_incident(const IgIncident *inc, GPtrArray *deadlines, GPtrArray *messages,
                   GPtrArray *events, GTimeZone *tz)
{
  g_autofree char *detected = local(inc->detected_at, tz);
  g_autofree char *received = local(inc->received_at, tz);
  g_autofree char *recorded = local(inc->created_at, tz);
  g_autofree char *missing = g_strjoinv(", ", inc->missing_fields);
  g_autofree char *span = inc->minutes_to_report >= 0 ? duration(inc->minutes_to_report) : NULL;
  g_autofree char *minutes = span ? g_strconcat(span, inc->reported_late == 1 ? " (late)" : "",
                                                NULL) : NULL;
  g_autofree char *reporter = g_strdup_printf("%s <%s>", or_dash(inc->reporter_name),
                                              or_dash(inc->reporter_email));
  g_autofree char *summary = safe(inc->summary, FALSE);
  g_autofree char *description = safe(inc->description, TRUE);
  g_autofree char *actions = inc->actions_taken ? safe(inc->actions_taken, TRUE) : NULL;
  printf("%s  %s\n\n", inc->reference, summary);
  field("Status:", inc->status);
  field("Impact:", inc->impact);
  field("Category:", inc->category);
  field("Personal data:", inc->personal_data);
  field("Near miss:", inc->near_miss == 1 ? "yes" : inc->near_miss == 0 ? "no" : NULL);
  field("Reporter:", reporter);
  field("Phone:", inc->reporter_phone);
  field("Business group:", inc->business_area);
  field("Route:", inc->via);
  field("Source:", inc->source);
  field("Forwarded by:", inc->forwarded_by);
  field("Supplier:", inc->supplier);
  field("Detected:", detected);
  field("Received:", received);
  field("Recorded:", recorded);
  field("Time to report:", minutes);
  field("Systems affected:", inc->systems_affected);
  field("Information asset:", inc->information_asset);
  field("Asset owner:", inc->asset_owner);
  field("Owner:", inc->owner);
  field("Missing fields:", missing);
  printf("\nDescription:\n%s\n", description);
  if (actions)
    printf("\nActions taken:\n%s\n", actions);

  text_evidence(inc, tz);

  printf("\nDeadlines:\n");
  for (guint i = 0; i < deadlines->len; i++) {
    const IgDeadlineRec *d = g_ptr_array_index(deadlines, i);
    g_autofree char *due = local(d->due_at, tz);
    printf("  %-21s %s  %s", d->kind, due, d->state);
    if (d->reminders)
      printf(" (%d reminder%s sent)", d->reminders, d->reminders == 1 ? "" : "s");
    putchar('\n');
  }
  printf("\nMessages:\n");
  for (guint i = 0; i < messages->len; i++) {
    const IgMessageRec *m = g_ptr_array_index(messages, i);
    g_autofree char *at = local(m->received_at, tz);
    g_autofree char *subject = safe(m->subject, FALSE);
    printf("  %s %-3s %-14s %s\n", at, m->direction, or_dash(m->kind), subject);
  }
  printf("\nEvents:\n");
  for (guint i = 0; i < events->len; i++) {
    const IgEventRec *e = g_ptr_array_index(events, i);
    g_autofree char *at = local(e->at, tz);
    g_autofree char *actor = safe(e->actor, FALSE);
    g_autofree char *detail = safe(e->detail, FALSE);
    printf("  %s %-16s %s: %s\n", at, e->type, actor, detail);
  }
}

void text_messages(GPtrArray *messages, GTimeZone *tz)
{
  if (!messages->len) {
    printf("no messages\n");
    return;
  }
  printf("%-20s  %-14s  %-16s  %-30s  %s\n", "RECEIVED", "KIND", "REFERENCE", "FROM",
         "SUBJECT");
  for (guint i = 0; i < messages->len; i++) {
    const IgMessageRec *m = g_ptr_array_index(messages, i);
    g_autofree char *at = local(m->received_at, tz);
    g_autofree char *from = safe(m->from_addr, FALSE);
    g_autofree char *subject = safe(m->subject, FALSE);
    printf("%-20s  %-14s  %-16s  %-30s  %s\n", at, m->kind, or_dash(m->reference), from,
           subject);
  }
}

void text_outbox(GPtrArray *rows, GTimeZone *tz)
{
  if (!rows->len) {
    printf("outbox empty\n");
    return;
  }
  printf("%-6s  %-8s  %-8s  %-16s  %-32s  %s\n", "ID", "STATE", "ATTEMPTS", "REFERENCE",
         "TO", "SUBJECT");
  for (guint i = 0; i < rows->len; i++) {
    const IgOutboxRec *r = g_ptr_array_index(rows, i);
    g_autofree char *to = safe(r->to, FALSE);
    g_autofree char *subject = safe(r->subject, FALSE);
    printf("%-6" G_GINT64_FORMAT "  %-8s  %-8" G_GINT64_FORMAT "  %-16s  %-32s  %s\n", r->id,
           r->state, r->attempts, or_dash(r->reference), to, subject);
    if (r->last_error) {
      g_autofree char *next = local(r->next_attempt_at, tz);
      g_autofree char *last = safe(r->last_error, FALSE);
      printf("        last error: %s (next attempt %s)\n", last, next);
    }
  }
}
