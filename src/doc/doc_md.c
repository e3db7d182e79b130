/* doc_md: cmark-gfm tree -> rc_node tree. Blocks and inlines keep cmark's
 * source positions (cmark-gfm gives them for blocks and for most inlines;
 * where it gives none the enclosing block's position is used). Headings are
 * numbered here; footnotes get global numbers in order of first reference.
 *
 * Parser options: footnotes on, UTF-8 validation on when the text needs it
 * (invalid bytes become U+FFFD after we report them; parser_options says
 * which extensions and options a text gets), smart punctuation OFF: the chapters already
 * use typographic characters, and smart punctuation would change byte
 * lengths and break the mapping from text offsets back to source columns.
 * In a watcher, a text parsed before is not parsed again (doc_memo.c). */
#include <cmark-gfm-core-extensions.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "rc/unicode.h"
#include "rc/util.h"

#define MD_OPTIONS (CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8)

bool rc_md_is(cmark_node *n, const char *type_string)
{
    const char *s = cmark_node_get_type_string(n);
    return s && strcmp(s, type_string) == 0;
}

/* Two memchr passes (count, then fill): a byte-by-byte loop over the text
 * cost as much as a tenth of cmark-gfm's whole parse. */
static void index_lines(rc_md *m)
{
    rc_arena *a = m->st->a;
    const char *t = m->text, *end = t + m->len;
    size_t n = 1;
    for (const char *p = t; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    m->line_start = rc_arena_array(a, n, sizeof *m->line_start);
    m->nlines = n;
    size_t k = 0;
    m->line_start[k++] = 0;
    for (const char *p = t; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
        m->line_start[k++] = (size_t)(p + 1 - t);
}

static void report_bad_utf8(rc_md *m)
{
    size_t bad = rc_utf8_validate(m->text, m->len);
    m->utf8_ok = bad >= m->len;
    const char *nul = memchr(m->text, 0, bad < m->len ? bad : m->len);
    unsigned line = 1;
    size_t ls = 0;
    if (nul) bad = (size_t)(nul - m->text);
    if (bad >= m->len) return;
    for (size_t i = 0; i < bad; i++)
        if (m->text[i] == '\n') {
            line++;
            ls = i + 1;
        }
    rc_loc at = {m->file, line, (unsigned)(bad - ls + 1)};
    if (nul)
        rc_diag_error(m->st->d, at,
                      "NUL byte (0x00) in Markdown file: this is not UTF-8 text (a UTF-16 or "
                      "binary file?)");
    else
        rc_diag_error(m->st->d, at, "invalid UTF-8 in Markdown file (byte 0x%02x)",
                      (unsigned char)m->text[bad]);
}

/* A GFM table opens only at its delimiter row: after the container
 * prefix ('>' and indentation) the line is cells of dashes with optional
 * colons, separated by '|', with spaces around (cmark-gfm's
 * scan_table_start). So a text in which no line is made only of
 * " \t\v\f>|:-" with a dash in it cannot hold a table, and the extension,
 * which tries every line of every paragraph as a delimiter row, is not
 * attached to its parser. A '|' alone says little: placeholders use it
 * ({{x | percent}}). The search goes from dash to dash and gives up on a
 * line at its first other character, so prose costs a memchr. */
static bool delim_char(char c)
{
    return c == '-' || c == ':' || c == '|' || c == ' ' || c == '\t' || c == '>' || c == '\v' ||
           c == '\f';
}

static bool may_hold_table(const char *t, size_t len)
{
    const char *end = t + len;
    for (const char *p = memchr(t, '-', len); p; p = memchr(p + 1, '-', (size_t)(end - p - 1))) {
        const char *q = p;
        while (q > t && delim_char(q[-1]))
            q--;
        if (q > t && q[-1] != '\n' && q[-1] != '\r') continue;
        for (q = p + 1; q < end && delim_char(*q); q++)
            ;
        if (q == end || *q == '\n' || *q == '\r') return true;
        p = q; /* the rest of the line up to q is delimiter characters */
    }
    return false;
}

/* cmark-gfm's options and extensions for one text. They depend on the text
 * alone (so the memo, keyed by the text, stays exact) and are chosen to
 * give the same tree as the full set, without the parser's work that the
 * text cannot need: strikethrough only where a '~' occurs, tables where a
 * line may be a delimiter row (above), and cmark's UTF-8 check of every
 * line only when the text is not valid UTF-8 (rc_utf8_validate is as strict as cmark's check: no
 * overlong forms, surrogates or code points past U+10FFFF; NUL bytes cmark
 * replaces either way). */
static int parser_options(const rc_md *m, bool *table, bool *strike)
{
    *table = may_hold_table(m->text, m->len);
    *strike = memchr(m->text, '~', m->len) != NULL;
    /* the text as read was checked (NFC of valid UTF-8 is valid UTF-8) */
    return m->utf8_ok ? MD_OPTIONS & ~CMARK_OPT_VALIDATE_UTF8 : MD_OPTIONS;
}

/* The line index, the NFC text and cmark's tree of text (offered to the
 * memo); NULL on library failure (reported). */
static cmark_node *parse(rc_md *m, const char *file, const char *text, size_t len)
{
    const char *orig = text;
    size_t orig_len = len;
    {
        /* The text is NFC from here on; NFC keeps line breaks where they are
         * (invalid UTF-8, reported above, is left as it is). */
        size_t nl;
        const char *t = rc_unicode_nfc(m->st->a, text, len, &nl);
        if (t != text) {
            m->text = text = t;
            m->len = len = nl;
        }
    }
    index_lines(m);
    cmark_gfm_core_extensions_ensure_registered();
    bool want[2];
    int opts = parser_options(m, &want[0], &want[1]);
    rc_cmem_slab *prev = rc_cmem_begin();
    cmark_parser *p = cmark_parser_new_with_mem(opts, &rc_cmem);
    if (!p) {
        rc_cmem_end(prev);
        rc_diag_error(m->st->d, (rc_loc){file, 0, 0}, "cmark-gfm: cannot create a parser");
        return NULL;
    }
    static const char *const exts[] = {"table", "strikethrough"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        if (!want[i]) continue;
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (!e || !cmark_parser_attach_syntax_extension(p, e)) {
            rc_diag_error(m->st->d, (rc_loc){file, 0, 0},
                          "cmark-gfm: the '%s' extension is not available", exts[i]);
            cmark_parser_free(p);
            rc_cmem_end(prev);
            return NULL;
        }
    }
    cmark_parser_feed(p, text, len);
    cmark_node *root = cmark_parser_finish(p);
    cmark_parser_free(p);
    rc_cmem_end(prev);
    if (!root) {
        rc_diag_error(m->st->d, (rc_loc){file, 0, 0}, "cmark-gfm failed to parse the file");
        return NULL;
    }
    rc_md_memo_keep(m, orig, orig_len, root);
    return root;
}

cmark_node *rc_md_parse(rc_md *m, const char *file, const char *text, size_t len)
{
    m->file = file;
    m->text = text;
    m->len = len;
    report_bad_utf8(m);
    cmark_node *root = rc_md_memo_take(m, text, len);
    if (!root) root = parse(m, file, text, len);
    if (!root) return NULL;
    m->cmem_prev = rc_cmem_enter(root);
    /* cmark-gfm moves referenced footnote definitions to the end of the
     * document in order of first reference and numbers references 1, 2...
     * by that order: the reference's literal indexes this array. */
    size_t n = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION) n++;
    m->fdefs = rc_arena_array(m->st->a, n + 1, sizeof *m->fdefs);
    m->fconv = rc_arena_array(m->st->a, n + 1, sizeof *m->fconv);
    m->nfdefs = 0;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c))
        if (cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION) m->fdefs[m->nfdefs++] = c;
    return root;
}

