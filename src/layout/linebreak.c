/* linebreak: Knuth & Plass, "Breaking paragraphs into lines" (Software:
 * Practice and Experience 11, 1981), the total-fit algorithm of TeX §813ff.
 *
 * Items are boxes, glue and penalties. A legal break is glue directly after a
 * box, or a penalty below 10000. For every legal break b the active nodes
 * (earlier breaks from which a line ending at b may still be feasible) are
 * tried: the adjustment ratio r of the line gives its badness 100|r|^3, and
 * the demerits (l + b)^2 ± p^2 plus the flagged/fitness extras accumulate
 * along the path. Per fitness class and line-width class only the best
 * candidate becomes a new active node (the paper's D_c / A_c), and only if it
 * is within adj_demerits of the best over all classes. Nodes whose line would
 * be overfull (r < -1) are deactivated; after a forced break none survive.
 *
 * Scratch memory is malloc'ed per call and freed before returning (the
 * signature has no arena): a node pool plus a small candidate table. */
#include "rc/linebreak.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX
enum { STACK_NODES = 64, STACK_CANDS = 64 };

enum { FIT_VERY_LOOSE, FIT_LOOSE, FIT_DECENT, FIT_TIGHT, NFIT };

/* The active nodes made at one break from one line-width class: they share
 * the sums after the break and the width of the next line, so a line from
 * any of them to a later break has the same length, stretch and shrink,
 * hence the same adjustment ratio, badness and fitness class. They are kept
 * together (consecutive ids in the pool, the newest first) and tried
 * together: the ratio once per group, only the demerits that depend on the
 * node (its total, flag, fitness and hyphen run) once per node. A group is
 * deactivated whole, as its ratio decides it.
 *
 * Most groups at most breaks are lines still too short to reach the width
 * within the tolerance (the hyphenating passes keep ~20 groups alive). When
 * no item has a negative width or stretch and no newer group has a narrower
 * line (mono), "too short" is monotone along the list: the sums after a
 * newer group's break are at least an older one's (floating-point addition
 * is monotone), so its line is no longer and has no more stretch, and the
 * test below, made of monotone operations, holds for it too. The groups are
 * then tried from the oldest until the first too short one, and the newer
 * ones are passed over unseen; the ones tried are still evaluated newest
 * first, the order that decides ties. */
typedef struct node {
    size_t pos;   /* item index of the break; NONE for the paragraph start */
    size_t line;  /* lines ending at or before this break */
    size_t prev;  /* node of the previous break */
    double total; /* total demerits up to here */
    int fitness;
    bool flagged;
    unsigned hrun; /* consecutive hyphenated lines ending here */
    /* group fields, valid in a group's head (its newest node, the highest id) */
    size_t next;           /* head of the next (older) active group */
    size_t newer;          /* head of the previous (newer) active group */
    size_t enext;          /* try_break: the next group to evaluate */
    size_t gn;             /* nodes in the group: ids head - gn + 1 .. head */
    double tw, ty, tz, tf; /* width/stretch/shrink/fil sums after the break */
    double lw;             /* the width of the line that starts here */
} node;

typedef struct cand {
    double d;
    size_t from;
} cand;

typedef struct lb {
    const rc_lb_item *it;
    size_t n;
    const double *widths;
    size_t nw;
    const rc_lb_params *p;
    node *pool;
    size_t npool, cappool;
    bool heap;           /* pool was malloc'ed (else it is the caller's stack array) */
    size_t active, tail; /* heads of the newest and the oldest active group */
    bool mono;           /* "too short" is monotone along the list (see node) */
    cand *cands;         /* nh * NFIT * (nw + 1) */
    size_t nh;           /* hyphen-run classes: max_hyphen_run + 1, or 1 */
    size_t *used;
    size_t nused;
    double w, y, z, f; /* running sums before the current item */
    bool oom;
} lb;

rc_lb_params rc_lb_defaults(double tolerance)
{
    rc_lb_params p = {
        .tolerance = tolerance,
        .line_penalty = 10,
        .double_hyphen_demerits = 10000,
        .final_hyphen_demerits = 5000,
        .adj_demerits = 10000,
        .badness_cap = 10000,
        .max_hyphen_run = 2,
    };
    return p;
}

