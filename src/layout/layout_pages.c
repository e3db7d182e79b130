/* layout_pages: the page builder. Items are placed greedily from the top of
 * the body area. When an item does not fit, the page ends at the last
 * position where a break is allowed (flags set by the item builders encode
 * keep-with-next and widows/orphans) and the rest starts the next page.
 * Each page is first simulated to find its end, then emitted by running the
 * same procedure up to that end, so decisions never differ between the two.
 * Floats that do not fit join a FIFO queue and are placed at the top of
 * the next page while the text that follows keeps filling the current one
 * (after the paragraph that page starts inside, if any); when that leaves
 * the current page partly empty, a look-ahead of two pages may put the
 * float at the top of the current page instead (choose_pull).
 * A line's footnotes must fit on its page together with it; a footnote that
 * could not fit on any page with its line is split at a line and continues
 * at the top of the next page's footnote area (as TeX splits insertions),
 * so no footnote text is drawn outside the body or lost. */
#include "layout_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rc/util.h"

typedef RC_VEC(size_t) idxvec;

/* Kids [from, to) of a footnote's unit shown on one page. */
typedef struct fnpart {
    lo_fn *fn;
    size_t from, to;
} fnpart;
typedef RC_VEC(fnpart) fnparts;

typedef struct pstate {
    size_t pos;
    idxvec q;      /* deferred floats (item indices), in order */
    idxvec pulled; /* floats placed ahead of their position (on the page
                      their callout is on), skipped when the flow reaches them */
    size_t pull;   /* this page: the float (item index) to place ahead, at
                      its top or after the floats before it (SIZE_MAX: none) */
    double vscale; /* this page: factor on the flow's vertical spaces (0 = 1) */
    rc_page_style style;
    int number;
    const char *running;
    bool sec_header, sec_footer;
    /* settings of the page being built */
    bool opening, full;
    /* footnotes (or their rest) that continue on the next page, in order;
     * replaced, never changed in place (the simulation shares it) */
    fnparts carry;
} pstate;

typedef struct run {
    double used, fnh;
    bool any, flow;
    const lo_table *last_tbl;
    fnparts fns;
} run;

/* ---- footnote bookkeeping -------------------------------------------- */

static void place_item(lo *L, lo_pg *pg, run *r, const lo_item *it, bool head);

static bool fn_counted(const run *r, const lo_fn *fn)
{
    if (fn->placed) return true;
    for (size_t i = 0; i < r->fns.n; i++)
        if (r->fns.v[i].fn == fn) return true;
    return false;
}

/* Height of kids [from, to) of a footnote; the unit's space below its last
 * kid goes with the last part. */
static double part_h(const lo_fn *fn, size_t from, size_t to)
{
    const lo_item *u = fn->unit;
    double h = 0, all = 0;
    for (size_t i = 0; i < u->nkids; i++) {
        all += u->kids[i].h;
        if (i >= from && i < to) h += u->kids[i].h;
    }
    return to >= u->nkids ? h + (u->h - all) : h;
}

/* Lays out parts (in order) in room: whole parts while they fit, the first
 * that does not is split after its last kid that fits (at least one kid
 * when nothing was placed yet, so a page always progresses); what remains
 * is returned for the next page. */
static fnparts fit_parts(lo *L, run *r, const fnpart *parts, size_t n, double room)
{
    fnparts rest = {0};
    size_t i = 0;
    for (; i < n; i++) {
        const fnpart *p = &parts[i];
        double h = part_h(p->fn, p->from, p->to);
        if (h <= room) {
            RC_PUSH(L->a, r->fns, *p);
            r->fnh += h;
            room -= h;
            continue;
        }
        size_t to = p->from;
        double used = 0;
        while (to < p->to && used + p->fn->unit->kids[to].h <= room)
            used += p->fn->unit->kids[to++].h;
        if (to == p->from && r->fns.n == 0 && to < p->to) used += p->fn->unit->kids[to++].h;
        if (to > p->from) {
            fnpart head = {p->fn, p->from, to};
            RC_PUSH(L->a, r->fns, head);
            r->fnh += used;
        }
        if (to < p->to) {
            fnpart tail = {p->fn, to, p->to};
            RC_PUSH(L->a, rest, tail);
        }
        i++;
        break;
    }
    for (; i < n; i++)
        RC_PUSH(L->a, rest, parts[i]);
    return rest;
}

