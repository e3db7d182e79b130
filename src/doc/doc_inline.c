/* doc_inline: placeholders in text.
 *   {{name}} / {{name | format}}   a metric value (format from the
 *                                   placeholder, else the metric's, else auto)
 *   {{figure:N}} {{table:N}} {{box:N}}   "Figure 6" as a LINK to "#figure:N"
 *   {{#figure:N}} ...                    only the number, "6"
 * Cross-references get their text when the float is placed (numbering is the
 * order of placement, so a reference may come before its float). Errors
 * point at the "{{" in the source: offsets in the merged text are mapped
 * back to columns by walking the source line alongside the literal, which
 * accounts for backslash escapes and entities cmark has decoded. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"

static const char *const kind_names[K_COUNT] = {"figure", "table", "box"};

const char *rc_doc_kind_name(int kind)
{
    return kind >= 0 && kind < K_COUNT ? kind_names[kind] : "float";
}

static const char *cfg_float_name(const rc_config *c, int kind, size_t i)
{
    return kind == K_FIGURE  ? c->figures[i].name.s
           : kind == K_TABLE ? c->tables[i].name.s
                             : c->boxes[i].name.s;
}

bool rc_doc_find_float(rc_doc_state *st, int kind, const char *name, size_t *index)
{
    const rc_config *c = st->doc->cfg;
    for (size_t i = 0; c && i < st->ndeclared[kind]; i++) {
        const char *n = cfg_float_name(c, kind, i);
        if (n && !strcmp(n, name)) {
            *index = i;
            return true;
        }
    }
    return false;
}

/* The declared name closest to name, or NULL. */
static const char *suggest_float(rc_doc_state *st, int kind, const char *name)
{
    const rc_config *c = st->doc->cfg;
    size_t n = st->ndeclared[kind];
    if (!c || !n) return NULL;
    const char **cands = rc_arena_array(st->a, n, sizeof *cands);
    for (size_t i = 0; i < n; i++)
        cands[i] = cfg_float_name(c, kind, i);
    return rc_diag_suggest(name, cands, n);
}

static const rc_metric_value *find_metric(rc_doc_state *st, const char *name)
{
    const rc_data *data = st->doc->data;
    for (size_t i = 0; data && i < data->nmetrics; i++)
        if (data->metrics[i].name && !strcmp(data->metrics[i].name, name)) return &data->metrics[i];
    return NULL;
}

static const char *suggest_metric(rc_doc_state *st, const char *name)
{
    const rc_data *data = st->doc->data;
    if (!data || !data->nmetrics) return NULL;
    const char **cands = rc_arena_array(st->a, data->nmetrics, sizeof *cands);
    for (size_t i = 0; i < data->nmetrics; i++)
        cands[i] = data->metrics[i].name;
    return rc_diag_suggest(name, cands, data->nmetrics);
}

/* ---- positions ----------------------------------------------------------- */

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Length of an entity reference "&name;" / "&#123;" at s, or 0. */
static size_t entity_len(const char *s, size_t n)
{
    size_t i = 1;
    while (i < n && i < 34 && (isalnum((unsigned char)s[i]) || (i == 1 && s[i] == '#')))
        i++;
    return i > 1 && i < n && s[i] == ';' ? i + 1 : 0;
}

/* Walks the source alongside a merged literal. Queries come with
 * non-decreasing offsets, so the walk resumes where the last one stopped:
 * a line with 50 000 placeholders stays linear. */
typedef struct cursor {
    const rc_md *m;
    const char *lit;
    const rc_seg *segs;
    size_t nsegs;
    rc_loc bloc;
    size_t seg, k, s; /* resume point: literal offset k is at source byte s */
    bool valid;
} cursor;

