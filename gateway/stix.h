/* stix.h - observables as a STIX 2.1 bundle, the form MISP and OpenCTI
 * import (`observables --format stix`, SPEC section 2).
 *
 * One indicator per distinct STIX pattern, on the exact value:
 *   email  [email-addr:value = '...']
 *   domain, host  [domain-name:value = '...']
 *   url    [url:value = '...']
 *   ip     [ipv4-addr:value = '...'] or [ipv6-addr:value = '...']
 *   file   [file:hashes.'SHA-256' = '...' AND file:name = '...']
 *          ([file:name = '...'] when the hash is not known)
 * with ' and \ escaped in the string literal as the STIX patterning
 * grammar says (\' and \\). One report per incident (reference) names its
 * indicators in object_refs, so an indicator seen in two incidents is one
 * object named by two reports.
 *
 * Ids are UUIDv5 in this project's namespace, of the pattern (indicator)
 * and of the reference (report): exporting again gives the same ids, and
 * the importing tool updates what it has instead of doubling it. The
 * bundle's id is of its objects' ids and the time. An object's created,
 * modified, valid_from and published are when its first observable was
 * recorded (recorded_at), so they too stay the same across exports; now
 * for observables without it. UTC, to the millisecond. */
#ifndef IG_STIX_H
#define IG_STIX_H

#include <glib.h>
#include <jansson.h>

/* A bundle of observables (IgObservable*, parsers/observables.h); an
 * observable without a reference gets its indicator but no report, one of
 * an unknown type or whose text JSON cannot hold (not UTF-8) is left out.
 * Returns a new reference (caller json_decrefs), NULL only when jansson
 * runs out of memory. */
json_t *stix_bundle(const GPtrArray *observables, GDateTime *now);

#endif