/* Extra height the item's new footnotes need on this page. */
static double fn_extra(const run *r, const lo_item *it)
{
    double h = 0;
    for (size_t i = 0; i < it->nfns; i++) {
        const lo_fn *fn = it->fns[i];
        bool dup = fn_counted(r, fn);
        for (size_t k = 0; k < i && !dup; k++)
            dup = it->fns[k] == fn;
        if (!dup) h += fn->unit->h;
    }
    if (h > 0 && r->fnh == 0) h += LO_FN_SEP;
    return h;
}

/* The first footnote of the item not yet on this page or an earlier one. */
static const lo_fn *first_new(const run *r, const lo_item *it)
{
    for (size_t i = 0; i < it->nfns; i++)
        if (!fn_counted(r, it->fns[i])) return it->fns[i];
    return NULL;
}

static void fn_add(lo *L, run *r, const lo_item *it)
{
    r->fnh += fn_extra(r, it);
    for (size_t i = 0; i < it->nfns; i++)
        if (!fn_counted(r, it->fns[i])) {
            fnpart p = {it->fns[i], 0, it->fns[i]->unit->nkids};
            RC_PUSH(L->a, r->fns, p);
        }
}

/* Places an item whose new footnotes could not fit with it on any page:
 * as much of them as fits goes on this page, the rest to ps->carry. */
static void place_split(lo *L, lo_pg *pg, run *r, pstate *ps, const lo_item *it, bool head,
                        double H)
{
    fnparts news = {0};
    for (size_t i = 0; i < it->nfns; i++) {
        bool dup = fn_counted(r, it->fns[i]);
        for (size_t k = 0; k < i && !dup; k++)
            dup = it->fns[k] == it->fns[i];
        if (!dup) {
            fnpart p = {it->fns[i], 0, it->fns[i]->unit->nkids};
            RC_PUSH(L->a, news, p);
        }
    }
    lo_item bare = *it; /* the item without its footnotes, which follow here */
    bare.nfns = 0;
    double need = it->h + (head ? it->table->head_h : 0);
    double room = H - r->used - need - r->fnh - (r->fnh == 0 ? LO_FN_SEP : 0);
    if (r->fnh == 0) r->fnh = LO_FN_SEP;
    fnparts rest = fit_parts(L, r, news.v, news.n, room > 0 ? room : 0);
    fnparts carry = {0}; /* a new vector: the simulation shares the old one */
    for (size_t i = 0; i < ps->carry.n + rest.n; i++)
        RC_PUSH(L->a, carry, i < ps->carry.n ? ps->carry.v[i] : rest.v[i - ps->carry.n]);
    ps->carry = carry;
    if (r->fns.n == 0) r->fnh = 0;
    place_item(L, pg, r, &bare, head);
}

/* ---- placement ------------------------------------------------------- */

static void span_note(lo *L, lo_pg *pg, lo_span *s, double top, double bottom)
{
    for (size_t i = 0; i < pg->spans.n; i++)
        if (pg->spans.v[i].s == s) {
            if (top > pg->spans.v[i].top) pg->spans.v[i].top = top;
            if (bottom < pg->spans.v[i].bottom) pg->spans.v[i].bottom = bottom;
            return;
        }
    struct lo_spanx x = {s, top, bottom};
    RC_PUSH(L->a, pg->spans, x);
}

static bool needs_head(const run *r, const lo_item *it)
{
    return it->kind == LO_ROW && it->table && !it->table_head && it->table->nhead > 0 &&
           r->last_tbl != it->table;
}

static void place_item(lo *L, lo_pg *pg, run *r, const lo_item *it, bool head)
{
    double h = it->h + (head ? it->table->head_h : 0);
    if (pg) {
        double top = LO_BODY_TOP - r->used;
        double y = top;
        /* a repeated header row is an artifact: the table has one header */
        L->artifact += head;
        if (head)
            for (size_t i = 0; i < it->table->nhead; i++) {
                lo_draw_item(L, pg, &it->table->head[i], y);
                y -= it->table->head[i].h;
            }
        L->artifact -= head;
        lo_draw_item(L, pg, it, y);
        if (it->span) span_note(L, pg, it->span, top, top - h);
    }
    fn_add(L, r, it);
    r->used += h;
    r->any = true;
}

