/* layout_blocks: text blocks -> items. Inline nodes become styled runs
 * (linebreak.h sets them into lines); paragraphs push one item per line
 * with widow/orphan flags (no break after the first or before the last line
 * of a paragraph: 2-line orphans and widows); headings are unbreakable
 * units that keep with what follows; lists hang their markers in the
 * margin of the item text; footnote bodies are set once when referenced. */
#include "layout_int.h"

#include <stdio.h>
#include <string.h>

#include "rc/util.h"

rc_font_id lo_font(const lo *L, lo_ist st)
{
    rc_font_id f = RC_FONT_REGULAR;
    if (st.bold && st.italic)
        f = RC_FONT_BOLD_ITALIC;
    else if (st.bold)
        f = RC_FONT_BOLD;
    else if (st.italic)
        f = RC_FONT_ITALIC;
    else if (st.light)
        f = RC_FONT_LIGHT;
    if (!L->fonts->f[f]) f = st.bold && L->fonts->f[RC_FONT_BOLD] ? RC_FONT_BOLD : RC_FONT_REGULAR;
    return f;
}

lo_ist lo_ist_of(const lo_ctx *c)
{
    lo_ist st = {.italic = c->italic, .size = c->size, .colour = c->colour};
    return st;
}

/* Reports characters the chosen face has no glyph for (once per code
 * point). This is an error, not a warning: a published report must never
 * print an empty box where a name should be (docs/reliability.md). */
static void check_glyphs(lo *L, rc_font_id f, const char *s, size_t len)
{
    const rc_font *font = L->fonts->f[f];
    if (!font || !L->d) return;
    char list[256];
    size_t ll = 0, count = 0, first = SIZE_MAX;
    list[0] = 0;
    /* ASCII, most of the text, passes by a bit per code: set for the face
     * the first time (bit 0, NUL's, marks that), for the controls and the
     * space and for every character the face has. A byte at a time with
     * the lookups on the way was 1.4 M instructions of the sample. */
    uint64_t *ok = L->ascii_ok[f];
    if (!(ok[0] & 1)) {
        ok[0] = ((uint64_t)1 << 33) - 1; /* 0x00..0x20 */
        for (unsigned c = 0x21; c < 0x80; c++)
            if (rc_font_has_glyph(font, c)) ok[c >> 6] |= (uint64_t)1 << (c & 63);
    }
    /* With every code below DEL (the usual case), eight bytes at a time:
     * b | (b + 1) has its top bit set exactly when b >= 0x7F (a carry out
     * of a byte 0xFF only reaches a byte that fails anyway). */
    bool all = ok[0] == ~(uint64_t)0 && (ok[1] | (uint64_t)1 << 63) == ~(uint64_t)0;
    const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
    for (size_t i = 0; i < len;) {
        uint64_t eight;
        if (all && len - i >= 8 &&
            (memcpy(&eight, s + i, 8), ((eight | (eight + ones)) & tops) == 0)) {
            i += 8;
            continue;
        }
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80 && ok[b >> 6] >> (b & 63) & 1) {
            i++;
            continue;
        }
        /* a two-byte letter of Latin-1 or Latin Extended-A: its verdict
         * found once per face (Spanish and Portuguese text has one every
         * few words) */
        if ((b & 0xE0) == 0xC0 && i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            uint32_t c2 = (uint32_t)(b & 0x1F) << 6 | ((unsigned char)s[i + 1] & 0x3F);
            if (c2 >= 0x80 && c2 < 0x180) {
                uint32_t x = c2 - 0x80;
                uint64_t bit = (uint64_t)1 << (x & 63);
                if (!(L->latin_seen[f][x >> 6] & bit)) {
                    L->latin_seen[f][x >> 6] |= bit;
                    if (c2 == 0xA0 || c2 == 0xAD || rc_font_has_glyph(font, c2))
                        L->latin_ok[f][x >> 6] |= bit;
                }
                if (L->latin_ok[f][x >> 6] & bit) {
                    i += 2;
                    continue;
                }
            }
        }
        uint32_t cp = 0;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        if (!k) {
            i++;
            continue;
        }
        bool ignorable = cp <= 0x20 || cp == 0xA0 || cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) ||
                         cp == 0x2060 || cp == 0xFEFF;
        if (!ignorable && !rc_font_has_glyph(font, cp)) {
            bool seen = false;
            for (size_t q = 0; q < L->missing.n && !seen; q++)
                seen = L->missing.v[q] == cp;
            if (!seen) {
                RC_PUSH(L->a, L->missing, cp);
                if (first == SIZE_MAX) first = i;
                if (ll + 24 < sizeof list) {
                    int w = snprintf(list + ll, sizeof list - ll, "%sU+%04X '%.*s'",
                                     count ? ", " : "", (unsigned)cp, (int)k, s + i);
                    if (w > 0) ll += (size_t)w;
                }
                count++;
            }
        }
        i += k;
    }
    if (!count) return;
    const char *path = rc_font_path(font);
    rc_loc loc = L->cur_exact ? rc_loc_offset(L->cur_loc, first) : L->cur_loc;
    rc_diag_error(L->d, loc,
                  "%s %s %s not in the font %s (use a font that has %s, or other characters)",
                  count > 1 ? "characters" : "character", list, count > 1 ? "are" : "is",
                  path ? rc_path_base(path) : "?", count > 1 ? "them" : "it");
}

