/* form.h - the IT Security Incident Report Form (SPEC section 4).
 *
 * "Label: value" lines; labels are case-insensitive and many variants are
 * accepted ("Date/time detected", "Detected at", ...), also numbered with
 * a hint ("2. Impact (low/medium/high): medium") or pasted as a table
 * whose cells came apart ("Label | : | value", form_table.h). A value
 * continues on the following lines until the next label, a signature
 * separator ("-- ") or the start of quoted or forwarded text. Values of
 * enumerated fields are normalised (category, impact, personal data, near miss); a value that
 * cannot be read is left NULL and explained in problems. Pure: text in,
 * struct out. */
#ifndef IG_FORM_H
#define IG_FORM_H

#include <glib.h>

typedef struct {
  char *reporter_name;
  char *reporter_email;
  char *reporter_phone;
  char *business_area;
  GDateTime *detected_at;   /* UTC */
  char *detected_text;      /* the detection value as written, or NULL */
  GDateTime *occurred_at;   /* UTC */
  char *category;           /* one of form_categories[], or NULL */
  char *impact;             /* "low" | "medium" | "high" | NULL */
  char *personal_data;      /* "yes" | "no" | "unknown" | NULL */
  int near_miss;            /* 1 yes; 0 no, or no Near miss line; -1
                               unknown: the line left blank or "not sure"
                               (not a problem) */
  char *systems_affected;
  char *information_asset;
  char *supplier;
  char *description;        /* multi-line, trimmed */
  char *actions_taken;      /* multi-line, trimmed */

  guint labels_found;       /* how many distinct known labels were seen */
  GPtrArray *problems;      /* char*: "Impact: 'severe' is not low, medium or high" */
} IgForm;

/* The canonical categories, NULL-terminated. */
extern const char *const form_categories[];

/* Parses text (UTF-8) with wall-clock times local to tz. Never NULL.
 * Caller frees with form_free(). */
IgForm *form_parse(const char *text, GTimeZone *tz);
void form_free(IgForm *form);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IgForm, form_free)

/* TRUE when text looks like the form: at least two distinct labels. */
gboolean form_is_form(const IgForm *form);

/* Normalisers, exposed for reuse by other extractors; each returns a static
 * canonical string or NULL when value is not recognised. */
const char *form_normalize_category(const char *value);
const char *form_normalize_impact(const char *value);
const char *form_normalize_yes_no_unknown(const char *value);

#endif
