/* Tests for display-list appenders and the arc approximation. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rc/arena.h"
#include "rc/draw.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void test_appenders(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_draw_list *l = rc_draw_new(a);
    assert_non_null(l);
    assert_int_equal(l->ops.n, 0);

    char buf[16] = "Biała xyz";
    rc_rgb red = {1, 0, 0}, blue = {0, 0, 1};
    rc_draw_text(a, l, RC_FONT_BOLD, 11.5, 10, 20, buf, 6, red);
    memset(buf, 'Q', sizeof buf - 1); /* the list must hold its own copy */
    rc_draw_rect(a, l, 1, 2, 3, 4, &red, NULL, 0.5);
    rc_draw_rect(a, l, 5, 6, 7, 8, NULL, &blue, 2);
    rc_draw_line(a, l, 0, 0, 100, 50, blue, 0.25)->dash = 3;
    rc_path_seg segs[3] = {{.op = RC_PATH_MOVE, .x = 1, .y = 1},
                           {.op = RC_PATH_LINE, .x = 2, .y = 1},
                           {.op = RC_PATH_CLOSE}};
    rc_draw_path(a, l, segs, 3, &blue, &red, 1.5);
    segs[1].x = 99;
    rc_draw_link(a, l, 10, 10, 50, 12, "fig-1", NULL);
    rc_draw_link(a, l, 10, 30, 50, 12, NULL, "https://example.org/");
    rc_draw_dest(a, l, 0, 800, "fig-1");
    rc_draw_list *inner = rc_draw_new(a);
    rc_draw_line(a, inner, 0, 0, 1, 1, red, 1);
    rc_draw_group(a, l, 72, 144, inner);
    /* many more ops to force the vector to grow several times */
    for (int i = 0; i < 100; i++)
        rc_draw_dest(a, l, i, i, "x");

    assert_int_equal(l->ops.n, 109);
    const rc_draw_op *o = l->ops.v;
    assert_int_equal(o[0].kind, RC_DRAW_TEXT);
    assert_int_equal(o[0].font, RC_FONT_BOLD);
    assert_true(o[0].size == 11.5 && o[0].x == 10 && o[0].y == 20);
    assert_int_equal(o[0].len, 6);
    assert_memory_equal(o[0].text, "Biała", 6);
    assert_true(o[0].fill && o[0].fill_rgb.r == 1 && o[0].fill_rgb.b == 0);

    assert_int_equal(o[1].kind, RC_DRAW_RECT);
    assert_true(o[1].fill && !o[1].stroke);
    assert_true(o[1].x == 1 && o[1].y == 2 && o[1].w == 3 && o[1].h == 4);
    assert_true(!o[2].fill && o[2].stroke && o[2].stroke_rgb.b == 1 && o[2].line_width == 2);

    assert_int_equal(o[3].kind, RC_DRAW_LINE);
    assert_true(o[3].x2 == 100 && o[3].y2 == 50 && o[3].dash == 3 && o[3].stroke);
    assert_true(o[3].line_width == 0.25 && !o[3].fill);

    assert_int_equal(o[4].kind, RC_DRAW_PATH);
    assert_int_equal(o[4].nsegs, 3);
    assert_true(o[4].segs[1].x == 2); /* copied, not referenced */
    assert_int_equal(o[4].segs[2].op, RC_PATH_CLOSE);
    assert_true(o[4].fill && o[4].stroke && o[4].fill_rgb.b == 1 && o[4].stroke_rgb.r == 1);

    assert_int_equal(o[5].kind, RC_DRAW_LINK);
    assert_string_equal(o[5].dest, "fig-1");
    assert_null(o[5].uri);
    assert_null(o[6].dest);
    assert_string_equal(o[6].uri, "https://example.org/");
    assert_int_equal(o[7].kind, RC_DRAW_DEST);
    assert_true(o[7].y == 800);
    assert_int_equal(o[8].kind, RC_DRAW_GROUP);
    assert_ptr_equal(o[8].group, inner);
    assert_true(o[8].x == 72 && o[8].y == 144);
    assert_true(o[108].x == 99);
    rc_arena_free(a);
}

