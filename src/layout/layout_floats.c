/* layout_floats: figures, tables and boxes. Each is built as a list of
 * units; when the whole fits on a page it becomes one float unit (placed in
 * the flow, or deferred to the top of the next page when it does not fit
 * in what is left of the current one). A table taller than a page flows row
 * by row instead, its header row repeated on every page; a box taller than
 * a page flows paragraph by paragraph with its shading drawn per page.
 * Captions go above (Commission style), "Source: ..." below in small italic. */
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

#include "rc/chart.h"

static lo_runs caption_runs(lo *L, rc_word word, const char *number, const char *text, double size)
{
    lo_runs r = {0};
    lo_ist st = {.bold = true, .size = size, .colour = L->st.blue};
    const char *label =
        number && *number ? rc_arena_printf(L->a, "%s\xC2\xA0%s:", lo_word(L, word), number) : NULL;
    if (label) lo_run_text(L, &r, label, strlen(label), st, true);
    if (text && *text) {
        st.colour = L->st.text;
        if (label) lo_run_text(L, &r, " ", 1, st, false);
        lo_run_text(L, &r, text, strlen(text), st, false);
    }
    return r;
}

/* Sets a caption (or source/note line) and appends its lines to kids. */
static void add_text(lo *L, lo_items *kids, const lo_ctx *c, const lo_runs *r, double size,
                     double lead)
{
    rc_para *p = lo_set(L, r, c->w, lead, RC_PARA_LEFT, true);
    lo_ctx cc = *c;
    cc.units = false;
    cc.span = NULL;
    lo_out saved = lo_sub_begin(L, kids);
    lo_emit_para(L, &cc, p, c->x, lead, size, NULL);
    lo_sub_end(L, saved);
}

static void add_space(lo *L, lo_items *kids, double h)
{
    lo_item sp = {.kind = LO_SPACE, .h = h};
    RC_PUSH(L->tmp, *kids, sp);
}

static void add_source(lo *L, lo_items *kids, const lo_ctx *c, const char *source, const char *note)
{
    const double size = 0.8 * L->st.size, lead = 1.25 * size;
    lo_ist st = {.italic = true, .size = size, .colour = L->st.grey};
    /* "Note: ..." then "Source: ...", each when given */
    const struct {
        rc_word word;
        const char *text;
    } lines[] = {{RC_W_NOTE, note}, {RC_W_SOURCE, source}};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (!lines[i].text || !*lines[i].text) continue;
        lo_runs r = {0};
        const char *s = rc_arena_printf(L->a, "%s: %s", lo_word(L, lines[i].word), lines[i].text);
        add_space(L, kids, 0.25 * lead);
        lo_run_text(L, &r, s, strlen(s), st, false);
        add_text(L, kids, c, &r, size, lead);
    }
}

/* Pushes a complete float (or a plain unit inside a box). */
static void push_float(lo *L, const lo_ctx *c, lo_items *kids, const char *dest, bool floating)
{
    add_space(L, kids, 0.4 * L->st.leading);
    lo_item u = lo_unit_of(L, kids, c->x, c->w);
    /* A float is never split: one taller than the text area would run off
     * the page (its caption, note or source lost), so it is an error. */
    if (floating && !c->units && u.h > LO_BODY_H + 0.5)
        rc_diag_error(L->d, L->cur_loc,
                      "'%s' with its caption, note and source is %.0f mm tall; a page holds %.0f "
                      "mm: shorten the caption or note, or lower 'height'",
                      dest ? dest : "float", u.h * 25.4 / 72, LO_BODY_H * 25.4 / 72);
    u.dest = dest;
    u.span = c->span;
    u.is_float = floating && !c->units;
    lo_push(L, u);
}