void rc_md_release(rc_md *m, cmark_node *root)
{
    if (root) rc_cmem_leave(m->cmem_prev);
    if (root && root == m->memo_root)
        rc_md_memo_give_back(m);
    else if (root)
        cmark_node_free(root);
}

rc_loc rc_md_loc(const rc_md *m, cmark_node *n, rc_loc fallback)
{
    int line = cmark_node_get_start_line(n);
    int col = cmark_node_get_start_column(n);
    if (line <= 0 || col <= 0) return fallback;
    return (rc_loc){m->file, (unsigned)line, (unsigned)col};
}

/* Returns false (after reporting once) when nesting is too deep. */
static bool enter(rc_md *m, rc_loc loc)
{
    if (m->depth >= RC_DOC_MAX_DEPTH) {
        if (!m->st->depth_reported)
            rc_diag_error(m->st->d, loc, "Markdown nesting deeper than %d levels",
                          RC_DOC_MAX_DEPTH);
        m->st->depth_reported = true;
        m->st->limit_hit = true;
        return false;
    }
    m->depth++;
    return true;
}

/* ---- heading ids ----------------------------------------------------------- */

static bool id_used(rc_doc_state *st, const char *id)
{
    for (size_t i = 0; i < st->ids.n; i++)
        if (!strcmp(st->ids.v[i], id)) return true;
    return false;
}

