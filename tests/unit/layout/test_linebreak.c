/* Tests for the Knuth-Plass breaker (hand-built item lists, checked against
 * an exhaustive dynamic programme) and for paragraph setting with Lato. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

/* cmocka compares floats in single precision; these are doubles. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/linebreak.h"

/* --- hand-built items -------------------------------------------------------- */

typedef struct list {
    rc_lb_item it[512];
    size_t n;
} list;

static void box(list *l, double w)
{
    l->it[l->n++] = (rc_lb_item){RC_LB_BOX, w, 0, 0, 0, false};
}

static void glue(list *l, double w, double st, double sh)
{
    l->it[l->n++] = (rc_lb_item){RC_LB_GLUE, w, st, sh, 0, false};
}

static void pen(list *l, double w, double p, bool flagged)
{
    l->it[l->n++] = (rc_lb_item){RC_LB_PENALTY, w, 0, 0, p, flagged};
}

static void finish(list *l)
{
    pen(l, 0, 10000, false);
    glue(l, 0, RC_LB_FIL, 0);
    pen(l, 0, -10000, false);
}

/* Words of the given widths separated by glue 1 +1 -0.5 (monospaced units). */
static void words(list *l, const double *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) glue(l, 1, 1, 0.5);
        box(l, w[i]);
    }
}

/* Exhaustive optimum over (break, fitness of last line, first line or not,
 * hyphenated lines in a row ending there), with the same demerits as Knuth &
 * Plass and the same limit on hyphen ladders: the reference for the breaker. */
static double dp_optimum_p(const list *l, const double *widths, size_t nw, rc_lb_params p)
{
    double tol = p.tolerance;
    size_t n = l->n;
    static double best[513][4][3][3];
    for (size_t i = 0; i <= n; i++)
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < 3; k++)
                for (int h = 0; h < 3; h++)
                    best[i][c][k][h] = INFINITY;
    best[n][2][0][0] = 0; /* index n stands for the paragraph start */
    for (size_t j = 0; j < n; j++) {
        const rc_lb_item *bj = &l->it[j];
        bool legal = (bj->type == RC_LB_GLUE && j > 0 && l->it[j - 1].type == RC_LB_BOX) ||
                     (bj->type == RC_LB_PENALTY && bj->penalty < 10000);
        if (!legal) continue;
        for (size_t i0 = 0; i0 <= n; i0++) {
            size_t i = i0 == 0 ? n : i0 - 1; /* start first, then breaks before j */
            if (i != n && i >= j) break;
            size_t s = i == n ? 0 : i + 1;
            if (i != n)
                while (s < j && l->it[s].type != RC_LB_BOX &&
                       !(l->it[s].type == RC_LB_PENALTY && l->it[s].penalty <= -10000))
                    s++;
            double L = 0, Y = 0, Z = 0, F = 0;
            bool blocked = false;
            for (size_t k = s; k < j; k++) {
                const rc_lb_item *x = &l->it[k];
                if (x->type == RC_LB_BOX)
                    L += x->width;
                else if (x->type == RC_LB_GLUE) {
                    L += x->width;
                    if (x->stretch >= RC_LB_FIL)
                        F += x->stretch;
                    else
                        Y += x->stretch;
                    Z += x->shrink;
                } else if (x->penalty <= -10000)
                    blocked = true;
            }
            if (blocked) continue;
            if (bj->type == RC_LB_PENALTY) L += bj->width;
            bool fl_j = bj->type == RC_LB_PENALTY && bj->flagged;
            for (int k = 0; k < 3; k++)
                for (int c0 = 0; c0 < 4; c0++)
                    for (int h = 0; h < 3; h++) {
                        if (isinf(best[i][c0][k][h])) continue;
                        int h2 = fl_j ? h + 1 : 0;
                        if (h2 > (int)p.max_hyphen_run) continue;
                        double W = widths[(size_t)k < nw ? (size_t)k : nw - 1];
                        double r;
                        if (L < W)
                            r = F > 0 ? 0 : (Y > 0 ? (W - L) / Y : INFINITY);
                        else if (L > W)
                            r = Z > 0 ? (W - L) / Z : -INFINITY;
                        else
                            r = 0;
                        if (r < -1 || r > tol) continue;
                        double bad = fmin(100 * fabs(r * r * r), p.badness_cap);
                        double d = (p.line_penalty + bad) * (p.line_penalty + bad);
                        double pi = bj->type == RC_LB_PENALTY ? bj->penalty : 0;
                        if (j == n - 1) pi = -10000;
                        if (pi > 0)
                            d += pi * pi;
                        else if (pi > -10000)
                            d -= pi * pi;
                        bool fl_i = i != n && l->it[i].type == RC_LB_PENALTY && l->it[i].flagged;
                        if (bj->type == RC_LB_PENALTY && bj->flagged && fl_i)
                            d += p.double_hyphen_demerits;
                        if (j == n - 1 && fl_i) d += p.final_hyphen_demerits;
                        int c = r < -0.5 ? 3 : r <= 0.5 ? 2 : r <= 1 ? 1 : 0;
                        if (abs(c - c0) > 1) d += p.adj_demerits;
                        d += best[i][c0][k][h];
                        int k2 = k + 1 < 2 ? k + 1 : 2;
                        if (d < best[j][c][k2][h2]) best[j][c][k2][h2] = d;
                    }
        }
    }
    double m = INFINITY;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < 3; k++)
            for (int h = 0; h < 3; h++)
                m = fmin(m, best[n - 1][c][k][h]);
    return m;
}

