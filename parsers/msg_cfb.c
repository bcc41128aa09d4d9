/* msg_cfb.c - an OLE2 compound file (MS-CFB) checked before libgsf reads
 * it (msg_cfb.h).
 *
 * Debian 12's libgsf (1.14.50) was written for files that applications
 * made: a sector number past the end, a directory entry reached twice or
 * a stream larger than the file draws a g_critical; its directory walk
 * recurses once per entry along each list of siblings (a crafted list of
 * thousands overflows the stack, and libgsf's own writer makes lists, not
 * trees), and it inserts each entry into a sorted linked list (quadratic
 * in the entries of one storage). So the structure is walked here first,
 * in one linear pass with an explicit stack: header, DIFAT and FAT,
 * directory chain, mini FAT, mini stream and the sector chain of every
 * stream, each sector in one chain only and each chain exactly as long as
 * its stream. What passes is a file libgsf reads without a critical and
 * within the limits below. Pure. */
#include "parsers/msg_cfb.h"

#include <string.h>

#include "gateway/error.h"

/* Directory entries reached from the root: a message has 60 or so, each
 * attachment and recipient 10 to 20. */
#define MAX_ENTRIES 8192
/* Entries of one storage, a thousand recipients' storages and more.
 * libgsf sorts them by insertion into a list, quadratic: 2048 take it
 * 0.1 s, so MAX_ENTRIES in storages this full take 0.4 s. */
#define MAX_CHILDREN 2048
/* Depth of libgsf's recursive directory walk: one frame (a few hundred
 * bytes of stack) per sibling along a list, plus one per storage level. */
#define MAX_RECURSION 1024

#define HEADER_LEN 512u
#define DIRENT_LEN 128u
#define HEADER_DIFAT 109u
#define MINI_SHIFT 6u
#define MINI_CUTOFF 4096u

/* special sector numbers (MS-CFB 2.1); all at or above DIFSECT */
#define DIFSECT 0xFFFFFFFCu
#define ENDOFCHAIN 0xFFFFFFFEu
#define NOSTREAM 0xFFFFFFFFu

#define TYPE_STORAGE 1
#define TYPE_STREAM 2
#define TYPE_ROOT 5

/* An allocation table (FAT or mini FAT). */
typedef struct {
  guint32 *next;  /* next sector of each sector */
  guint32 n;      /* sectors a chain may use: in the table and the file */
  guint8 *used;   /* a bit per sector: already in a chain */
} Table;

typedef struct {
  const guint8 *p;
  gsize len;
  guint shift;          /* sectors are 1 << shift bytes */
  gsize first;          /* offset of sector 0 */
  guint32 sectors;      /* whole sectors in the file */
  Table fat, mini;
  GPtrArray *dir;       /* const guint8 *: the directory's sectors */
  guint32 entries;      /* directory entries in them */
  GError **error;
} Cfb;

/* A directory entry to check, as libgsf's recursion would reach it. */
typedef struct {
  guint32 entry;
  guint32 parent;       /* the storage holding it */
  guint32 depth;        /* libgsf's recursion depth at it */
} Visit;