/* "sec-" + the heading's text in lower-case ASCII words joined by '-'
 * (non-ASCII letters are dropped: ids end up in LaTeX labels and PDF
 * destination names), made unique with "-2", "-3"... */
static const char *slug_id(rc_doc_state *st, const char *text)
{
    char s[48];
    size_t n = 0;
    bool dash = false;
    for (const char *p = text; *p && n < 36; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n) s[n++] = '-';
            s[n++] = c;
            dash = false;
        } else if ((unsigned char)c < 0x80) {
            dash = true;
        }
    }
    /* cut a long slug at a word boundary */
    if (n >= 36) {
        size_t cut = n;
        while (cut > 12 && s[cut - 1] != '-')
            cut--;
        if (cut > 12) n = cut - 1;
    }
    s[n] = '\0';
    const char *base = rc_arena_printf(st->a, "sec-%s", n ? s : "untitled");
    /* a fuzzer's thousands of identical headings must not go quadratic:
     * past a few hundred ids, use the heading's index instead */
    if (st->ids.n >= 500) return rc_arena_printf(st->a, "%s-h%zu", base, st->doc->headings.n + 1);
    const char *id = base;
    for (int k = 2; id_used(st, id); k++) {
        if (k > 10) {
            id = rc_arena_printf(st->a, "%s-h%zu", base, st->doc->headings.n + 1);
            break;
        }
        id = rc_arena_printf(st->a, "%s-%d", base, k);
    }
    RC_PUSH(st->a, st->ids, id);
    return id;
}

static void number_heading(rc_md *m, rc_node *h)
{
    rc_doc_state *st = m->st;
    rc_arena *a = st->a;
    int lv = h->level;
    if (m->mode != MD_SECTION || m->in_note) {
        h->in_toc = false;
    } else if (m->part == RC_PART_MAIN && lv <= 3) {
        if (lv == 1) {
            st->chapter++;
            st->section = st->subsection = 0;
            h->number = rc_arena_printf(a, "%d", st->chapter);
        } else if (lv == 2) {
            st->section++;
            st->subsection = 0;
            h->number = rc_arena_printf(a, "%d.%d", st->chapter, st->section);
        } else {
            st->subsection++;
            h->number = rc_arena_printf(a, "%d.%d.%d", st->chapter, st->section, st->subsection);
        }
        h->in_toc = true;
    } else if (m->part == RC_PART_MAIN) {
        h->in_toc = false;
    } else if (m->part == RC_PART_ANNEX) {
        if (lv == 1) {
            st->annex++;
            h->number = rc_arena_printf(a, "%s %d", rc_locale_word(st->loc, RC_W_ANNEX), st->annex);
            h->id = rc_arena_printf(a, "sec-annex-%d", st->annex);
        }
        h->in_toc = lv <= 2;
    } else {
        h->in_toc = lv == 1;
    }
    h->numbered = h->number != NULL;
    if (!h->id && h->numbered) {
        char *id = rc_arena_printf(a, "sec-%s", h->number);
        for (char *p = id; *p; p++)
            if (*p == '.') *p = '-';
        h->id = id;
    }
    if (!h->id) h->id = slug_id(st, rc_node_plain_text(a, h));
    RC_PUSH(a, st->doc->headings, h);
}