static void apply_newpage(pstate *ps, const lo_newpage *np)
{
    if (np->restart >= 0) {
        ps->style = (rc_page_style)np->restart;
        ps->number = 1;
    }
    if (np->running) ps->running = np->running;
    ps->sec_header = np->header;
    ps->sec_footer = np->footer;
    ps->opening = np->opening;
    ps->full = np->full;
}

static bool was_pulled(const pstate *ps, size_t i)
{
    for (size_t k = 0; k < ps->pulled.n; k++)
        if (ps->pulled.v[k] == i) return true;
    return false;
}

/* Places the float the page pulls (item ps->pull) at the current position
 * when the flow from item i holds no other float before it (floats keep
 * their order) and nothing waits in the queue; it must fit there. */
static void pull_now(lo *L, pstate *ps, lo_pg *pg, run *r, size_t i)
{
    const lo_items *v = &L->items;
    size_t f = ps->pull;
    if (f == SIZE_MAX || ps->q.n || f >= v->n || was_pulled(ps, f)) return;
    for (size_t k = i; k < f; k++)
        if (v->v[k].is_float && !was_pulled(ps, k)) return;
    if (r->used + v->v[f].h + r->fnh + fn_extra(r, &v->v[f]) <= LO_BODY_H) {
        place_item(L, pg, r, &v->v[f], false);
        RC_PUSH(L->a, ps->pulled, f);
    }
    ps->pull = SIZE_MAX;
}

/* Places the queued floats that fit, in order, at the current position
 * (the flow is at item i); the float the page pulls may follow them. */
static void flush_queue(lo *L, pstate *ps, lo_pg *pg, run *r, size_t i)
{
    const lo_items *v = &L->items;
    while (ps->q.n) {
        const lo_item *f = &v->v[ps->q.v[0]];
        if (r->any && r->used + f->h + r->fnh + fn_extra(r, f) > LO_BODY_H) break;
        place_item(L, pg, r, f, false);
        memmove(ps->q.v, ps->q.v + 1, (ps->q.n - 1) * sizeof *ps->q.v);
        ps->q.n--;
    }
    pull_now(L, ps, pg, r, i);
}

/* A part with share_page (its newpage item at index nl) may start on the
 * current page, below what is there, when all of it (up to the next part)
 * fits with its footnotes after a gap of two lines: a short part such as a
 * list of authors then does not leave a page 80 % empty. A part that does
 * not fit whole opens its page as usual, so a shared part is never split. */
static bool shared_part_fits(lo *L, const pstate *ps, const run *r, size_t nl, double gap)
{
    const lo_items *v = &L->items;
    if (ps->q.n) return false;
    double h = gap, fnh = r->fnh;
    for (size_t i = nl + 1; i < v->n && v->v[i].kind != LO_NEWPAGE; i++) {
        h += v->v[i].h;
        for (size_t k = 0; k < v->v[i].nfns; k++) {
            if (fnh == 0) fnh = LO_FN_SEP;
            fnh += v->v[i].fns[k]->unit->h;
        }
    }
    return r->used + h + fnh <= LO_BODY_H;
}

/* Fills one page starting at ps->pos with the queued floats first (after
 * the rest of a paragraph the page starts inside: floats do not cut into
 * one). In simulation (pg == NULL) returns where the page must end; when
 * emitting, stops at stop. Updates ps->pos and ps->q. */
