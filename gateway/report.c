/* report.c - from a parsed mail to incident fields (report.h). */
#include "gateway/report.h"

#include <string.h>

#include "gateway/address.h"
#include "gateway/relay.h"
#include "parsers/form.h"
#include "parsers/forward.h"
#include "parsers/freetext.h"
#include "parsers/textparts.h"

static const struct {
  const char *field;
  const char *label;
} labels[] = {
  { "reporter_name", "Reporter name" },
  { "detected_at", "Date and time of detection" },
  { "category", "Incident category" },
  { "impact", "Impact" },
  { "personal_data", "Personal data involved" },
  { "description", "Description" },
};

const char *report_field_label(const char *field)
{
  for (gsize i = 0; i < G_N_ELEMENTS(labels); i++)
    if (strcmp(labels[i].field, field) == 0)
      return labels[i].label;
  return field;
}

char *report_clean_subject(const char *subject)
{
  static const char *const prefixes[] = { "re:", "fw:", "fwd:", "aw:", "wg:", "tr:", NULL };
  if (!subject)
    return NULL;
  const char *p = subject;
  gboolean again = TRUE;
  while (again) {
    again = FALSE;
    while (g_ascii_isspace(*p))
      p++;
    for (int i = 0; prefixes[i]; i++) {
      gsize n = strlen(prefixes[i]);
      if (g_ascii_strncasecmp(p, prefixes[i], n) == 0) {
        p += n;
        again = TRUE;
      }
    }
  }
  char *clean = g_strstrip(g_strdup(p));
  if (!*clean) {
    g_free(clean);
    return NULL;
  }
  return clean;
}

/* The first text attachment that is a form, in place of best (the body's
 * reading) when that is none; else best. */
static IgForm *form_from_attachments(const IgMail *mail, GTimeZone *tz, IgForm *best)
{
  for (guint i = 0; i < mail->attachments->len && !form_is_form(best); i++) {
    const IgTextPart *part = g_ptr_array_index(mail->attachments, i);
    IgForm *candidate = form_parse(part->text, tz);
    if (form_is_form(candidate)) {
      form_free(best);
      best = candidate;
    } else {
      form_free(candidate);
    }
  }
  return best;
}

/* text (valid UTF-8) past its leading blanks, Unicode's too: Outlook's
 * HTML mail writes an empty line as &nbsp;, which the parsers' ASCII
 * trimming leaves. */
static const char *skip_blanks(const char *text)
{
  while (*text && g_unichar_isspace(g_utf8_get_char(text)))
    text = g_utf8_next_char(text);
  return text;
}

/* A copy of a description that has words; NULL for one of blanks only. */
static char *words_or_null(const char *text)
{
  return text && *skip_blanks(text) ? g_strdup(text) : NULL;
}

/* The first line of text with words, cut at max_chars characters; text
 * is NULL or has words (words_or_null()). */
static char *first_line(const char *text, gsize max_chars)
{
  if (!text)
    return NULL;
  const char *p = skip_blanks(text);
  g_autofree char *line = g_strchomp(g_strndup(p, strcspn(p, "\n")));
  if (g_utf8_strlen(line, -1) <= (glong)max_chars)
    return g_steal_pointer(&line);
  g_autofree char *cut = g_utf8_substring(line, 0, (glong)max_chars);
  return g_strdup_printf("%s...", cut);
}

static void set_timing(IgIncident *inc, const IgConfig *config, GDateTime *detected,
                       GDateTime *received, GPtrArray *problems)
{
  if (!detected)
    return;
  GTimeSpan diff = g_date_time_difference(received, detected);
  /* A few minutes of clock skew between a reporter's PC and the mail
   * server is normal; beyond that the detection time is wrong. */
  if (diff < -5 * G_TIME_SPAN_MINUTE) {
    g_ptr_array_add(problems, g_strdup("detection time is after the report arrived"));
    return;
  }
  inc->minutes_to_report = MAX(diff, 0) / G_TIME_SPAN_MINUTE;
  inc->reported_late = inc->minutes_to_report * 60 > config->report_within;
}

static char *dup_or_null(const char *s)
{
  return s && *s ? g_strdup(s) : NULL;
}

void report_set_missing(IgIncident *inc)
{
  GPtrArray *missing = g_ptr_array_new();
  const char *values[] = { inc->reporter_name, inc->detected_at, inc->category,
                           inc->impact, inc->personal_data, inc->description };
  for (gsize i = 0; i < G_N_ELEMENTS(labels); i++)
    if (!values[i])
      g_ptr_array_add(missing, g_strdup(labels[i].field));
  g_ptr_array_add(missing, NULL);
  g_strfreev(inc->missing_fields);
  inc->missing_fields = (char **)g_ptr_array_free(missing, FALSE);
}