static void heading(rc_md *m, cmark_node *c, rc_node *parent, rc_loc loc)
{
    rc_node *h = rc_node_new(m->st->a, RC_NODE_HEADING, loc);
    int level = cmark_node_get_heading_level(c);
    if (level > 4) {
        rc_diag_error(m->st->d, loc, "heading level %d is deeper than supported (4)", level);
        level = 4;
    }
    h->level = level < 1 ? 1 : level;
    h->part = m->part;
    bool part_title =
        m->mode == MD_SECTION && h->level == 1 && parent->type == RC_NODE_SECTION && !parent->first;
    rc_node_append(parent, h);
    rc_md_inlines(m, c, h, loc);
    rc_md_heading_attrs(m, h, part_title);
    /* A heading without text would vanish from the page and the contents
     * while still taking a number. */
    const char *text = rc_node_plain_text(m->st->a, h);
    while (*text == ' ' || *text == '\t' || *text == '\n')
        text++;
    if (!*text) rc_diag_error(m->st->d, loc, "heading has no text");
    number_heading(m, h);
}

/* ---- footnotes --------------------------------------------------------------- */

static void footnote_ref(rc_md *m, cmark_node *c, rc_node *parent, rc_loc loc)
{
    rc_doc_state *st = m->st;
    const char *lit = cmark_node_get_literal(c);
    long ix = lit ? strtol(lit, NULL, 10) : 0;
    if (ix < 1 || (size_t)ix > m->nfdefs) {
        rc_diag_error(st->d, loc, "footnote reference without a definition");
        return;
    }
    rc_node *r = rc_node_new(st->a, RC_NODE_FOOTNOTE_REF, loc);
    rc_node *def = m->fconv[ix - 1];
    if (!def) {
        cmark_node *cd = m->fdefs[ix - 1];
        def = rc_node_new(st->a, RC_NODE_FOOTNOTE_DEF, rc_md_loc(m, cd, loc));
        def->footnote = ++st->nfootnote;
        def->id = rc_arena_printf(st->a, "fn-%d", def->footnote);
        r->id = rc_arena_printf(st->a, "fnref-%d", def->footnote);
        m->fconv[ix - 1] = def; /* before converting: a note may cite itself */
        RC_PUSH(st->a, st->doc->footnotes, def);
        bool in_note = m->in_note, in_link = m->in_link, in_fn = m->in_fn;
        m->in_note = true;
        m->in_fn = true;
        m->in_link = false;
        rc_md_blocks(m, cd, def);
        m->in_note = in_note;
        m->in_fn = in_fn;
        m->in_link = in_link;
    }
    r->footnote = def->footnote;
    r->footnote_def = def;
    rc_node_append(parent, r);
    if (m->in_fn)
        RC_PUSH(st->a, st->fn_nested, r);
    else
        RC_PUSH(st->a, st->fn_in_text, def);
}

/* ---- inlines ----------------------------------------------------------------- */

static void inline_node(rc_md *m, cmark_node *c, rc_node *parent, rc_loc bloc)
{
    rc_arena *a = m->st->a;
    rc_loc loc = rc_md_loc(m, c, bloc);
    rc_node *n = NULL;
    switch (cmark_node_get_type(c)) {
    case CMARK_NODE_SOFTBREAK:
        n = rc_node_new(a, RC_NODE_SOFTBREAK, loc);
        break;
    case CMARK_NODE_LINEBREAK:
        n = rc_node_new(a, RC_NODE_LINEBREAK, loc);
        break;
    case CMARK_NODE_CODE: {
        const char *lit = cmark_node_get_literal(c);
        n = rc_node_new(a, RC_NODE_CODE, loc);
        n->text = rc_arena_strdup(a, lit ? lit : "");
        n->len = strlen(n->text);
        break;
    }
    case CMARK_NODE_HTML_INLINE:
        rc_diag_warning(m->st->d, loc, "raw HTML is ignored");
        return;
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
        n = rc_node_new(
            a, cmark_node_get_type(c) == CMARK_NODE_EMPH ? RC_NODE_EMPH : RC_NODE_STRONG, loc);
        break;
    case CMARK_NODE_LINK: {
        const char *url = cmark_node_get_url(c);
        n = rc_node_new(a, RC_NODE_LINK, loc);
        n->url = rc_arena_strdup(a, url ? url : "");
        break;
    }
    case CMARK_NODE_IMAGE: {
        const char *url = cmark_node_get_url(c);
        if (url &&
            (!strncmp(url, "figure:", 7) || !strncmp(url, "table:", 6) || !strncmp(url, "box:", 4)))
            rc_diag_error(m->st->d, loc,
                          "a float placement ![](%s) must be alone in its own paragraph", url);
        else
            rc_diag_error(m->st->d, loc,
                          "images are not supported; declare a [figure] and place it with "
                          "![](figure:NAME)");
        return;
    }
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        footnote_ref(m, c, parent, loc);
        return;
    default:
        if (rc_md_is(c, "strikethrough")) {
            n = rc_node_new(a, RC_NODE_STRIKE, loc);
            break;
        }
        /* unknown inline container: keep its content */
        if (enter(m, loc)) {
            rc_md_inlines(m, c, parent, bloc);
            m->depth--;
        }
        return;
    }
    rc_node_append(parent, n);
    if (cmark_node_first_child(c) && enter(m, loc)) {
        bool in_link = m->in_link;
        if (n->type == RC_NODE_LINK) m->in_link = true;
        rc_md_inlines(m, c, n, bloc);
        m->in_link = in_link;
        m->depth--;
    }
}

