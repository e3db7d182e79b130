/* Tests for the segments of vertical stacked bars too short for their value
 * label (a 3 % sliver): the label is drawn right of the bar, joined to the
 * segment by a leader, never left out, never overlapping another label. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/chart.h"

/* the shared fixture defines more helpers than this file uses */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "chart_fixture.h"
#pragma GCC diagnostic pop

/* Three codes stacked by two groups (EU + Latin America): "Yes" 30 + 3,
 * "No" 1 + 2 (two slivers in one bar), "Planned" 25 + 8. */
static rc_chart *stacked(fixture *f)
{
    static const char *const cats[] = {"Yes", "No", "Planned"};
    static const char *const groups[] = {"EU", "Latin America"};
    rc_field_cfg *field = rc_arena_alloc(f->a, sizeof *field);
    *field = category_field(f->a, "has_s3", cats, 3);
    rc_field_cfg *by = rc_arena_alloc(f->a, sizeof *by);
    *by = category_field(f->a, "continent", groups, 2);
    rc_agg *g = rc_arena_alloc(f->a, sizeof *g);
    g->name = "s3_by";
    g->kind = RC_AGG_DISTRIBUTION;
    g->nrows = 3;
    g->ncols = 2;
    static const char *rl[] = {"Yes", "No", "Planned"};
    static const char *cl[] = {"EU", "Latin America"};
    static double val[] = {30, 3, 1, 2, 25, 8};
    g->row_label = rl;
    g->col_label = cl;
    g->value = val;
    g->field = field;
    g->by = by;
    rc_data *data = rc_arena_alloc(f->a, sizeof *data);
    data->aggs = g;
    data->naggs = 1;
    rc_figure_cfg *fig = rc_arena_alloc(f->a, sizeof *fig);
    *fig = figure(RC_CHART_STACKED, NULL);
    fig->aggregate = list1(f->a, "s3_by", 11);
    fig->value = S("count", 12);
    rc_chart *c = rc_chart_build(f->a, fig, data, f->loc, f->d);
    assert_non_null(c);
    assert_int_equal(rc_diag_errors(f->d), 0);
    return c;
}

/* The text op showing s, the only one. */
static const rc_draw_op *text_op(const rc_draw_list *l, const char *s)
{
    const rc_draw_op *found = NULL;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_TEXT && op->len == strlen(s) && !memcmp(op->text, s, op->len)) {
            if (found) fail_msg("'%s' drawn twice", s);
            found = op;
        }
    }
    if (!found) fail_msg("no label '%s'", s);
    return found;
}

/* The colour of a series: its legend swatch, the rect drawn just before
 * the series' name. */
static rc_rgb legend_colour(const rc_draw_list *l, const char *name)
{
    for (size_t i = 1; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_TEXT && op->len == strlen(name) &&
            !memcmp(op->text, name, op->len) && l->ops.v[i - 1].kind == RC_DRAW_RECT)
            return l->ops.v[i - 1].fill_rgb;
    }
    fail_msg("no legend entry '%s'", name);
    return (rc_rgb){0};
}

/* The n-th (from the left) segment filled with colour, legend swatch not
 * counted (segments are wider than 6 pt). */
static const rc_draw_op *segment(const rc_draw_list *l, rc_rgb colour, size_t nth)
{
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_RECT && op->fill && op->h > 0 && op->w > 6 &&
            op->fill_rgb.r == colour.r && op->fill_rgb.g == colour.g &&
            op->fill_rgb.b == colour.b && nth-- == 0)
            return op;
    }
    fail_msg("no segment %zu", nth);
    return NULL;
}

/* A leader from the right edge of seg, at its middle height, to the label. */
static void assert_leader(const rc_draw_list *l, const rc_draw_op *seg, const rc_draw_op *label)
{
    double mid = seg->y + seg->h / 2, right = seg->x + seg->w;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_LINE && fabs(op->x - right) < 0.01 && fabs(op->y - mid) < 0.01 &&
            op->x2 <= label->x && op->x2 > right) {
            assert_true(label->y - label->size < op->y2 && op->y2 < label->y + label->size);
            return;
        }
    }
    fail_msg("no leader from the segment (%.1f, %.1f) to its label", right, mid);
}

static void test_slivers_labelled_outside(void **state)
{
    fixture *f = *state;
    rc_chart *c = stacked(f);
    double w = 300, h = 170;
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    /* the "No" bar: 1 (EU) and 2 (Latin America), each shorter than a
     * line of text */
    rc_rgb ceu = legend_colour(l, "EU"), cla = legend_colour(l, "Latin America");
    const rc_draw_op *eu = segment(l, ceu, 1);
    const rc_draw_op *la = segment(l, cla, 1);
    assert_true(eu->h < 7 && la->h < 10);
    const rc_draw_op *t1 = text_op(l, "1"), *t2 = text_op(l, "2");
    assert_true(t1->x >= eu->x + eu->w + 3); /* right of the bar */
    assert_true(t2->x >= la->x + la->w + 3);
    assert_leader(l, eu, t1);
    assert_leader(l, la, t2);
    assert_true(t2->y > t1->y); /* in the order of the segments */
    /* the labels stay in the bar's slot: left of the next bar */
    const rc_draw_op *next = segment(l, ceu, 2);
    assert_true(t2->x + 6 < next->x);
    box b[64];
    size_t n = text_boxes(f, l, b, 64);
    assert_no_overlap(b, n);
    assert_inside(b, n, w, h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_slivers_labelled_outside, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