static size_t run_page(lo *L, pstate *ps, size_t stop, lo_pg *pg, run *r)
{
    const lo_items *v = &L->items;
    const double H = LO_BODY_H;
    if (ps->carry.n) { /* footnotes continued from the previous page come first */
        r->fnh = LO_FN_SEP;
        ps->carry = fit_parts(L, r, ps->carry.v, ps->carry.n, H - LO_FN_SEP);
        r->any = true;
    }
    /* A float the flow reaches on this page goes at its top, or right after
     * the floats placed before it on the page (pull_now). */
    pull_now(L, ps, pg, r, ps->pos);
    const rc_para *cont = NULL; /* the paragraph the page starts inside */
    if (ps->pos < v->n && v->v[ps->pos].kind == LO_LINE && v->v[ps->pos].line > 0 && !r->any)
        cont = v->v[ps->pos].para;
    if (!cont) flush_queue(L, ps, pg, r, ps->pos);
    size_t last_break = SIZE_MAX;
    size_t i = ps->pos;
    for (; i < v->n && i < stop; i++) {
        const lo_item *it = &v->v[i];
        if (cont && (it->kind != LO_LINE || it->para != cont)) {
            cont = NULL;
            flush_queue(L, ps, pg, r, i);
        }
        if (it->is_float && was_pulled(ps, i)) continue;
        if (it->kind == LO_NEWPAGE) {
            if (r->any && it->np->share && shared_part_fits(L, ps, r, i, 2 * L->st.leading)) {
                r->used += 2 * L->st.leading;
                continue;
            }
            if (r->any) break;
            if (pg) apply_newpage(ps, it->np);
            continue;
        }
        if (it->kind == LO_SPACE) {
            /* discarded at the top of a page, kept after floats there (a
             * heading after a figure gets its full space above) */
            if (!r->flow && !r->any) continue;
            double sh = ps->vscale > 0 ? ps->vscale * it->h : it->h;
            if (r->used + sh + r->fnh <= H) {
                if (it->brk) last_break = i;
                r->used += sh;
                continue;
            }
            if (it->brk) break;
            if (last_break != SIZE_MAX) {
                i = last_break;
                break;
            }
            continue; /* an unbreakable space that overflows: let it go */
        }
        if (it->is_float) {
            if (ps->q.n) {
                RC_PUSH(L->a, ps->q, i);
                continue;
            }
            if (!r->any || r->used + it->h + r->fnh + fn_extra(r, it) <= H) {
                place_item(L, pg, r, it, false);
                pull_now(L, ps, pg, r, i + 1);
                continue;
            }
            RC_PUSH(L->a, ps->q, i);
            continue;
        }
        bool head = needs_head(r, it);
        double need = it->h + (head ? it->table->head_h : 0);
        run none = {0}; /* its new footnotes cannot fit with it even on an empty page: */
        if (it->nfns && fn_extra(&none, it) > 0 && need + fn_extra(&none, it) > H) {
            /* split its footnotes here if the item and a first footnote
             * line fit, else (unless forced) try the next page */
            const lo_fn *f0 = first_new(r, it);
            double first = f0 && f0->unit->nkids ? f0->unit->kids[0].h : 0;
            if (!r->any || r->used + need + r->fnh + (r->fnh == 0 ? LO_FN_SEP : 0) + first <= H) {
                if (it->brk && r->flow) last_break = i;
                place_split(L, pg, r, ps, it, head, H);
                r->flow = true;
                r->last_tbl = it->kind == LO_ROW ? it->table : NULL;
                continue;
            }
        } else if (!r->any || r->used + need + r->fnh + fn_extra(r, it) <= H) {
            if (it->brk && r->flow) last_break = i;
            place_item(L, pg, r, it, head);
            r->flow = true;
            r->last_tbl = it->kind == LO_ROW ? it->table : NULL;
            continue;
        }
        if (it->brk && r->flow) break;
        if (last_break != SIZE_MAX) i = last_break;
        break; /* forced: nothing on this page allows a break */
    }
    ps->pos = i;
    return i;
}

/* ---- page decoration ------------------------------------------------- */

