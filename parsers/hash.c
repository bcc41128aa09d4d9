/* hash.c - digests through OpenSSL. */
#include "parsers/hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

static char *to_hex(const unsigned char *md, unsigned int len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_malloc(len * 2 + 1);
  for (unsigned int i = 0; i < len; i++) {
    hex[i * 2] = digits[md[i] >> 4];
    hex[i * 2 + 1] = digits[md[i] & 15];
  }
  hex[len * 2] = '\0';
  return hex;
}

/* OpenSSL 3 looks the algorithm up on every EVP_sha256() use; fetching it
 * once per process makes short digests (one per audit event) several
 * times cheaper. The fetched object is immutable and thread-safe. NULL
 * when OpenSSL has no SHA-256: the digests below then fail, and say so. */
static gpointer fetch_sha256(gpointer unused)
{
  return EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256(void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, fetch_sha256, NULL);
}

/* OpenSSL's digests fail only when memory runs out or SHA-256 is missing
 * (hash.h): nothing sensible goes on with a wrong digest, so the process
 * stops, saying which. */
static void or_abort(int ok, const char *what)
{
  if (!ok)
    g_error("OpenSSL %s failed", what);
}

char *hash_sha256_hex(const void *data, gsize len)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  or_abort(EVP_Digest(data, len, md, &md_len, sha256(), NULL), "SHA-256");
  return to_hex(md, md_len);
}

IgSha256 *hash_sha256_new(void)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  or_abort(ctx && EVP_DigestInit_ex(ctx, sha256(), NULL), "SHA-256");
  return (IgSha256 *)ctx;
}

void hash_sha256_update(IgSha256 *h, const void *data, gsize len)
{
  or_abort(EVP_DigestUpdate((EVP_MD_CTX *)h, data, len), "SHA-256");
}

char *hash_sha256_finish(IgSha256 *h)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  or_abort(EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &md_len), "SHA-256");
  EVP_MD_CTX_free((EVP_MD_CTX *)h);
  return to_hex(md, md_len);
}

char *hash_hmac_sha256_hex(const void *key, gsize key_len, const void *data,
                           gsize len)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  or_abort(HMAC(sha256(), key, (int)key_len, data, len, md, &md_len) != NULL, "HMAC-SHA256");
  return to_hex(md, md_len);
}

gboolean hash_is_sha256_hex(const char *text)
{
  gsize n = 0;
  for (; text[n]; n++)
    if (n >= 64 || !g_ascii_isxdigit(text[n]))
      return FALSE;
  return n == 64;
}
