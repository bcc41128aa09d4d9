/* error.c - the IG_ERROR domain and its mapping to exit codes. */
#include "gateway/error.h"

G_DEFINE_QUARK(incident-gateway-error-quark, ig_error)

int ig_error_exit_code(const GError *error)
{
  if (error && error->domain == IG_ERROR &&
      (error->code == IG_ERROR_USAGE || error->code == IG_ERROR_CONFIG))
    return 2;
  if (g_error_matches(error, IG_ERROR, IG_ERROR_TEMPFAIL))
    return 75;
  return 1;
}
