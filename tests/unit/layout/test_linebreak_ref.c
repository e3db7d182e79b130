/* The breaker's grouped active list (linebreak.c: nodes made at one break
 * tried together, lines too short passed over from the oldest group) checked
 * bit for bit against the breaker it replaced, kept here as the reference:
 * one active node at a time, newest first. Random item lists of words,
 * spaces, hyphenation points and forced breaks, justified (non-negative
 * sums: the monotone path) and ragged (negative stretch: the other path),
 * with whole-number widths so that ties between equal demerits are common
 * (the order of the tries decides them), several line widths (a narrower
 * line after a wider one turns the monotone path off), tolerances up to
 * infinity and hyphen-run limits: the same breaks and the same demerits,
 * compared as bytes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/linebreak.h"

/* --- the reference: linebreak.c as it was before the groups --------------- */

#define NONE SIZE_MAX
enum { STACK_NODES = 64, STACK_CANDS = 64 };

enum { FIT_VERY_LOOSE, FIT_LOOSE, FIT_DECENT, FIT_TIGHT, NFIT };

typedef struct node {
    size_t pos;            /* item index of the break; NONE for the paragraph start */
    size_t line;           /* lines ending at or before this break */
    size_t prev;           /* node of the previous break */
    size_t next;           /* next active node */
    double tw, ty, tz, tf; /* width/stretch/shrink/fil sums after the break */
    double lw;             /* the width of the line that starts here */
    double total;          /* total demerits up to here */
    int fitness;
    bool flagged;
    unsigned hrun; /* consecutive hyphenated lines ending here */
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
    bool heap;     /* pool was malloc'ed (else it is the caller's stack array) */
    size_t active; /* head of the active list */
    cand *cands;   /* nh * NFIT * (nw + 1) */
    size_t nh;     /* hyphen-run classes: max_hyphen_run + 1, or 1 */
    size_t *used;
    size_t nused;
    double w, y, z, f; /* running sums before the current item */
    bool oom;
} lb;

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
            nd->tw = tw;
            nd->ty = ty;
            nd->tz = tz;
            nd->tf = tf;
            nd->total = c->d;
            size_t cls = s->used[k] / (s->nw + 1);
            nd->fitness = (int)(cls % NFIT);
            nd->flagged = flagged;
            nd->hrun = flagged ? s->pool[c->from].hrun + 1 : 0;
            nd->next = s->active;
            s->active = id;
        }
        c->d = INFINITY;
    }
    s->nused = 0;
}

static void try_break(lb *s, size_t b, double pi, double pw, bool flagged, bool last)
{
    const rc_lb_params *p = s->p;
    bool forced = pi <= -10000;
    size_t prev = NONE, cur = s->active;
    while (cur != NONE) {
        node *a = &s->pool[cur];
        size_t nextid = a->next;
        double width = a->lw;
        double len = s->w - a->tw + pw, r;
        /* A line still too short to stretch to the width within the
         * tolerance (most nodes at most breaks): nothing to record, and
         * the node stays active. The test r > tolerance below without the
         * division, with a margin far above the rounding of either, so it
         * never rejects a line the division would accept. */
        if (!forced && len < width && !(s->f - a->tf > 0) && s->y - a->ty > 0 &&
            width - len > p->tolerance * (s->y - a->ty) * (1 + 1e-9)) {
            prev = cur;
            cur = nextid;
            continue;
        }
        if (len < width) {
            double yy = s->y - a->ty;
            if (s->f - a->tf > 0)
                r = 0;
            else
                r = yy > 0 ? (width - len) / yy : INFINITY;
        } else if (len > width) {
            double zz = s->z - a->tz;
            r = zz > 0 ? (width - len) / zz : -INFINITY;
        } else {
            r = 0;
        }
        unsigned hrun = flagged ? a->hrun + 1 : 0;
        if (r >= -1 && r <= p->tolerance && !(s->nh > 1 && hrun > p->max_hyphen_run)) {
            double bad = isinf(r) ? p->badness_cap : 100 * fabs(r * r * r);
            if (bad > p->badness_cap) bad = p->badness_cap;
            double d = (p->line_penalty + bad) * (p->line_penalty + bad);
            if (pi > 0)
                d += pi * pi;
            else if (pi > -10000)
                d -= pi * pi;
            if (flagged && a->flagged) d += p->double_hyphen_demerits;
            if (last && a->flagged) d += p->final_hyphen_demerits;
            int c = fitness(r);
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
                cd->from = cur;
            }
        }
        if (r < -1 || forced) { /* deactivate */
            if (prev == NONE)
                s->active = nextid;
            else
                s->pool[prev].next = nextid;
        } else {
            prev = cur;
        }
        cur = nextid;
    }
    if (s->nused) add_nodes(s, b, flagged);
}