static guint32 le32(const guint8 *p)
{
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

static guint16 le16(const guint8 *p)
{
  return (guint16)(p[0] | p[1] << 8);
}

static gboolean damaged(Cfb *c, const char *format, ...) G_GNUC_PRINTF(2, 3);
static gboolean damaged(Cfb *c, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  g_autofree char *what = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(c->error, IG_ERROR, IG_ERROR_INPUT,
              "not an Outlook item: damaged compound file (%s)", what);
  return FALSE;
}

static gboolean too_large(Cfb *c, const char *what, guint limit)
{
  g_set_error(c->error, IG_ERROR, IG_ERROR_INPUT,
              "Outlook item too large: more than %u %s", limit, what);
  return FALSE;
}

static const guint8 *sector(const Cfb *c, guint32 s)
{
  return s < c->sectors ? c->p + c->first + ((gsize)s << c->shift) : NULL;
}

static gboolean is_used(const Table *t, guint32 s)
{
  return (t->used[s / 8] >> (s % 8)) & 1;
}

/* Follows count sectors of t from start, none in a chain before, the last
 * one followed by ENDOFCHAIN; adds each sector of the file to sectors
 * unless NULL. */
static gboolean chain(Cfb *c, Table *t, guint32 start, guint32 count, const char *what,
                      GPtrArray *sectors)
{
  guint32 s = start;
  for (guint32 i = 0; i < count; i++) {
    if (s >= t->n)
      return damaged(c, "%s: sector chain ends after %u of %u sectors", what, i, count);
    if (is_used(t, s))
      return damaged(c, "%s: sector %u in two chains", what, s);
    t->used[s / 8] |= (guint8)(1u << (s % 8));
    if (sectors)
      g_ptr_array_add(sectors, (gpointer)sector(c, s));
    s = t->next[s];
  }
  if (s != ENDOFCHAIN)
    return damaged(c, "%s: sector chain does not end after %u sectors", what, count);
  return TRUE;
}

/* Fills t from the sectors holding it; every entry names a sector below
 * limit or is special, as libgsf requires. */
static gboolean table_read(Cfb *c, Table *t, GPtrArray *sectors, guint32 limit, const char *what)
{
  const guint32 per = (1u << c->shift) / 4;
  const guint32 n = sectors->len * per;
  t->next = g_new(guint32, MAX(n, 1));
  for (guint32 i = 0; i < n; i++) {
    t->next[i] = le32((const guint8 *)g_ptr_array_index(sectors, i / per) + (i % per) * 4);
    if (t->next[i] >= MIN(n, limit) && t->next[i] < DIFSECT)
      return damaged(c, "%s entry %u names sector %u", what, i, t->next[i]);
  }
  t->n = MIN(n, limit);
  t->used = g_new0(guint8, t->n / 8 + 1);
  return TRUE;
}

/* The FAT's sectors: up to 109 listed in the header, the rest in the
 * DIFAT chain, each DIFAT sector ending with the next one's number. */
static gboolean read_fat(Cfb *c, const guint8 *header)
{
  const guint32 nfat = le32(header + 0x2C), ndifat = le32(header + 0x48);
  const guint32 per = (1u << c->shift) / 4;
  if (nfat == 0 || nfat >= c->sectors)
    return damaged(c, "%u FAT sectors in a file of %u sectors", nfat, c->sectors);
  const guint32 need = nfat > HEADER_DIFAT ? (nfat - HEADER_DIFAT + per - 2) / (per - 1) : 0;
  if (ndifat != need)
    return damaged(c, "%u DIFAT sectors where %u FAT sectors need %u", ndifat, nfat, need);
  g_autoptr(GPtrArray) fat_sectors = g_ptr_array_sized_new(nfat);
  const guint8 *list = header + 0x4C;
  guint32 left = HEADER_DIFAT, next_difat = le32(header + 0x44);
  for (guint32 i = 0; i < nfat; i++) {
    if (left == 0) {
      list = sector(c, next_difat);
      if (!list)
        return damaged(c, "DIFAT sector %u past the end", next_difat);
      left = per - 1;
      next_difat = le32(list + left * 4);
    }
    const guint32 s = le32(list);
    list += 4;
    left--;
    if (!sector(c, s))
      return damaged(c, "FAT sector %u past the end", s);
    g_ptr_array_add(fat_sectors, (gpointer)sector(c, s));
  }
  return table_read(c, &c->fat, fat_sectors, c->sectors, "FAT");
}

static const guint8 *entry_at(const Cfb *c, guint32 e)
{
  const guint32 per = (1u << c->shift) / DIRENT_LEN;
  return (const guint8 *)g_ptr_array_index(c->dir, e / per) + (e % per) * DIRENT_LEN;
}

/* The directory, then the root entry with the mini stream it holds and
 * the mini FAT that divides it. */
static gboolean read_directory(Cfb *c, const guint8 *header)
{
  guint32 s = le32(header + 0x30);
  while (s != ENDOFCHAIN) {
    if (s >= c->fat.n)
      return damaged(c, "directory sector %u past the end", s);
    if (is_used(&c->fat, s))
      return damaged(c, "directory sector %u twice", s);
    c->fat.used[s / 8] |= (guint8)(1u << (s % 8));
    g_ptr_array_add(c->dir, (gpointer)sector(c, s));
    s = c->fat.next[s];
  }
  c->entries = c->dir->len * ((1u << c->shift) / DIRENT_LEN);
  if (c->entries == 0)
    return damaged(c, "no directory");
  const guint8 *root = entry_at(c, 0);
  if (root[0x42] != TYPE_ROOT || le32(root + 0x44) != NOSTREAM || le32(root + 0x48) != NOSTREAM)
    return damaged(c, "no root entry");
  const guint32 mini_size = le32(root + 0x78);
  const guint32 mini_start = le32(root + 0x74);
  const guint32 mini_len = (guint32)(((guint64)mini_size + (1u << c->shift) - 1) >> c->shift);
  if (!chain(c, &c->fat, mini_start, mini_len, "mini stream", NULL))
    return FALSE;
  g_autoptr(GPtrArray) minifat = g_ptr_array_new();
  if (!chain(c, &c->fat, le32(header + 0x3C), le32(header + 0x40), "mini FAT", minifat))
    return FALSE;
  return table_read(c, &c->mini, minifat, mini_size >> MINI_SHIFT, "mini FAT");
}

/* A stream's chain: in the mini stream below the cutoff, else in sectors.
 * libgsf walks the chain of an empty stream too when it opens one (and
 * warns unless it ends at once), so an empty stream starts at ENDOFCHAIN,
 * as every writer makes it. */
static gboolean check_stream(Cfb *c, const guint8 *d, guint32 e)
{
  const guint32 size = le32(d + 0x78), start = le32(d + 0x74);
  g_autofree char *what = g_strdup_printf("stream %u", e);
  if (le32(d + 0x4C) != NOSTREAM)
    return damaged(c, "%s has entries below it", what);
  if (size == 0)
    return start == ENDOFCHAIN || damaged(c, "%s is empty but starts at sector %u", what, start);
  if (size < MINI_CUTOFF)
    return chain(c, &c->mini, start, (size + (1u << MINI_SHIFT) - 1) >> MINI_SHIFT, what, NULL);
  return chain(c, &c->fat, start, (guint32)(((guint64)size + (1u << c->shift) - 1) >> c->shift),
               what, NULL);
}

/* Every entry reached from the root as libgsf reaches it: the siblings
 * before and after each entry, and the entries below each storage. */
static gboolean walk(Cfb *c)
{
  g_autoptr(GArray) stack = g_array_new(FALSE, FALSE, sizeof(Visit));
  g_autofree guint8 *seen = g_new0(guint8, c->entries / 8 + 1);
  g_autofree guint32 *children = g_new0(guint32, c->entries);
  guint32 reached = 0;
  const Visit top = { le32(entry_at(c, 0) + 0x4C), 0, 2 };
  seen[0] = 1;
  g_array_append_val(stack, top);
  while (stack->len > 0) {
    const Visit v = g_array_index(stack, Visit, stack->len - 1);
    g_array_set_size(stack, stack->len - 1);
    if (v.entry == NOSTREAM)
      continue;
    if (v.entry >= c->entries)
      return damaged(c, "directory entry %u past the end", v.entry);
    if ((seen[v.entry / 8] >> (v.entry % 8)) & 1)
      return damaged(c, "directory entry %u reached twice", v.entry);
    seen[v.entry / 8] |= (guint8)(1u << (v.entry % 8));
    if (++reached > MAX_ENTRIES)
      return too_large(c, "directory entries", MAX_ENTRIES);
    if (v.depth > MAX_RECURSION)
      return too_large(c, "levels of directory lists", MAX_RECURSION);
    if (++children[v.parent] > MAX_CHILDREN)
      return too_large(c, "entries in one storage", MAX_CHILDREN);
    const guint8 *d = entry_at(c, v.entry);
    if (d[0x42] == TYPE_STREAM) {
      if (!check_stream(c, d, v.entry))
        return FALSE;
    } else if (d[0x42] != TYPE_STORAGE) {
      return damaged(c, "directory entry %u of type %u", v.entry, d[0x42]);
    }
    const Visit prev = { le32(d + 0x44), v.parent, v.depth + 1 };
    const Visit next = { le32(d + 0x48), v.parent, v.depth + 1 };
    g_array_append_val(stack, prev);
    g_array_append_val(stack, next);
    if (d[0x42] == TYPE_STORAGE) {
      const Visit child = { le32(d + 0x4C), v.entry, v.depth + 1 };
      g_array_append_val(stack, child);
    }
  }
  return TRUE;
}

gboolean msg_cfb_check(const guint8 *data, gsize len, GError **error)
{
  static const guint8 signature[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
  Cfb c = { .p = data, .len = len, .error = error };
  gboolean ok = FALSE;
  if (!data || len < HEADER_LEN || memcmp(data, signature, sizeof signature) != 0) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT,
                "not an Outlook item: not an OLE2 compound file");
    return FALSE;
  }
  if (len > G_MAXUINT32) {
    g_set_error(error, IG_ERROR, IG_ERROR_INPUT, "Outlook item too large: %" G_GSIZE_FORMAT
                " bytes", len);
    return FALSE;
  }
  c.shift = le16(data + 0x1E);
  if (c.shift != 9 && c.shift != 12)
    return damaged(&c, "sectors of 2^%u bytes", c.shift);
  if (le16(data + 0x20) != MINI_SHIFT || le32(data + 0x38) != MINI_CUTOFF)
    return damaged(&c, "mini sectors of 2^%u bytes below %u", le16(data + 0x20), le32(data + 0x38));
  c.first = MAX(HEADER_LEN, (gsize)1 << c.shift);
  c.sectors = len > c.first ? (guint32)((len - c.first) >> c.shift) : 0;
  c.dir = g_ptr_array_new();
  ok = read_fat(&c, data) && read_directory(&c, data) && walk(&c);
  g_free(c.fat.next);
  g_free(c.fat.used);
  g_free(c.mini.next);
  g_free(c.mini.used);
  g_ptr_array_unref(c.dir);
  return ok;
}