/* Where the report's own words and sender are: the forwarded original
 * when there is one, else the mail itself. */
typedef struct {
  const char *from_name;
  const char *from_addr;
  const char *subject;
  GDateTime *sent;
  const char *text;
  const char *note;         /* a forwarder's words above the original, or NULL */
} Origin;

/* Every value read by rule comes with the words it was read from. */
static void decided(GPtrArray *decisions, const char *field, const char *value,
                    const char *words)
{
  if (value)
    g_ptr_array_add(decisions, g_strdup_printf("%s = %s, from \"%s\"", field, value, words));
}

static void fill_from_form(IgIncident *inc, const IgConfig *config, IgForm *form,
                           GDateTime *sent, GDateTime *received, GPtrArray *problems,
                           GPtrArray *decisions)
{
  /* "Detected at: today, 08:50" needs the mail's date, which only the free
   * text rules resolve. */
  g_autoptr(GDateTime) detected = form->detected_at ? g_date_time_ref(form->detected_at) : NULL;
  if (!detected && form->detected_text) {
    g_autoptr(IgFreeText) ft = freetext_extract(form->detected_text, NULL, sent, config->tz,
                                                NULL, NULL);
    if (ft->detected_at) {
      detected = g_date_time_ref(ft->detected_at);
      g_autofree char *iso = iso_utc(detected);
      decided(decisions, "detected_at", iso, form->detected_text);
    }
  }
  for (guint i = 0; i < form->problems->len; i++) {
    const char *problem = g_ptr_array_index(form->problems, i);
    if (!(detected && !form->detected_at && g_str_has_prefix(problem, "Date and time of detection:")))
      g_ptr_array_add(problems, g_strdup(problem));
  }
  inc->reporter_name = dup_or_null(form->reporter_name);
  inc->reporter_email = dup_or_null(form->reporter_email);
  inc->reporter_phone = dup_or_null(form->reporter_phone);
  inc->business_area = dup_or_null(form->business_area);
  inc->detected_at = detected ? iso_utc(detected) : NULL;
  inc->occurred_at = form->occurred_at ? iso_utc(form->occurred_at) : NULL;
  inc->category = dup_or_null(form->category);
  inc->impact = dup_or_null(form->impact);
  inc->personal_data = dup_or_null(form->personal_data);
  inc->near_miss = form->near_miss;
  inc->systems_affected = dup_or_null(form->systems_affected);
  inc->information_asset = dup_or_null(form->information_asset);
  inc->supplier = dup_or_null(form->supplier);
  inc->description = words_or_null(form->description);
  inc->actions_taken = dup_or_null(form->actions_taken);
  set_timing(inc, config, detected, received, problems);
}

static void decided_category(GPtrArray *decisions, const IgFreeText *ft)
{
  if (ft->category_from_subject)
    g_ptr_array_add(decisions, g_strdup_printf("category = %s, from the subject's \"%s\"",
                                               ft->category, ft->category_words));
  else
    decided(decisions, "category", ft->category, ft->category_words);
}

/* Free text: the fields the rules find in the sender's own words, and in
 * a forwarder's note above them. The category is the more specific of
 * the two readings (the note's "supplier incident" over a supplier merely
 * mentioned below it), the subject's words deciding only when neither
 * does; the rest comes from the forwarded text, else from the note, and
 * the time from the note only when it tells of the event ("I clicked it
 * at 9.40") and the forwarded text does not. parts is o->text split;
 * reading, when not NULL, its own words already read with the subject. */