static double dp_optimum(const list *l, const double *widths, size_t nw, double tol)
{
    return dp_optimum_p(l, widths, nw, rc_lb_defaults(tol));
}

/* Natural width, stretch and shrink of the line ending at break b. */
static void line_sums(const list *l, size_t s, size_t b, double *L, double *Y, double *Z)
{
    *L = *Y = *Z = 0;
    for (size_t k = s; k < b; k++) {
        const rc_lb_item *x = &l->it[k];
        if (x->type == RC_LB_PENALTY) continue;
        *L += x->width;
        if (x->type == RC_LB_GLUE && x->stretch < RC_LB_FIL) {
            *Y += x->stretch;
            *Z += x->shrink;
        }
    }
    if (l->it[b].type == RC_LB_PENALTY) *L += l->it[b].width;
}

static size_t next_start(const list *l, size_t b)
{
    size_t s = b + 1;
    while (s < l->n && l->it[s].type != RC_LB_BOX &&
           !(l->it[s].type == RC_LB_PENALTY && l->it[s].penalty <= -10000))
        s++;
    return s;
}

/* First fit (as many words as fit, shrinking if need be) sets "2 2 5 1"
 * tight (r = -2/3) and then "2 6" with r = 3, too loose for tolerance 2.
 * Total fit moves "1" down: [2 2 5] and [1 2 6] both have r = 1/2, so the
 * demerits are 2 (10 + 12.5)^2 + 10^2 for the last line. */
static void test_total_fit_known_breaks(void **state)
{
    (void)state;
    list l = {0};
    const double w[] = {2, 2, 5, 1, 2, 6, 4};
    words(&l, w, 7);
    finish(&l);
    double widths[] = {12};
    size_t br[32];
    double dem = 0;
    size_t nb = rc_linebreak(l.it, l.n, widths, 1, 2.0, br, 32, &dem);
    assert_int_equal(nb, 3);
    assert_int_equal(br[0], 5);  /* glue after "5" */
    assert_int_equal(br[1], 11); /* glue after "6" */
    assert_int_equal(br[2], l.n - 1);
    assert_near(dem, 2 * 22.5 * 22.5 + 100, 1e-9);
    assert_near(dem, dp_optimum(&l, widths, 1, 2.0), 1e-6);
}

/* A line whose adjustment ratio is exactly the tolerance is feasible, one
 * just above it is not: the breaker's quick test for lines too short to
 * stretch (linebreak.c, try_break) must not reject the first. */
static void test_ratio_at_tolerance(void **state)
{
    (void)state;
    list l = {0};
    const double w[] = {4, 4, 4, 4};
    words(&l, w, 4); /* "4 4" is 9 wide, stretch 1: ratio 1 in 10 */
    finish(&l);
    double widths[] = {10};
    size_t br[8];
    double dem = 0;
    assert_int_equal(rc_linebreak(l.it, l.n, widths, 1, 1.0, br, 8, &dem), 2);
    assert_int_equal(br[0], 3); /* the glue after the second word */
    assert_int_equal(rc_linebreak(l.it, l.n, widths, 1, 0.999999, br, 8, &dem), 0);
    double wider[] = {10.5}; /* ratio 1.5 */
    assert_int_equal(rc_linebreak(l.it, l.n, wider, 1, 1.5, br, 8, &dem), 2);
    assert_int_equal(rc_linebreak(l.it, l.n, wider, 1, 1.4999999, br, 8, &dem), 0);
}

