/* layout_draw: an item drawn on its page. The page builder
 * (layout_pages.c) decides where each item goes; this walks the item (lines,
 * units with their kids, table rows with their rules and shading, charts,
 * contents entries left for fixing up) into the page's display lists and
 * records what the PDF needs about it: link destinations, outline entries,
 * placed figures and a figure's box in the structure tree. */
#include "layout_int.h"

#include <string.h>

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
