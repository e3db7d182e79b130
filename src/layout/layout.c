/* layout: entry point, style, the walk over the document's top-level parts,
 * the item builder helpers and the destination registry. See layout_int.h
 * for the overall design. */
#define _DEFAULT_SOURCE /* madvise */
#include "layout_int.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rc/hash.h"

const char *lo_word(const lo *L, rc_word w)
{
    const char *s = L->loc ? rc_locale_word(L->loc, w) : NULL;
    return s ? s : "";
}

double lo_text_width(const lo *L, rc_font_id f, double size, const char *s, size_t len)
{
    const rc_font *font = L->fonts->f[f] ? L->fonts->f[f] : L->fonts->f[RC_FONT_REGULAR];
    return font ? rc_font_text_width(font, s, len, size) : 0.5 * size * (double)len;
}

/* Baseline below the top of a line box so that the glyph box (Lato: ascent
 * 0.987 em, descent 0.213 em) sits centred in the leading: lines of
 * consecutive boxes never overlap as long as leading >= 1.22 size. */
double lo_base(double size, double leading)
{
    return 0.5 * leading + 0.39 * size;
}

static rc_rgb pal(const rc_config *cfg, size_t i, unsigned hex)
{
    if (cfg && i < cfg->style.npalette) return cfg->style.palette[i];
    rc_rgb c = {(double)((hex >> 16) & 0xff) / 255.0, (double)((hex >> 8) & 0xff) / 255.0,
                (double)(hex & 0xff) / 255.0};
    return c;
}

static rc_rgb rgb(unsigned hex)
{
    return pal(NULL, 0, hex);
}

static void style_init(lo *L)
{
    const rc_config *cfg = L->cfg;
    lo_style *s = &L->st;
    s->size = 10.0;
    if (cfg && cfg->style.font_size >= 6.0 && cfg->style.font_size <= 16.0)
        s->size = cfg->style.font_size;
    s->leading = s->size * 1.35;
    s->parskip = 0.5 * s->leading;
    s->blue = pal(cfg, 0, 0x004494);
    s->yellow = pal(cfg, 1, 0xFFD617);
    s->mid = pal(cfg, 2, 0x7FA1C9);
    s->tint = pal(cfg, 3, 0xBFD0E4);
    /* a lighter tint for shaded blocks: halfway between the tint and white */
    s->pale.r = 0.5 * (s->tint.r + 1.0);
    s->pale.g = 0.5 * (s->tint.g + 1.0);
    s->pale.b = 0.5 * (s->tint.b + 1.0);
    s->grey = rgb(0x6E6E6E);
    s->text = rgb(0x1A1A1A);
    s->white = rgb(0xFFFFFF);
    s->rule = rgb(0x404040);
    s->hyphenate = cfg ? cfg->style.hyphenate : true;
}

/* ---- item builder ---------------------------------------------------- */

void lo_space(lo *L, double h)
{
    if (h > L->out.pending) L->out.pending = h;
}

void lo_keep(lo *L)
{
    L->out.keep = true;
}

void lo_push(lo *L, lo_item it)
{
    lo_out *o = &L->out;
    /* the main list lives to the end; a unit's kids with their part */
    rc_arena *va = o->items == &L->items ? L->keep : L->tmp;
    if (it.kind == LO_NEWPAGE) {
        o->pending = 0;
        o->keep = false;
        if (o->items == &L->items) RC_PUSH(va, L->breaks, L->items.n);
        RC_PUSH(va, *o->items, it);
        return;
    }
    if (it.is_float) { /* out of the flow: leaves spacing and keeps alone */
        RC_PUSH(va, *o->items, it);
        return;
    }
    if (it.kind == LO_SPACE) {
        lo_space(L, it.h);
        return;
    }
    if (o->pending > 0) {
        lo_item sp = {.kind = LO_SPACE, .h = o->pending, .brk = !o->keep};
        RC_PUSH(va, *o->items, sp);
        o->pending = 0;
    }
    if (o->keep) it.brk = false;
    o->keep = false;
    RC_PUSH(va, *o->items, it);
}

lo_out lo_sub_begin(lo *L, lo_items *into)
{
    lo_out saved = L->out;
    memset(&L->out, 0, sizeof L->out);
    L->out.items = into;
    return saved;
}

void lo_sub_end(lo *L, lo_out saved)
{
    L->out = saved;
}