static int fitness(double r)
{
    if (r < -0.5) return FIT_TIGHT;
    if (r <= 0.5) return FIT_DECENT;
    if (r <= 1) return FIT_LOOSE;
    return FIT_VERY_LOOSE;
}

static size_t new_node(lb *s)
{
    if (s->npool == s->cappool) {
        size_t nc = s->cappool ? s->cappool * 2 : 64;
        node *np = s->heap ? realloc(s->pool, nc * sizeof *np) : malloc(nc * sizeof *np);
        if (!np) {
            s->oom = true;
            return NONE;
        }
        if (!s->heap && s->npool) memcpy(np, s->pool, s->npool * sizeof *np);
        s->heap = true;
        s->pool = np;
        s->cappool = nc;
    }
    return s->npool++;
}

static bool is_fil(double stretch)
{
    return stretch >= RC_LB_FIL;
}

/* Adds a new active node at break b for each surviving candidate. */
static void add_nodes(lb *s, size_t b, bool flagged)
{
    /* The least demerits per hyphen-run class: a candidate more than
     * adj_demerits above its class's best can never win (it differs from it
     * only in fitness and line class), but one in another class may, since
     * it may still hyphenate where the other may not. */
    double dmin[8];
    for (size_t h = 0; h < s->nh; h++)
        dmin[h] = INFINITY;
    size_t per = NFIT * (s->nw + 1);
    for (size_t k = 0; k < s->nused; k++) {
        size_t h = s->used[k] / per;
        if (s->cands[s->used[k]].d < dmin[h]) dmin[h] = s->cands[s->used[k]].d;
    }
    /* Sums after the break: discard the glue and penalties that follow it. */
    double tw = s->w, ty = s->y, tz = s->z, tf = s->f;
    for (size_t i = b; i < s->n; i++) {
        const rc_lb_item *x = &s->it[i];
        if (x->type == RC_LB_BOX) break;
        if (x->type == RC_LB_GLUE) {
            if (!(x->width >= 0 && x->stretch >= 0)) s->mono = false;
            tw += x->width;
            if (is_fil(x->stretch))
                tf += x->stretch;
            else
                ty += x->stretch;
            tz += x->shrink;
        } else if (x->penalty <= -10000 && i > b) {
            break;
        }
    }
    /* The new nodes, consecutive ids in the order of s->used; then each run
     * of them with one line width is a group, put at the front of the list
     * in turn (so the list holds them newest first, as each node put at the
     * front by itself would be). */
    size_t first = s->npool;
    for (size_t k = 0; k < s->nused; k++) {
        cand *c = &s->cands[s->used[k]];
        if (c->d <= dmin[s->used[k] / per] + s->p->adj_demerits) {
            size_t id = new_node(s);
            if (id == NONE) return;
            node *nd = &s->pool[id];
            nd->pos = b;
            nd->line = s->pool[c->from].line + 1;
            nd->lw = s->widths[nd->line < s->nw ? nd->line : s->nw - 1];
            nd->prev = c->from;
            nd->total = c->d;
            size_t cls = s->used[k] / (s->nw + 1);
            nd->fitness = (int)(cls % NFIT);
            nd->flagged = flagged;
            nd->hrun = flagged ? s->pool[c->from].hrun + 1 : 0;
        }
        c->d = INFINITY;
    }
    for (size_t g0 = first; g0 < s->npool;) {
        size_t h = g0;
        while (h + 1 < s->npool && s->pool[h + 1].lw == s->pool[g0].lw)
            h++;
        node *hd = &s->pool[h];
        hd->gn = h - g0 + 1;
        hd->tw = tw;
        hd->ty = ty;
        hd->tz = tz;
        hd->tf = tf;
        hd->next = s->active;
        hd->newer = NONE;
        if (s->active != NONE) {
            if (hd->lw < s->pool[s->active].lw) s->mono = false;
            s->pool[s->active].newer = h;
        } else {
            s->tail = h;
        }
        s->active = h;
        g0 = h + 1;
    }
    s->nused = 0;
}

/* Whether a line from group g to the current break (pw: the penalty's
 * width) is still too short to stretch to the width within the tolerance:
 * the test r > tolerance of try_break without the division, with a margin
 * far above the rounding of either, so it never passes over a line the
 * division would accept. Such a line records nothing and leaves g active. */