static void finish_page(lo *L, lo_pg *pg, pstate *ps, run *r)
{
    lo_style *s = &L->st;
    pg->fg->tag = NULL; /* shading, rules, running heads and folios are artifacts */
    /* spans: box shading and table bottom rules, per page */
    for (size_t i = 0; i < pg->spans.n; i++) {
        const struct lo_spanx *x = &pg->spans.v[i];
        if (x->s->kind == LO_SPAN_FILL) {
            double top = x->top + x->s->pad, bottom = x->bottom - x->s->pad;
            rc_draw_rect(L->a, pg->bg, x->s->x, bottom, x->s->w, top - bottom, &x->s->colour, NULL,
                         0);
        } else {
            rc_draw_line(L->a, pg->fg, x->s->x, x->bottom, x->s->x + x->s->w, x->bottom,
                         x->s->colour, x->s->line_width);
        }
    }
    /* footnotes, stacked up from the bottom of the body */
    if (r->fns.n) {
        double h = 0;
        for (size_t i = 0; i < r->fns.n; i++)
            h += part_h(r->fns.v[i].fn, r->fns.v[i].from, r->fns.v[i].to);
        double area = LO_BODY_BOTTOM + h + LO_FN_SEP;
        rc_draw_line(L->a, pg->fg, LO_LEFT, area - 4.0, LO_LEFT + 0.25 * LO_WIDTH, area - 4.0,
                     s->grey, 0.5);
        double y = area - LO_FN_SEP;
        for (size_t i = 0; i < r->fns.n; i++) {
            const fnpart *p = &r->fns.v[i];
            const lo_item *u = p->fn->unit;
            if (p->from == 0 && p->to >= u->nkids) {
                lo_draw_item(L, pg, u, y); /* the whole note, as before */
            } else {
                if (p->from == 0 && u->dest) { /* the note's anchor is on its first part */
                    rc_draw_dest(L->a, pg->fg, u->x, y, u->dest);
                    lo_register_dest(L, u->dest, pg->index);
                }
                double yy = y;
                for (size_t k = p->from; k < p->to; k++) {
                    lo_draw_item(L, pg, &u->kids[k], yy);
                    yy -= u->kids[k].h;
                }
            }
            y -= part_h(p->fn, p->from, p->to);
            p->fn->placed = true;
        }
    }
    rc_page page = {.style = ps->style, .number = ps->number};
    page.label = lo_page_label(L, ps->style, ps->number);
    const double hs = 0.8 * s->size;
    if (!ps->full && !ps->opening && ps->sec_header) {
        const char *title = L->cfg && L->cfg->report.title.s ? L->cfg->report.title.s : "";
        const char *left = lo_fit_text(L, RC_FONT_REGULAR, hs, title, 0.46 * LO_WIDTH);
        const char *right =
            lo_fit_text(L, RC_FONT_REGULAR, hs, ps->running ? ps->running : "", 0.46 * LO_WIDTH);
        rc_draw_text(L->a, pg->fg, RC_FONT_REGULAR, hs, LO_LEFT, LO_HEADER_BASE, left, strlen(left),
                     s->grey);
        double rw = lo_text_width(L, RC_FONT_REGULAR, hs, right, strlen(right));
        rc_draw_text(L->a, pg->fg, RC_FONT_REGULAR, hs, LO_LEFT + LO_WIDTH - rw, LO_HEADER_BASE,
                     right, strlen(right), s->grey);
        rc_draw_line(L->a, pg->fg, LO_LEFT, LO_HEADER_BASE - 4.5, LO_LEFT + LO_WIDTH,
                     LO_HEADER_BASE - 4.5, s->tint, 0.5);
    }
    if (!ps->full && ps->sec_footer && *page.label) {
        const double fs = 0.85 * s->size;
        double w = lo_text_width(L, RC_FONT_REGULAR, fs, page.label, strlen(page.label));
        rc_draw_text(L->a, pg->fg, RC_FONT_REGULAR, fs, LO_LEFT + (LO_WIDTH - w) / 2,
                     LO_FOOTER_BASE, page.label, strlen(page.label), s->grey);
    }
    /* Background first, then everything else, joined into a list of the
     * exact size without leaving a copy behind (rc_draw_join), also when
     * there is no background: the foreground grew by doubling, and every
     * page is held until the PDF is written (its room to spare was ~10 MB
     * at 1,000 pages, for a copy of 44 KB per page). */
    /* A page the PDF writer gives back once written (release_pages) keeps
     * its foreground list, room to spare and all, when it has no
     * background: the copy (and the zeroing of its new block) was 40 KB a
     * page. */
    page.content =
        L->res->release_pages && pg->bg->ops.n == 0 ? pg->fg : rc_draw_join(L->a, pg->bg, pg->fg);
    RC_PUSH(L->a, L->res->pages, page);
    ps->number++;
    ps->opening = false;
    ps->full = false;
}

