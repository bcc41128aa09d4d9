/* error.h - the one error currency of Incident Gateway.
 *
 * Every fallible function returns NULL/FALSE/-1 and fills a GError in the
 * IG_ERROR domain. The code says how the CLI exits; the message is one line
 * a user can act on (it names the file, key or value at fault). */
#ifndef IG_ERROR_H
#define IG_ERROR_H

#include <glib.h>

#define IG_ERROR (ig_error_quark())
GQuark ig_error_quark(void);

typedef enum {
  IG_ERROR_RUNTIME = 1, /* I/O, database, network: exit 1 */
  IG_ERROR_USAGE,       /* bad command line: exit 2 */
  IG_ERROR_CONFIG,      /* bad configuration: exit 2 */
  IG_ERROR_INPUT,       /* a message or file we cannot accept: exit 1 */
  IG_ERROR_INTEGRITY,   /* verify found tampering or corruption: exit 1 */
  IG_ERROR_TRANSIENT,   /* store busy or full, I/O error: may pass; exit 1 */
  IG_ERROR_TEMPFAIL,    /* ingest could not record, may pass: exit 75 */
} IgErrorCode;

/* Exit status for an error: 2 for usage and configuration, 75
 * (EX_TEMPFAIL, the MTA keeps the mail and retries) for TEMPFAIL, else 1. */
int ig_error_exit_code(const GError *error);

#endif