static inline bool too_short(const lb *s, const node *g, double pw, bool forced)
{
    double len = s->w - g->tw + pw;
    return !forced && len < g->lw && !(s->f - g->tf > 0) && s->y - g->ty > 0 &&
           g->lw - len > s->p->tolerance * (s->y - g->ty) * (1 + 1e-9);
}

/* The lines from the nodes of group g (head id cur) to break b: the
 * candidates they make; whether the group is to be deactivated. */
static inline __attribute__((always_inline)) bool
eval_group(lb *s, size_t cur, double pi, double pw, bool flagged, bool last, bool forced)
{
    const rc_lb_params *p = s->p;
    const node *g = &s->pool[cur];
    double width = g->lw;
    double len = s->w - g->tw + pw, r;
    if (len < width) {
        double yy = s->y - g->ty;
        if (s->f - g->tf > 0)
            r = 0;
        else
            r = yy > 0 ? (width - len) / yy : INFINITY;
    } else if (len > width) {
        double zz = s->z - g->tz;
        r = zz > 0 ? (width - len) / zz : -INFINITY;
    } else {
        r = 0;
    }
    if (r >= -1 && r <= p->tolerance) {
        /* what every node of the group shares, summed in the order the
         * demerits of one node always were */
        double bad = isinf(r) ? p->badness_cap : 100 * fabs(r * r * r);
        if (bad > p->badness_cap) bad = p->badness_cap;
        double d0 = (p->line_penalty + bad) * (p->line_penalty + bad);
        if (pi > 0)
            d0 += pi * pi;
        else if (pi > -10000)
            d0 -= pi * pi;
        int c = fitness(r);
        size_t gn = g->gn;
        for (size_t id = cur; id + gn > cur; id--) { /* the group, newest first */
            const node *a = &s->pool[id];
            unsigned hrun = flagged ? a->hrun + 1 : 0;
            if (s->nh > 1 && hrun > p->max_hyphen_run) continue;
            double d = d0;
            if (flagged && a->flagged) d += p->double_hyphen_demerits;
            if (last && a->flagged) d += p->final_hyphen_demerits;
            if (abs(c - a->fitness) > 1) d += p->adj_demerits;
            d += a->total;
            size_t lc = a->line + 1 < s->nw ? a->line + 1 : s->nw;
            /* Breaks with different hyphen runs are kept apart, or a
             * cheaper path ending in two hyphens could hide one that may
             * still hyphenate its next line. */
            size_t hc = s->nh > 1 ? hrun : 0;
            size_t key = (hc * NFIT + (size_t)c) * (s->nw + 1) + lc;
            cand *cd = &s->cands[key];
            if (isinf(cd->d)) s->used[s->nused++] = key;
            if (d < cd->d) {
                cd->d = d;
                cd->from = id;
            }
        }
    }
    return r < -1 || forced;
}

static void unlink_group(lb *s, size_t g)
{
    node *x = &s->pool[g];
    if (x->newer == NONE)
        s->active = x->next;
    else
        s->pool[x->newer].next = x->next;
    if (x->next == NONE)
        s->tail = x->newer;
    else
        s->pool[x->next].newer = x->newer;
}

static void try_break(lb *s, size_t b, double pi, double pw, bool flagged, bool last)
{
    bool forced = pi <= -10000;
    if (s->mono) {
        /* from the oldest group to the first too short one, then those
         * evaluated newest first */
        size_t todo = NONE;
        for (size_t g = s->tail; g != NONE; g = s->pool[g].newer) {
            if (too_short(s, &s->pool[g], pw, forced)) break;
            s->pool[g].enext = todo;
            todo = g;
        }
        while (todo != NONE) {
            size_t g = todo;
            todo = s->pool[g].enext;
            if (eval_group(s, g, pi, pw, flagged, last, forced)) unlink_group(s, g);
        }
    } else {
        for (size_t g = s->active; g != NONE;) {
            size_t older = s->pool[g].next;
            if (!too_short(s, &s->pool[g], pw, forced) &&
                eval_group(s, g, pi, pw, flagged, last, forced))
                unlink_group(s, g);
            g = older;
        }
    }
    if (s->nused) add_nodes(s, b, flagged);
}