static size_t ref_linebreak(const rc_lb_item *items, size_t n, const double *widths, size_t nwidths,
                            const rc_lb_params *p, size_t *breaks, size_t cap, double *demerits)
{
    if (demerits) *demerits = 0;
    if (n == 0 || nwidths == 0 || !widths) return 0;
    lb s = {.it = items, .n = n, .widths = widths, .nw = nwidths, .p = p, .active = NONE};
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
    s.pool[start] =
        (node){.pos = NONE, .prev = NONE, .next = NONE, .fitness = FIT_DECENT, .lw = widths[0]};
    s.active = start;
    bool ended = false;
    for (size_t b = 0; b < n && s.active != NONE && !s.oom; b++) {
        const rc_lb_item *x = &items[b];
        switch (x->type) {
        case RC_LB_BOX:
            s.w += x->width;
            break;
        case RC_LB_GLUE:
            if (b > 0 && items[b - 1].type == RC_LB_BOX) try_break(&s, b, 0, 0, false, false);
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
                try_break(&s, b, last && x->penalty > -10000 ? -10000 : x->penalty, x->width,
                          x->flagged, last);
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
    for (size_t id = s.active; id != NONE; id = s.pool[id].next)
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

/* --- random paragraphs -------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct para {
    rc_lb_item it[4096];
    size_t n;
} para;

static void put(para *p, rc_lb_type t, double w, double st, double sh, double pen, bool fl)
{
    p->it[p->n++] = (rc_lb_item){t, w, st, sh, pen, fl};
}

/* A paragraph of nwords words: justified (glue 3+2-1 between words,
 * hyphenation points as flagged penalties of width 1) or ragged (Knuth and
 * Plass's 0+S glue, penalty, w-S glue at every break). Word widths are
 * whole numbers, so equal demerits are frequent. */
static void make(para *p, size_t nwords, bool ragged, bool forced_inside)
{
    p->n = 0;
    for (size_t w = 0; w < nwords; w++) {
        if (w) {
            if (ragged) {
                put(p, RC_LB_GLUE, 0, 12, 0, 0, false);
                put(p, RC_LB_PENALTY, 0, 0, 0, 0, false);
                put(p, RC_LB_GLUE, 3, -12, 0, 0, false);
            } else {
                put(p, RC_LB_GLUE, 3, 2, 1, 0, false);
            }
        }
        unsigned pieces = 1 + rnd(3);
        for (unsigned k = 0; k < pieces; k++) {
            if (k) {
                if (ragged) {
                    put(p, RC_LB_PENALTY, 0, 0, 0, 10000, false);
                    put(p, RC_LB_GLUE, 0, 12, 0, 0, false);
                    put(p, RC_LB_PENALTY, 1, 0, 0, 50, true);
                    put(p, RC_LB_GLUE, 0, -12, 0, 0, false);
                } else {
                    put(p, RC_LB_PENALTY, 1, 0, 0, rnd(4) ? 50 : 0, true);
                }
            }
            put(p, RC_LB_BOX, 2 + rnd(9), 0, 0, 0, false);
        }
        if (forced_inside && rnd(60) == 0) { /* a line separator */
            put(p, RC_LB_PENALTY, 0, 0, 0, 10000, false);
            put(p, RC_LB_GLUE, 0, RC_LB_FIL, 0, 0, false);
            put(p, RC_LB_PENALTY, 0, 0, 0, -10000, false);
        }
    }
    put(p, RC_LB_PENALTY, 0, 0, 0, 10000, false);
    put(p, RC_LB_GLUE, 0, RC_LB_FIL, 0, 0, false);
    put(p, RC_LB_PENALTY, 0, 0, 0, -10000, false);
}

static void same(const para *p, const double *widths, size_t nw, const rc_lb_params *prm,
                 size_t *feasible)
{
    static size_t b1[4096], b2[4096];
    double d1 = -1, d2 = -2;
    size_t n1 = ref_linebreak(p->it, p->n, widths, nw, prm, b1, p->n, &d1);
    size_t n2 = rc_linebreak_ex(p->it, p->n, widths, nw, prm, b2, p->n, &d2);
    assert_int_equal(n1, n2);
    assert_memory_equal(&d1, &d2, sizeof d1);
    if (n1) {
        assert_memory_equal(b1, b2, n1 * sizeof *b1);
        (*feasible)++;
    }
}

static void test_groups_match_reference(void **state)
{
    (void)state;
    static para p;
    const double tols[] = {1.26, 2, 4, INFINITY};
    const unsigned runs[] = {0, 1, 2, 8};
    size_t feasible = 0, tries = 0;
    for (int round = 0; round < 400; round++) {
        bool ragged = rnd(3) == 0;
        make(&p, 20 + rnd(160), ragged, rnd(2));
        double w0 = 60 + rnd(80);
        /* one width; a first line indented; a wider first line (narrower
         * lines after it: the monotone path turned off); three widths */
        double widths[3][3] = {{w0, w0, w0}, {w0 - 8, w0, w0}, {w0 + 6, w0, w0 - 3}};
        size_t nws[3] = {1, 2, 3};
        for (int k = 0; k < 3; k++) {
            rc_lb_params prm = rc_lb_defaults(tols[rnd(4)]);
            prm.max_hyphen_run = runs[rnd(4)];
            if (rnd(4) == 0) prm.badness_cap = 1e12;
            same(&p, widths[k], nws[k], &prm, &feasible);
            tries++;
        }
    }
    /* most of them had a breaking to compare */
    assert_true(feasible > tries / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_match_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