/* Source position of byte off of the merged literal. */
static rc_loc off_loc(cursor *cu, size_t off)
{
    const rc_md *m = cu->m;
    const rc_seg *segs = cu->segs;
    size_t i = cu->valid && cu->seg < cu->nsegs && segs[cu->seg].off <= off ? cu->seg : 0;
    while (i + 1 < cu->nsegs && segs[i + 1].off <= off)
        i++;
    if (!cu->nsegs || !segs[i].line) return cu->bloc;
    unsigned line = segs[i].line, col = segs[i].col;
    if (line > m->nlines) return (rc_loc){m->file, line, col + (unsigned)(off - segs[i].off)};
    size_t ls = m->line_start[line - 1];
    size_t le = line < m->nlines ? m->line_start[line] - 1 : m->len;
    const char *src = m->text + ls;
    size_t slen = le - ls;
    size_t s = col - 1, k = segs[i].off;
    if (cu->valid && cu->seg == i && cu->k <= off && cu->k >= k) {
        s = cu->s;
        k = cu->k;
    }
    const char *lit = cu->lit;
    while (k < off && s < slen) {
        char c = src[s];
        size_t ent = c == '&' ? entity_len(src + s, slen - s) : 0;
        if (c == '\\' && s + 1 < slen && ispunct((unsigned char)src[s + 1]) &&
            src[s + 1] == lit[k]) {
            s += 2; /* backslash escape */
            k++;
        } else if (ent && !(off - k >= ent && !memcmp(lit + k, src + s, ent))) {
            s += ent; /* an entity cmark decoded into one character */
            k += utf8_len((unsigned char)lit[k]);
        } else {
            s++;
            k++;
        }
    }
    cu->seg = i;
    cu->k = k;
    cu->s = s;
    cu->valid = true;
    return (rc_loc){m->file, line, (unsigned)(s + 1)};
}

/* ---- placeholder expansion ------------------------------------------------ */

typedef rc_strbuf obuf;

#define FORMATS "integer, number:N, percent, percent:N, floor:N or ceil:N"

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* A parsed placeholder. */
typedef struct ph {
    const char *name;   /* without '#' and without the kind prefix for floats */
    const char *format; /* NULL when absent */
    int kind;           /* -1 for a metric */
    bool number_only;
    rc_loc loc; /* of "{{" */
} ph;

/* Parses the inside of {{...}}; reports and returns false when malformed. */
static bool parse_ph(rc_doc_state *st, const char *in, size_t len, rc_loc loc, ph *p)
{
    memset(p, 0, sizeof *p);
    p->kind = -1;
    p->loc = loc;
    /* the format's '|' is the first outside "..." (a quoted aggregate key
     * may hold one) */
    const char *bar = NULL;
    for (size_t i = 0, q = 0; i < len && !bar; i++) {
        if (in[i] == '"') q ^= 1;
        if (in[i] == '|' && !q) bar = in + i;
    }
    const char *name = in;
    size_t nl = bar ? (size_t)(bar - in) : len;
    trim(&name, &nl);
    if (bar) {
        const char *f = bar + 1;
        size_t fl = len - (size_t)(f - in);
        trim(&f, &fl);
        p->format = rc_arena_strndup(st->a, f, fl);
    }
    if (nl && name[0] == '#') {
        p->number_only = true;
        name++;
        nl--;
    }
    if (!nl) {
        rc_diag_error(st->d, loc, "empty placeholder '{{%.*s}}'", (int)len, in);
        return false;
    }
    for (int k = 0; k < K_COUNT; k++) {
        size_t kl = strlen(kind_names[k]);
        if (nl > kl && !strncmp(name, kind_names[k], kl) && name[kl] == ':') {
            p->kind = k;
            name += kl + 1;
            nl -= kl + 1;
            trim(&name, &nl);
            break;
        }
    }
    p->name = rc_arena_strndup(st->a, name, nl);
    if (p->number_only && p->kind < 0) {
        rc_diag_error(st->d, loc, "'{{#%s}}': '#' is only for references such as {{#figure:NAME}}",
                      p->name);
        return false;
    }
    if (p->kind >= 0 && p->format) {
        rc_diag_error(st->d, loc, "a cross-reference takes no format: '{{%.*s}}'", (int)len, in);
        return false;
    }
    return true;
}

/* Writes v in format fmt into out; an unknown format is an error at the
 * placeholder (of an aggregate cell when cell, else of a metric). */
static bool put_formatted(rc_doc_state *st, const ph *p, double v, const char *fmt, bool cell,
                          obuf *out)
{
    if (!rc_format_valid(fmt)) {
        if (cell)
            rc_diag_error(st->d, p->loc, "unknown format '%s' in '{{%s}}' (expected %s)", fmt,
                          p->name, FORMATS);
        else
            rc_diag_error(st->d, p->loc, "unknown format '%s' for metric '%s' (expected %s)", fmt,
                          p->name, FORMATS);
        return false;
    }
    char buf[128];
    rc_strbuf_put(out, buf, rc_format_value(st->loc, v, fmt, buf, sizeof buf));
    return true;
}

