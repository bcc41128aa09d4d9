/* webhook_post.c - posting one queued webhook notification with libcurl
 * (webhook.h); part of the network module (netmod.h). */
#include <curl/curl.h>
#include <string.h>

#include "gateway/error.h"
#include "parsers/hash.h"
#include "gateway/net_ops.h"
#include "gateway/secret.h"
#include "gateway/webhook.h"

#define POST_TIMEOUT_S 30

static const IgWebhook *find_hook(const IgConfig *config, const char *name)
{
  for (guint i = 0; config->webhooks && i < config->webhooks->len; i++) {
    const IgWebhook *hook = g_ptr_array_index(config->webhooks, i);
    if (g_strcmp0(hook->name, name) == 0)
      return hook;
  }
  return NULL;
}

static size_t discard(char *data, size_t size, size_t n, void *unused)
{
  return size * n;
}

gboolean net_webhook_post(const IgConfig *config, const IgOutboxRec *row, GError **error)
{
  const IgWebhook *hook = find_hook(config, row->template_name);
  if (!hook) {
    g_set_error(error, IG_ERROR, IG_ERROR_CONFIG,
                "webhook %s is no longer configured", row->template_name);
    return FALSE;
  }
  gsize len = 0;
  const char *body = g_bytes_get_data(row->body, &len);
  char *secret = NULL;
  if (hook->secret_file && !(secret = secret_read_file(hook->secret_file, error)))
    return FALSE;
  g_autofree char *mac = secret ? hash_hmac_sha256_hex(secret, strlen(secret), body, len) : NULL;
  secret_free(secret);
  g_autofree char *signature = mac ? g_strdup_printf("X-Signature-256: sha256=%s", mac) : NULL;
  g_autofree char *event = g_strdup_printf("X-Incident-Gateway-Event: %s",
                                           row->subject ? row->subject : "");

  gboolean ok = FALSE;
  long status = 0;
  CURLcode rc;
  char detail[CURL_ERROR_SIZE] = "";
  CURL *curl = curl_easy_init();
  struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
  headers = curl_slist_append(headers, event);
  if (signature)
    headers = curl_slist_append(headers, signature);
  if (!curl || !headers) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "webhook %s: out of memory", hook->name);
    goto out;
  }
  curl_easy_setopt(curl, CURLOPT_URL, row->to);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)POST_TIMEOUT_S);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  if (config->transport.ca_file)
    curl_easy_setopt(curl, CURLOPT_CAINFO, config->transport.ca_file);
  rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "webhook %s: %s%s%s", hook->name,
                curl_easy_strerror(rc), *detail ? ": " : "", detail);
    goto out;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "webhook %s: HTTP status %ld", hook->name,
                status);
    goto out;
  }
  ok = TRUE;
out:
  curl_slist_free_all(headers);
  if (curl)
    curl_easy_cleanup(curl);
  return ok;
}