size_t rc_linebreak_ex(const rc_lb_item *items, size_t n, const double *widths, size_t nwidths,
                       const rc_lb_params *p, size_t *breaks, size_t cap, double *demerits)
{
    if (demerits) *demerits = 0;
    if (n == 0 || nwidths == 0 || !widths) return 0;
    lb s = {.it = items, .n = n, .widths = widths, .nw = nwidths, .p = p, .active = NONE};
    /* see node: a tolerance the test scales by; every width and stretch
     * is checked as it enters a sum (the main loop, add_nodes) */
    s.mono = p->tolerance >= 0;
    s.nh = p->max_hyphen_run > 0 && p->max_hyphen_run < 8 ? (size_t)p->max_hyphen_run + 1 : 1;
    size_t ncand = s.nh * NFIT * (nwidths + 1);
    /* Most paragraphs need a few dozen nodes and candidates: on the stack,
     * not three mallocs per pass (0.3 M instructions of the sample). */
    node stack_pool[STACK_NODES];
    cand stack_cands[STACK_CANDS];
    size_t stack_used[STACK_CANDS];
    s.pool = stack_pool;
    s.cappool = STACK_NODES;
    bool small = ncand <= STACK_CANDS;
    s.cands = small ? stack_cands : malloc(ncand * sizeof *s.cands);
    s.used = small ? stack_used : malloc(ncand * sizeof *s.used);
    size_t result = 0;
    if (!s.cands || !s.used) goto done;
    for (size_t k = 0; k < ncand; k++)
        s.cands[k].d = INFINITY;
    size_t start = new_node(&s);
    if (start == NONE) goto done;
    s.pool[start] = (node){.pos = NONE,
                           .prev = NONE,
                           .next = NONE,
                           .newer = NONE,
                           .gn = 1,
                           .fitness = FIT_DECENT,
                           .lw = widths[0]};
    s.active = s.tail = start;
    bool ended = false;
    for (size_t b = 0; b < n && s.active != NONE && !s.oom; b++) {
        const rc_lb_item *x = &items[b];
        switch (x->type) {
        case RC_LB_BOX:
            if (!(x->width >= 0)) s.mono = false;
            s.w += x->width;
            break;
        case RC_LB_GLUE:
            /* most breaks: even the oldest line is too short (see node) */
            if (b > 0 && items[b - 1].type == RC_LB_BOX &&
                !(s.mono && too_short(&s, &s.pool[s.tail], 0, false)))
                try_break(&s, b, 0, 0, false, false);
            if (!(x->width >= 0 && x->stretch >= 0)) s.mono = false;
            s.w += x->width;
            if (is_fil(x->stretch))
                s.f += x->stretch;
            else
                s.y += x->stretch;
            s.z += x->shrink;
            break;
        case RC_LB_PENALTY:
            if (x->penalty < 10000) {
                bool last = b == n - 1;
                double pi = last && x->penalty > -10000 ? -10000 : x->penalty;
                if (!(s.mono && too_short(&s, &s.pool[s.tail], x->width, pi <= -10000)))
                    try_break(&s, b, pi, x->width, x->flagged, last);
                ended = last;
            }
            break;
        }
    }
    if (!ended && s.active != NONE && !s.oom) {
        /* No final forced break: end the paragraph after the last item. */
        try_break(&s, n - 1, -10000, 0, false, true);
        ended = true;
    }
    if (!ended || s.oom) goto done;
    size_t best = NONE;
    for (size_t g = s.active; g != NONE; g = s.pool[g].next)
        for (size_t id = g; id + s.pool[g].gn > g; id--)
            if (s.pool[id].pos == n - 1 && (best == NONE || s.pool[id].total < s.pool[best].total))
                best = id;
    if (best == NONE) goto done;
    size_t count = 0;
    for (size_t id = best; s.pool[id].pos != NONE; id = s.pool[id].prev)
        count++;
    if (count > cap) goto done;
    size_t k = count;
    for (size_t id = best; s.pool[id].pos != NONE; id = s.pool[id].prev)
        breaks[--k] = s.pool[id].pos;
    if (demerits) *demerits = s.pool[best].total;
    result = count;
done:
    if (s.heap) free(s.pool);
    if (!small) {
        free(s.cands);
        free(s.used);
    }
    return result;
}

size_t rc_linebreak(const rc_lb_item *items, size_t n, const double *widths, size_t nwidths,
                    double tolerance, size_t *breaks, size_t cap, double *demerits)
{
    rc_lb_params p = rc_lb_defaults(tolerance);
    return rc_linebreak_ex(items, n, widths, nwidths, &p, breaks, cap, demerits);
}
