/* fuzz_msg.c - Outlook items to MIME (msg_to_mime), the result then read
 * as the gateway reads mail. Seeds are written by tests/fuzz/msg_seeds.c.
 * A refusal must say why in one of the two ways msg.h promises; a result
 * must be a message mail_parse reads. libgsf's warnings abort too: each
 * is a structure msg_cfb.c let through that libgsf finds invalid (none
 * of the parsers logs anything itself). */
#include "tests/fuzz/fuzz.h"

#include "parsers/msg.h"

static void libgsf_warning(const char *domain, GLogLevelFlags level, const char *message,
                           gpointer unused)
{
  fprintf(stderr, "%s: %s\n", domain ? domain : "libgsf", message);
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static gboolean handled;
  fuzz_init();
  if (!handled) {
    /* libgsf's generic infile code logs without a domain */
    const GLogLevelFlags levels = G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR |
                                  G_LOG_FLAG_FATAL;
    g_log_set_handler("libgsf:msole", levels, libgsf_warning, NULL);
    g_log_set_handler(NULL, levels, libgsf_warning, NULL);
    handled = TRUE;
  }
  GError *error = NULL;
  g_autoptr(GBytes) mime = msg_to_mime(data, size, &error);
  if (!mime) {
    if (!error || !(g_str_has_prefix(error->message, "not an Outlook item: ") ||
                    g_str_has_prefix(error->message, "Outlook item too large: ")))
      abort();
    g_error_free(error);
    return 0;
  }
  if (error)
    abort();
  gsize len = 0;
  const char *raw = g_bytes_get_data(mime, &len);
  g_autoptr(IgMail) mail = mail_parse(raw, len, NULL);
  if (!mail)
    abort();
  fuzz_check_utf8("subject", mail->subject);
  fuzz_check_utf8("from name", mail->from_name);
  fuzz_check_utf8("body", mail->body);
  return 0;
}
