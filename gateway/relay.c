/* relay.c - a forward's levels into reporter, words and evidence (relay.h). */
#include "gateway/relay.h"

#include <string.h>

#include "gateway/address.h"
#include "parsers/hash.h"

/* addr is at domain or one of its subdomains. */
static gboolean within(const char *addr, const char *domain)
{
  const char *d = address_domain(addr);
  if (!d || !domain)
    return FALSE;
  gsize n = strlen(d), m = strlen(domain);
  return g_ascii_strcasecmp(d, domain) == 0 ||
         (n > m && d[n - m - 1] == '.' && g_ascii_strcasecmp(d + n - m, domain) == 0);
}

static gboolean passes_reports_on(const IgConfig *config, const char *sender)
{
  const char *domain = address_domain(sender);
  return domain && (config_is_helpdesk_domain(config, domain) ||
                    config_supplier_owner(config, domain));
}

/* Mail from our own organisation, the reporter's or a partner's that
 * passes reports on: a colleague's mail, read for its facts. Outlook
 * names a sender from the organisation's own directory without an
 * address ("From: Kowalski, Anna"). Anything else a reporter forwards is
 * what they report, and evidence. */
static gboolean from_a_colleague(const IgConfig *config, const IgForward *f,
                                 const char *reporter)
{
  const char *addr = f->from_addr;
  if (!addr)
    return f->from_name != NULL && !f->attached;
  return within(addr, address_domain(config->address)) || within(addr, address_domain(reporter)) ||
         passes_reports_on(config, addr);
}

/* Outlook's Report button and the tools that share its format send the
 * reported mail attached under "3|subject" (1 junk, 2 not junk, 3
 * phishing) or "Phish | subject". The verdict, or NULL; *rest is the
 * original subject. */
static const char *report_button(const char *subject, const char **rest)
{
  static const struct {
    const char *prefix, *verdict;
  } forms[] = {
    { "1|", "junk" }, { "2|", "not junk" }, { "3|", "phishing" },
    { "phishing |", "phishing" }, { "phish |", "phishing" }, { "junk |", "junk" },
    { "not junk |", "not junk" },
  };
  const char *p = subject ? subject : "";
  while (g_ascii_isspace(*p))
    p++;
  for (gsize i = 0; i < G_N_ELEMENTS(forms); i++) {
    gsize n = strlen(forms[i].prefix);
    if (g_ascii_strncasecmp(p, forms[i].prefix, n) == 0) {
      *rest = p + n;
      return forms[i].verdict;
    }
  }
  return NULL;
}