void lo_run_text(lo *L, lo_runs *r, const char *s, size_t len, lo_ist st, bool nobreak)
{
    if (!s || !len) return;
    check_glyphs(L, lo_font(L, st), s, len);
    rc_run run = {.font = lo_font(L, st),
                  .size = st.size,
                  .colour = st.colour,
                  .text = s,
                  .len = len,
                  .link_dest = st.link_dest,
                  .link_uri = st.link_uri,
                  .nobreak = nobreak};
    RC_PUSH(L->tmp, *r, run);
}

static lo_fn *footnote(lo *L, const rc_node *ref);

static void inl_one(lo *L, lo_runs *r, const rc_node *n, lo_ist st)
{
    {
        lo_ist s2 = st;
        switch (n->type) {
        case RC_NODE_TEXT:
            L->cur_loc = n->loc;
            L->cur_exact = true; /* byte offsets in the text are columns */
            lo_run_text(L, r, n->text, n->len ? n->len : (n->text ? strlen(n->text) : 0), st,
                        false);
            L->cur_exact = false;
            break;
        case RC_NODE_CODE:
            L->cur_loc = n->loc;
            s2.bold = s2.italic = s2.light = false;
            s2.colour = L->st.blue;
            lo_run_text(L, r, n->text, n->len ? n->len : (n->text ? strlen(n->text) : 0), s2,
                        false);
            break;
        case RC_NODE_EMPH:
            s2.italic = !st.italic;
            lo_runs_inline(L, r, n->first, s2);
            break;
        case RC_NODE_STRONG:
            s2.bold = true;
            lo_runs_inline(L, r, n->first, s2);
            break;
        case RC_NODE_LINK:
            if (n->url && n->url[0] == '#' && n->url[1]) {
                s2.link_dest = n->url + 1;
            } else if (n->url && *n->url) {
                s2.link_uri = n->url;
            }
            s2.colour = L->st.blue;
            lo_runs_inline(L, r, n->first, s2);
            break;
        case RC_NODE_SOFTBREAK:
        case RC_NODE_LINEBREAK:
            lo_run_text(L, r, " ", 1, st, false);
            break;
        case RC_NODE_FOOTNOTE_REF: {
            lo_fn *fn = footnote(L, n);
            char *num = rc_arena_printf(L->a, "%d", n->footnote);
            rc_run run = {.font = lo_font(L, st),
                          .size = 0.65 * st.size,
                          .rise = 0.36 * st.size,
                          .colour = st.colour,
                          .text = num,
                          .len = strlen(num),
                          .nobreak = true};
            if (fn) {
                run.link_dest = fn->unit->dest;
                run.anchor = rc_arena_printf(L->a, "fnref-%d-%u", n->footnote, ++L->fnref_seq);
                struct lo_ref ref = {run.anchor, fn};
                RC_PUSH(L->a, L->out.refs, ref);
            }
            RC_PUSH(L->tmp, *r, run);
            break;
        }
        case RC_NODE_FOOTNOTE_DEF:
            break;
        default:
            lo_runs_inline(L, r, n->first, st);
            break;
        }
    }
}

