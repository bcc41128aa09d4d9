/* hash_stream.h - a GMime stream that keeps nothing of what is written to
 * it but its SHA-256 (OpenSSL) and its length: an attachment decoded
 * into it is hashed without holding its size in memory. */
#ifndef IG_HASH_STREAM_H
#define IG_HASH_STREAM_H

#include <gmime/gmime.h>

/* A new stream; the caller unrefs it. */
GMimeStream *hash_stream_new(void);

/* The digest of everything written so far, as lower-case hex; the caller
 * frees it. Ends the stream: nothing may be written after. */
char *hash_stream_finish(GMimeStream *stream);

/* Bytes written so far. */
gint64 hash_stream_length(GMimeStream *stream);

#endif