void rc_md_inlines(rc_md *m, cmark_node *cm, rc_node *parent, rc_loc bloc)
{
    rc_arena *a = m->st->a;
    cmark_node *c = cmark_node_first_child(cm);
    while (c) {
        if (cmark_node_get_type(c) != CMARK_NODE_TEXT) {
            inline_node(m, c, parent, bloc);
            c = cmark_node_next(c);
            continue;
        }
        /* merge a run of text nodes: cmark splits text around characters it
         * treats specially, and a placeholder may straddle them */
        size_t total = 0, nseg = 0;
        cmark_node *e = c;
        for (; e && cmark_node_get_type(e) == CMARK_NODE_TEXT; e = cmark_node_next(e)) {
            const char *lit = cmark_node_get_literal(e);
            total += lit ? strlen(lit) : 0;
            nseg++;
        }
        char *buf = rc_arena_alloc(a, total + 1);
        rc_seg *segs = rc_arena_array(a, nseg, sizeof *segs);
        size_t off = 0, k = 0;
        for (; c != e; c = cmark_node_next(c)) {
            const char *lit = cmark_node_get_literal(c);
            size_t l = lit ? strlen(lit) : 0;
            int line = cmark_node_get_start_line(c), col = cmark_node_get_start_column(c);
            segs[k].off = off;
            segs[k].line = line > 0 && col > 0 ? (unsigned)line : 0;
            segs[k].col = line > 0 && col > 0 ? (unsigned)col : 0;
            k++;
            if (l) memcpy(buf + off, lit, l);
            off += l;
        }
        buf[off] = '\0';
        rc_doc_text(m, buf, off, segs, nseg, parent, bloc);
    }
}

/* ---- blocks ------------------------------------------------------------------ */

rc_node *rc_md_table(rc_md *m, cmark_node *cm, rc_node *table)
{
    rc_arena *a = m->st->a;
    uint16_t ncols = cmark_gfm_extensions_get_table_columns(cm);
    const uint8_t *al = cmark_gfm_extensions_get_table_alignments(cm);
    table->ncols = ncols;
    for (cmark_node *r = cmark_node_first_child(cm); r; r = cmark_node_next(r)) {
        rc_loc rloc = rc_md_loc(m, r, table->loc);
        rc_node *row = rc_node_new(a, RC_NODE_TABLE_ROW, rloc);
        row->header =
            rc_md_is(r, "table_header") || cmark_gfm_extensions_get_table_row_is_header(r);
        rc_node_append(table, row);
        size_t i = 0;
        for (cmark_node *c = cmark_node_first_child(r); c; c = cmark_node_next(c), i++) {
            rc_node *cell = rc_node_new(a, RC_NODE_TABLE_CELL, rc_md_loc(m, c, rloc));
            if (al && i < ncols)
                cell->align = al[i] == 'l'   ? RC_ALIGN_LEFT
                              : al[i] == 'c' ? RC_ALIGN_CENTER
                              : al[i] == 'r' ? RC_ALIGN_RIGHT
                                             : RC_ALIGN_NONE;
            rc_node_append(row, cell);
            rc_md_inlines(m, c, cell, cell->loc);
        }
    }
    return table;
}