/* Wraps items into one unbreakable unit; trailing pending space is dropped,
 * footnotes of the kids are collected on the unit. */
lo_item lo_unit_of(lo *L, lo_items *kids, double x, double w)
{
    lo_item u = {.kind = LO_UNIT, .brk = true, .x = x, .w = w};
    u.kids = kids->v;
    u.nkids = kids->n;
    size_t nf = 0;
    for (size_t i = 0; i < kids->n; i++) {
        u.h += kids->v[i].h;
        nf += kids->v[i].nfns;
    }
    if (nf) {
        u.fns = rc_arena_array(L->a, nf, sizeof *u.fns);
        for (size_t i = 0; i < kids->n; i++)
            for (size_t k = 0; k < kids->v[i].nfns; k++)
                u.fns[u.nfns++] = kids->v[i].fns[k];
    }
    return u;
}

/* ---- structure ------------------------------------------------------ */

rc_tag *lo_tag(lo *L, rc_tag_type type)
{
    return rc_tag_add(L->a, L->tags, L->tag, type);
}

/* Headings follow the document's levels but never skip one on the way down
 * (a level-3 heading straight after a level-1 one is tagged H2): assistive
 * technology navigates by heading level (Matterhorn 14-003). */
rc_tag *lo_heading_tag(lo *L, int level)
{
    if (level < 1) level = 1;
    if (level > L->hlevel + 1) level = L->hlevel + 1;
    if (level > 6) level = 6;
    L->hlevel = level;
    return lo_tag(L, rc_tag_heading(level));
}

/* ---- destinations ---------------------------------------------------- */

/* Destinations are found by hash: a contents page asks for every heading's
 * page, and a linear search made a long document quadratic. */
/* The slot of id in the index: its entry, or the empty slot it would take. */
static size_t dest_slot(const lo *L, const char *id)
{
    size_t mask = L->dest_cap - 1;
    for (size_t i = (size_t)rc_hash_str(id, 0) & mask;; i = (i + 1) & mask)
        if (!L->dest_tab[i] || strcmp(L->dests.v[L->dest_tab[i] - 1].id, id) == 0) return i;
}

void lo_register_dest(lo *L, const char *id, size_t page)
{
    if (!id) return;
    if (2 * (L->dests.n + 1) > L->dest_cap) {
        size_t cap = L->dest_cap ? 2 * L->dest_cap : 64;
        L->dest_tab = rc_arena_array(L->a, cap, sizeof *L->dest_tab);
        L->dest_cap = cap;
        for (size_t k = 0; k < L->dests.n; k++)
            L->dest_tab[dest_slot(L, L->dests.v[k].id)] = (uint32_t)(k + 1);
    }
    size_t i = dest_slot(L, id);
    if (L->dest_tab[i]) return; /* first placement wins */
    lo_dest d = {id, page};
    RC_PUSH(L->a, L->dests, d);
    L->dest_tab[i] = (uint32_t)L->dests.n;
}

const char *lo_dest_label(const lo *L, const char *id)
{
    if (!id || !L->dest_cap) return "";
    uint32_t k = L->dest_tab[dest_slot(L, id)];
    if (!k) return "";
    size_t p = L->dests.v[k - 1].page;
    return p < L->res->pages.n ? L->res->pages.v[p].label : "";
}

/* ---- top-level walk -------------------------------------------------- */

lo_ctx lo_body_ctx(const lo *L)
{
    lo_ctx c = {.x = LO_LEFT,
                .w = LO_WIDTH,
                .size = L->st.size,
                .leading = L->st.leading,
                .parskip = L->st.parskip,
                .colour = L->st.text};
    return c;
}

static const rc_node *first_heading(const rc_node *sec)
{
    for (const rc_node *n = sec->first; n; n = n->next)
        if (n->type == RC_NODE_HEADING) return n;
    return NULL;
}

/* The running heads' title: the part's short_title when it has one (the
 * contents and the outline keep the full title). */
static const char *running_title(lo *L, const rc_node *h)
{
    if (!h) return "";
    const char *t = h->short_title ? h->short_title : rc_node_plain_text(L->a, h);
    if (h->number && *h->number) return rc_arena_printf(L->a, "%s %s", h->number, t ? t : "");
    return t ? t : "";
}