static idxvec copy_idx(lo *L, const idxvec *v)
{
    idxvec c = {0};
    for (size_t i = 0; i < v->n; i++)
        RC_PUSH(L->a, c, v->v[i]);
    return c;
}

/* One page simulated from ps (left untouched): where it ends, how much of
 * the body stays empty, and the state the next page starts from. The page
 * is run twice, as when emitting: once to find its end, once up to it. */
typedef struct trial {
    size_t end;
    double empty;
    pstate next;
} trial;

static trial simulate(lo *L, const pstate *ps, size_t pull, double vscale)
{
    pstate a = *ps;
    a.vscale = vscale;
    a.q = copy_idx(L, &ps->q);
    a.pulled = copy_idx(L, &ps->pulled);
    a.pull = pull;
    run r1 = {0};
    trial t = {.end = run_page(L, &a, SIZE_MAX, NULL, &r1)};
    t.next = *ps;
    t.next.q = copy_idx(L, &ps->q);
    t.next.pulled = copy_idx(L, &ps->pulled);
    t.next.pull = pull;
    t.next.vscale = vscale;
    run r2 = {0};
    run_page(L, &t.next, t.end, NULL, &r2);
    t.next.pull = SIZE_MAX;
    t.next.vscale = 0;
    t.empty = r2.any ? LO_BODY_H - r2.used - r2.fnh : 0;
    if (t.empty < 0) t.empty = 0;
    return t;
}

/* The first line in items [from, f) that links to float f, or SIZE_MAX. */
static size_t callout_line(const lo *L, size_t from, size_t f)
{
    const lo_item *v = L->items.v;
    const char *id = v[f].dest;
    if (!id) return SIZE_MAX;
    for (size_t i = from; i < f; i++) {
        if (v[i].kind != LO_LINE || !v[i].para || v[i].line >= v[i].para->nlines) continue;
        const rc_line *ln = &v[i].para->lines[v[i].line];
        for (size_t k = 0; k < ln->nfrags; k++)
            if (ln->frags[k].style->link_dest && strcmp(ln->frags[k].style->link_dest, id) == 0)
                return i;
    }
    return SIZE_MAX;
}

static size_t part_end(const lo *L, size_t from);

/* The empty space of a simulated page that counts against a placement:
 * none on a page that ends its part (nothing follows it there: the
 * chapter's last page may stay short, as in any book). */
static double hole(const lo *L, const pstate *from, const trial *t)
{
    if (t->end >= part_end(L, from->pos) && t->next.q.n == 0) return 0;
    return t->empty;
}

/* Float placement with a look-ahead of two pages: when a float waits for
 * the next page and leaves this one partly empty (the text that follows
 * ran out, as at the end of a chapter, or the float is taller than what is
 * left), the float may instead go at the top of this page, the one its
 * callout is on (after the floats that waited from the page before, if
 * any), with the text below it; whichever leaves less empty space over the
 * two pages wins, not counting the last page of a part. Returns the pull
 * setting for the page (SIZE_MAX: floats wait as usual). */
static size_t choose_pull(lo *L, const pstate *ps, trial *keep)
{
    trial a = simulate(L, ps, SIZE_MAX, 0);
    *keep = a;
    if (a.next.q.n == 0 || a.empty < 0.1 * LO_BODY_H) return SIZE_MAX;
    /* the floats that waited must all be placed here, so the pulled one
     * follows them in order */
    for (size_t k = 0; k < ps->q.n; k++)
        for (size_t j = 0; j < a.next.q.n; j++)
            if (a.next.q.v[j] == ps->q.v[k]) return SIZE_MAX;
    size_t f = a.next.q.v[0]; /* the float this page deferred */
    trial b = simulate(L, ps, f, 0);
    /* the line that calls the float out (a link to it), if it is on this
     * page, must stay on it */
    size_t callout = callout_line(L, ps->pos, f);
    if (b.next.pulled.n == ps->pulled.n || (callout != SIZE_MAX && callout >= b.end))
        return SIZE_MAX;
    trial a2 = simulate(L, &a.next, SIZE_MAX, 0), b2 = simulate(L, &b.next, SIZE_MAX, 0);
    if (hole(L, &b.next, &b2) + b.empty + 1.0 >= hole(L, &a.next, &a2) + a.empty) return SIZE_MAX;
    *keep = b;
    return f;
}

