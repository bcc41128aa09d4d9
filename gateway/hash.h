/* hash.h - SHA-256 and HMAC-SHA256 (OpenSSL) as lower-case hex strings. */
#ifndef IG_HASH_H
#define IG_HASH_H

#include <glib.h>

/* Caller frees. Never NULL: OpenSSL digest failure aborts (it cannot fail
 * for SHA-256 short of memory exhaustion). */
char *hash_sha256_hex(const void *data, gsize len);
char *hash_hmac_sha256_hex(const void *key, gsize key_len, const void *data,
                           gsize len);

/* TRUE when text is 64 hex digits (either case). */
gboolean hash_is_sha256_hex(const char *text);

#endif