static gboolean forward_subject(const char *subject)
{
  static const char *const prefixes[] = { "fw:", "fwd:", "tr:", "wg:", NULL };
  const char *p = subject ? subject : "";
  while (g_ascii_isspace(*p))
    p++;
  for (int i = 0; prefixes[i]; i++)
    if (g_ascii_strncasecmp(p, prefixes[i], strlen(prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

/* The first level from index from on, past colleagues passing it along,
 * that no colleague wrote: a suspicious mail they passed on; NULL when
 * every level is a colleague's. */
static const IgForward *first_suspect(const IgConfig *config, GPtrArray *levels, guint from,
                                      const char *reporter)
{
  for (guint i = from; i < levels->len; i++) {
    const IgForward *f = g_ptr_array_index(levels, i);
    if (!from_a_colleague(config, f, reporter))
      return f;
  }
  return NULL;
}

static const char *who(const char *addr)
{
  return addr ? addr : "an unknown sender";
}

void relay_read(IgRelay *r, const IgConfig *config, const IgMail *mail,
                const IgForward *innermost, GPtrArray *decisions)
{
  g_autoptr(GPtrArray) levels = g_ptr_array_new();
  for (const IgForward *f = innermost; f; f = f->outer)
    g_ptr_array_insert(levels, 0, (gpointer)f);
  memset(r, 0, sizeof(*r));
  r->from_name = mail->from_name;
  r->from_addr = mail->from_addr;
  r->subject = mail->subject;
  r->sent = mail->date;
  r->text = mail->body ? mail->body : "";
  r->forward = levels->len > 0;
  if (!r->forward)
    return;

  /* Each help desk or supplier in the chain passed on what the next
   * sender wrote; the first sender who is neither is the reporter. A help
   * desk or supplier who forwards a suspicious mail they got themselves
   * reports it. */
  guint k = 0;
  const char *sender = mail->from_addr;
  while (k < levels->len && passes_reports_on(config, sender)) {
    const IgForward *next = g_ptr_array_index(levels, k);
    if (!from_a_colleague(config, next, sender))
      break;
    sender = next->from_addr;
    k++;
  }
  const IgForward *passed_on = k < levels->len ? g_ptr_array_index(levels, k) : NULL;
  if (k > 0) {
    const IgForward *own = g_ptr_array_index(levels, k - 1);
    r->from_name = own->from_name;
    r->from_addr = own->from_addr;
    r->subject = own->subject ? own->subject : mail->subject;
    r->sent = own->date ? own->date : mail->date;
    r->text = passed_on ? (passed_on->note ? passed_on->note : "") : own->body;
    r->note = own->note;
    r->forwarded_by = mail->from_addr;
    g_ptr_array_add(decisions, g_strdup_printf("relayed by %s: the report of %s",
                                               who(mail->from_addr), who(r->from_addr)));
  } else {
    r->text = passed_on->note ? passed_on->note : "";
  }
  if (!passed_on)
    return;

  const char *rest = NULL;
  const IgForward *suspect = NULL;
  const char *verdict = k == 0 && passed_on->attached ? report_button(mail->subject, &rest) : NULL;
  if (verdict) {
    r->verdict = verdict;
    r->suspect = passed_on;
    r->subject = passed_on->subject ? passed_on->subject : rest;
    r->text = mail->body ? mail->body : "";
    g_ptr_array_add(decisions, g_strdup_printf("reported with the Report button by %s: the "
                                               "mail from %s is evidence", who(r->from_addr),
                                               who(passed_on->from_addr)));
  } else if (k == 0 && passed_on->attached && !forward_subject(mail->subject) &&
             from_a_colleague(config, passed_on, r->from_addr)) {
    /* A colleague's mail attached to a report of one's own, not passed
     * on: the report is the body. */
    r->text = mail->body ? mail->body : "";
    r->forward = FALSE;
  } else if (from_a_colleague(config, passed_on, r->from_addr) &&
             (suspect = first_suspect(config, levels, k + 1, r->from_addr))) {
    /* A colleague passed a suspicious mail to the reporter, who passes it
     * on: the colleague's words above it tell what happened, the
     * reporter's add to them, the mail is evidence. */
    r->suspect = suspect;
    r->text = suspect->note ? suspect->note : "";
    r->note = passed_on->note;
    g_ptr_array_add(decisions, g_strdup_printf("forwarded by %s from %s: the mail from %s is "
                                               "evidence, not the reporter", who(r->from_addr),
                                               who(passed_on->from_addr),
                                               who(suspect->from_addr)));
  } else if (from_a_colleague(config, passed_on, r->from_addr)) {
    /* A colleague's account passed on: the facts are in it, the
     * forwarder's words add what it leaves out. */
    r->note = passed_on->note;
    r->text = passed_on->body;
    r->subject = passed_on->subject ? passed_on->subject : r->subject;
    r->sent = passed_on->date ? passed_on->date : r->sent;
    g_ptr_array_add(decisions, g_strdup_printf("forwarded by %s: the account of %s read for "
                                               "its facts", who(r->from_addr),
                                               who(passed_on->from_addr)));
  } else {
    r->suspect = passed_on;
    g_ptr_array_add(decisions, g_strdup_printf("forwarded by %s: the mail from %s is evidence, "
                                               "not the reporter", who(r->from_addr),
                                               who(passed_on->from_addr)));
  }
}

IgEvidence *relay_evidence(const IgRelay *r)
{
  const IgForward *s = r->suspect;
  if (!s)
    return NULL;
  IgEvidence *e = g_new0(IgEvidence, 1);
  e->from_addr = g_strdup(s->from_addr);
  e->from_name = g_strdup(s->from_name);
  e->reply_to = g_strdup(s->reply_to);
  e->subject = g_strdup(s->subject);
  e->date = s->date ? iso_utc(s->date) : NULL;
  if (s->mail) {
    e->return_path = g_strdup(s->mail->return_path);
    e->sha256 = g_strdup(s->mail->sha256);
    e->relays = g_strdupv(s->mail->received);
  } else {
    e->sha256 = hash_sha256_hex(s->body, strlen(s->body));
    e->relays = g_new0(char *, 1);
  }
  return e;
}

GPtrArray *relay_observables(const IgRelay *r, const IgConfig *config, const IgMail *mail)
{
  const IgForward *s = r->suspect;
  if (!s)
    return g_ptr_array_new_with_free_func(observable_free);
  /* config->address is checked to have a domain when the config is read;
   * a reporter without an address ends the list early. */
  const char *own[] = { address_domain(config->address), address_domain(r->from_addr), NULL };
  /* An attached mail holds its own attachments and links; an inline
   * forward's are in the message its text stands in (clients keep the
   * original's attachments when forwarding inline). */
  const IgMail *holder = mail;
  for (const IgForward *f = s; f; f = f->outer)
    if (f->mail) {
      holder = f->mail;
      break;
    }
  IgSuspect suspect = {
    .from_addr = s->from_addr,
    .reply_to = s->reply_to,
    .return_path = s->mail ? s->mail->return_path : NULL,
    .received = s->mail ? (const char *const *)s->mail->received : NULL,
    .text = s->body,
    .html = holder ? holder->html : NULL,
    .files = holder ? holder->files : NULL,
    .own_domains = own,
  };
  return observables_extract(&suspect);
}
