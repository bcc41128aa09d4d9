/* html.c - HTML to plain text (html.h) by walking libxml2's HTML tree.
 *
 * libxml2's recovering parser copes with the broken markup mail clients
 * produce and bounds tree depth itself. The walk visits each node once
 * and looks at no node's siblings from another, so the work is linear in
 * the tree; markup nested deeper than it reads is reported, not dropped
 * in silence. */
#include "parsers/html.h"

#include <libxml/HTMLparser.h>
#include <string.h>

static gboolean is_block(const char *name)
{
  static const char *const blocks[] = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "hr", "section", "article",
    "header", "footer", "dt", "dd", "address", NULL,
  };
  for (int i = 0; blocks[i]; i++)
    if (g_ascii_strcasecmp(name, blocks[i]) == 0)
      return TRUE;
  return FALSE;
}

static void newline(GString *out)
{
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c(out, '\n');
}

/* Text inside a <blockquote> is the message replied to: its lines start
 * with "> " as a plain-text client quotes them, so that readers of the
 * text (reply.c) can tell it from the reply's own lines. One mark at any
 * depth keeps the output linear in the markup. */
static void quote_mark(GString *out, gboolean quote)
{
  if (quote && (!out->len || out->str[out->len - 1] == '\n'))
    g_string_append(out, "> ");
}

/* Appends text with runs of whitespace folded to one space, as a browser
 * renders it; inside <pre> the text is kept as written. */
static void append_text(GString *out, const char *text, gboolean pre, gboolean quote)
{
  for (const char *p = text; *p; p++) {
    if (pre) {
      if (*p != '\n')
        quote_mark(out, quote);
      g_string_append_c(out, *p);
    } else if (g_ascii_isspace(*p)) {
      if (out->len && !g_ascii_isspace(out->str[out->len - 1]))
        g_string_append_c(out, ' ');
    } else {
      quote_mark(out, quote);
      g_string_append_c(out, *p);
    }
  }
}

static gboolean is_cell(const xmlNode *node)
{
  return node->type == XML_ELEMENT_NODE && (!g_ascii_strcasecmp((const char *)node->name, "td") ||
                                            !g_ascii_strcasecmp((const char *)node->name, "th"));
}

/* Cells of one row, counted once before its children are walked: asking
 * each cell for its place among its siblings costs the square of the
 * row's length, and a mail of bare <td>s is one row of many thousands. */
static int count_cells(const xmlNode *node)
{
  int count = 0;
  for (; node; node = node->next)
    count += is_cell(node);
  return count;
}

/* A two-cell row is a label and its value, as forms pasted into HTML
 * tables are: "Label: value". Wider rows keep their cells apart. */
static void cell_separator(int index, int count, GString *out)
{
  if (index == 0)
    return;
  while (out->len && out->str[out->len - 1] == ' ')
    g_string_truncate(out, out->len - 1);
  if (count == 2)
    g_string_append(out, out->len && out->str[out->len - 1] == ':' ? " " : ": ");
  else
    g_string_append(out, " | ");
}

/* Markup nested deeper than any mail client writes is not read (and the
 * caller is told). */
#define MAX_DEPTH 200

static void walk(xmlNode *node, GString *out, int depth, gboolean pre, gboolean quote,
                 gboolean *cut)
{
  int cells, cell = 0;
  if (depth > MAX_DEPTH) {
    *cut = TRUE;
    return;
  }
  cells = count_cells(node);
  for (; node; node = node->next) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content)
        append_text(out, (const char *)node->content, pre, quote);
      continue;
    }
    if (node->type != XML_ELEMENT_NODE)
      continue;
    const char *name = (const char *)node->name;
    if (!g_ascii_strcasecmp(name, "script") || !g_ascii_strcasecmp(name, "style") ||
        !g_ascii_strcasecmp(name, "head") || !g_ascii_strcasecmp(name, "title"))
      continue;
    gboolean block = is_block(name);
    if (block)
      newline(out);
    if (!g_ascii_strcasecmp(name, "li")) {
      quote_mark(out, quote);
      g_string_append(out, "- ");
    }
    if (is_cell(node))
      cell_separator(cell++, cells, out);
    gsize before = out->len;
    walk(node->children, out, depth + 1, pre || !g_ascii_strcasecmp(name, "pre"),
         quote || !g_ascii_strcasecmp(name, "blockquote"), cut);
    if (!g_ascii_strcasecmp(name, "a")) {
      xmlChar *href = xmlGetProp(node, (const xmlChar *)"href");
      if (href && (g_str_has_prefix((char *)href, "http") ||
                   g_str_has_prefix((char *)href, "mailto:"))) {
        const char *target = (const char *)href;
        if (g_str_has_prefix(target, "mailto:"))
          target += 7;
        if (!strstr(out->str + before, target))
          g_string_append_printf(out, " <%s>", target);
      }
      xmlFree(href);
    }
    if (block || !g_ascii_strcasecmp(name, "br"))
      newline(out);
    if (!g_ascii_strcasecmp(name, "p"))
      g_string_append_c(out, '\n');
  }
}

/* Trims each line and keeps at most one blank line in a row. */
static char *tidy(const char *text)
{
  GString *out = g_string_new(NULL);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  int blanks = 0;
  for (int i = 0; lines[i]; i++) {
    char *line = g_strstrip(lines[i]);
    if (!*line) {
      if (out->len && ++blanks == 1)
        g_string_append_c(out, '\n');
      continue;
    }
    blanks = 0;
    g_string_append(out, line);
    g_string_append_c(out, '\n');
  }
  while (out->len && out->str[out->len - 1] == '\n')
    g_string_truncate(out, out->len - 1);
  return g_string_free(out, FALSE);
}

char *html_to_text_cut(const char *html, gsize len, gboolean *cut)
{
  htmlParserCtxtPtr ctxt = NULL;
  htmlDocPtr doc = NULL;
  GString *out = NULL;
  char *text = NULL;
  gboolean deep = FALSE;
  if (cut)
    *cut = FALSE;
  if (!html || !len)
    return g_strdup("");
  ctxt = htmlNewParserCtxt();
  if (ctxt)
    doc = htmlCtxtReadMemory(ctxt, html, (int)MIN(len, (gsize)G_MAXINT), NULL, "UTF-8",
                             HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!doc) {
    text = g_strdup("");
    goto out;
  }
  /* libxml2 stops reading at its own depth limit (256) with this error
   * and keeps only what came before: the rest is lost, so say so. */
  deep = ctxt->errNo == XML_ERR_INTERNAL_ERROR;
  out = g_string_new(NULL);
  walk(xmlDocGetRootElement(doc), out, 0, FALSE, FALSE, &deep);
  text = tidy(out->str);
  g_string_free(out, TRUE);
out:
  if (doc)
    xmlFreeDoc(doc);
  if (ctxt)
    htmlFreeParserCtxt(ctxt);
  if (cut)
    *cut = deep;
  return text;
}

char *html_to_text(const char *html, gsize len)
{
  return html_to_text_cut(html, len, NULL);
}
