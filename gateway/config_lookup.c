/* config_lookup.c - questions asked of a loaded configuration
 * (config.h): whose supplier or asset a name is, whether a domain is a
 * help desk's or an address an OST member's. */
#include "gateway/config.h"

#include <string.h>

#include "gateway/config_syntax.h"

char **config_pair_names(const GPtrArray *pairs)
{
  char **names = g_new(char *, (pairs ? pairs->len : 0) + 1);
  guint n = 0;
  for (; pairs && n < pairs->len; n++)
    names[n] = ((IgPair *)g_ptr_array_index(pairs, n))->name;
  names[n] = NULL;
  return names;
}

/* Accepts a bare domain or an address (the part after the last '@'). */
static const char *domain_of(const char *s)
{
  const char *at = strrchr(s, '@');

  return at ? at + 1 : s;
}

const char *config_supplier_owner(const IgConfig *c, const char *domain)
{
  const IgPair *best = NULL;
  size_t dlen, nlen;

  if (!c || !domain)
    return NULL;
  domain = domain_of(domain);
  dlen = strlen(domain);
  /* Match on a label boundary only, so evil-example.co.uk is not
   * example.co.uk; the longest configured suffix wins. */
  for (guint i = 0; i < c->suppliers->len; i++) {
    const IgPair *p = g_ptr_array_index(c->suppliers, i);
    nlen = strlen(p->name);
    if (nlen > dlen || g_ascii_strcasecmp(domain + dlen - nlen, p->name) != 0 ||
        (nlen < dlen && domain[dlen - nlen - 1] != '.'))
      continue;
    if (!best || nlen > strlen(best->name))
      best = p;
  }
  return best ? best->address : NULL;
}

const char *config_asset_owner(const IgConfig *c, const char *asset)
{
  g_autofree char *want = NULL;

  if (!c || !asset)
    return NULL;
  want = syntax_asset_norm(asset);
  for (guint i = 0; i < c->assets->len; i++) {
    const IgPair *p = g_ptr_array_index(c->assets, i);
    g_autofree char *have = syntax_asset_norm(p->name);
    if (g_ascii_strcasecmp(have, want) == 0)
      return p->address;
  }
  return NULL;
}

static gboolean list_has(char **list, const char *s)
{
  for (char **p = list; p && *p && s; p++)
    if (g_ascii_strcasecmp(*p, s) == 0)
      return TRUE;
  return FALSE;
}

gboolean config_is_helpdesk_domain(const IgConfig *c, const char *domain)
{
  return c && domain && list_has(c->helpdesk_domains, domain_of(domain));
}

gboolean config_is_ost_member(const IgConfig *c, const char *address)
{
  return c && list_has(c->ost_members, address);
}
