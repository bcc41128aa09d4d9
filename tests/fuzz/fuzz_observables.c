/* fuzz_observables.c - the indicators of a suspicious mail
 * (observables_extract). The input is the mail's fields as text, apart
 * at each RS byte (0x1e): from, reply-to, return-path, Received: values
 * (one a line), body text, HTML, files (one a line: name TAB sha256) and
 * our own domains (one a line). Beyond not crashing, every result must
 * keep the header's promises: capped, deduplicated, ordered by type,
 * printable values, defanged as observable_defang says, nothing of ours. */
#include "tests/fuzz/fuzz.h"

#include <string.h>

#include "parsers/observables.h"

enum { F_FROM, F_REPLY_TO, F_RETURN_PATH, F_RECEIVED, F_TEXT, F_HTML, F_FILES, F_OWN, F_COUNT };

static const char *const types[] = {"email", "domain", "url", "ip", "host", "file", NULL};

static int type_index(const char *type)
{
  for (int i = 0; types[i]; i++)
    if (!strcmp(type, types[i]))
      return i;
  fprintf(stderr, "unknown type %s\n", type);
  abort();
}

static gboolean under_own(const char *name, char **own)
{
  gsize len = strlen(name);
  for (int i = 0; own[i]; i++) {
    gsize n = strlen(own[i]);
    if (n && n <= len && !g_ascii_strcasecmp(name + len - n, own[i]) &&
        (n == len || name[len - n - 1] == '.'))
      return TRUE;
  }
  return FALSE;
}

static void check(const GPtrArray *obs, char **own)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  int last = 0;
  if (obs->len > OBSERVABLES_MAX)
    abort();
  for (guint i = 0; i < obs->len; i++) {
    const IgObservable *o = g_ptr_array_index(obs, i);
    int t = type_index(o->type);
    if (t < last || !*o->value || o->reference || (o->sha256 && t != 5))
      abort();
    last = t;
    fuzz_check_utf8("value", o->value);
    for (const char *p = o->value; *p; p = g_utf8_next_char(p))
      if (g_unichar_iscntrl(g_utf8_get_char(p)))
        abort();
    if (t == 2 && strlen(o->value) > OBSERVABLES_URL_MAX)
      abort();
    if ((t == 1 || t == 4) && under_own(o->value, own))
      abort();
    g_autofree char *defanged = observable_defang(o->type, o->value);
    if (strcmp(defanged, o->defanged) != 0)
      abort();
    g_autofree char *key = g_strconcat(o->type, " ", o->value, NULL);
    if (!g_hash_table_add(seen, g_steal_pointer(&key)))
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fuzz_init();
  g_autofree char *input = fuzz_text(data, size);
  g_auto(GStrv) fields = g_strsplit(input, "\x1e", F_COUNT);
  const char *field[F_COUNT] = {0};
  for (int i = 0; i < F_COUNT && fields[i]; i++)
    field[i] = fields[i];
  g_auto(GStrv) received = g_strsplit(field[F_RECEIVED] ? field[F_RECEIVED] : "", "\n", -1);
  g_auto(GStrv) own = g_strsplit(field[F_OWN] ? field[F_OWN] : "", "\n", -1);
  g_auto(GStrv) lines = g_strsplit(field[F_FILES] ? field[F_FILES] : "", "\n", -1);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(mail_file_part_free);
  for (int i = 0; lines[i]; i++) {
    IgFilePart *part = g_new0(IgFilePart, 1);
    char *tab = strchr(lines[i], '\t');
    part->filename = tab ? g_strndup(lines[i], (gsize)(tab - lines[i])) : g_strdup(lines[i]);
    part->sha256 = tab ? g_strdup(tab + 1) : NULL;
    g_ptr_array_add(files, part);
  }
  IgSuspect s = {
    .from_addr = field[F_FROM],
    .reply_to = field[F_REPLY_TO],
    .return_path = field[F_RETURN_PATH],
    .received = (const char *const *)received,
    .text = field[F_TEXT],
    .html = field[F_HTML],
    .files = files,
    .own_domains = (const char *const *)own,
  };
  g_autoptr(GPtrArray) obs = observables_extract(&s);
  check(obs, own);
  return 0;
}