void lo_figure(lo *L, const lo_ctx *c, const rc_node *n)
{
    const double size = 0.95 * L->st.size, lead = 1.3 * size;
    lo_items kids = {0};
    L->cur_loc = n->loc;
    add_space(L, &kids, 0.9 * L->st.leading);
    lo_runs cap = caption_runs(L, RC_W_FIGURE, n->number, n->caption, size);
    if (cap.n) {
        L->leaf = lo_tag(L, RC_TAG_CAPTION);
        add_text(L, &kids, c, &cap, size, lead);
        add_space(L, &kids, 0.5 * lead);
    }
    double frac =
        n->figure && n->figure->width > 0.05 && n->figure->width <= 1.0 ? n->figure->width : 1.0;
    double w = frac * c->w;
    if (n->chart && L->cfg) {
        double h = rc_chart_height(n->chart, w);
        if (h > LO_BODY_H - 6 * L->st.leading) h = LO_BODY_H - 6 * L->st.leading;
        if (h > 1.0) {
            const rc_draw_list *g = lo_draw_chart(L, n->chart, w, h);
            lo_item ch = {.kind = LO_CHART,
                          .h = h,
                          .x = c->x + (c->w - w) / 2,
                          .w = w,
                          .group = g,
                          .figure = n};
            ch.tag = lo_tag(L, RC_TAG_FIGURE);
            ch.tag->alt = n->figure && n->figure->alt.s && *n->figure->alt.s
                              ? n->figure->alt.s
                              : rc_chart_alt(L->a, n->chart, L->loc, n->caption);
            RC_PUSH(L->tmp, kids, ch);
        }
    }
    add_source(L, &kids, c, n->source_line, n->note);
    push_float(L, c, &kids, n->id, true);
}

/* ---- tables ---------------------------------------------------------- */

typedef struct colm {
    double nat, min;
} colm;

static void measure_runs(lo *L, const lo_runs *r, colm *m)
{
    double total = 0, word = 0;
    for (size_t i = 0; i < r->n; i++) {
        const rc_run *run = &r->v[i];
        size_t s = 0;
        for (size_t j = 0; j <= run->len; j++) {
            bool end = j == run->len;
            if (end || run->text[j] == ' ') {
                double w = lo_text_width(L, run->font, run->size, run->text + s, j - s);
                total += w;
                word += w;
                if (!end) {
                    total += lo_text_width(L, run->font, run->size, " ", 1);
                    if (word > m->min) m->min = word;
                    word = 0;
                }
                s = j + 1;
            }
        }
    }
    if (word > m->min) m->min = word;
    if (total > m->nat) m->nat = total;
}

static void column_widths(lo *L, const rc_node *t, size_t ncols, lo_runs **cells, size_t nrows,
                          double avail, double pad, double *out)
{
    if (t->table && t->table->widths.n == ncols) {
        double sum = 0;
        bool ok = true;
        for (size_t i = 0; i < ncols; i++) {
            const char *s = t->table->widths.v[i].s;
            char *end = NULL;
            out[i] = s ? strtod(s, &end) : 0;
            if (!s || end == s || !(out[i] > 0)) ok = false;
            sum += out[i];
        }
        if (ok && sum > 0) {
            for (size_t i = 0; i < ncols; i++)
                out[i] = out[i] / sum * avail;
            return;
        }
    }
    colm *m = rc_arena_array(L->a, ncols, sizeof *m);
    for (size_t r = 0; r < nrows; r++)
        for (size_t col = 0; col < ncols; col++)
            measure_runs(L, &cells[r][col], &m[col]);
    double snat = 0, smin = 0;
    for (size_t i = 0; i < ncols; i++) {
        m[i].nat += 2 * pad + 1;
        m[i].min += 2 * pad + 1;
        snat += m[i].nat;
        smin += m[i].min;
    }
    if (snat <= avail) {
        for (size_t i = 0; i < ncols; i++)
            out[i] = m[i].nat + (avail - snat) * m[i].nat / snat;
    } else if (smin < avail) {
        /* water-filling from the minimum widths: every column still short
         * of its natural width grows by the same amount, so short columns
         * reach their natural width first and long text takes the rest */
        double rest = avail - smin;
        for (size_t i = 0; i < ncols; i++)
            out[i] = m[i].min;
        while (rest > 1e-6) {
            size_t act = 0;
            double step = rest;
            for (size_t i = 0; i < ncols; i++)
                if (m[i].nat - out[i] > 1e-6) {
                    act++;
                    if (m[i].nat - out[i] < step) step = m[i].nat - out[i];
                }
            if (!act) break;
            if (step * (double)act > rest) step = rest / (double)act;
            for (size_t i = 0; i < ncols; i++)
                if (m[i].nat - out[i] > 1e-6) out[i] += step;
            rest -= step * (double)act;
        }
    } else {
        for (size_t i = 0; i < ncols; i++)
            out[i] = avail * m[i].min / smin;
    }
}

