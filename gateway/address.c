/* address.c - validated envelope addresses (address.h). */
#include "gateway/address.h"

#include <gmime/gmime.h>
#include <string.h>

#include "gateway/config_syntax.h"
#include "gateway/error.h"
#include "parsers/mail.h"

/* RFC 5322 section 3.2.3: the characters of an atom besides letters and
 * digits. */
#define ATEXT_SPECIALS "!#$%&'*+-/=?^_`{|}~"

static gboolean is_dot_atom(const char *s, gsize len)
{
  if (len == 0 || s[0] == '.' || s[len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++) {
    guchar c = (guchar)s[i];
    if (c == '.' ? s[i + 1] == '.' : !(g_ascii_isalnum(c) || strchr(ATEXT_SPECIALS, c)))
      return FALSE;
  }
  return TRUE;
}

static gboolean is_ascii(const char *s)
{
  for (; *s; s++)
    if ((guchar)*s >= 0x80)
      return FALSE;
  return TRUE;
}

static char *refuse(GError **error, const char *why)
{
  g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "not a usable address: %s", why);
  return NULL;
}

/* The domain in its ASCII form: GMime's IDNA encoding of a mailbox, asked
 * only once the text is known to hold one '@'. */
static char *ascii_domain(const char *addr, const char *domain)
{
  if (is_ascii(domain))
    return g_ascii_strdown(domain, -1);
  mail_library_init();
  InternetAddress *box = internet_address_mailbox_new(NULL, addr);
  const char *idn = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(box));
  const char *at = idn ? strrchr(idn, '@') : NULL;
  char *out = at && is_ascii(at + 1) ? g_ascii_strdown(at + 1, -1) : NULL;
  g_object_unref(box);
  return out;
}

const char *address_domain(const char *addr)
{
  const char *at = addr ? strrchr(addr, '@') : NULL;
  return at ? at + 1 : NULL;
}

char *address_canonical(const char *addr, GError **error)
{
  if (!addr || !*addr)
    return refuse(error, "none given");
  const char *at = strchr(addr, '@');
  if (!at || strchr(at + 1, '@'))
    return refuse(error, "it must hold exactly one @");
  gsize local = (gsize)(at - addr);
  if (local > ADDRESS_MAX_LOCAL)
    return refuse(error, "local part longer than 64 characters");
  if (!is_dot_atom(addr, local))
    return refuse(error, "local part is not a plain dot-atom (quotes, spaces, commas,"
                         " control characters or line breaks)");
  g_autofree char *domain = ascii_domain(addr, at + 1);
  /* localhost as the configuration allows it, for test and relay set-ups. */
  if (!domain || !(syntax_is_domain(domain) || strcmp(domain, "localhost") == 0))
    return refuse(error, "domain is not a DNS name");
  g_autofree char *local_low = g_ascii_strdown(addr, (gssize)local);
  char *out = g_strdup_printf("%s@%s", local_low, domain);
  if (strlen(out) > ADDRESS_MAX_LEN) {
    g_free(out);
    return refuse(error, "longer than 254 characters");
  }
  return out;
}

char **address_list_parse(const char *text, GError **error)
{
  mail_library_init();
  InternetAddressList *list = internet_address_list_parse(NULL, text ? text : "");
  int n = list ? internet_address_list_length(list) : 0;
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  gboolean ok = n > 0;
  if (!ok)
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "no recipient");
  for (int i = 0; ok && i < n; i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "recipient %d is a group, not an address",
                  i + 1);
      ok = FALSE;
      break;
    }
    char *addr = address_canonical(
        internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), error);
    ok = addr != NULL;
    if (ok)
      g_ptr_array_add(out, addr);
  }
  if (list)
    g_object_unref(list);
  if (!ok) {
    g_ptr_array_free(out, TRUE);
    return NULL;
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}