static void fill_from_text(IgIncident *inc, const IgConfig *config, const Origin *o,
                           const IgTextParts *parts, const IgFreeText *reading,
                           GDateTime *received, GPtrArray *problems, GPtrArray *decisions)
{
  g_autoptr(IgTextParts) note = o->note ? textparts_split(o->note) : NULL;
  g_autofree char **assets = config_pair_names(config->assets);
  g_autofree char **suppliers = config_pair_names(config->suppliers);
  /* reading was made with the subject, as the text is read without a note */
  g_autoptr(IgFreeText) fresh = reading && !note ? NULL
                                : freetext_extract(parts->own, note ? NULL : o->subject, o->sent,
                                                   config->tz, (const char *const *)assets,
                                                   (const char *const *)suppliers);
  const IgFreeText *ft = fresh ? fresh : reading;
  /* the note was written when it was sent on, not when the original was:
   * its "this morning at 9.40" is read against the arrival */
  g_autoptr(IgFreeText) nt = note ? freetext_extract(note->own, o->subject, received, config->tz,
                                                     (const char *const *)assets,
                                                     (const char *const *)suppliers)
                                  : NULL;
  inc->description = words_or_null(parts->own);
  /* A bulletin passed on "for information, no action needed" reports
   * nothing, whatever incidents its text tells of. */
  const char *nothing = ft->not_report_words ? ft->not_report_words
                                             : nt ? nt->not_report_words : NULL;
  if (nothing && !ft->event && !(nt && nt->event)) {
    g_ptr_array_add(decisions, g_strdup_printf("no incident fields: the mail reports nothing, "
                                               "from \"%s\"", nothing));
    return;
  }
  /* a note that tells of the event has the time the reporter noticed it
   * when the text below it, a suspicious mail passed on, does not */
  const IgFreeText *when = nt && nt->event && (!ft->event || !ft->detected_at) ? nt : ft;
  if (when->detected_at) {
    inc->detected_at = iso_utc(when->detected_at);
    set_timing(inc, config, when->detected_at, received, problems);
    decided(decisions, "detected_at", inc->detected_at, when->detected_words);
  }
  const IgFreeText *kind =
      nt && nt->category && (!ft->category || nt->category_priority > ft->category_priority)
          ? nt : ft;
  inc->category = dup_or_null(kind->category);
  decided_category(decisions, kind);
  const struct {
    char **field;
    const char *name, *value, *words, *note_value, *note_words;
  } rest[] = {
    { &inc->impact, "impact", ft->impact, ft->impact_words,
      nt ? nt->impact : NULL, nt ? nt->impact_words : NULL },
    { &inc->personal_data, "personal_data", ft->personal_data, ft->personal_data_words,
      nt ? nt->personal_data : NULL, nt ? nt->personal_data_words : NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS(rest); i++) {
    const gboolean own = rest[i].value != NULL;
    *rest[i].field = g_strdup(own ? rest[i].value : rest[i].note_value);
    decided(decisions, rest[i].name, *rest[i].field,
            own ? rest[i].words : rest[i].note_words);
  }
  inc->systems_affected = dup_or_null(ft->systems_affected);
  inc->information_asset = dup_or_null(ft->information_asset);
  /* supplier is the form's value or the domain of a supplier relaying
   * the report (SPEC 2, set_route): a supplier merely named in free text
   * may be the victim, the lure's disguise or a bystander */
  inc->near_miss = ft->near_miss_words != NULL;
  decided(decisions, "near_miss", ft->near_miss_words ? "true" : NULL, ft->near_miss_words);
}

char *report_person_name(const char *display)
{
  static const char *const titles[] = { "dr ", "mr ", "mrs ", "ms ", "miss ", "prof ",
                                        "dr. ", "mr. ", "mrs. ", "ms. ", NULL };
  if (!display || !*display)
    return NULL;
  g_autofree char *name = g_strstrip(g_strdup(display));
  /* "Sharma, Priya (HMPPS)": a department or team in brackets is not
   * part of the name. */
  char *bracket = strchr(name, '(');
  const char *close = bracket ? strchr(bracket, ')') : NULL;
  if (close && bracket > name) {
    *bracket = '\0';
    char *joined = g_strstrip(g_strconcat(g_strchomp(name), close + 1, NULL));
    g_free(name);
    name = joined;
  }
  const char *comma = strchr(name, ',');
  if (comma && !strchr(comma + 1, ',')) {
    g_autofree char *surname = g_strstrip(g_strndup(name, comma - name));
    g_autofree char *forename = g_strstrip(g_strdup(comma + 1));
    if (*surname && *forename) {
      g_free(name);
      name = g_strdup_printf("%s %s", forename, surname);
    }
  }
  for (int i = 0; titles[i]; i++) {
    gsize n = strlen(titles[i]);
    if (g_ascii_strncasecmp(name, titles[i], n) == 0 && name[n]) {
      char *rest = g_strdup(name + n);
      g_free(name);
      name = g_strstrip(rest);
      break;
    }
  }
  return *name ? g_steal_pointer(&name) : NULL;
}

/* helpdesk or supplier by the domain of whoever sent or forwarded it. */
static void set_route(IgIncident *inc, const IgConfig *config, const char *sender)
{
  const char *domain = address_domain(sender);
  if (domain && config_is_helpdesk_domain(config, domain)) {
    inc->via = g_strdup("helpdesk");
  } else if (domain && config_supplier_owner(config, domain)) {
    inc->via = g_strdup("supplier");
    if (!inc->supplier)
      inc->supplier = g_strdup(domain);
  } else {
    inc->via = g_strdup("direct");
  }
}

/* The reporter's own words of parts read with the subject, as
 * fill_from_text() reads them when there is no note. Caller frees. */
static IgFreeText *read_own_words(const IgConfig *config, const IgTextParts *parts,
                                  const char *subject, GDateTime *sent)
{
  g_autofree char **assets = config_pair_names(config->assets);
  g_autofree char **suppliers = config_pair_names(config->suppliers);
  return freetext_extract(parts->own, subject, sent, config->tz, (const char *const *)assets,
                          (const char *const *)suppliers);
}

/* A mail passed on by a reporter whose own words (ft) say it reports
 * nothing ("for information, no action needed"): a bulletin, not
 * evidence. */
static gboolean passed_for_information(const IgFreeText *ft, GPtrArray *decisions)
{
  if (!ft->not_report_words)
    return FALSE;
  g_ptr_array_add(decisions, g_strdup_printf("the mail passed on is not evidence: it is for "
                                             "information, from \"%s\"", ft->not_report_words));
  return TRUE;
}

/* A reporter who passes a suspicious mail on without naming what it is
 * reports phishing (SPEC 4: a suspicious mail, reported or forwarded),
 * unless the Report button said junk or not junk. Nothing is read from
 * the attacker's own words: their "unauthorised access" or "high
 * priority" is bait, not a fact of the incident. */
static void suspect_category(IgIncident *inc, const IgRelay *r, GPtrArray *decisions)
{
  if (r->verdict && strcmp(r->verdict, "phishing") != 0)
    return;
  inc->category = g_strdup("phishing");
  g_ptr_array_add(decisions, g_strdup(r->verdict
      ? "category = phishing, from the Report button's \"phishing\""
      : "category = phishing, from a suspicious mail passed on without naming what it is"));
}

IgIncident *report_build(const IgConfig *config, const IgMail *mail, GDateTime *received,
                         GPtrArray *problems, GPtrArray *decisions)
{
  IgIncident *inc = incident_new();
  g_autoptr(IgForward) fwd = forward_find(mail, config->tz);
  IgRelay r;
  relay_read(&r, config, mail, fwd, decisions);
  /* The reporter's words are split and read once, here when they decide
   * whether the mail passed on is evidence, else only when no form is
   * found. */
  g_autoptr(IgTextParts) parts = NULL;
  g_autoptr(IgFreeText) reading = NULL;
  if (r.suspect && !r.verdict) {
    parts = textparts_split(r.text);
    reading = read_own_words(config, parts, r.subject, r.sent);
    if (passed_for_information(reading, decisions))
      r.suspect = NULL;
  }
  Origin o = { r.from_name, r.from_addr, r.subject, r.sent, r.text, r.note };
  inc->forwarded_by = dup_or_null(r.forwarded_by);
  IgEvidence *evidence = relay_evidence(&r);
  if (evidence) {
    g_ptr_array_add(inc->evidence, evidence);
    g_autoptr(GPtrArray) observables = relay_observables(&r, config, mail);
    g_ptr_array_extend_and_steal(inc->observables, g_steal_pointer(&observables));
  }

  /* The form in the report's text wins; else a text attachment's. */
  g_autoptr(IgForm) form = form_parse(o.text, config->tz);
  if (!r.forward)
    form = form_from_attachments(mail, config->tz, form);
  if (form_is_form(form)) {
    fill_from_form(inc, config, form, o.sent, received, problems, decisions);
  } else {
    if (!parts)
      parts = textparts_split(o.text);
    fill_from_text(inc, config, &o, parts, reading, received, problems, decisions);
  }
  inc->source = g_strdup(r.forward ? "forward" : form_is_form(form) ? "form" : "free_text");
  if (r.suspect && !inc->category)
    suspect_category(inc, &r, decisions);

  if (!inc->reporter_name)
    inc->reporter_name = report_person_name(o.from_name);
  if (!inc->reporter_email)
    inc->reporter_email = dup_or_null(o.from_addr);
  set_route(inc, config, mail->from_addr);
  /* A help desk filling the form in for a caller relays their report. */
  if (!inc->forwarded_by && strcmp(inc->via, "direct") != 0 && inc->reporter_email &&
      mail->from_addr && g_ascii_strcasecmp(inc->reporter_email, mail->from_addr) != 0)
    inc->forwarded_by = g_strdup(mail->from_addr);
  if (inc->information_asset)
    inc->asset_owner = dup_or_null(config_asset_owner(config, inc->information_asset));

  inc->summary = report_clean_subject(o.subject);
  if (!inc->summary)
    inc->summary = first_line(inc->description, 100);
  report_set_missing(inc);
  return inc;
}

IgIncident *report_form_fields(const IgConfig *config, const char *text, GDateTime *sent,
                               GDateTime *received, GPtrArray *problems)
{
  g_autoptr(IgForm) form = form_parse(text, config->tz);
  if (form->labels_found == 0)
    return NULL;
  IgIncident *inc = incident_new();
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func(g_free);
  fill_from_form(inc, config, form, sent, received, problems, decisions);
  if (inc->information_asset)
    inc->asset_owner = dup_or_null(config_asset_owner(config, inc->information_asset));
  return inc;
}