static void section(lo *L, const rc_node *sec)
{
    lo_newpage *np = rc_arena_alloc(L->a, sizeof *np);
    np->restart = -1;
    np->opening = true;
    np->header = np->footer = true;
    if (sec->part == RC_PART_MAIN && !L->main_started) {
        np->restart = RC_PAGE_ARABIC;
        L->main_started = true;
    } else if (!L->roman_started && !L->main_started) {
        np->restart = RC_PAGE_ROMAN;
        L->roman_started = true;
    }
    const rc_node *h = first_heading(sec);
    np->running = running_title(L, h);
    np->share = h && h->share_page && sec->first == h && np->restart < 0;
    lo_item it = {.kind = LO_NEWPAGE, .np = np};
    lo_push(L, it);
    lo_ctx c = lo_body_ctx(L);
    rc_tag *outer = L->tag;
    L->tag = lo_tag(L, RC_TAG_SECT);
    lo_blocks(L, &c, sec->first);
    L->tag = outer;
}

/* Walks one top-level part (L->walk_next) into a working arena of its own. */
static void walk_one(lo *L)
{
    const rc_node *n = L->walk_next;
    L->walk_next = n->next;
    struct lo_chunk c = {.a = rc_arena_new(), .first = L->items.n};
    L->tmp = c.a;
    switch (n->type) {
    case RC_NODE_COVER:
        lo_cover(L);
        break;
    case RC_NODE_IMPRINT:
        lo_imprint(L);
        break;
    case RC_NODE_TOC:
        lo_contents(L);
        c.kept = true; /* its entries are drawn at the end (lo_draw_toc) */
        break;
    case RC_NODE_LIST_OF:
        lo_list_of(L, n);
        c.kept = true; /* as the contents' */
        break;
    case RC_NODE_BACK_COVER:
        lo_back_cover(L);
        break;
    case RC_NODE_SECTION:
        section(L, n);
        break;
    case RC_NODE_FOOTNOTE_DEF:
        break;
    default: {
        lo_ctx ctx = lo_body_ctx(L);
        lo_block(L, &ctx, n);
        break;
    }
    }
    c.end = L->items.n;
    for (size_t i = c.first; i < c.end; i++)
        L->h_ahead += L->items.v[i].h;
    RC_PUSH(L->keep, L->chunks, c);
    L->tmp = L->keep;
}

/* Whether the pagination may make its next page: the pages it looks at
 * (this one and the next, each to the end of its part) are walked. Four
 * parts ahead (a page may hold short parts that share it), and material
 * for five pages (spaces shrink to half at most, so two pages never hold
 * more): the pages are those of a layout walked whole. */
#define LOOK_PARTS 4
#define LOOK_PAGES 5.0
static bool walked_enough(lo *L)
{
    if (!L->walk_next) return true;
    size_t pos = lo_paginate_pos(L);
    while (L->breaks_at < L->breaks.n && L->breaks.v[L->breaks_at] <= pos)
        L->breaks_at++;
    for (; L->h_at < pos && L->h_at < L->items.n; L->h_at++)
        L->h_ahead -= L->items.v[L->h_at].h;
    return L->breaks.n - L->breaks_at >= LOOK_PARTS && L->h_ahead >= LOOK_PAGES * LO_BODY_H;
}

/* Gives the memory of the main list's items before low back to the
 * system, whole pages of it at a time (they read as zeros afterwards):
 * nothing reads them again once the pagination and the look-ahead have
 * passed them and no float waits. The list is held to the end, as the
 * pagination indexes it from the start; at 1,006 pages its 32,000 items
 * took 10.7 MB, the biggest part of the peak while the contents were drawn.
 * The vector has a block of its own (rc_arena_grow), so the pages belong
 * to it alone, and its growth moves them (glibc's mremap) or copies zeros. */
#define LO_DROP_MIN ((size_t)256 * 1024)
static void drop_passed(lo *L, size_t low)
{
#ifdef MADV_DONTNEED
    if (low > L->items.n || !L->items.v) return;
    if (L->dropped_v != L->items.v) { /* moved: its pages are new ones */
        L->dropped_v = L->items.v;
        L->dropped = 0;
    }
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0) return;
    uintptr_t base = (uintptr_t)L->items.v, ps = (uintptr_t)pg;
    uintptr_t from = (base + L->dropped + ps - 1) & ~(ps - 1);
    uintptr_t to = (base + low * sizeof *L->items.v) & ~(ps - 1);
    if (to <= from || to - from < LO_DROP_MIN) return;
    if (madvise((void *)from, to - from, MADV_DONTNEED) == 0) {
        L->dropped = to - base;
        if (L->dropped > L->res->dropped) L->res->dropped = L->dropped;
    }