/* Formats a metric placeholder into out; reports and returns false on error. */
static bool metric_text(rc_doc_state *st, const ph *p, obuf *out)
{
    if (rc_doc_is_aggref(p->name)) {
        double v;
        const char *dflt;
        if (!rc_doc_aggref(st, p->name, p->loc, &v, &dflt)) return false;
        return put_formatted(st, p, v, p->format ? p->format : dflt, true, out);
    }
    const rc_metric_value *mv = find_metric(st, p->name);
    if (!mv) {
        const char *sug = suggest_metric(st, p->name);
        if (sug)
            rc_diag_error(st->d, p->loc, "unknown metric '%s' in placeholder; did you mean '%s'?",
                          p->name, sug);
        else
            rc_diag_error(st->d, p->loc, "unknown metric '%s' in placeholder", p->name);
        return false;
    }
    const char *fmt = p->format;
    if (!fmt && mv->cfg && mv->cfg->format.s) fmt = mv->cfg->format.s;
    if (!fmt) fmt = "auto";
    return put_formatted(st, p, mv->value, fmt, false, out);
}

/* Emits out as a TEXT node (if not empty) and resets it. */
static void flush(rc_md *m, obuf *out, rc_node *parent, rc_loc loc)
{
    if (!out->n) return;
    rc_node *t = rc_node_new(m->st->a, RC_NODE_TEXT, loc);
    t->text = out->s;
    t->len = out->n;
    rc_node_append(parent, t);
    *out = (obuf){m->st->a, NULL, 0, 0};
}

static void xref(rc_md *m, const ph *p, rc_node *parent)
{
    rc_doc_state *st = m->st;
    size_t index;
    if (!rc_doc_find_float(st, p->kind, p->name, &index)) {
        const char *sug = suggest_float(st, p->kind, p->name);
        if (sug)
            rc_diag_error(st->d, p->loc, "unknown %s '%s' in reference; did you mean '%s'?",
                          kind_names[p->kind], p->name, sug);
        else
            rc_diag_error(st->d, p->loc, "unknown %s '%s' in reference (declare [%s %s])",
                          kind_names[p->kind], p->name, kind_names[p->kind], p->name);
        return;
    }
    rc_node *t = rc_node_new(st->a, RC_NODE_TEXT, p->loc);
    t->text = "??";
    t->len = 2;
    if (m->in_link) {
        rc_node_append(parent, t);
    } else {
        rc_node *l = rc_node_new(st->a, RC_NODE_LINK, p->loc);
        l->url = rc_arena_printf(st->a, "#%s:%s", kind_names[p->kind], p->name);
        rc_node_append(parent, l);
        rc_node_append(l, t);
    }
    rc_xref x = {
        .text = t, .kind = p->kind, .index = index, .number_only = p->number_only, .loc = p->loc};
    RC_PUSH(st->a, st->xrefs, x);
}

/* cmark-gfm turns [^label] into a footnote only when the same file defines
 * [^label]: ...; otherwise the reference would print as literal text. That
 * is reported, unless the bracket was escaped (\[^label] is literal). */
static void orphan_footnotes(cursor *cu, const char *lit, size_t len)
{
    const rc_md *m = cu->m;
    for (const char *p = memchr(lit, '[', len); p;
         p = memchr(p + 1, '[', len - (size_t)(p + 1 - lit))) {
        size_t i = (size_t)(p - lit), j = i + 2;
        if (j >= len || lit[i + 1] != '^') continue;
        while (j < len && lit[j] != ']' && lit[j] != '[' && !isspace((unsigned char)lit[j]))
            j++;
        if (j == i + 2 || j >= len || lit[j] != ']') continue;
        rc_loc at = off_loc(cu, i);
        if (at.line && at.line <= m->nlines && at.col &&
            m->line_start[at.line - 1] + at.col - 1 < m->len &&
            m->text[m->line_start[at.line - 1] + at.col - 1] == '\\')
            continue;
        int l = (int)(j - i - 2);
        rc_diag_error(m->st->d, at,
                      "footnote '[^%.*s]' has no definition (add a line '[^%.*s]: text' to this "
                      "file, or write \\[^%.*s] for the literal text)",
                      l, lit + i + 2, l, lit + i + 2, l, lit + i + 2);
    }
}