/* Where the part the page at ps belongs to ends: the next page-break item
 * (a chapter or front-matter part starts) or the end. */
static size_t part_end(const lo *L, size_t from)
{
    size_t i = from;
    while (i < L->items.n && L->items.v[i].kind == LO_NEWPAGE) /* the part's own */
        i++;
    while (i < L->items.n && L->items.v[i].kind != LO_NEWPAGE)
        i++;
    return i;
}

/* Vertical spaces of the flow shrunk to as little as MIN_VSCALE of their
 * height on one page, as TeX shrinks \parskip and the space around
 * headings, where that avoids a hole: when a float waiting for the next
 * page leaves more than 15 % of this one empty and shrinking lets it in,
 * and when a part would end with a few lines alone on its last page (the
 * sample's introduction: two lines) and shrinking the page before makes
 * them fit there. Returns the factor (0: none). */
#define MIN_VSCALE 0.5
static double choose_vscale(lo *L, const pstate *ps, const trial *a)
{
    if (a->next.q.n && a->empty > 0.15 * LO_BODY_H) {
        /* a float waits and leaves a hole: shrunk spaces may let it in */
        for (double f = 0.9; f >= MIN_VSCALE - 1e-9; f -= 0.1) {
            trial c = simulate(L, ps, SIZE_MAX, f);
            if (c.next.q.n < a->next.q.n && c.end >= a->end && c.empty < a->empty) return f;
        }
        return 0;
    }
    if (a->next.q.n || ps->q.n || a->empty > 0.05 * LO_BODY_H) return 0;
    size_t pe = part_end(L, ps->pos);
    if (a->end >= pe) return 0;
    trial a2 = simulate(L, &a->next, SIZE_MAX, 0);
    if (a2.end < pe || a2.next.q.n || LO_BODY_H - a2.empty > 0.15 * LO_BODY_H) return 0;
    for (double f = 0.9; f >= MIN_VSCALE - 1e-9; f -= 0.1) {
        trial c = simulate(L, ps, SIZE_MAX, f);
        if (c.end >= pe && c.next.q.n == 0) return f;
    }
    return 0;
}

/* The page simulated from ps as it would be emitted when it ends before
 * item stop (a legal break). */
static trial simulate_to(lo *L, const pstate *ps, size_t stop)
{
    trial t;
    t.end = stop;
    t.next = *ps;
    t.next.q = copy_idx(L, &ps->q);
    t.next.pulled = copy_idx(L, &ps->pulled);
    run r = {0};
    run_page(L, &t.next, stop, NULL, &r);
    t.empty = r.any ? LO_BODY_H - r.used - r.fnh : 0;
    if (t.empty < 0) t.empty = 0;
    return t;
}

/* A full page may end a few lines early when the next page is the last of
 * its part's text, floats still wait after it (they did not fit) and it
 * would stay more than 20 % empty: the lines moved over fill that hole
 * (the sample's p22 before Box 4), as long as this page stays at most 15 %
 * empty and the next one takes them with the same floats. Returns the
 * item before which this page ends (SIZE_MAX: where it fills up). */
static size_t choose_stop(lo *L, const pstate *ps, const trial *a)
{
    const double H = LO_BODY_H;
    if (a->empty > 0.05 * H) return SIZE_MAX;
    size_t pe = part_end(L, ps->pos);
    if (a->end >= pe) return SIZE_MAX;
    trial a2 = simulate(L, &a->next, SIZE_MAX, 0);
    if (a2.end < pe || a2.next.q.n == 0 || a2.empty <= 0.2 * H) return SIZE_MAX;
    for (size_t k = a->end; k-- > ps->pos + 1;) {
        const lo_item *it = &L->items.v[k];
        if (!it->brk || it->is_float || it->kind == LO_NEWPAGE) continue;
        trial c = simulate_to(L, ps, k);
        if (c.empty > 0.15 * H) break;
        if (c.next.q.n != a->next.q.n) continue;
        trial c2 = simulate(L, &c.next, SIZE_MAX, 0);
        if (c2.end >= pe && c2.next.q.n == a2.next.q.n && c2.empty <= 0.2 * H) return k;
    }
    return SIZE_MAX;
}