#else
    (void)L;
    (void)low;
#endif
}

/* Frees the working memory of the parts the pagination has passed. */
static void free_passed(lo *L)
{
    if (!lo_paginate_idle(L)) return;
    size_t pos = lo_paginate_pos(L);
    /* (the look-ahead reads from h_at on while parts remain to walk) */
    drop_passed(L, L->walk_next && L->h_at < pos ? L->h_at : pos);
    while (L->chunks_freed < L->chunks.n && L->chunks.v[L->chunks_freed].end <= pos) {
        struct lo_chunk *c = &L->chunks.v[L->chunks_freed++];
        if (!c->kept) {
            rc_arena_free(c->a);
            c->a = NULL;
        }
    }
}

rc_status rc_layout_begin(rc_arena *a, const rc_doc *doc, const rc_fonts *fonts,
                          const rc_hyph *hyph, rc_diag *d, rc_layout *out)
{
    if (!a || !doc || !fonts || !out) return RC_ERR_DATA;
    memset(out, 0, sizeof *out);
    lo *L = rc_arena_alloc(a, sizeof *L);
    L->a = a;
    L->doc = doc;
    L->cfg = doc->cfg;
    L->loc = doc->locale ? doc->locale : rc_locale_get("en");
    L->fonts = fonts;
    L->d = d;
    L->res = out;
    style_init(L);
    L->hyph = L->st.hyphenate ? hyph : NULL;
    if (L->hyph) {
        L->hexc = rc_hyph_exc_new(a, L->cfg ? L->cfg->report.language.s : "en");
        const rc_strlist *ex = L->cfg ? &L->cfg->style.hyphenation_exceptions : NULL;
        for (size_t i = 0; ex && i < ex->n; i++)
            if (!rc_hyph_exc_add(L->hexc, ex->v[i].s, strlen(ex->v[i].s)) && d)
                rc_diag_error(d, ex->v[i].loc, "hyphenation exception '%s' is too long",
                              ex->v[i].s);
    }
    L->hmemo = rc_hyph_memo_new(a);
    L->nfn = doc->footnotes.n;
    L->fn_by_num = rc_arena_array(a, L->nfn + 1, sizeof *L->fn_by_num);
    L->out.items = &L->items;
    L->tags = out->tags = rc_tags_new(a, RC_TAG_DOCUMENT);
    L->tag = L->tags->root;

    if (!fonts->f[RC_FONT_REGULAR]) {
        rc_loc none = {0};
        if (d) rc_diag_error(d, none, "layout: the regular font is not loaded");
        return RC_ERR_DATA;
    }
    L->tmp = L->keep = rc_arena_new();
    L->styles = rc_style_set_new(L->keep);
    L->walk_next = doc->root ? doc->root->first : NULL;
    lo_paginate_begin(L);
    out->run = L;
    return RC_OK;
}

/* Frees the working memory of every part and the main list. */
static void free_work(lo *L)
{
    for (size_t i = 0; i < L->chunks.n; i++)
        rc_arena_free(L->chunks.v[i].a);
    rc_arena_free(L->keep); /* (the vectors below, and the pagination's state) */
    L->tmp = L->keep = NULL;
    memset(&L->chunks, 0, sizeof L->chunks);
    memset(&L->breaks, 0, sizeof L->breaks);
    memset(&L->items, 0, sizeof L->items);
    L->dropped_v = NULL;
    L->dropped = 0;
    L->chunks_freed = L->breaks_at = 0;
    L->pag = NULL;
}

bool rc_layout_next(const rc_layout *lay, size_t *page)
{
    lo *L = lay ? lay->run : NULL;
    if (!L) return false;
    lo_free_charts(L, false);
    while (L->ready_at == L->ready.n) {
        if (L->paginated) return false;
        if (!walked_enough(L)) {
            walk_one(L);
            continue;
        }
        if (lo_paginate_step(L)) {
            free_passed(L);
            continue;
        }
        /* the end: the contents and lists get their page numbers, and
         * their pages are complete */
        L->paginated = true;
        for (size_t i = 0; i < L->fixups.n; i++)
            lo_draw_toc(L, L->fixups.v[i].it, L->fixups.v[i].page, L->fixups.v[i].top);
        for (size_t i = 0; i < L->fixups.n; i++) {
            size_t pg = L->fixups.v[i].page;
            if (i == 0 || pg != L->fixups.v[i - 1].page) RC_PUSH(L->a, L->ready, pg);
        }
        rc_para_memo_done(); /* every paragraph is set: a build's memo is written */
        free_work(L);        /* nothing reads it again: the PDF's end needs the room */
    }
    *page = L->ready.v[L->ready_at++];
    return true;
}