/* Random paragraphs: the breaker's demerits equal the exhaustive optimum,
 * and no line is overfull. */
static void test_matches_exhaustive(void **state)
{
    (void)state;
    uint32_t x = 7;
    for (int round = 0; round < 300; round++) {
        list l = {0};
        size_t nw = 8 + (size_t)round % 30;
        for (size_t i = 0; i < nw; i++) {
            x = x * 1103515245u + 12345u;
            double w = 1 + (x >> 16) % 7;
            if (i) glue(&l, 1, 1, 0.4);
            x = x * 1103515245u + 12345u;
            if (w >= 5 && ((x >> 16) & 1)) { /* a hyphenable word */
                box(&l, w - 2);
                pen(&l, 0.5, 50, true);
                box(&l, 2);
            } else {
                box(&l, w);
            }
        }
        finish(&l);
        double widths[2] = {12 + round % 5, 14 + round % 3};
        double tol = round % 3 == 0 ? 1.0 : 3.0;
        size_t br[256];
        double dem = -1;
        size_t nb = rc_linebreak(l.it, l.n, widths, 2, tol, br, 256, &dem);
        double ref = dp_optimum(&l, widths, 2, tol);
        if (isinf(ref)) {
            assert_int_equal(nb, 0);
            continue;
        }
        assert_true(nb > 0);
        assert_near(dem, ref, 1e-6 * fmax(1, ref));
        size_t s = 0;
        for (size_t k = 0; k < nb; k++) {
            double L, Y, Z;
            line_sums(&l, s, br[k], &L, &Y, &Z);
            double W = widths[k == 0 ? 0 : 1];
            assert_true(L - Z <= W + 1e-9);
            if (k + 1 < nb) assert_true(L + tol * Y >= W - 1e-9);
            s = next_start(&l, br[k]);
        }
        assert_int_equal(br[nb - 1], l.n - 1);
    }
}

/* A long word: without its hyphenation point the paragraph is infeasible at
 * tolerance 1; with it, the break falls inside the word, and even when both
 * are feasible the hyphenated breaking has fewer demerits. */
static void test_hyphen_lowers_demerits(void **state)
{
    (void)state;
    list a = {0}, b = {0};
    /* "xx xx xx xx [longword 9]" on width 15: four words are 11 wide with
     * stretch 3 (r = 4/3), five cannot shrink to fit; "xx xx xx xx lon-" is 16
     * with shrink 2 (r = -1/2). */
    double w[] = {2, 2, 2, 2};
    words(&a, w, 4);
    glue(&a, 1, 1, 0.5);
    box(&a, 9);
    finish(&a);
    words(&b, w, 4);
    glue(&b, 1, 1, 0.5);
    box(&b, 3);
    pen(&b, 1, 50, true);
    box(&b, 6);
    finish(&b);
    double widths[] = {15};
    size_t br[32];
    double da = 0, db = 0;
    size_t na = rc_linebreak(a.it, a.n, widths, 1, 1.0, br, 32, &da);
    assert_int_equal(na, 0);
    size_t nb = rc_linebreak(b.it, b.n, widths, 1, 1.0, br, 32, &db);
    assert_int_equal(nb, 2);
    assert_int_equal(br[0], 9); /* the flagged penalty */
    assert_true(b.it[br[0]].flagged);
    /* (10 + 12.5)^2 + 50^2 + final-hyphen 5000 + last line 10^2 */
    assert_near(db, 506.25 + 2500 + 5000 + 100, 1e-9);
    /* At a looser tolerance both work, and the hyphenated one is cheaper. */
    na = rc_linebreak(a.it, a.n, widths, 1, 10.0, br, 32, &da);
    assert_int_equal(na, 2);
    assert_true(db < da);
    nb = rc_linebreak(b.it, b.n, widths, 1, 10.0, br, 32, &db);
    assert_int_equal(br[0], 9);
}