void lo_runs_inline(lo *L, lo_runs *r, const rc_node *first, lo_ist st)
{
    for (const rc_node *n = first; n; n = n->next)
        inl_one(L, r, n, st);
}

rc_para *lo_set(lo *L, const lo_runs *r, double width, double leading, rc_para_align al, bool hyph)
{
    if (!r->n) return NULL;
    rc_para_opts o = {.width = width,
                      .leading = leading,
                      .align = al,
                      .hyphenate = hyph && L->hyph != NULL,
                      .tolerance = 2.0,
                      .exceptions = L->hexc,
                      .memo = L->hmemo,
                      .styles = L->styles,
                      .hyphenate_last_resort = al != RC_PARA_JUSTIFY,
                      .text_arena = L->a};
    if (width < 120) o.tolerance = 4.0; /* narrow table cells: accept looser lines */
    return rc_para_set(L->tmp, r->v, r->n, &o, L->fonts, hyph ? L->hyph : NULL);
}

static bool line_has_anchor(const rc_line *ln, const char *anchor)
{
    for (size_t i = 0; i < ln->nfrags; i++)
        if (ln->frags[i].anchor && strcmp(ln->frags[i].anchor, anchor) == 0) return true;
    return false;
}

void lo_add_fn(lo *L, lo_item *it, lo_fn *fn)
{
    lo_fn **v = rc_arena_array(L->a, it->nfns + 1, sizeof *v);
    if (it->nfns) memcpy(v, it->fns, it->nfns * sizeof *v);
    v[it->nfns++] = fn;
    it->fns = v;
}

void lo_emit_para(lo *L, const lo_ctx *c, const rc_para *p, double x, double leading, double size,
                  const char *dest)
{
    size_t n = p ? p->nlines : 0;
    if (!n) {
        L->out.refs.n = 0;
        L->leaf = NULL;
        return;
    }
    rc_tag *tag = L->leaf ? L->leaf : lo_tag(L, RC_TAG_P);
    L->leaf = NULL;
    /* footnotes cited here are read inside the paragraph that cites them */
    for (size_t i = 0; i < L->notes.n; i++)
        L->notes.v[i]->parent = tag;
    L->notes.n = 0;
    /* the line each footnote reference's anchor is on (the first if none) */
    size_t nrefs = L->out.refs.n, *ref_line = NULL;
    if (nrefs) {
        ref_line = rc_arena_array(L->a, nrefs, sizeof *ref_line);
        for (size_t i = 0; i < nrefs; i++) {
            size_t k = 0;
            while (k < n && !line_has_anchor(&p->lines[k], L->out.refs.v[i].anchor))
                k++;
            ref_line[i] = k < n ? k : 0;
        }
    }
    /* A unit keeps its lines as kids; otherwise each line is built here and
     * copied into the item list, with no array of them in the arena (a
     * document's worth of lines is a few hundred page faults). */
    lo_item *lines = c->units ? rc_arena_array(L->a, n, sizeof *lines) : NULL;
    for (size_t k = 0; k < n; k++) {
        lo_item one = {0};
        lo_item *it = lines ? &lines[k] : &one;
        it->kind = LO_LINE;
        it->h = leading;
        it->x = x;
        it->w = c->w;
        it->para = p;
        it->line = k;
        it->base = lo_base(size, leading);
        /* 2-line orphans and widows; no page ends on a hyphenated word */
        it->brk = k == 0 || (k >= 2 && n - k >= 2 && !p->lines[k - 1].hyphenated);
        it->span = c->span;
        it->tag = tag;
        if (k == 0) {
            if (L->mark.text) {
                it->mark = L->mark.text;
                it->mark_x = L->mark.x;
                it->mark_size = L->mark.size;
                it->mark_rise = L->mark.rise;
                it->mark_font = L->mark.font;
                it->mark_colour = L->mark.colour;
                it->mark_tag = L->mark.tag;
                L->mark.text = NULL;
            }
            it->dest = dest;
        }
        for (size_t i = 0; i < nrefs; i++)
            if (ref_line[i] == k) lo_add_fn(L, it, L->out.refs.v[i].fn);
        if (!lines) lo_push(L, *it);
    }
    L->out.refs.n = 0;
    if (lines) {
        lo_items kids = {lines, n, n};
        lo_item u = lo_unit_of(L, &kids, x, c->w);
        u.span = c->span;
        lo_push(L, u);
    }
}

