/* transport_smtp.c - the smtp:// and smtps:// transport (transport.h).
 *
 * One libcurl easy handle lives as long as the transport, so consecutive
 * mails reuse the connection. TLS is required (implicit for smtps://,
 * STARTTLS for smtp://) and the peer is verified by libcurl against the
 * system store or ca_file; only tls = none on a loopback host, which the
 * configuration enforces, sends in the clear. */
#include "gateway/transport.h"

#include <curl/curl.h>
#include <string.h>

#include "gateway/address.h"
#include "gateway/error.h"
#include "gateway/net_ops.h"
#include "gateway/secret.h"

#define CONNECT_TIMEOUT_S 15
#define SEND_TIMEOUT_S 120
/* Tokens from identity providers live about an hour; fetch a fresh one
 * well before that, and after any refused login. */
#define TOKEN_REFRESH_S (10 * 60)

typedef struct {
  IgTransport base;
  CURL *curl;
  const IgConfig *config;   /* borrowed: lives as long as the service */
  gboolean password_set;    /* the password file was read onto the handle */
  char *token;              /* XOAUTH2 bearer, or NULL */
  gint64 token_at;          /* monotonic time it was fetched */
  char errbuf[CURL_ERROR_SIZE];
} SmtpTransport;

typedef struct {
  const char *data;
  gsize len, off;
} Upload;

static size_t read_body(char *buf, size_t size, size_t n, void *user)
{
  Upload *u = user;
  size_t want = MIN(size * n, u->len - u->off);
  memcpy(buf, u->data + u->off, want);
  u->off += want;
  return want;
}

static gboolean set_credentials(SmtpTransport *t, GError **error)
{
  const IgEndpoint *ep = &t->config->transport;
  if (ep->user)
    curl_easy_setopt(t->curl, CURLOPT_USERNAME, ep->user);
  if (ep->password_file && !t->password_set) {
    /* Read once, on first use: recording never waits on SMTP credentials,
     * and a reload (SIGHUP) opens a new transport that reads it again. */
    char *password = secret_read_file(ep->password_file, error);
    if (!password)
      return FALSE;
    /* libcurl copies the string. */
    curl_easy_setopt(t->curl, CURLOPT_PASSWORD, password);
    secret_free(password);
    t->password_set = TRUE;
  } else if (ep->oauth2_token_command) {
    gint64 now = g_get_monotonic_time();
    if (!t->token || now - t->token_at > TOKEN_REFRESH_S * G_TIME_SPAN_SECOND) {
      secret_free(t->token);
      t->token = secret_oauth2_token(ep->oauth2_token_command, SECRET_TOKEN_TIMEOUT_S, error);
      if (!t->token) {
        g_prefix_error(error, "SMTP %s: [transport] ", ep->url);
        return FALSE;
      }
      t->token_at = now;
    }
    curl_easy_setopt(t->curl, CURLOPT_XOAUTH2_BEARER, t->token);
    curl_easy_setopt(t->curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
  }
  return TRUE;
}

static gboolean smtp_send(IgTransport *self, const IgOutboxRec *row, GError **error)
{
  SmtpTransport *t = (SmtpTransport *)self;
  gboolean ok = FALSE;
  struct curl_slist *rcpt = NULL;
  g_autoptr(GError) why = NULL;
  /* Checked again here: one RCPT per validated address, whatever the row
   * holds (rows queued by older versions were not checked). */
  g_auto(GStrv) addrs = address_list_parse(row->to, &why);
  g_autofree char *from = g_strdup_printf("<%s>", t->config->address);
  Upload body = { .data = g_bytes_get_data(row->body, &body.len) };
  CURLcode rc;

  if (!addrs) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "outbox row %" G_GINT64_FORMAT ": %s",
                row->id, why->message);
    goto out;
  }
  for (char **a = addrs; *a; a++) {
    g_autofree char *bracketed = g_strdup_printf("<%s>", *a);
    struct curl_slist *grown = curl_slist_append(rcpt, bracketed);
    if (!grown) {
      g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "out of memory");
      goto out;
    }
    rcpt = grown;
  }
  if (!set_credentials(t, error))
    goto out;
  curl_easy_setopt(t->curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(t->curl, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(t->curl, CURLOPT_READDATA, &body);
  curl_easy_setopt(t->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)body.len);
  t->errbuf[0] = '\0';
  rc = curl_easy_perform(t->curl);
  if (rc != CURLE_OK) {
    if (rc == CURLE_LOGIN_DENIED)
      g_clear_pointer(&t->token, secret_free);
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "SMTP %s: %s%s%s", t->config->transport.url,
                curl_easy_strerror(rc), t->errbuf[0] ? ": " : "", t->errbuf);
    goto out;
  }
  ok = TRUE;
out:
  curl_slist_free_all(rcpt);
  return ok;
}

/* Connect, TLS, login, NOOP: everything but a mail. */
static gboolean smtp_check(IgTransport *self, GError **error)
{
  SmtpTransport *t = (SmtpTransport *)self;
  gboolean ok = FALSE;
  CURLcode rc;
  /* Credentials go on the sending handle first; the probe copies them. */
  if (!set_credentials(t, error))
    return FALSE;
  CURL *probe = curl_easy_duphandle(t->curl);
  if (!probe) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "libcurl could not start");
    return FALSE;
  }
  curl_easy_setopt(probe, CURLOPT_UPLOAD, 0L);
  curl_easy_setopt(probe, CURLOPT_CUSTOMREQUEST, "NOOP");
  curl_easy_setopt(probe, CURLOPT_NOBODY, 1L);
  t->errbuf[0] = '\0';
  rc = curl_easy_perform(probe);
  if (rc != CURLE_OK) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "SMTP %s: %s%s%s", t->config->transport.url,
                curl_easy_strerror(rc), t->errbuf[0] ? ": " : "", t->errbuf);
    goto out;
  }
  ok = TRUE;
out:
  curl_easy_cleanup(probe);
  return ok;
}

static void smtp_free(IgTransport *self)
{
  SmtpTransport *t = (SmtpTransport *)self;
  if (t->curl)
    curl_easy_cleanup(t->curl);
  secret_free(t->token);
  g_free(t);
}

IgTransport *net_smtp_new(const IgConfig *config, GError **error)
{
  const IgEndpoint *ep = &config->transport;
  SmtpTransport *t = g_new0(SmtpTransport, 1);
  t->base.send = smtp_send;
  t->base.check = smtp_check;
  t->base.free = smtp_free;
  t->config = config;
  t->curl = curl_easy_init();
  if (!t->curl) {
    g_set_error(error, IG_ERROR, IG_ERROR_RUNTIME, "libcurl could not start");
    smtp_free(&t->base);
    return NULL;
  }
  curl_easy_setopt(t->curl, CURLOPT_URL, ep->url);
  curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(t->curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(t->curl, CURLOPT_USE_SSL,
                   ep->tls == IG_TLS_NONE ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
  curl_easy_setopt(t->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(t->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (ep->ca_file)
    curl_easy_setopt(t->curl, CURLOPT_CAINFO, ep->ca_file);
  curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
  curl_easy_setopt(t->curl, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT_S);
  curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, t->errbuf);
  return &t->base;
}
