/* source.c - picks the source named by [source] url (source.h). */
#include "gateway/source.h"

#include "gateway/error.h"

void source_message_free(IgSourceMessage *m)
{
  if (!m)
    return;
  g_free(m->name);
  if (m->raw)
    g_bytes_unref(m->raw);
  g_free(m);
}

IgSource *source_open(const IgConfig *config, GError **error)
{
  const char *url = config->source.url;
  if (g_str_has_prefix(url, "maildir:"))
    return source_maildir_new(config, error);
  if (g_str_has_prefix(url, "imap://") || g_str_has_prefix(url, "imaps://"))
    return source_imap_new(config, error);
  g_set_error(error, IG_ERROR, IG_ERROR_CONFIG, "%s: [source] url = \"%s\": unknown scheme",
              config->path, url);
  return NULL;
}

void source_free(IgSource *source)
{
  if (source)
    source->free(source);
}