static void set_mark(lo *L, const char *text, double x, rc_font_id f, double size, rc_rgb col)
{
    L->mark.text = text;
    L->mark.x = x;
    L->mark.font = f;
    L->mark.size = size;
    L->mark.rise = 0;
    L->mark.colour = col;
    L->mark.tag = NULL;
}

/* ---- paragraphs and headings ----------------------------------------- */

static bool ends_with_punct(const lo_runs *r)
{
    if (!r->n) return true;
    const rc_run *last = &r->v[r->n - 1];
    if (!last->len) return false;
    char ch = last->text[last->len - 1];
    return strchr(".:;?!", ch) != NULL;
}

static void paragraph(lo *L, const lo_ctx *c, const rc_node *n, const rc_node *runin)
{
    lo_runs r = {0};
    lo_ist st = lo_ist_of(c);
    if (runin) { /* level-4 heading run into the paragraph */
        lo_ist hb = st;
        hb.bold = true;
        lo_runs_inline(L, &r, runin->first, hb);
        if (!ends_with_punct(&r)) lo_run_text(L, &r, ".", 1, hb, false);
        lo_run_text(L, &r, " ", 1, st, false);
    }
    /* a hard line break (at the top level) ends a line: the paragraph is
     * set as consecutive pieces, each with a ragged last line */
    const char *dest = runin ? runin->id : NULL;
    for (const rc_node *x = n->first; x; x = x->next) {
        if (x->type == RC_NODE_LINEBREAK) {
            rc_para *p = lo_set(L, &r, c->w, c->leading, RC_PARA_JUSTIFY, true);
            lo_emit_para(L, c, p, c->x, c->leading, c->size, dest);
            if (p && p->nlines) dest = NULL;
            r.n = 0;
            continue;
        }
        inl_one(L, &r, x, st);
    }
    rc_para *p = lo_set(L, &r, c->w, c->leading, RC_PARA_JUSTIFY, true);
    lo_emit_para(L, c, p, c->x, c->leading, c->size, dest);
    lo_space(L, c->parskip);
}

static const char *outline_title(lo *L, const rc_node *h)
{
    char *t = rc_node_plain_text(L->a, h);
    if (h->number && *h->number) return rc_arena_printf(L->a, "%s %s", h->number, t ? t : "");
    return t ? t : "";
}

/* A chapter title: large, EC blue, number in bold, title in light. */
void lo_chapter_title(lo *L, const char *number, const lo_runs *title, const char *dest,
                      const char *outline)
{
    const double size = 2.2 * L->st.size, lead = 1.24 * size;
    lo_items kids = {0};
    lo_out saved = lo_sub_begin(L, &kids);
    lo_item drop = {.kind = LO_SPACE, .h = 1.5 * L->st.leading};
    RC_PUSH(L->tmp, kids, drop);
    double ind = 0;
    if (number && *number) {
        ind = lo_text_width(L, RC_FONT_BOLD, size, number, strlen(number)) + 0.45 * size;
        set_mark(L, number, LO_LEFT, RC_FONT_BOLD, size, L->st.blue);
    }
    rc_para *p = lo_set(L, title, LO_WIDTH - ind, lead, RC_PARA_LEFT, false);
    lo_ctx c = lo_body_ctx(L);
    L->leaf = lo_heading_tag(L, 1);
    lo_emit_para(L, &c, p, LO_LEFT + ind, lead, size, NULL);
    L->mark.text = NULL;
    lo_sub_end(L, saved);
    lo_item u = lo_unit_of(L, &kids, LO_LEFT, LO_WIDTH);
    u.dest = dest;
    u.outline = outline;
    u.outline_level = 1;
    lo_push(L, u);
    lo_space(L, 1.6 * L->st.leading);
    lo_keep(L);
}

