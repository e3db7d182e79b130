/* layout_draw: an item drawn on its page. The page builder
 * (layout_pages.c) decides where each item goes; this walks the item (lines,
 * units with their kids, table rows with their rules and shading, charts,
 * contents entries left for fixing up) into the page's display lists and
 * records what the PDF needs about it: link destinations, outline entries,
 * placed figures and a figure's box in the structure tree. */
#include "layout_int.h"

#include <stdint.h>
#include <string.h>

#include "rc/chart.h"

/* A 1,000-page report's charts took 7 MB of display lists, all kept to the
 * end of the build for an SVG back end that a PDF-only build never runs. */
const rc_draw_list *lo_draw_chart(lo *L, const struct rc_chart *chart, double w, double h)
{
    if (!L->res->release_figures) return rc_chart_draw(L->a, chart, &L->cfg->style, L->fonts, w, h);
    rc_arena *a = rc_arena_new();
    const rc_draw_list *g = rc_chart_draw(a, chart, &L->cfg->style, L->fonts, w, h);
    if (!g) {
        rc_arena_free(a);
        return NULL;
    }
    struct lo_figa f = {g, a, SIZE_MAX, SIZE_MAX};
    RC_PUSH(L->a, L->figa, f);
    return g;
}

/* g was placed on page, as res->figures' entry fig. */
static void placed(lo *L, const rc_draw_list *g, size_t page, size_t fig)
{
    for (size_t i = L->figa.n; i-- > L->figa_at;)
        if (L->figa.v[i].g == g) {
            L->figa.v[i].page = page;
            L->figa.v[i].fig = fig;
            return;
        }
}

void lo_free_charts(lo *L, bool everything)
{
    /* the pages handed back by now are drawn (rc_layout.release_figures) */
    for (; L->handed_at < L->ready_at; L->handed_at++) {
        size_t pg = L->ready.v[L->handed_at];
        while (L->handed.n <= pg)
            RC_PUSH(L->a, L->handed, false);
        L->handed.v[pg] = true;
    }
    for (size_t i = L->figa_at; i < L->figa.n; i++) {
        struct lo_figa *f = &L->figa.v[i];
        bool shown = f->page < L->handed.n && L->handed.v[f->page];
        if (!f->a || !(everything || shown)) continue;
        if (f->fig < L->res->figures.n && L->res->figures.v[f->fig].list == f->g)
            L->res->figures.v[f->fig].list = NULL; /* (no scan of every figure: quadratic) */
        rc_arena_free(f->a);
        f->a = NULL;
    }
    while (L->figa_at < L->figa.n && !L->figa.v[L->figa_at].a)
        L->figa_at++;
}

static void draw_row(lo *L, lo_pg *pg, const lo_item *it, double top)
{
    const lo_row *r = it->row;
    double bottom = top - it->h;
    pg->fg->tag = NULL; /* rules and shading are artifacts */
    if (r->header) {
        rc_draw_rect(L->a, pg->bg, r->x, bottom, r->w, it->h, &L->st.tint, NULL, 0);
        rc_draw_line(L->a, pg->fg, r->x, top, r->x + r->w, top, L->st.blue, 0.8);
        rc_draw_line(L->a, pg->fg, r->x, bottom, r->x + r->w, bottom, L->st.blue, 0.5);
    } else if (r->first_body && it->table && it->table->nhead == 0) {
        rc_draw_line(L->a, pg->fg, r->x, top, r->x + r->w, top, L->st.blue, 0.8);
    }
    if (!r->header && !r->last && !r->cont)
        rc_draw_line(L->a, pg->fg, r->x, bottom, r->x + r->w, bottom, L->st.tint, 0.3);
    for (size_t c = 0; c < r->ncells; c++) {
        const lo_cell *ce = &r->cells[c];
        if (!ce->para) continue;
        double base = top - r->vpad - lo_base(ce->size, ce->leading);
        size_t end = ce->count ? ce->first + ce->count : ce->para->nlines;
        pg->fg->tag = L->artifact ? NULL : ce->tag;
        for (size_t k = ce->first; k < end && k < ce->para->nlines; k++)
            rc_para_draw_line(L->a, pg->fg, ce->para, k, ce->x,
                              base - (double)(k - ce->first) * ce->leading);
    }
}

/* Draws an item; its ops get its structure element (rc/tag.h), or none
 * (artifacts) while L->artifact is set. */
void lo_draw_item(lo *L, lo_pg *pg, const lo_item *it, double top)
{
    const rc_tag *outer = pg->fg->tag;
    if (it->kind != LO_UNIT) pg->fg->tag = L->artifact ? NULL : it->tag;
    if (it->dest) {
        rc_draw_dest(L->a, pg->fg, it->x, top, it->dest);
        lo_register_dest(L, it->dest, pg->index);
    }
    if (it->outline && it->dest) {
        rc_outline_entry e = {.title = it->outline,
                              .level = it->outline_level,
                              .page = pg->index,
                              .y = top,
                              .dest = it->dest};
        RC_PUSH(L->a, L->res->outline, e);
    }
    switch (it->kind) {
    case LO_LINE: {
        double base = top - it->base;
        if (it->mark) { /* the marker first: it is read before the text */
            if (it->mark_tag && !L->artifact) pg->fg->tag = it->mark_tag;
            rc_draw_text(L->a, pg->fg, it->mark_font, it->mark_size, it->mark_x,
                         base + it->mark_rise, it->mark, strlen(it->mark), it->mark_colour);
            pg->fg->tag = L->artifact ? NULL : it->tag;
        }
        if (it->para && it->line < it->para->nlines)
            rc_para_draw_line(L->a, pg->fg, it->para, it->line, it->x, base);
        break;
    }
    case LO_UNIT: {
        if (it->filled)
            rc_draw_rect(L->a, pg->bg, it->x, top - it->h, it->w, it->h, &it->fill, NULL, 0);
        double y = top;
        for (size_t i = 0; i < it->nkids; i++) {
            lo_draw_item(L, pg, &it->kids[i], y);
            y -= it->kids[i].h;
        }
        break;
    }
    case LO_ROW:
        draw_row(L, pg, it, top);
        break;
    case LO_RULE:
        rc_draw_line(L->a, pg->fg, it->x, top - it->h / 2, it->x + it->w, top - it->h / 2,
                     it->colour, it->line_width);
        break;
    case LO_CHART:
        if (it->group) {
            rc_draw_group(L->a, pg->fg, it->x, top - it->h, it->group);
            rc_placed_figure pf = {it->figure, pg->index, it->x,    top - it->h,
                                   it->w,      it->h,     it->group};
            RC_PUSH(L->a, L->res->figures, pf);
            placed(L, it->group, pg->index, L->res->figures.n - 1);
        }
        if (it->tag) { /* a figure's box on its page (PDF/UA: Figure /BBox) */
            it->tag->has_bbox = true;
            it->tag->bbox[0] = it->x;
            it->tag->bbox[1] = top - it->h;
            it->tag->bbox[2] = it->x + it->w;
            it->tag->bbox[3] = top;
        }
        break;
    case LO_TOC: {
        /* a copy: the main list may still grow (and move) while the
         * pagination runs ahead of the walk (rc_layout_next) */
        lo_item *keep = rc_arena_alloc(L->a, sizeof *keep);
        *keep = *it;
        lo_fixup f = {keep, pg->index, top};
        RC_PUSH(L->a, L->fixups, f);
        break;
    }
    case LO_CUSTOM:
        if (it->fn) it->fn(L, pg, it, top);
        break;
    case LO_SPACE:
    case LO_NEWPAGE:
        break;
    }
    pg->fg->tag = outer;
}
