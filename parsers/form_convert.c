/* form_convert.c - the second half of form_parse() (form.h): turns the
 * raw text collected for each field into IgForm's typed values (dates,
 * enumerations, the reporter's address) and explains every value that
 * cannot be read in form->problems, naming the field as the form spells
 * it. Pure: strings in, struct filled. */
#include "parsers/form_convert.h"

#include <string.h>

#include "parsers/ukdate.h"

/* How much of a bad value a problem quotes. */
#define QUOTE_MAX 60

/* Quotes a value for a problem, shortened on a character boundary. */
static char *quote_value(const char *value)
{
  gsize len = strlen(value);
  if (len <= QUOTE_MAX)
    return g_strdup_printf("'%s'", value);
  len = QUOTE_MAX;
  while (len > 0 && ((guchar)value[len] & 0xC0) == 0x80)
    len--;
  return g_strdup_printf("'%.*s...'", (int)len, value);
}

/* "Jane <Jane@X.gov.uk>", "jane@x.gov.uk (work)", "mailto:jane@x.gov.uk"
 * -> the lower-case address, or NULL. Strict enough to catch "see above"
 * or "jane at justice"; acks go here, so the domain must be dotted. */
static char *extract_email(const char *value)
{
  static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
  const char *lt = strchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
  const char *start, *end, *at = strchr(value, '@');
  g_autofree char *addr = NULL;

  if (lt && gt) {
    start = lt + 1;
    end = gt;
  } else if (at) {
    /* the word around the @, without the punctuation of prose */
    for (start = at; start > value && !g_ascii_isspace(start[-1]) &&
                     !strchr("<([\"',;:", start[-1]); start--)
      ;
    for (end = at; *end && !g_ascii_isspace(*end) && !strchr(">)]\"',;", *end);
         end++)
      ;
    /* the '@' stops this */
    while (end[-1] == '.')
      end--;
  } else {
    return NULL;
  }
  if (end - start > 254)
    return NULL;
  addr = g_ascii_strdown(start, end - start);
  at = strchr(addr, '@');
  if (!at || at == addr || at - addr > 64 || strchr(at + 1, '@') ||
      addr[0] == '.' || at[-1] == '.' || strstr(addr, "..") ||
      !strchr(at, '.') || strchr(".-", at[1]) || strchr(".-", end[-1]))
    return NULL;
  for (const char *c = addr; *c; c++)
    if (!g_ascii_isalnum(*c) && !strchr(c < at ? local_ok : "@.-", *c))
      return NULL;
  return g_steal_pointer(&addr);
}

static void add_problem(IgForm *form, Field f, const char *value,
                        const char *why)
{
  g_autofree char *q = quote_value(value);
  g_ptr_array_add(form->problems,
                  g_strdup_printf("%s: %s %s", field_titles[f], q, why));
}

static char *enum_value(IgForm *form, Field f, const char *value,
                        const char *canonical, const char *why)
{
  if (value && !canonical)
    add_problem(form, f, value, why);
  return g_strdup(canonical);
}

static GDateTime *date_value(IgForm *form, Field f, const char *value,
                             GTimeZone *tz)
{
  GDateTime *dt = NULL;
  if (!value)
    return NULL;
  dt = ukdate_parse(value, tz);
  if (!dt) {
    g_autofree char *q = quote_value(value);
    g_ptr_array_add(form->problems,
                    g_strdup_printf("%s: could not read %s (need a date and "
                                    "a time)", field_titles[f], q));
  }
  return dt;
}

/* A value that runs to the end of the mail often ends with the reporter
 * signing off by name ("...locked.\n\nDavid"); that line is not part of
 * it. Only the name as the form gives it, or its first word, is dropped. */
static void drop_signed_name(char *value, const char *name)
{
  g_autofree char *first_word = NULL;
  char *last;
  /* the last line follows a blank line: the last "\n" is doubled */
  if (!value || !name || !(last = strrchr(value, '\n')) || last == value ||
      *--last != '\n')
    return;
  first_word = g_strndup(name, strcspn(name, " \t"));
  if (g_ascii_strcasecmp(last + 2, name) == 0 ||
      g_ascii_strcasecmp(last + 2, first_word) == 0)
    *last = '\0';
}

void form_convert(IgForm *form, char **raw, GTimeZone *tz)
{
  const char *yn;
  if (raw[F_REPORTER_EMAIL]) {
    form->reporter_email = extract_email(raw[F_REPORTER_EMAIL]);
    if (!form->reporter_email)
      add_problem(form, F_REPORTER_EMAIL, raw[F_REPORTER_EMAIL],
                  "is not an email address");
  }
  form->detected_at = date_value(form, F_DETECTED_AT, raw[F_DETECTED_AT], tz);
  form->detected_text = g_strdup(raw[F_DETECTED_AT]);
  form->occurred_at = date_value(form, F_OCCURRED_AT, raw[F_OCCURRED_AT], tz);
  form->category = g_strdup(form_normalize_category(raw[F_CATEGORY]));
  if (raw[F_CATEGORY] && !form->category) {
    /* spelt out only when needed: most reports name a category */
    g_autofree char *all = g_strjoinv(", ", (char **)form_categories);
    g_autofree char *why = g_strdup_printf("is not one of %s", all);
    add_problem(form, F_CATEGORY, raw[F_CATEGORY], why);
  }
  form->impact = enum_value(form, F_IMPACT, raw[F_IMPACT],
                            form_normalize_impact(raw[F_IMPACT]),
                            "is not low, medium or high");
  form->personal_data = enum_value(
      form, F_PERSONAL_DATA, raw[F_PERSONAL_DATA],
      form_normalize_yes_no_unknown(raw[F_PERSONAL_DATA]),
      "is not yes, no or unknown");
  yn = form_normalize_yes_no_unknown(raw[F_NEAR_MISS]);
  /* "not sure" is an honest answer, so not a problem: it stays -1 */
  if (yn && strcmp(yn, "unknown") != 0)
    form->near_miss = strcmp(yn, "yes") == 0;
  if (raw[F_NEAR_MISS] && !yn)
    add_problem(form, F_NEAR_MISS, raw[F_NEAR_MISS], "is not yes or no");
  drop_signed_name(raw[F_SYSTEMS_AFFECTED], raw[F_REPORTER_NAME]);
  drop_signed_name(raw[F_DESCRIPTION], raw[F_REPORTER_NAME]);
  drop_signed_name(raw[F_ACTIONS_TAKEN], raw[F_REPORTER_NAME]);
  /* the text fields take their value as written */
  form->reporter_name = g_steal_pointer(&raw[F_REPORTER_NAME]);
  form->reporter_phone = g_steal_pointer(&raw[F_REPORTER_PHONE]);
  form->business_area = g_steal_pointer(&raw[F_BUSINESS_AREA]);
  form->systems_affected = g_steal_pointer(&raw[F_SYSTEMS_AFFECTED]);
  form->information_asset = g_steal_pointer(&raw[F_INFORMATION_ASSET]);
  form->supplier = g_steal_pointer(&raw[F_SUPPLIER]);
  form->description = g_steal_pointer(&raw[F_DESCRIPTION]);
  form->actions_taken = g_steal_pointer(&raw[F_ACTIONS_TAKEN]);
}