void lo_heading(lo *L, const lo_ctx *c, const rc_node *h)
{
    lo_ist st = lo_ist_of(c);
    st.italic = false;
    if (h->level <= 1) {
        lo_runs r = {0};
        st.light = true;
        st.size = 2.2 * L->st.size;
        st.colour = L->st.blue;
        lo_runs_inline(L, &r, h->first, st);
        lo_chapter_title(L, h->number, &r, h->id, h->in_toc ? outline_title(L, h) : NULL);
        return;
    }
    double size, lead, before, after;
    rc_rgb col = L->st.blue;
    if (h->level == 2) {
        size = 1.3 * c->size;
        before = 1.4 * L->st.leading;
        after = 0.45 * L->st.leading;
    } else if (h->level == 3) {
        size = 1.1 * c->size;
        before = 1.0 * L->st.leading;
        after = 0.3 * L->st.leading;
    } else {
        size = c->size;
        col = c->colour;
        before = 0.7 * L->st.leading;
        after = 0.2 * L->st.leading;
    }
    lead = 1.26 * size;
    st.bold = true;
    st.size = size;
    st.colour = col;
    lo_runs r = {0};
    lo_runs_inline(L, &r, h->first, st);
    double ind = 0;
    lo_items kids = {0};
    lo_space(L, before);
    lo_out saved = lo_sub_begin(L, &kids);
    if (h->number && *h->number && h->numbered) {
        ind = lo_text_width(L, RC_FONT_BOLD, size, h->number, strlen(h->number)) + 0.6 * size;
        set_mark(L, h->number, c->x, lo_font(L, st), size, col);
    }
    rc_para *p = lo_set(L, &r, c->w - ind, lead, RC_PARA_LEFT, false);
    if (p && p->nlines) L->leaf = lo_heading_tag(L, h->level);
    lo_emit_para(L, c, p, c->x + ind, lead, size, NULL);
    L->mark.text = NULL;
    lo_sub_end(L, saved);
    if (!kids.n) return;
    lo_item u = lo_unit_of(L, &kids, c->x, c->w);
    u.dest = h->id;
    u.span = c->span;
    if (h->in_toc) {
        u.outline = outline_title(L, h);
        u.outline_level = h->level;
    }
    lo_push(L, u);
    lo_space(L, after);
    lo_keep(L);
}

/* ---- lists, quotes, code --------------------------------------------- */

static void list(lo *L, const lo_ctx *c, const rc_node *n, int depth)
{
    const double ind = 1.5 * c->size;
    lo_ctx ic = *c;
    ic.x = c->x + ind;
    ic.w = c->w - ind;
    if (n->tight) ic.parskip = 0.2 * c->leading;
    int num = n->start ? n->start : 1;
    lo_space(L, c->parskip);
    rc_tag *outer = L->tag, *ltag = lo_tag(L, RC_TAG_L);
    for (const rc_node *it = n->first; it; it = it->next, num++) {
        if (it->type != RC_NODE_ITEM) continue;
        const char *m;
        rc_font_id f = RC_FONT_REGULAR;
        rc_rgb col = L->st.blue;
        if (n->ordered) {
            m = rc_arena_printf(L->a, "%d.", num);
            col = c->colour;
        } else {
            m = depth == 0 ? "\xE2\x80\xA2" : "\xE2\x80\x93"; /* bullet, en dash */
        }
        double mw = lo_text_width(L, f, c->size, m, strlen(m));
        set_mark(L, m, ic.x - 0.45 * c->size - mw, f, c->size, col);
        L->tag = ltag;
        rc_tag *li = lo_tag(L, RC_TAG_LI);
        L->tag = li;
        L->mark.tag = lo_tag(L, RC_TAG_LBL);
        L->tag = lo_tag(L, RC_TAG_LBODY);
        for (const rc_node *b = it->first; b; b = b->next) {
            if (b->type == RC_NODE_LIST)
                list(L, &ic, b, depth + 1);
            else
                lo_block(L, &ic, b);
        }
        L->tag = outer;
        L->mark.text = NULL;
        lo_space(L, ic.parskip);
    }
    lo_space(L, c->parskip);
}