void rc_doc_text(rc_md *m, const char *lit, size_t len, const rc_seg *segs, size_t nsegs,
                 rc_node *parent, rc_loc block_loc)
{
    rc_arena *a = m->st->a;
    if (!len) return;
    cursor cu = {m, lit, segs, nsegs, block_loc, 0, 0, 0, false};
    if (memchr(lit, '[', len)) orphan_footnotes(&cu, lit, len);
    const char *first = memchr(lit, '{', len);
    bool any = false;
    for (const char *p = first; p && p + 1 < lit + len;
         p = memchr(p + 1, '{', len - (size_t)(p + 1 - lit)))
        if (p[1] == '{') {
            any = true;
            break;
        }
    if (!any) {
        rc_node *t = rc_node_new(a, RC_NODE_TEXT, off_loc(&cu, 0));
        t->text = lit;
        t->len = len;
        rc_node_append(parent, t);
        return;
    }
    obuf out = {a, NULL, 0, 0};
    rc_loc chunk = off_loc(&cu, 0); /* where the text in out starts */
    size_t i = 0;
    while (i < len) {
        if (!(lit[i] == '{' && i + 1 < len && lit[i + 1] == '{')) {
            /* the text up to the next '{' in one piece */
            const char *b = memchr(lit + i + 1, '{', len - i - 1);
            size_t n = b ? (size_t)(b - (lit + i)) : len - i;
            rc_strbuf_put(&out, lit + i, n);
            i += n;
            continue;
        }
        rc_loc ploc = off_loc(&cu, i);
        const char *close = NULL;
        for (size_t j = i + 2; j + 1 < len; j++)
            if (lit[j] == '}' && lit[j + 1] == '}') {
                close = lit + j;
                break;
            }
        if (!close) {
            rc_diag_error(m->st->d, ploc, "unterminated placeholder: '{{' without '}}'");
            rc_strbuf_put(&out, lit + i, len - i);
            break;
        }
        size_t inner = (size_t)(close - (lit + i + 2));
        size_t end = (size_t)(close - lit) + 2;
        ph p;
        if (!parse_ph(m->st, lit + i + 2, inner, ploc, &p)) {
            rc_strbuf_put(&out, lit + i, end - i);
        } else if (p.kind < 0) {
            if (!metric_text(m->st, &p, &out)) rc_strbuf_put(&out, lit + i, end - i);
        } else {
            flush(m, &out, parent, chunk);
            xref(m, &p, parent);
            chunk = off_loc(&cu, end);
        }
        i = end;
    }
    flush(m, &out, parent, chunk);
}

const char *rc_doc_expand_plain(rc_doc_state *st, const rc_str *v)
{
    const char *s = v->s;
    if (!s || !strstr(s, "{{")) return s;
    obuf out = {st->a, NULL, 0, 0};
    rc_strbuf_put(&out, "", 0);
    size_t len = strlen(s), i = 0;
    while (i < len) {
        if (!(s[i] == '{' && s[i + 1] == '{')) {
            rc_strbuf_put(&out, s + i, 1);
            i++;
            continue;
        }
        rc_loc ploc = rc_str_loc(v, i);
        const char *close = strstr(s + i + 2, "}}");
        if (!close) {
            rc_diag_error(st->d, ploc, "unterminated placeholder: '{{' without '}}'");
            rc_strbuf_put(&out, s + i, len - i);
            break;
        }
        size_t end = (size_t)(close - s) + 2;
        ph p;
        if (parse_ph(st, s + i + 2, (size_t)(close - (s + i + 2)), ploc, &p)) {
            if (p.kind >= 0) {
                rc_diag_error(st->d, ploc, "cross-references are not supported in captions");
                rc_strbuf_put(&out, s + i, end - i);
            } else if (!metric_text(st, &p, &out)) {
                rc_strbuf_put(&out, s + i, end - i);
            }
        } else {
            rc_strbuf_put(&out, s + i, end - i);
        }
        i = end;
    }
    return out.s;
}