static void test_forced_breaks(void **state)
{
    (void)state;
    list l = {0};
    double w[] = {2, 2};
    words(&l, w, 2);
    finish(&l); /* forced break after the first two words */
    size_t mid = l.n - 1;
    words(&l, w, 2);
    finish(&l);
    double widths[] = {40};
    size_t br[8];
    double dem;
    size_t nb = rc_linebreak(l.it, l.n, widths, 1, 2.0, br, 8, &dem);
    assert_int_equal(nb, 2);
    assert_int_equal(br[0], mid);
    assert_int_equal(br[1], l.n - 1);
    /* Too small a result buffer: reported as 0, not overrun. */
    assert_int_equal(rc_linebreak(l.it, l.n, widths, 1, 2.0, br, 1, &dem), 0);
}

static void test_infeasible(void **state)
{
    (void)state;
    list l = {0};
    box(&l, 30);
    finish(&l);
    double widths[] = {10};
    size_t br[4];
    double dem = 5;
    assert_int_equal(rc_linebreak(l.it, l.n, widths, 1, 1e9, br, 4, &dem), 0);
    assert_int_equal(rc_linebreak(l.it, 0, widths, 1, 1.0, br, 4, &dem), 0);
}

/* Widths per line: the last value repeats; a narrow first line (hanging
 * label) takes fewer words. */
static void test_line_widths(void **state)
{
    (void)state;
    list l = {0};
    const double w[] = {2, 2, 2, 2, 2, 2, 2, 2};
    words(&l, w, 8);
    finish(&l);
    double widths[] = {5, 11};
    size_t br[8];
    double dem;
    size_t nb = rc_linebreak(l.it, l.n, widths, 2, 2.0, br, 8, &dem);
    assert_int_equal(nb, 3);
    assert_int_equal(br[0], 3);  /* "2 2" = 5 */
    assert_int_equal(br[1], 11); /* four words = 11 */
    assert_near(dem, dp_optimum(&l, widths, 2, 2.0), 1e-6);
}

/* The longest run of consecutive breaks at flagged penalties. */
static size_t longest_ladder(const list *l, const size_t *br, size_t nb)
{
    size_t run = 0, longest = 0;
    for (size_t k = 0; k < nb; k++) {
        const rc_lb_item *x = &l->it[br[k]];
        run = x->type == RC_LB_PENALTY && x->flagged ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    return longest;
}

/* Paragraphs where hyphens are attractive (a negative hyphen penalty, no
 * double-hyphen demerits): without a limit the optimum is a ladder of three
 * or more hyphenated lines in some of them; with the default limit no run
 * exceeds two and the result is still the exhaustive optimum under that
 * limit. */
static void test_no_hyphen_ladder(void **state)
{
    (void)state;
    uint32_t x = 11;
    int ladders = 0;
    for (int round = 0; round < 200; round++) {
        list l = {0};
        size_t nw = 20 + (size_t)round % 20;
        for (size_t i = 0; i < nw; i++) {
            x = x * 1103515245u + 12345u;
            double w = 4 + (x >> 16) % 5;
            if (i) glue(&l, 1, 1, 0.4);
            box(&l, w - 2);
            pen(&l, 0.5, -100, true);
            box(&l, 2);
        }
        finish(&l);
        double widths[1] = {12 + round % 4};
        rc_lb_params p = rc_lb_defaults(3.0);
        p.double_hyphen_demerits = 0;
        size_t br[256], nb;
        double dem;
        p.max_hyphen_run = 0; /* no limit */
        nb = rc_linebreak_ex(l.it, l.n, widths, 1, &p, br, 256, &dem);
        if (nb && longest_ladder(&l, br, nb) >= 3) ladders++;
        p.max_hyphen_run = 2;
        nb = rc_linebreak_ex(l.it, l.n, widths, 1, &p, br, 256, &dem);
        double ref = dp_optimum_p(&l, widths, 1, p);
        if (isinf(ref)) {
            assert_int_equal(nb, 0);
            continue;
        }
        assert_true(nb > 0);
        assert_true(longest_ladder(&l, br, nb) <= 2);
        assert_near(dem, ref, 1e-6 * fmax(1, ref));
    }
    assert_true(ladders > 20); /* the limit had something to prevent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_total_fit_known_breaks),
        cmocka_unit_test(test_matches_exhaustive),
        cmocka_unit_test(test_no_hyphen_ladder),
        cmocka_unit_test(test_hyphen_lowers_demerits),
        cmocka_unit_test(test_forced_breaks),
        cmocka_unit_test(test_ratio_at_tolerance),
        cmocka_unit_test(test_infeasible),
        cmocka_unit_test(test_line_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