static void code_block(lo *L, const lo_ctx *c, const rc_node *n)
{
    const double size = 0.85 * c->size, lead = 1.3 * size, pad = 5.0;
    const char *s = n->text ? n->text : "";
    size_t len = n->len ? n->len : strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    lo_span *span = c->span;
    if (!c->units) {
        span = rc_arena_alloc(L->a, sizeof *span);
        span->kind = LO_SPAN_FILL;
        span->colour = L->st.pale;
        span->x = c->x;
        span->w = c->w;
        span->pad = pad;
    }
    lo_ist st = lo_ist_of(c);
    st.italic = false;
    st.size = size;
    st.colour = c->colour;
    lo_space(L, c->parskip + pad);
    /* count lines first: widow/orphan flags span the whole block */
    size_t nl = 1;
    for (size_t i = 0; i < len; i++)
        nl += s[i] == '\n';
    lo_items kids = {0};
    size_t k = 0, i = 0;
    rc_tag *tag = lo_tag(L, RC_TAG_P);
    while (i <= len) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        /* leading blanks become an indent (glue at a line start would vanish) */
        size_t lead_sp = 0;
        double indent = 0;
        while (i + lead_sp < e && (s[i + lead_sp] == ' ' || s[i + lead_sp] == '\t')) {
            indent +=
                (s[i + lead_sp] == '\t' ? 4 : 1) * lo_text_width(L, lo_font(L, st), size, " ", 1);
            lead_sp++;
        }
        if (indent > 0.5 * (c->w - 2 * pad)) indent = 0.5 * (c->w - 2 * pad);
        const char *buf = s + i + lead_sp;
        size_t bl = e - i - lead_sp;
        lo_runs r = {0};
        lo_run_text(L, &r, buf, bl, st, false);
        lo_item it = {.kind = LO_LINE,
                      .h = lead,
                      .x = c->x + pad + indent,
                      .w = c->w - 2 * pad - indent,
                      .base = lo_base(size, lead),
                      .span = span,
                      .tag = tag};
        if (bl > 0) {
            it.para = lo_set(L, &r, it.w, lead, RC_PARA_LEFT, false);
            it.line = 0;
        }
        it.brk = k == 0 || (k >= 2 && nl - k >= 2);
        /* a long code line wraps: its continuation lines never split */
        size_t nsub = it.para ? it.para->nlines : 1;
        for (size_t q = 0; q < nsub; q++) {
            lo_item li = it;
            li.line = q;
            if (q > 0) li.brk = false;
            if (c->units)
                RC_PUSH(L->tmp, kids, li);
            else
                lo_push(L, li);
        }
        k++;
        i = e + 1;
    }
    if (c->units && kids.n) {
        lo_item u = lo_unit_of(L, &kids, c->x, c->w);
        u.filled = true;
        u.fill = L->st.pale;
        u.span = c->span;
        lo_push(L, u);
    }
    lo_space(L, c->parskip + pad);
}

static void rule_block(lo *L, const lo_ctx *c)
{
    lo_item it = {.kind = LO_RULE,
                  .h = c->leading,
                  .x = c->x + c->w / 3,
                  .w = c->w / 3,
                  .colour = L->st.mid,
                  .line_width = 0.6,
                  .brk = true,
                  .span = c->span};
    lo_space(L, c->parskip);
    lo_push(L, it);
    lo_space(L, c->parskip);
}

/* ---- footnotes ------------------------------------------------------- */

static lo_fn *footnote(lo *L, const rc_node *ref)
{
    int k = ref->footnote;
    bool cache = k >= 1 && (size_t)k <= L->nfn;
    if (cache && L->fn_by_num[k]) return L->fn_by_num[k]->unit ? L->fn_by_num[k] : NULL;
    if (L->fn_depth > 0) return NULL; /* a reference inside a footnote body: no nested notes */
    lo_fn *fn = rc_arena_alloc(L->a, sizeof *fn);
    fn->def = ref->footnote_def;
    fn->number = k;
    if (cache) L->fn_by_num[k] = fn;
    const double size = 0.8 * L->st.size, lead = 1.25 * size, ind = 1.3 * size;
    lo_ctx c = {.x = LO_LEFT + ind,
                .w = LO_WIDTH - ind,
                .size = size,
                .leading = lead,
                .parskip = 0.15 * lead,
                .colour = L->st.text};
    lo_items kids = {0};
    /* a footnote may be placed (again cited, or continued) after the part
     * that first cites it: its working memory lives to the end */
    rc_arena *part = L->tmp;
    L->tmp = L->keep;
    lo_out saved = lo_sub_begin(L, &kids);
    struct lo_mark keep_mark = L->mark;
    rc_tag *outer = L->tag, *keep_leaf = L->leaf;
    rc_tag *note = lo_tag(L, RC_TAG_NOTE);
    L->tag = note;
    L->leaf = NULL;
    /* notes cited earlier in the citing paragraph wait outside the body */
    rc_tag **nv = L->notes.v;
    size_t nn = L->notes.n, ncap = L->notes.cap;
    L->notes.v = NULL;
    L->notes.n = L->notes.cap = 0;
    L->fn_depth++;
    set_mark(L, rc_arena_printf(L->a, "%d", k), LO_LEFT, RC_FONT_REGULAR, size, L->st.blue);
    if (fn->def) lo_blocks(L, &c, fn->def->first);
    L->mark.text = NULL;
    L->fn_depth--;
    L->mark = keep_mark;
    L->tag = outer;
    L->leaf = keep_leaf;
    L->notes.v = nv;
    L->notes.n = nn;
    L->notes.cap = ncap;
    RC_PUSH(L->a, L->notes, note); /* adopted by the citing paragraph */
    lo_sub_end(L, saved);
    L->tmp = part;
    fn->unit = rc_arena_alloc(L->a, sizeof *fn->unit);
    *fn->unit = lo_unit_of(L, &kids, LO_LEFT, LO_WIDTH);
    fn->unit->nfns = 0;
    fn->unit->h += 0.2 * lead;
    fn->unit->dest = fn->def && fn->def->id ? fn->def->id : rc_arena_printf(L->a, "fn-%d", k);
    return fn;
}

