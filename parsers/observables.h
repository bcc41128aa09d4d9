/* observables.h - the indicators of one reported suspicious mail (SPEC
 * section 4): its sender, reply-to and return-path addresses and their
 * domains, the URLs in its text and the targets of its HTML links (with
 * each URL's host as a domain or IP), the IPs and host names of the relays
 * in its Received: headers, and its attachments' names with their SHA-256.
 *
 * Defanged form, for display (the exact value is for export only): every
 * "." becomes "[.]", a URL's http/https scheme becomes hxxp/hxxps, an
 * IPv6 address's ":" becomes "[:]", "@" is kept. The same scheme as
 * CyberChef's "Defang URL" and "Defang IP Addresses" and the ioc-fanger
 * family: hxxps://evil[.]example/pay, accounts@invoices[.]example,
 * evil[.]example, 203[.]0[.]113[.]7, 2001[:]db8[:][:]7, invoice[.]pdf[.]exe
 * (file names too: .zip and .mov are top-level domains that clients link).
 *
 * Our own domains and their subdomains are never observables, nor an
 * address, URL or relay host under them; nor are private (RFC 1918,
 * fc00::/7), loopback, link-local, unspecified or multicast IPs.
 *
 * Pure and linear in its input; hostile input is bounded: at most
 * OBSERVABLES_MAX per mail (addresses first, then files, relays, HTML link
 * targets, text URLs), URLs of at most OBSERVABLES_URL_MAX bytes, and no
 * value that is not valid UTF-8 or holds a control character. */
#ifndef IG_OBSERVABLES_H
#define IG_OBSERVABLES_H

#include <glib.h>

#define OBSERVABLES_MAX 200
#define OBSERVABLES_URL_MAX 2048

typedef struct {
  char *type;       /* "email", "domain", "url", "ip", "host", "file" */
  char *value;      /* exact: lower-case address, domain or host; the URL
                       as written (trailing punctuation trimmed); the IP
                       in canonical form (IPv6 compressed, lower case);
                       the file name */
  char *defanged;   /* for display, see above */
  char *sha256;     /* files: lower-case hex, NULL if unknown; else NULL */
  char *reference;  /* the incident; NULL from the parser, set by the store */
  char *recorded_at;/* when the store recorded it (ISO-8601 UTC); NULL from
                       the parser */
} IgObservable;

/* What is known of the suspicious mail; any field may be NULL. */
typedef struct {
  const char *from_addr, *reply_to, *return_path; /* "" is no address */
  const char *const *received;     /* Received: values, topmost first,
                                      NULL-terminated */
  const char *text;                /* its body text, UTF-8 */
  const char *html;                /* its HTML markup, UTF-8 */
  const GPtrArray *files;          /* IgFilePart* (parsers/mail.h) */
  const char *const *own_domains;  /* our organisation's domains,
                                      NULL-terminated */
} IgSuspect;

/* The observables of s: a new array of IgObservable* that frees them
 * (caller unrefs it), never NULL. One per (type, value), the first kept;
 * ordered by type (emails, domains, urls, ips, hosts, files), each type in
 * the order found. */
GPtrArray *observables_extract(const IgSuspect *s);

/* The defanged form of value as an observable of type; NULL for a NULL
 * value. Caller frees. */
char *observable_defang(const char *type, const char *value);

/* Frees an IgObservable and its strings. */
void observable_free(gpointer o);

#endif
