/* render_observables.h - the output of `observables` (SPEC section 2):
 * text (defanged only, for reading), JSON and CSV (each exact value beside
 * its defanged form, CSV columns as the JSON keys) and a STIX 2.1 bundle
 * (exact values, for MISP and OpenCTI). */
#ifndef IG_RENDER_OBSERVABLES_H
#define IG_RENDER_OBSERVABLES_H

#include <glib.h>

/* Prints rows (IgObservable* with reference) to stdout in format: NULL
 * or "text", "json", "csv", "stix" (the caller checks it is one of
 * them); now dates the STIX objects. FALSE with error when writing
 * fails. */
gboolean observables_print(GPtrArray *rows, const char *format, GDateTime *now, GError **error);

#endif