void rc_layout_end(rc_layout *lay)
{
    lo *L = lay ? lay->run : NULL;
    if (!L) return;
    free_work(L);
    lo_free_charts(L, true);
    lay->run = NULL;
}

rc_status rc_layout_document(rc_arena *a, const rc_doc *doc, const rc_fonts *fonts,
                             const rc_hyph *hyph, rc_diag *d, rc_layout *out)
{
    rc_status st = rc_layout_begin(a, doc, fonts, hyph, d, out);
    if (st != RC_OK) return st;
    size_t page;
    while (rc_layout_next(out, &page)) {
    }
    rc_layout_end(out);
    return RC_OK;
}

/* ---- debug dump ------------------------------------------------------ */

static const char *const font_names[RC_FONT_COUNT] = {"regular", "italic", "bold", "bold-italic",
                                                      "light"};

static unsigned hex(rc_rgb c)
{
    unsigned r = (unsigned)(c.r * 255.0 + 0.5), g = (unsigned)(c.g * 255.0 + 0.5),
             b = (unsigned)(c.b * 255.0 + 0.5);
    return (r << 16) | (g << 8) | b;
}

static void dump_list(const rc_draw_list *l, FILE *out, int depth)
{
    for (size_t i = 0; l && i < l->ops.n; i++) {
        const rc_draw_op *o = &l->ops.v[i];
        fprintf(out, "%*s", 2 * depth, "");
        switch (o->kind) {
        case RC_DRAW_TEXT:
            fprintf(out, "text %s %.2f (%.2f, %.2f) #%06x \"%.*s\"\n",
                    o->font < RC_FONT_COUNT ? font_names[o->font] : "?", o->size, o->x, o->y,
                    hex(o->fill_rgb), (int)o->len, o->text ? o->text : "");
            break;
        case RC_DRAW_RECT:
            fprintf(out, "rect (%.2f, %.2f, %.2f, %.2f)", o->x, o->y, o->w, o->h);
            if (o->fill) fprintf(out, " fill #%06x", hex(o->fill_rgb));
            if (o->stroke) fprintf(out, " stroke #%06x %.2f", hex(o->stroke_rgb), o->line_width);
            fputc('\n', out);
            break;
        case RC_DRAW_LINE:
            fprintf(out, "line (%.2f, %.2f)-(%.2f, %.2f) #%06x %.2f\n", o->x, o->y, o->x2, o->y2,
                    hex(o->stroke_rgb), o->line_width);
            break;
        case RC_DRAW_PATH:
            fprintf(out, "path %zu segments\n", o->nsegs);
            break;
        case RC_DRAW_LINK:
            fprintf(out, "link (%.2f, %.2f, %.2f, %.2f) -> %s\n", o->x, o->y, o->w, o->h,
                    o->dest ? o->dest : (o->uri ? o->uri : "?"));
            break;
        case RC_DRAW_DEST:
            fprintf(out, "dest (%.2f, %.2f) %s\n", o->x, o->y, o->dest ? o->dest : "?");
            break;
        case RC_DRAW_GROUP:
            fprintf(out, "group (%.2f, %.2f)\n", o->x, o->y);
            dump_list(o->group, out, depth + 1);
            break;
        }
    }
}

void rc_layout_dump(const rc_layout *l, FILE *out)
{
    static const char *const styles[] = {"arabic", "roman", "none"};
    for (size_t p = 0; p < l->pages.n; p++) {
        const rc_page *pg = &l->pages.v[p];
        fprintf(out, "page %zu label \"%s\" %s %d\n", p + 1, pg->label ? pg->label : "",
                styles[pg->style], pg->number);
        dump_list(pg->content, out, 1);
    }
    for (size_t i = 0; i < l->outline.n; i++) {
        const rc_outline_entry *e = &l->outline.v[i];
        fprintf(out, "outline %d page %zu (%.2f) %s \"%s\"\n", e->level, e->page + 1, e->y,
                e->dest ? e->dest : "", e->title ? e->title : "");
    }
}
