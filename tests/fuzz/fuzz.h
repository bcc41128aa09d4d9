/* fuzz.h - what the libFuzzer targets of tests/fuzz share.
 *
 * Each target is one file with LLVMFuzzerTestOneInput; this header gives
 * them the same start: GLib warnings silenced (hostile input is expected to
 * draw them) but criticals made fatal, since a g_return_if_fail() firing in
 * a parser is a bug; one Europe/London zone; and the text form of an input,
 * which is what the parsers are handed in the gateway: valid UTF-8 without
 * NUL bytes (mail_to_utf8 makes every decoded body so). */
#ifndef IG_FUZZ_H
#define IG_FUZZ_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "parsers/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_log(const char *domain, GLogLevelFlags level, const char *message,
                     gpointer unused)
{
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL)) {
    fprintf(stderr, "%s: %s\n", domain ? domain : "glib", message);
    abort();
  }
}

/* Once per process; returns the zone for wall-clock times (never freed). */
static inline GTimeZone *fuzz_init(void)
{
  static GTimeZone *tz;
  if (!tz) {
    g_log_set_default_handler(fuzz_log, NULL);
    mail_library_init();
    tz = g_time_zone_new_identifier("Europe/London");
    if (!tz)
      abort();
  }
  return tz;
}

/* The input as the parsers see text; caller frees. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
  return mail_to_utf8((const char *)data, size, "utf-8");
}

/* Output must be text a template can print: abort on anything else. */
static inline void fuzz_check_utf8(const char *what, const char *text)
{
  if (text && !g_utf8_validate(text, -1, NULL)) {
    fprintf(stderr, "%s is not valid UTF-8\n", what);
    abort();
  }
}

#endif
