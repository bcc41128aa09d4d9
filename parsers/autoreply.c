/* autoreply.c - loop prevention verdicts (autoreply.h).
 *
 * Order matters: the strongest evidence wins (a DSN is a bounce even when
 * it also says Auto-Submitted), and anything automatic is never answered. */
#include "parsers/autoreply.h"

#include <string.h>

static gboolean local_part_is(const char *addr, const char *const *names)
{
  if (!addr)
    return FALSE;
  const char *at = strchr(addr, '@');
  gsize n = at ? (gsize)(at - addr) : strlen(addr);
  for (int i = 0; names[i]; i++)
    if (strlen(names[i]) == n && g_ascii_strncasecmp(addr, names[i], n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean value_is(const char *value, const char *word)
{
  if (!value)
    return FALSE;
  gsize n = strlen(word);
  /* "auto-replied; owner-email=..." carries parameters after ';'. */
  return g_ascii_strncasecmp(value, word, n) == 0 &&
         (value[n] == '\0' || value[n] == ';' || g_ascii_isspace(value[n]));
}

static gboolean subject_is_autoreply(const char *subject)
{
  static const char *const prefixes[] = {
    "automatic reply:", "auto reply:", "autoreply:", "auto-reply:",
    "out of office", "out of the office", "abwesenheitsnotiz", "réponse automatique", NULL,
  };
  if (!subject)
    return FALSE;
  for (int i = 0; prefixes[i]; i++)
    if (g_ascii_strncasecmp(subject, prefixes[i], strlen(prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

/* X-Loop holds an address, bare or in angle brackets; it must be ours
 * exactly, in any case. */
static gboolean carries_our_loop(const IgMail *mail, const char *our_address)
{
  for (char **v = mail->x_loop; our_address && v && *v; v++) {
    const char *start = strchr(*v, '<');
    start = start ? start + 1 : *v;
    gsize len = strcspn(start, ">");
    g_autofree char *addr = g_strstrip(g_strndup(start, len));
    if (g_ascii_strcasecmp(addr, our_address) == 0)
      return TRUE;
  }
  return FALSE;
}

IgAutoVerdict autoreply_classify(const IgMail *mail, const char *our_address)
{
  static const char *const daemons[] = { "mailer-daemon", "postmaster", NULL };
  static const char *const robots[] = {
    "no-reply", "noreply", "do-not-reply", "donotreply", "do_not_reply", NULL,
  };
  IgAutoVerdict v = { IG_AUTO_HUMAN, TRUE, NULL };

  if (g_strcmp0(mail->content_type, "multipart/report") == 0 &&
      (g_strcmp0(mail->report_type, "delivery-status") == 0 ||
       g_strcmp0(mail->report_type, "disposition-notification") == 0)) {
    v = (IgAutoVerdict){ IG_AUTO_BOUNCE, FALSE,
        g_strcmp0(mail->report_type, "delivery-status") == 0 ? "delivery status notification"
                                                             : "read receipt (MDN)" };
  } else if (local_part_is(mail->from_addr, daemons) &&
             g_strcmp0(mail->from_addr, our_address) != 0) {
    v = (IgAutoVerdict){ IG_AUTO_BOUNCE, FALSE, "sent by a mailer daemon" };
  } else if (our_address && g_strcmp0(mail->from_addr, our_address) == 0) {
    v = (IgAutoVerdict){ IG_AUTO_LOOP, FALSE, "sent from our own address" };
  } else if (carries_our_loop(mail, our_address)) {
    v = (IgAutoVerdict){ IG_AUTO_LOOP, FALSE, "carries our X-Loop header" };
  } else if (value_is(mail->auto_submitted, "auto-replied") ||
             value_is(mail->auto_submitted, "auto-notified")) {
    v = (IgAutoVerdict){ IG_AUTO_REPLY, FALSE, "Auto-Submitted: auto-replied" };
  } else if (mail->autoreply_header || subject_is_autoreply(mail->subject)) {
    v = (IgAutoVerdict){ IG_AUTO_REPLY, FALSE, "out-of-office or auto-reply" };
  } else if (mail->list_id) {
    v = (IgAutoVerdict){ IG_AUTO_BULK, FALSE, "mailing list (List-Id)" };
  } else if (value_is(mail->precedence, "bulk") || value_is(mail->precedence, "junk") ||
             value_is(mail->precedence, "list")) {
    v = (IgAutoVerdict){ IG_AUTO_BULK, FALSE, "Precedence: bulk, junk or list" };
  } else if (mail->auto_submitted && !value_is(mail->auto_submitted, "no")) {
    v = (IgAutoVerdict){ IG_AUTO_GENERATED, FALSE, "Auto-Submitted: auto-generated" };
  } else if (mail->has_return_path && mail->return_path && !*mail->return_path) {
    v = (IgAutoVerdict){ IG_AUTO_GENERATED, FALSE, "empty return path" };
  } else if (local_part_is(mail->from_addr, robots)) {
    v = (IgAutoVerdict){ IG_AUTO_GENERATED, FALSE, "sender does not take replies" };
  } else if (!mail->from_addr) {
    v = (IgAutoVerdict){ IG_AUTO_HUMAN, FALSE, "no sender address" };
  }
  return v;
}

gboolean autoreply_delivery_failed(const IgMail *mail)
{
  if (g_strcmp0(mail->report_type, "disposition-notification") == 0)
    return FALSE;
  if (!mail->delivery_status)
    return TRUE;
  /* RFC 3464: one "Action:" field per recipient (failed, delayed,
   * delivered, relayed, expanded). */
  gboolean any = FALSE;
  for (const char *line = mail->delivery_status; line && *line;) {
    const char *end = strchr(line, '\n');
    if (g_ascii_strncasecmp(line, "Action:", 7) == 0) {
      const char *v = line + 7;
      while (*v == ' ' || *v == '\t')
        v++;
      if (g_ascii_strncasecmp(v, "failed", 6) == 0)
        return TRUE;
      any = TRUE;
    }
    line = end ? end + 1 : NULL;
  }
  return !any;
}

const char *autoreply_kind(IgAutoClass cls)
{
  switch (cls) {
  case IG_AUTO_REPLY:
  case IG_AUTO_LOOP:
    return "auto-reply";
  case IG_AUTO_BOUNCE:
    return "bounce";
  case IG_AUTO_BULK:
    return "bulk";
  default:
    return NULL;
  }
}