/* Largest radial deviation of a cubic from the circle, sampled densely. */
static double max_radial_error(const rc_path_seg *segs, size_t n, double x0, double y0, double cx,
                               double cy, double r)
{
    double worst = 0, px = x0, py = y0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(segs[i].op, RC_PATH_CURVE);
        for (int s = 0; s <= 200; s++) {
            double t = s / 200.0, u = 1 - t;
            double x = u * u * u * px + 3 * u * u * t * segs[i].x1 + 3 * u * t * t * segs[i].x2 +
                       t * t * t * segs[i].x;
            double y = u * u * u * py + 3 * u * u * t * segs[i].y1 + 3 * u * t * t * segs[i].y2 +
                       t * t * t * segs[i].y;
            double e = fabs(hypot(x - cx, y - cy) - r);
            if (e > worst) worst = e;
        }
        px = segs[i].x;
        py = segs[i].y;
    }
    return worst;
}

static void test_arc_accuracy(void **state)
{
    (void)state;
    const double angles[][2] = {{0, 30},    {0, 90}, {10, 100}, {45, 180}, {0, 270},
                                {-30, 200}, {90, 0}, {0, 359},  {0, 360}};
    const double cx = 100, cy = 200, r = 50;
    for (size_t i = 0; i < sizeof angles / sizeof angles[0]; i++) {
        rc_path_seg segs[8];
        double a0 = angles[i][0], a1 = angles[i][1];
        size_t n = rc_path_arc(segs, 8, cx, cy, r, a0, a1, true);
        size_t pieces = (size_t)ceil(fabs(a1 - a0) / 90.0 - 1e-9);
        assert_int_equal(n, pieces + 1);
        assert_int_equal(segs[0].op, RC_PATH_MOVE);
        assert_true(fabs(segs[0].x - (cx + r * cos(a0 * M_PI / 180))) < 1e-9);
        assert_true(fabs(segs[0].y - (cy + r * sin(a0 * M_PI / 180))) < 1e-9);
        double err = max_radial_error(segs + 1, n - 1, segs[0].x, segs[0].y, cx, cy, r);
        assert_true(err < 0.001 * r);
        /* the end point is exactly on the requested angle */
        assert_true(fabs(segs[n - 1].x - (cx + r * cos(a1 * M_PI / 180))) < 1e-9);
        assert_true(fabs(segs[n - 1].y - (cy + r * sin(a1 * M_PI / 180))) < 1e-9);
    }
}

static void test_arc_full_circle_closes(void **state)
{
    (void)state;
    rc_path_seg segs[5];
    size_t n = rc_path_arc(segs, 5, 0, 0, 10, 0, 360, true);
    assert_int_equal(n, 5);
    assert_true(fabs(segs[4].x - segs[0].x) < 1e-9 && fabs(segs[4].y - segs[0].y) < 1e-9);
    /* quarter circle: control points at the textbook k = 0.5523 */
    assert_true(fabs(segs[1].y1 - 10 * 0.5522847498) < 1e-6);
    assert_true(fabs(segs[1].x1 - 10) < 1e-9);
}

static void test_arc_without_move_and_capacity(void **state)
{
    (void)state;
    rc_path_seg segs[2];
    memset(segs, 0, sizeof segs);
    /* 270 degrees need 3 segments; only 2 fit, the count tells the caller */
    size_t n = rc_path_arc(segs, 2, 0, 0, 1, 0, 270, false);
    assert_int_equal(n, 3);
    assert_int_equal(segs[0].op, RC_PATH_CURVE);
    assert_true(fabs(segs[0].x - 0) < 1e-9 && fabs(segs[0].y - 1) < 1e-9);
    assert_true(fabs(segs[1].x + 1) < 1e-9 && fabs(segs[1].y) < 1e-9);
    /* clockwise arc (a1 < a0) */
    rc_path_seg cw[1];
    assert_int_equal(rc_path_arc(cw, 1, 0, 0, 1, 90, 0, false), 1);
    assert_true(fabs(cw[0].x - 1) < 1e-9 && fabs(cw[0].y) < 1e-9);
    assert_true(cw[0].x1 > 0 && cw[0].y1 > 0.99); /* first control point heads clockwise */
}