static rc_para_align cell_align(rc_align a)
{
    switch (a) {
    case RC_ALIGN_CENTER:
        return RC_PARA_CENTER;
    case RC_ALIGN_RIGHT:
        return RC_PARA_RIGHT;
    default:
        return RC_PARA_LEFT;
    }
}

void lo_table_block(lo *L, const lo_ctx *c, const rc_node *n)
{
    const double size = 0.9 * L->st.size, lead = 1.28 * size, hpad = 4.0, vpad = 3.0;
    size_t nrows = 0, ncols = n->ncols;
    L->cur_loc = n->loc;
    for (const rc_node *r = n->first; r; r = r->next) {
        if (r->type != RC_NODE_TABLE_ROW) continue;
        size_t k = 0;
        for (const rc_node *cl = r->first; cl; cl = cl->next)
            k += cl->type == RC_NODE_TABLE_CELL;
        if (k > ncols) ncols = k;
        nrows++;
    }
    if (!nrows || !ncols) return;
    /* collect cell runs (footnote references get attached per row) */
    lo_runs **cells = rc_arena_array(L->a, nrows, sizeof *cells);
    const rc_node **rown = rc_arena_array(L->a, nrows, sizeof *rown);
    struct lo_ref **refs = rc_arena_array(L->a, nrows, sizeof *refs);
    size_t *nrefs = rc_arena_array(L->a, nrows, sizeof *nrefs);
    size_t ri = 0;
    /* structure: Table > Caption, THead > TR > TH (column scope), TBody > TR > TD */
    rc_tag *outer = L->tag, *ttag = lo_tag(L, RC_TAG_TABLE), *head_tag = NULL, *body_tag = NULL;
    L->tag = ttag;
    rc_tag *cap_tag =
        (n->number && *n->number) || (n->caption && *n->caption) ? lo_tag(L, RC_TAG_CAPTION) : NULL;
    rc_tag ***ctags = rc_arena_array(L->a, nrows, sizeof *ctags);
    for (const rc_node *r = n->first; r; r = r->next) {
        if (r->type != RC_NODE_TABLE_ROW) continue;
        rown[ri] = r;
        cells[ri] = rc_arena_array(L->a, ncols, sizeof **cells);
        ctags[ri] = rc_arena_array(L->a, ncols, sizeof **ctags);
        rc_tag **part = r->header ? &head_tag : &body_tag;
        L->tag = ttag;
        if (!*part) *part = lo_tag(L, r->header ? RC_TAG_THEAD : RC_TAG_TBODY);
        L->tag = *part;
        L->tag = lo_tag(L, RC_TAG_TR);
        size_t k = 0;
        for (const rc_node *cl = r->first; cl && k < ncols; cl = cl->next) {
            if (cl->type != RC_NODE_TABLE_CELL) continue;
            lo_ist st = {.bold = r->header, .size = size, .colour = L->st.text};
            rc_tag *ct = ctags[ri][k] = lo_tag(L, r->header ? RC_TAG_TH : RC_TAG_TD);
            if (r->header) ct->scope = RC_SCOPE_COLUMN;
            lo_runs_inline(L, &cells[ri][k], cl->first, st);
            for (size_t q = 0; q < L->notes.n; q++) /* notes cited in the cell */
                L->notes.v[q]->parent = ct;
            L->notes.n = 0;
            k++;
        }
        for (; k < ncols; k++) /* missing cells are empty ones: rows stay regular */
            ctags[ri][k] = lo_tag(L, r->header ? RC_TAG_TH : RC_TAG_TD);
        refs[ri] = L->out.refs.v;
        nrefs[ri] = L->out.refs.n;
        memset(&L->out.refs, 0, sizeof L->out.refs);
        ri++;
    }
    L->tag = outer;
    double *cw = rc_arena_array(L->a, ncols, sizeof *cw);
    column_widths(L, n, ncols, cells, nrows, c->w, hpad, cw);

    lo_table *tbl = rc_arena_alloc(L->a, sizeof *tbl);
    lo_span *span = rc_arena_alloc(L->a, sizeof *span);
    span->kind = LO_SPAN_BOTTOM_RULE;
    span->colour = L->st.blue;
    span->x = c->x;
    span->w = c->w;
    span->line_width = 0.8;
    lo_items rv = {0};
    /* a row taller than a page is cut into slices of this many lines */
    const size_t maxlines = (size_t)((LO_BODY_H - 8 * L->st.leading) / lead);
    for (size_t r = 0; r < nrows; r++) {
        lo_row *row = rc_arena_alloc(L->a, sizeof *row);
        row->cells = rc_arena_array(L->a, ncols, sizeof *row->cells);
        row->ncells = ncols;
        row->header = rown[r]->header;
        row->x = c->x;
        row->w = c->w;
        row->vpad = vpad;
        size_t maxl = 1;
        double x = c->x;
        size_t k = 0;
        for (const rc_node *cl = rown[r]->first; k < ncols; k++) {
            while (cl && cl->type != RC_NODE_TABLE_CELL)
                cl = cl->next;
            lo_cell *ce = &row->cells[k];
            ce->tag = ctags[r][k];
            ce->x = x + hpad;
            ce->w = cw[k] - 2 * hpad;
            ce->size = size;
            ce->leading = lead;
            rc_para_align al = cl ? cell_align(cl->align) : RC_PARA_LEFT;
            ce->para = lo_set(L, &cells[r][k], ce->w, lead, al, true);
            if (ce->para && ce->para->nlines > maxl) maxl = ce->para->nlines;
            x += cw[k];
            if (cl) cl = cl->next;
        }
        size_t nslices = (maxl + maxlines - 1) / maxlines;
        if (nslices > 1 && L->d)
            rc_diag_warning(L->d, rown[r]->loc,
                            "table row is taller than a page (%zu lines in one cell); it is "
                            "split across pages",
                            maxl);
        for (size_t sl = 0; sl < nslices; sl++) {
            lo_row *part = row;
            size_t lines = maxl;
            if (nslices > 1) {
                part = rc_arena_alloc(L->a, sizeof *part);
                *part = *row;
                part->cells = rc_arena_array(L->a, ncols, sizeof *part->cells);
                for (size_t q = 0; q < ncols; q++) {
                    part->cells[q] = row->cells[q];
                    part->cells[q].first = sl * maxlines;
                    part->cells[q].count = maxlines;
                }
                lines = sl + 1 < nslices ? maxlines : maxl - sl * maxlines;
                part->cont = sl + 1 < nslices;
            }
            lo_item it = {.kind = LO_ROW,
                          .row = part,
                          .x = c->x,
                          .w = c->w,
                          .brk = true,
                          .table = tbl,
                          .table_head = row->header};
            it.h = (double)lines * lead + 2 * vpad;
            if (sl == 0)
                for (size_t q = 0; q < nrefs[r]; q++)
                    lo_add_fn(L, &it, refs[r][q].fn);
            RC_PUSH(L->tmp, rv, it);
        }
    }
    lo_item *rows = rv.v;
    const size_t nitems = rv.n;
    /* header rows: the leading run of header rows */
    size_t nh = 0;
    while (nh < nitems && rows[nh].table_head)
        nh++;
    tbl->head = rows;
    tbl->nhead = nh;
    for (size_t r = 0; r < nh; r++)
        tbl->head_h += rows[r].h;
    if (nh < nitems) ((lo_row *)rows[nh].row)->first_body = true;
    ((lo_row *)rows[nitems - 1].row)->last = true;

    const double csize = 0.95 * L->st.size, clead = 1.3 * csize;
    lo_items head = {0};
    add_space(L, &head, 0.9 * L->st.leading);
    lo_runs cap = caption_runs(L, RC_W_TABLE, n->number, n->caption, csize);
    if (cap.n) {
        L->leaf = cap_tag;
        add_text(L, &head, c, &cap, csize, clead);
        add_space(L, &head, 0.5 * clead);
    }
    lo_items tail = {0};
    add_space(L, &tail, 2.0);
    add_source(L, &tail, c, n->source_line, n->note);

    double total = 0;
    for (size_t i = 0; i < head.n; i++)
        total += head.v[i].h;
    for (size_t i = 0; i < tail.n; i++)
        total += tail.v[i].h;
    for (size_t r = 0; r < nitems; r++)
        total += rows[r].h;

    if (c->units || total + L->st.leading <= LO_BODY_H) {
        lo_items kids = head;
        for (size_t r = 0; r < nitems; r++)
            RC_PUSH(L->tmp, kids, rows[r]);
        lo_item rule = {
            .kind = LO_RULE, .h = 0, .x = c->x, .w = c->w, .colour = L->st.blue, .line_width = 0.8};
        RC_PUSH(L->tmp, kids, rule);
        for (size_t i = 0; i < tail.n; i++)
            RC_PUSH(L->tmp, kids, tail.v[i]);
        push_float(L, c, &kids, n->id, n->table != NULL);
        return;
    }
    /* too tall for a page: flow row by row */
    lo_space(L, 0.5 * L->st.leading);
    lo_item hu = lo_unit_of(L, &head, c->x, c->w);
    hu.dest = n->id;
    if (hu.h > 0) {
        lo_push(L, hu);
        lo_keep(L);
    }
    for (size_t r = 0; r < nitems; r++) {
        lo_item it = rows[r];
        it.span = span;
        if (r == 0 && hu.h <= 0) it.dest = n->id;
        lo_push(L, it);
        if (r < nh) lo_keep(L); /* header rows stay with the first body row */
    }
    lo_keep(L);
    lo_item tu = lo_unit_of(L, &tail, c->x, c->w);
    lo_push(L, tu);
    lo_space(L, L->st.leading);
}