/* ---- dispatch -------------------------------------------------------- */

void lo_block(lo *L, const lo_ctx *c, const rc_node *n)
{
    switch (n->type) {
    case RC_NODE_PARAGRAPH:
        paragraph(L, c, n, NULL);
        break;
    case RC_NODE_HEADING:
        lo_heading(L, c, n);
        break;
    case RC_NODE_LIST:
        list(L, c, n, 0);
        break;
    case RC_NODE_BLOCKQUOTE: {
        lo_ctx q = *c;
        q.x += 1.6 * c->size;
        q.w -= 3.2 * c->size;
        q.italic = true;
        q.colour = L->st.rule;
        lo_space(L, c->parskip);
        rc_tag *outer = L->tag;
        L->tag = lo_tag(L, RC_TAG_BLOCKQUOTE);
        lo_blocks(L, &q, n->first);
        L->tag = outer;
        lo_space(L, c->parskip);
        break;
    }
    case RC_NODE_CODE_BLOCK:
        code_block(L, c, n);
        break;
    case RC_NODE_THEMATIC_BREAK:
        rule_block(L, c);
        break;
    case RC_NODE_TABLE:
        lo_table_block(L, c, n);
        break;
    case RC_NODE_FIGURE:
        lo_figure(L, c, n);
        break;
    case RC_NODE_BOX:
        lo_box(L, c, n);
        break;
    case RC_NODE_FOOTNOTE_DEF:
    case RC_NODE_COVER:
    case RC_NODE_IMPRINT:
    case RC_NODE_TOC:
    case RC_NODE_LIST_OF:
    case RC_NODE_BACK_COVER:
        break;
    case RC_NODE_TEXT:
    case RC_NODE_EMPH:
    case RC_NODE_STRONG:
    case RC_NODE_STRIKE:
    case RC_NODE_CODE:
    case RC_NODE_LINK:
    case RC_NODE_FOOTNOTE_REF: {
        /* stray inline content at block level: set it as a paragraph */
        lo_runs r = {0};
        lo_runs_inline(L, &r, n, lo_ist_of(c));
        rc_para *p = lo_set(L, &r, c->w, c->leading, RC_PARA_JUSTIFY, true);
        lo_emit_para(L, c, p, c->x, c->leading, c->size, NULL);
        lo_space(L, c->parskip);
        break;
    }
    default:
        lo_blocks(L, c, n->first);
        break;
    }
}

void lo_blocks(lo *L, const lo_ctx *c, const rc_node *first)
{
    for (const rc_node *n = first; n; n = n->next) {
        if (n->type == RC_NODE_HEADING && n->level >= 4 && n->next &&
            n->next->type == RC_NODE_PARAGRAPH && n->next->first) {
            lo_space(L, 0.7 * L->st.leading);
            paragraph(L, c, n->next, n);
            n = n->next;
            continue;
        }
        lo_block(L, c, n);
        if (n->type >= RC_NODE_TEXT)
            break; /* stray inlines were set together with their siblings */
    }
}