/* An op stays small (a page holds about 390, kept until the PDF is
 * written); the kinds' fields share storage without clobbering each
 * other's. */
static void test_op_compact(void **state)
{
    (void)state;
    assert_true(sizeof(rc_draw_op) <= 112);
    rc_arena *a = rc_arena_new();
    rc_draw_list *l = rc_draw_new(a);
    rc_rgb c = {0.25, 0.5, 0.75};
    rc_path_seg seg = {.op = RC_PATH_MOVE, .x = 3, .y = 4};
    rc_draw_op *p = rc_draw_path(a, l, &seg, 1, &c, &c, 0.5);
    p->dash = 2;
    const rc_draw_op *o = &l->ops.v[0];
    assert_true(o->nsegs == 1 && o->segs[0].x == 3 && o->line_width == 0.5 && o->dash == 2);
    assert_true(o->fill_rgb.g == 0.5 && o->stroke_rgb.b == 0.75);
    rc_draw_link(a, l, 1, 2, 3, 4, "d", "u")->link_len = 9;
    o = &l->ops.v[1];
    assert_true(o->w == 3 && o->h == 4 && !strcmp(o->dest, "d") && !strcmp(o->uri, "u"));
    assert_int_equal(o->link_len, 9);
    rc_arena_free(a);
}

/* Words are referenced, or copied once with their space; joining a page's
 * background and foreground keeps the order and empties the foreground;
 * a released list is empty. */
static void test_word_join_release(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_rgb k = {0, 0, 0};
    const char *text = "alpha beta";
    rc_draw_list *bg = rc_draw_new(a), *fg = rc_draw_new(a);
    rc_draw_rect(a, bg, 0, 0, 10, 10, &k, NULL, 0);
    rc_draw_word(a, fg, RC_FONT_REGULAR, 10, 0, 0, text, 5, false, k);
    rc_draw_word(a, fg, RC_FONT_REGULAR, 10, 30, 0, text + 6, 4, true, k);
    for (int i = 0; i < 500; i++) /* past 2 KiB: a block of its own */
        rc_draw_dest(a, fg, i, 0, "d");
    assert_ptr_equal(fg->ops.v[0].text, text); /* no copy */
    assert_int_equal(fg->ops.v[0].len, 5);
    assert_ptr_not_equal(fg->ops.v[1].text, text + 6);
    assert_int_equal(fg->ops.v[1].len, 5);
    assert_memory_equal(fg->ops.v[1].text, "beta ", 5);
    rc_draw_list *page = rc_draw_join(a, bg, fg);
    assert_ptr_equal(page, bg);
    assert_int_equal(page->ops.n, 503);
    assert_int_equal(fg->ops.n, 0);
    assert_int_equal(page->ops.v[0].kind, RC_DRAW_RECT);
    assert_int_equal(page->ops.v[1].kind, RC_DRAW_TEXT);
    assert_memory_equal(page->ops.v[2].text, "beta ", 5);
    assert_true(page->ops.v[502].x == 499);
    size_t held = rc_arena_used(a);
    rc_draw_release(a, page);
    assert_int_equal(page->ops.n, 0);
    assert_null(page->ops.v);
    assert_true(rc_arena_used(a) + 503 * sizeof(rc_draw_op) <= held);
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appenders),
        cmocka_unit_test(test_op_compact),
        cmocka_unit_test(test_word_join_release),
        cmocka_unit_test(test_arc_accuracy),
        cmocka_unit_test(test_arc_full_circle_closes),
        cmocka_unit_test(test_arc_without_move_and_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