/* ---- boxes ----------------------------------------------------------- */

void lo_box(lo *L, const lo_ctx *c, const rc_node *n)
{
    const double pad = 0.9 * L->st.leading;
    L->cur_loc = n->loc;
    lo_ctx in = *c;
    in.x = c->x + pad;
    in.w = c->w - 2 * pad;
    in.units = true;
    in.span = NULL;
    lo_items kids = {0};
    lo_out saved = lo_sub_begin(L, &kids);
    const double tsize = 1.05 * L->st.size, tlead = 1.3 * tsize;
    rc_tag *around = L->tag;
    L->tag = lo_tag(L, RC_TAG_SECT); /* Aside is PDF 2.0; PDF/UA-1 has Sect */
    lo_runs title = caption_runs(L, RC_W_BOX, n->number, n->caption, tsize);
    if (title.n) {
        rc_para *p = lo_set(L, &title, in.w, tlead, RC_PARA_LEFT, false);
        /* the box title is a heading one level below the text around it */
        int hl = L->hlevel;
        if (p && p->nlines) L->leaf = lo_heading_tag(L, hl + 1);
        L->hlevel = hl;
        lo_emit_para(L, &in, p, in.x, tlead, tsize, NULL);
        lo_space(L, 0.5 * L->st.leading);
        lo_keep(L);
    }
    lo_blocks(L, &in, n->first);
    L->tag = around;
    lo_sub_end(L, saved);
    if (!kids.n) return;
    double h = 2 * pad;
    for (size_t i = 0; i < kids.n; i++)
        h += kids.v[i].h;
    if (c->units || h + 1.5 * L->st.leading <= LO_BODY_H) {
        lo_items inner = {0};
        add_space(L, &inner, pad);
        for (size_t i = 0; i < kids.n; i++)
            RC_PUSH(L->tmp, inner, kids.v[i]);
        add_space(L, &inner, pad);
        lo_item box = lo_unit_of(L, &inner, c->x, c->w);
        box.filled = true;
        box.fill = L->st.pale;
        lo_items outer = {0};
        add_space(L, &outer, 0.9 * L->st.leading);
        RC_PUSH(L->tmp, outer, box);
        push_float(L, c, &outer, n->id, true);
        return;
    }
    /* taller than a page: flows between paragraphs, shaded per page */
    lo_span *span = rc_arena_alloc(L->a, sizeof *span);
    span->kind = LO_SPAN_FILL;
    span->colour = L->st.pale;
    span->x = c->x;
    span->w = c->w;
    span->pad = pad;
    lo_space(L, c->parskip + pad);
    bool first = true;
    for (size_t i = 0; i < kids.n; i++) {
        lo_item it = kids.v[i];
        if (it.kind == LO_SPACE) {
            lo_space(L, it.h);
            continue;
        }
        it.span = span;
        if (first && !it.dest) it.dest = n->id;
        first = false;
        lo_push(L, it);
    }
    lo_space(L, c->parskip + pad);
}
