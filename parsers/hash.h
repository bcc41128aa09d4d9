/* hash.h - SHA-256 and HMAC-SHA256 (OpenSSL) as lower-case hex strings,
 * of a buffer or of bytes given piece by piece. Pure: the parsers' hashes
 * of attachments and the store's of messages and events are the same
 * code. */
#ifndef IG_HASH_H
#define IG_HASH_H

#include <glib.h>

/* Caller frees. Never NULL: OpenSSL digest failure aborts (it cannot fail
 * for SHA-256 short of memory exhaustion). */
char *hash_sha256_hex(const void *data, gsize len);
char *hash_hmac_sha256_hex(const void *key, gsize key_len, const void *data,
                           gsize len);

/* SHA-256 of bytes that come in pieces (an attachment as it is decoded).
 * hash_sha256_finish() frees h and returns the digest, which the caller
 * frees. Never NULL, like hash_sha256_hex(). */
typedef struct IgSha256 IgSha256;
IgSha256 *hash_sha256_new(void);
void hash_sha256_update(IgSha256 *h, const void *data, gsize len);
char *hash_sha256_finish(IgSha256 *h);

/* TRUE when text is 64 hex digits (either case). */
gboolean hash_is_sha256_hex(const char *text);

#endif