static void block(rc_md *m, cmark_node *c, rc_node *parent)
{
    rc_arena *a = m->st->a;
    rc_loc loc = rc_md_loc(m, c, parent->loc);
    rc_node *n = NULL;
    bool blocks = false;
    switch (cmark_node_get_type(c)) {
    case CMARK_NODE_PARAGRAPH:
        if (rc_doc_place(m, c, parent)) return;
        n = rc_node_new(a, RC_NODE_PARAGRAPH, loc);
        rc_node_append(parent, n);
        rc_md_inlines(m, c, n, loc);
        if (!n->first && parent->last == n) {
            /* everything in it was dropped (raw HTML, a rejected image) */
            parent->last = n->prev;
            if (n->prev)
                n->prev->next = NULL;
            else
                parent->first = NULL;
        }
        return;
    case CMARK_NODE_HEADING:
        heading(m, c, parent, loc);
        return;
    case CMARK_NODE_BLOCK_QUOTE:
        n = rc_node_new(a, RC_NODE_BLOCKQUOTE, loc);
        blocks = true;
        break;
    case CMARK_NODE_LIST:
        n = rc_node_new(a, RC_NODE_LIST, loc);
        n->ordered = cmark_node_get_list_type(c) == CMARK_ORDERED_LIST;
        n->start = n->ordered ? cmark_node_get_list_start(c) : 0;
        n->tight = cmark_node_get_list_tight(c) != 0;
        blocks = true;
        break;
    case CMARK_NODE_ITEM:
        n = rc_node_new(a, RC_NODE_ITEM, loc);
        blocks = true;
        break;
    case CMARK_NODE_CODE_BLOCK: {
        const char *lit = cmark_node_get_literal(c);
        size_t l = lit ? strlen(lit) : 0;
        if (l && lit[l - 1] == '\n') l--;
        n = rc_node_new(a, RC_NODE_CODE_BLOCK, loc);
        n->text = rc_arena_strndup(a, lit ? lit : "", l);
        n->len = l;
        break;
    }
    case CMARK_NODE_HTML_BLOCK:
        rc_diag_warning(m->st->d, loc, "raw HTML is ignored");
        return;
    case CMARK_NODE_THEMATIC_BREAK:
        n = rc_node_new(a, RC_NODE_THEMATIC_BREAK, loc);
        break;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return; /* converted at its first reference */
    default:
        if (rc_md_is(c, "table")) {
            n = rc_node_new(a, RC_NODE_TABLE, loc);
            rc_node_append(parent, n);
            rc_md_table(m, c, n);
            return;
        }
        rc_diag_warning(m->st->d, loc, "unsupported Markdown block '%s' is ignored",
                        cmark_node_get_type_string(c));
        return;
    }
    rc_node_append(parent, n);
    if (blocks && enter(m, loc)) {
        rc_md_blocks(m, c, n);
        m->depth--;
    }
}

void rc_md_blocks(rc_md *m, cmark_node *cm, rc_node *parent)
{
    for (cmark_node *c = cmark_node_first_child(cm); c; c = cmark_node_next(c))
        block(m, c, parent);
}

rc_node *rc_md_section(rc_doc_state *st, const char *file, const char *text, size_t len,
                       rc_part part)
{
    rc_md m = {.st = st, .part = part, .mode = MD_SECTION};
    cmark_node *root = rc_md_parse(&m, file, text, len);
    if (!root) return NULL;
    rc_node *sec = rc_node_new(st->a, RC_NODE_SECTION, (rc_loc){file, 1, 1});
    sec->part = part;
    cmark_node *first = cmark_node_first_child(root);
    if (!first || cmark_node_get_type(first) != CMARK_NODE_HEADING ||
        cmark_node_get_heading_level(first) != 1)
        rc_diag_error(st->d, (rc_loc){file, 1, 1},
                      "a Markdown file must start with a level-1 heading ('# Title')");
    rc_md_blocks(&m, root, sec);
    rc_md_release(&m, root);
    return sec;
}

void rc_md_into(rc_doc_state *st, const char *file, const char *text, size_t len, md_mode mode,
                rc_node *parent, rc_loc err_loc)
{
    (void)err_loc;
    rc_md m = {.st = st, .part = parent->part, .mode = mode, .in_note = true};
    cmark_node *root = rc_md_parse(&m, file, text, len);
    if (!root) return;
    rc_md_blocks(&m, root, parent);
    rc_md_release(&m, root);
}