/* Room for this many operations in a page's list from the start: more
 * than 2 KiB (rc/arena.h's VEC_OWN), and about what a page of text holds
 * (366 on average at 1,006 pages), so that it seldom grows (each growth
 * copies the list and zeroes the new room). */
#define LO_PAGE_OPS 512

struct lo_pag {
    pstate ps;
    size_t guard;
};

void lo_paginate_begin(lo *L)
{
    L->pag = rc_arena_alloc(L->keep, sizeof *L->pag);
    L->pag->ps = (pstate){.style = RC_PAGE_ARABIC,
                          .number = 1,
                          .sec_header = true,
                          .sec_footer = true,
                          .pull = SIZE_MAX};
}

size_t lo_paginate_pos(const lo *L)
{
    return L->pag->ps.pos;
}

bool lo_paginate_idle(const lo *L)
{
    return L->pag->ps.q.n == 0 && L->pag->ps.carry.n == 0;
}

bool lo_paginate_step(lo *L)
{
    pstate *ps = &L->pag->ps;
    while (ps->pos < L->items.n || ps->q.n || ps->carry.n) {
        /* a pulled float the flow has passed is never asked about again
         * (was_pulled is asked from ps->pos on): kept, the list grew with
         * the document and every page's look-ahead copied and scanned it,
         * quadratic (lo_paginate 6.9x the work for 5x the pages) */
        size_t kept = 0;
        for (size_t k = 0; k < ps->pulled.n; k++)
            if (ps->pulled.v[k] >= ps->pos) ps->pulled.v[kept++] = ps->pulled.v[k];
        ps->pulled.n = kept;
        trial t;
        size_t pull = choose_pull(L, ps, &t);
        double vscale = pull == SIZE_MAX ? choose_vscale(L, ps, &t) : 0;
        if (vscale > 0) t = simulate(L, ps, SIZE_MAX, vscale);
        size_t stop = pull == SIZE_MAX && vscale == 0 ? choose_stop(L, ps, &t) : SIZE_MAX;
        if (stop != SIZE_MAX) t.end = stop;
        size_t end = t.end;
        lo_pg pg = {.bg = rc_draw_new(L->a), .fg = rc_draw_new(L->a), .index = L->res->pages.n};
        /* The page's list starts in a block of its own (a vector past
         * 2 KiB, rc/arena.h), given back with the page once it is written
         * (rc_layout.release_pages): grown from 8 ops it left its first
         * two copies, 2.7 KB, in the shared blocks for the whole build
         * (2.7 MB at 1,006 pages). */
        pg.fg->ops.v = rc_arena_grow_raw(L->a, NULL, 0, LO_PAGE_OPS, sizeof *pg.fg->ops.v);
        pg.fg->ops.cap = LO_PAGE_OPS;
        pg.fg->tags = L->tags; /* links inside lines get elements of their own */
        run re = {0};
        size_t start = ps->pos, q0 = ps->q.n;
        ps->pull = pull;
        ps->vscale = vscale;
        run_page(L, ps, end, &pg, &re);
        ps->pull = SIZE_MAX;
        ps->vscale = 0;
        if (!re.any) {
            /* nothing left to show (trailing page settings) */
            if (ps->pos == start && ps->q.n == q0) ps->pos++;
            continue;
        }
        finish_page(L, &pg, ps, &re);
        /* complete now, unless contents are drawn on it at the end */
        if (!L->fixups.n || L->fixups.v[L->fixups.n - 1].page != pg.index)
            RC_PUSH(L->a, L->ready, pg.index);
        return ++L->pag->guard <= 100000;
    }
    return false;
}
