/* Tests for the chart model (rc_chart_build) and its geometry (rc_chart_draw):
 * ticks, bar spacing, pie angles, full circles, label boxes that never
 * overlap (measured with the real Lato metrics), likert proportions,
 * pairings layout and diagnostics. Data structures are built by hand. */
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

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "chart_fixture.h"
#include "../../../src/chart/chart_kit.h" /* contrast helpers are internal to the chart stage */

/* Every mark that carries meaning has 3:1 against white (WCAG 1.4.11): a
 * filled rect or path either by its fill or by an edge; a stroked path
 * (a pairing line) by its stroke. White fills are backgrounds. */
static void assert_contrast(const rc_draw_list *l)
{
    const rc_rgb white = {1, 1, 1};
    size_t marks = 0;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_GROUP) {
            assert_contrast(op->group);
            continue;
        }
        if (op->kind != RC_DRAW_RECT && op->kind != RC_DRAW_PATH) continue;
        if (op->kind == RC_DRAW_RECT && (op->w <= 0 || op->h <= 0)) continue; /* not drawn */
        if (op->fill && rc_chart_contrast(op->fill_rgb, white) > 1.01) {
            bool ok = rc_chart_contrast(op->fill_rgb, white) >= 3.0 ||
                      (op->stroke && rc_chart_contrast(op->stroke_rgb, white) >= 3.0);
            if (!ok)
                fail_msg("fill (%.2f %.2f %.2f) has %.2f:1 on white and no 3:1 edge",
                         op->fill_rgb.r, op->fill_rgb.g, op->fill_rgb.b,
                         rc_chart_contrast(op->fill_rgb, white));
            marks++;
        } else if (!op->fill && op->stroke) {
            assert_true(rc_chart_contrast(op->stroke_rgb, white) >= 3.0);
            marks++;
        }
    }
    (void)marks;
}

/* ---- ticks ---------------------------------------------------------------- */

static bool round_step(double step)
{
    double e = floor(log10(step));
    double m = step / pow(10, e);
    return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 || fabs(m - 10) < 1e-9;
}

static void test_ticks(void **state)
{
    (void)state;
    const double maxes[] = {1, 0.47, 17, 312, 0.94, 3, 1234};
    for (size_t k = 0; k < sizeof maxes / sizeof maxes[0]; k++) {
        double t[16];
        size_t n = rc_chart_ticks(maxes[k], 5, t, 16);
        assert_true(n >= 2);
        assert_true(n <= 6);
        assert_true(t[0] == 0);
        assert_true(t[n - 1] >= maxes[k] - 1e-12);
        double step = t[1] - t[0];
        assert_true(round_step(step));
        for (size_t i = 1; i < n; i++)
            assert_true(fabs(t[i] - t[i - 1] - step) < 1e-9 * (step + 1));
        /* the tick below the last is below max: no wasted interval */
        assert_true(t[n - 2] < maxes[k]);
    }
    double t[16];
    size_t n = rc_chart_ticks(0.47, 5, t, 16);
    assert_int_equal(n, 6);
    assert_true(fabs(t[5] - 0.5) < 1e-12);
    assert_true(t[3] == 0.3); /* printed as 0.3, not 0.30000000000000004 */
    n = rc_chart_ticks(17, 5, t, 16);
    assert_int_equal(n, 5);
    assert_true(t[4] == 20);
    n = rc_chart_ticks(312, 5, t, 16);
    assert_int_equal(n, 5);
    assert_true(t[1] == 100 && t[4] == 400);
    n = rc_chart_ticks(1, 5, t, 16);
    assert_int_equal(n, 6);
    assert_true(fabs(t[1] - 0.2) < 1e-12);
    /* empty range: still an axis from 0 to something positive */
    n = rc_chart_ticks(0, 5, t, 16);
    assert_int_equal(n, 2);
    assert_true(t[0] == 0 && t[1] > 0);
    n = rc_chart_ticks(NAN, 5, t, 16);
    assert_int_equal(n, 2);
    /* cap respected */
    n = rc_chart_ticks(100, 50, t, 4);
    assert_true(n <= 4);
}

/* ---- bars ----------------------------------------------------------------- */

static const char *const LONG_CATS[] = {
    "Sharing and learning with partner regions", "Finding partners and leveraging projects",
    "New business opportunities",
    "Internationalisation of regional clusters and small and medium-sized enterprises", "Other"};
static const double LONG_COUNTS[] = {15, 14, 3, 7, 1};

static rc_chart *bar_chart(fixture *f, rc_chart_type t, rc_data *data, rc_figure_cfg *fig)
{
    rc_field_cfg *field = rc_arena_alloc(f->a, sizeof *field);
    *field = category_field(f->a, "motivation", LONG_CATS, 5);
    data->aggs = rc_arena_alloc(f->a, sizeof(rc_agg));
    data->aggs[0] = distribution(f->a, "motiv", field, LONG_CATS, LONG_COUNTS, 5);
    data->naggs = 1;
    *fig = figure(t, "motiv");
    fig->aggregate = list1(f->a, "motiv", 11);
    return rc_chart_build(f->a, fig, data, f->loc, f->d);
}

static void test_bar_model(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    rc_chart *c = bar_chart(f, RC_CHART_BAR, &data, &fig);
    assert_non_null(c);
    assert_int_equal(rc_diag_errors(f->d), 0);
    assert_false(c->percent); /* bars default to counts */
    assert_int_equal(c->npanels, 1);
    assert_int_equal(c->panels[0].ncat, 5);
    assert_int_equal(c->panels[0].nseries, 1);
    assert_string_equal(c->panels[0].categories[2], "New business opportunities");
    assert_true(c->panels[0].series[0].values[0] == 15);
    assert_true(rc_chart_value_max(c) == 15);

    fig.value = S("share", 12);
    c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    assert_true(c->percent);
    assert_true(fabs(c->panels[0].series[0].values[0] - 15.0 / 40) < 1e-12);
    char buf[32];
    rc_chart_value_label(c, 15.0 / 40, -1, buf, sizeof buf);
    assert_string_equal(buf, "38%");
}

static size_t bar_rects(const rc_draw_list *l, rc_rgb col, const rc_draw_op **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < l->ops.n; i++)
        if (l->ops.v[i].kind == RC_DRAW_RECT && l->ops.v[i].fill &&
            same_rgb(l->ops.v[i].fill_rgb, col) && n < cap)
            out[n++] = &l->ops.v[i];
    return n;
}

static void test_bar_geometry(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    rc_chart *c = bar_chart(f, RC_CHART_BAR, &data, &fig);
    assert_non_null(c);
    const double w = 300, h = rc_chart_height(c, 300);
    assert_true(h > 100 && h < 400);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    const rc_draw_op *bars[8] = {0};
    size_t nb = bar_rects(l, BLUE, bars, 8);
    assert_int_equal(nb, 5);
    double spacing = bars[1]->x - bars[0]->x;
    assert_true(spacing > 10);
    for (size_t i = 0; i < nb; i++) {
        assert_true(bars[i]->x >= 0 && bars[i]->x + bars[i]->w <= w);
        assert_true(bars[i]->y >= 0 && bars[i]->y + bars[i]->h <= h);
        assert_true(fabs(bars[i]->w - bars[0]->w) < 1e-9);
        assert_true(fabs(bars[i]->y - bars[0]->y) < 1e-9); /* common baseline */
        if (i > 0) assert_true(fabs(bars[i]->x - bars[i - 1]->x - spacing) < 1e-6);
        /* heights proportional to the counts */
        assert_true(fabs(bars[i]->h / bars[0]->h - LONG_COUNTS[i] / LONG_COUNTS[0]) < 1e-9);
    }
    box b[128];
    size_t nt = text_boxes(f, l, b, 128);
    assert_true(nt > 10);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, w, h);
    for (size_t i = 0; i < 5; i++)
        assert_true(has_words(l, LONG_CATS[i]));
    assert_true(has_text(l, "15"));
    assert_true(has_text(l, "14"));
    assert_true(has_text(l, "3"));
    assert_true(has_text(l, "7"));
    assert_true(has_text(l, "1"));
    /* the long category wraps onto several lines */
    size_t lines_with_words = 0;
    for (size_t i = 0; i < nt; i++)
        if (b[i].len > 3 && strstr(LONG_CATS[3], rc_arena_strndup(f->a, b[i].text, b[i].len)))
            lines_with_words++;
    assert_true(lines_with_words >= 2);

    /* narrow: labels shrink and wrap but still never overlap */
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 180, 160);
    nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, 180, 160);
}

static void test_hbar_geometry(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    rc_chart *c = bar_chart(f, RC_CHART_HBAR, &data, &fig);
    fig.value = S("share", 12);
    c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    double w = 420, h = rc_chart_height(c, w);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    const rc_draw_op *bars[8] = {0};
    size_t nb = bar_rects(l, BLUE, bars, 8);
    assert_int_equal(nb, 5);
    double pitch = bars[0]->y - bars[1]->y;
    assert_true(pitch > 0);
    for (size_t i = 1; i < nb; i++) {
        assert_true(fabs(bars[i - 1]->y - bars[i]->y - pitch) < 1e-6); /* first on top */
        assert_true(fabs(bars[i]->x - bars[0]->x) < 1e-9);
        assert_true(fabs(bars[i]->w / bars[0]->w - LONG_COUNTS[i] / LONG_COUNTS[0]) < 1e-9);
    }
    box b[128];
    size_t nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, w, h);
    assert_true(has_text(l, "38%"));
    assert_true(has_text(l, "35%"));
    assert_true(has_text(l, "8%"));
    for (size_t i = 0; i < 5; i++)
        assert_true(has_words(l, LONG_CATS[i]));
}

/* Two panels and a grouped chart with a legend. */
static void test_grouped_and_panels(void **state)
{
    fixture *f = *state;
    static const char *const cats[] = {"Yes", "No", "Planned"};
    static const char *const groups[] = {"EU", "Latin America"};
    rc_field_cfg *field = rc_arena_alloc(f->a, sizeof *field);
    *field = category_field(f->a, "has_s3", cats, 3);
    rc_field_cfg *by = rc_arena_alloc(f->a, sizeof *by);
    *by = category_field(f->a, "continent", groups, 2);
    rc_agg g;
    memset(&g, 0, sizeof g);
    g.name = "s3_by";
    g.kind = RC_AGG_DISTRIBUTION;
    g.nrows = 3;
    g.ncols = 2;
    static const char *rl[] = {"Yes", "No", "Planned"};
    static const char *cl[] = {"EU", "Latin America"};
    static double val[] = {12, 9, 2, 1, 3, 5};
    g.row_label = rl;
    g.col_label = cl;
    g.value = val;
    g.field = field;
    g.by = by;
    rc_data data;
    memset(&data, 0, sizeof data);
    data.aggs = &g;
    data.naggs = 1;
    rc_figure_cfg fig = figure(RC_CHART_GROUPED, NULL);
    fig.aggregate = list1(f->a, "s3_by", 11);
    fig.value = S("share", 12);
    rc_chart *c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    assert_int_equal(c->panels[0].nseries, 2);
    assert_string_equal(c->panels[0].series[1].label, "Latin America");
    /* shares computed from column totals when the aggregate has none */
    assert_true(fabs(c->panels[0].series[0].values[0] - 12.0 / 17) < 1e-12);
    assert_true(fabs(c->panels[0].series[1].values[2] - 5.0 / 15) < 1e-12);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 300, rc_chart_height(c, 300));
    assert_true(has_text(l, "EU"));
    assert_true(has_text(l, "Latin America"));
    assert_true(has_text(l, "71%"));
    assert_true(has_text(l, "33%"));
    box b[128];
    size_t nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);

    /* stacked counts: totals on top, segments only labelled when they fit */
    fig.type = RC_CHART_STACKED;
    fig.value = S("count", 12);
    c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    assert_true(rc_chart_value_max(c) == 21);
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 300, 200);
    assert_true(has_text(l, "21")); /* total of Yes: 12 + 9 */
    assert_true(has_text(l, "12"));
    nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);

    /* two aggregates -> two panels with titles, shared axis */
    rc_agg two[2];
    static const char *const c2[] = {"Main topic", "Important topic", "Marginal"};
    static const double n1[] = {21, 7, 2}, n2[] = {10, 4, 1};
    two[0] = distribution(f->a, "sal_eu", field, c2, n1, 3);
    two[1] = distribution(f->a, "sal_la", field, c2, n2, 3);
    rc_aggregate_cfg ac[2];
    memset(ac, 0, sizeof ac);
    ac[0].label = S("EU regions", 20);
    ac[1].label = S("Latin American regions", 21);
    two[0].cfg = &ac[0];
    two[1].cfg = &ac[1];
    data.aggs = two;
    data.naggs = 2;
    fig = figure(RC_CHART_BAR, NULL);
    fig.aggregate.v = rc_arena_array(f->a, 2, sizeof(rc_str));
    fig.aggregate.v[0] = S("sal_eu", 11);
    fig.aggregate.v[1] = S("sal_la", 11);
    fig.aggregate.n = 2;
    c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    assert_int_equal(c->npanels, 2);
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 400, 200);
    assert_true(has_text(l, "EU regions"));
    assert_true(has_words(l, "Latin American regions"));
    const rc_draw_op *bars[8] = {0};
    size_t nb = bar_rects(l, BLUE, bars, 8);
    assert_int_equal(nb, 6);
    /* same value scale in both panels: 21 vs 10 */
    assert_true(fabs(bars[3]->h / bars[0]->h - 10.0 / 21) < 1e-9);
    assert_true(bars[3]->x > 200); /* second panel on the right */
    nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);

    /* panels share the width by bar count, and category labels one size
     * (the smallest any panel needs), even when one panel's are short */
    static const char *const shortc[] = {"AR", "BR", "CL"};
    static const char *const longc[] = {"Internationalisation", "Diversification", "Specialisation",
                                        "Modernisation", "Cooperation"};
    static const double n3[] = {3, 4, 3}, n5[] = {6, 3, 3, 2, 1};
    two[0] = distribution(f->a, "sal_eu", field, shortc, n3, 3);
    two[1] = distribution(f->a, "sal_la", field, longc, n5, 5);
    c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 260, 160);
    nb = bar_rects(l, BLUE, bars, 8);
    assert_int_equal(nb, 8);
    assert_true(fabs(bars[0]->w - bars[5]->w) < 1e-9); /* equal bar widths */
    double sz_short = 0, sz_long = 0;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind != RC_DRAW_TEXT) continue;
        if (op->len == 2 && memcmp(op->text, "AR", 2) == 0) sz_short = op->size;
        if (op->len >= 10 && memcmp(op->text, "Internatio", 10) == 0) sz_long = op->size;
    }
    assert_true(sz_long > 0 && sz_long < 8.0);
    assert_true(sz_short == sz_long);
    nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, 260, 160);
    assert_int_equal(rc_diag_errors(f->d), 0);
}

/* ---- likert ---------------------------------------------------------------- */

static void test_likert(void **state)
{
    fixture *f = *state;
    static const char *const levels[] = {"Not relevant", "Slightly", "Moderately", "Very",
                                         "Extremely relevant"};
    rc_field_cfg items[3];
    const rc_field_cfg *ip[3];
    for (int i = 0; i < 3; i++) {
        items[i] = category_field(f->a, i == 0 ? "edp" : i == 1 ? "gov" : "mon", levels, 5);
        items[i].type = RC_FIELD_LIKERT;
        items[i].scale_min = 1;
        items[i].scale_max = 5;
        ip[i] = &items[i];
    }
    static const char *rl[] = {"Analysis of the regional context (Entrepreneurial Discovery "
                               "Process)",
                               "Governance", "Monitoring and evaluation"};
    static double counts[] = {0, 0, 1, 11, 20, /**/ 1, 2, 9, 12, 8, /**/ 2, 2, 4, 14, 10};
    static double share[15];
    static double answered[] = {32, 32, 32};
    for (int i = 0; i < 15; i++)
        share[i] = counts[i] / 32;
    rc_agg g;
    memset(&g, 0, sizeof g);
    g.name = "relevance";
    g.kind = RC_AGG_LIKERT;
    g.nrows = 3;
    g.ncols = 5;
    g.row_label = rl;
    g.col_label = (const char **)levels;
    g.value = counts;
    g.share = share;
    g.answered = answered;
    g.fields = ip;
    g.nfields = 3;
    rc_data data;
    memset(&data, 0, sizeof data);
    data.aggs = &g;
    data.naggs = 1;
    rc_figure_cfg fig = figure(RC_CHART_LIKERT, NULL);
    fig.aggregate = list1(f->a, "relevance", 11);
    rc_chart *c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    assert_true(c->percent);
    assert_int_equal(c->panels[0].ncat, 3);
    assert_int_equal(c->panels[0].nseries, 5);
    assert_string_equal(c->panels[0].series[4].label, "Extremely relevant");
    double w = 420, h = rc_chart_height(c, w);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    assert_contrast(l); /* "Not relevant" in the pale tint: edged */
    /* 1 of 32 (3 %) is too narrow for its label: it is shown above the bar,
     * with a leader line */
    assert_true(has_text(l, "3%"));
    /* segments: rects in drawing order, 5 per item (zero-width included) */
    const rc_draw_op *rects[32];
    size_t nr = 0;
    for (size_t i = 0; i < l->ops.n && nr < 32; i++)
        if (l->ops.v[i].kind == RC_DRAW_RECT && l->ops.v[i].fill && l->ops.v[i].h > 8)
            rects[nr++] = &l->ops.v[i];
    assert_int_equal(nr, 15);
    for (size_t it = 0; it < 3; it++) {
        double total = 0;
        for (size_t k = 0; k < 5; k++)
            total += rects[it * 5 + k]->w;
        for (size_t k = 0; k < 5; k++) {
            const rc_draw_op *r = rects[it * 5 + k];
            assert_true(fabs(r->w / total - share[it * 5 + k]) < 1e-9);
            if (k > 0) /* segments abut */
                assert_true(fabs(rects[it * 5 + k - 1]->x + rects[it * 5 + k - 1]->w - r->x) <
                            1e-9);
        }
    }
    /* darker levels get darker fills (sequential palette) */
    double lum0 = rects[0]->fill_rgb.r + rects[0]->fill_rgb.g + rects[0]->fill_rgb.b;
    double lum4 = rects[4]->fill_rgb.r + rects[4]->fill_rgb.g + rects[4]->fill_rgb.b;
    assert_true(lum4 < lum0);
    assert_true(has_text(l, "63%")); /* 20/32 */
    assert_true(has_text(l, "Governance"));
    assert_true(has_text(l, "Extremely relevant")); /* legend */
    box b[128];
    size_t nt = text_boxes(f, l, b, 128);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, w, h);

    /* items with different scales are refused at the figure's key */
    items[2].scale_max = 4;
    size_t before = rc_diag_errors(f->d);
    c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_null(c);
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    const rc_diag_entry *e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 11);
    assert_non_null(strstr(e->msg, "different scales"));
}

/* ---- pie ------------------------------------------------------------------ */

static rc_chart *pie_chart(fixture *f, rc_chart_type t, const double *counts, size_t n,
                           rc_data *data)
{
    static const char *const cats[] = {"Main topic", "Important topic", "Marginal topic",
                                       "Not a topic", "No answer"};
    rc_field_cfg *field = rc_arena_alloc(f->a, sizeof *field);
    *field = category_field(f->a, "salience", cats, n);
    data->aggs = rc_arena_alloc(f->a, sizeof(rc_agg));
    data->aggs[0] = distribution(f->a, "sal", field, cats, counts, n);
    data->naggs = 1;
    rc_figure_cfg *fig = rc_arena_alloc(f->a, sizeof *fig);
    *fig = figure(t, NULL);
    fig->aggregate = list1(f->a, "sal", 11);
    return rc_chart_build(f->a, fig, data, f->loc, f->d);
}

static size_t count_paths(const rc_draw_list *l, const rc_draw_op **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < l->ops.n; i++)
        if (l->ops.v[i].kind == RC_DRAW_PATH && l->ops.v[i].fill && n < cap)
            out[n++] = &l->ops.v[i];
    return n;
}

static void test_pie(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    static const double counts[] = {21, 7, 2, 1, 1};
    rc_chart *c = pie_chart(f, RC_CHART_PIE, counts, 5, &data);
    assert_non_null(c);
    assert_true(c->percent);
    double st[8], sw[8];
    size_t n = rc_chart_pie_angles(c, 0, st, sw, 8);
    assert_int_equal(n, 5);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += sw[i];
        if (i > 0)
            assert_true(fabs(st[i] - (st[i - 1] - sw[i - 1])) < 1e-9); /* clockwise, adjacent */
    }
    assert_true(fabs(sum - 360) < 1e-9);
    assert_true(st[0] == 90);
    assert_true(fabs(sw[0] - 21.0 / 32 * 360) < 1e-9);

    double w = 360, h = rc_chart_height(c, w);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    assert_contrast(l);
    const rc_draw_op *paths[16] = {0};
    size_t np = count_paths(l, paths, 16);
    assert_int_equal(np, 5);
    /* the arcs of the display list cover the full turn: sum the angle each
     * slice's outline sweeps around the centre (first point after MOVE) */
    double cx = paths[0]->segs[0].x, cy = paths[0]->segs[0].y;
    double turn = 0;
    for (size_t i = 0; i < np; i++) {
        const rc_draw_op *p = paths[i];
        assert_true(p->segs[0].op == RC_PATH_MOVE);
        assert_true(fabs(p->segs[0].x - cx) < 1e-9 && fabs(p->segs[0].y - cy) < 1e-9);
        double a0 = atan2(p->segs[1].y - cy, p->segs[1].x - cx);
        double prev = a0, swept = 0;
        for (size_t k = 2; k < p->nsegs; k++) {
            if (p->segs[k].op != RC_PATH_CURVE) continue;
            double a = atan2(p->segs[k].y - cy, p->segs[k].x - cx);
            double d = prev - a; /* clockwise positive */
            while (d < -1e-9)
                d += 2 * M_PI;
            swept += d;
            prev = a;
        }
        assert_true(fabs(swept * 180 / M_PI - sw[i]) < 1e-6);
        turn += swept;
    }
    assert_true(fabs(turn * 180 / M_PI - 360) < 1e-6);
    assert_true(has_text(l, "66%"));
    assert_true(has_text(l, "22%"));
    assert_true(has_text(l, "6%"));
    assert_true(has_text(l, "3%"));
    for (size_t i = 0; i < 5; i++)
        assert_true(has_text(l, c->panels[0].categories[i])); /* legend */
    box b[64];
    size_t nt = text_boxes(f, l, b, 64);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, w, h);
    /* The two 1-of-32 slices sit just left of twelve o'clock and are
     * labelled outside: each leader (a radial piece, then a run to the
     * label) stays short next to its slice and never crosses the pie; a
     * fixed label column made the run about 0.8 of the radius. */
    double radius = hypot(paths[0]->segs[1].x - cx, paths[0]->segs[1].y - cy);
    size_t nlines = 0;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind != RC_DRAW_LINE) continue;
        nlines++;
        assert_true(hypot(op->x2 - op->x, op->y2 - op->y) < 0.35 * radius);
        assert_true(hypot(op->x - cx, op->y - cy) >= radius - 1e-6); /* outside the pie */
        assert_true(hypot(op->x2 - cx, op->y2 - cy) >= radius - 1e-6);
    }
    assert_int_equal(nlines, 4); /* two outside labels, two segments each */

    /* doughnut: slices have a hole (no segment to the centre) */
    c = pie_chart(f, RC_CHART_DOUGHNUT, counts, 5, &data);
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    np = count_paths(l, paths, 16);
    assert_int_equal(np, 5);
    nt = text_boxes(f, l, b, 64);
    assert_no_overlap(b, nt);
}

static void test_pie_full_circle(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    static const double counts[] = {32, 0};
    rc_chart *c = pie_chart(f, RC_CHART_PIE, counts, 2, &data);
    assert_non_null(c);
    double st[2], sw[2];
    rc_chart_pie_angles(c, 0, st, sw, 2);
    assert_true(sw[0] == 360 && sw[1] == 0);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 300, 180);
    const rc_draw_op *paths[8];
    size_t np = count_paths(l, paths, 8);
    assert_int_equal(np, 1);
    const rc_draw_op *p = paths[0];
    /* MOVE + 4 quarter curves + CLOSE; no line to the centre */
    assert_int_equal(p->nsegs, 6);
    assert_true(p->segs[0].op == RC_PATH_MOVE);
    for (size_t k = 1; k < 5; k++)
        assert_true(p->segs[k].op == RC_PATH_CURVE);
    assert_true(p->segs[5].op == RC_PATH_CLOSE);
    /* ends where it starts, and is round: all end points at one radius */
    assert_true(fabs(p->segs[4].x - p->segs[0].x) < 1e-9);
    assert_true(fabs(p->segs[4].y - p->segs[0].y) < 1e-9);
    double cx = (p->segs[1].x + p->segs[3].x) / 2, cy = (p->segs[1].y + p->segs[3].y) / 2;
    double r = hypot(p->segs[0].x - cx, p->segs[0].y - cy);
    assert_true(r > 20);
    for (size_t k = 1; k < 5; k++)
        assert_true(fabs(hypot(p->segs[k].x - cx, p->segs[k].y - cy) - r) < 1e-6);
    assert_true(has_text(l, "100%"));

    /* a full doughnut is an outer and a reversed inner circle */
    c = pie_chart(f, RC_CHART_DOUGHNUT, counts, 2, &data);
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 300, 180);
    np = count_paths(l, paths, 8);
    assert_int_equal(np, 1);
    assert_int_equal(paths[0]->nsegs, 12);
    assert_true(paths[0]->segs[6].op == RC_PATH_MOVE);
}

/* ---- tiles ------------------------------------------------------------------ */

static void test_tiles(void **state)
{
    fixture *f = *state;
    rc_metric_cfg mc[3];
    memset(mc, 0, sizeof mc);
    mc[0].name = S("pairings", 30);
    mc[0].op = RC_METRIC_COUNT;
    mc[1].name = S("business_contacts", 31);
    mc[1].op = RC_METRIC_SUM;
    mc[1].format = S("floor:100", 31);
    mc[2].name = S("share_s3", 32);
    mc[2].op = RC_METRIC_SHARE;
    rc_metric_value mv[3] = {{&mc[0], "pairings", 20, true},
                             {&mc[1], "business_contacts", 347, true},
                             {&mc[2], "share_s3", 0.9375, false}};
    rc_data data;
    memset(&data, 0, sizeof data);
    data.metrics = mv;
    data.nmetrics = 3;
    rc_figure_cfg fig = figure(RC_CHART_TILES, NULL);
    fig.items.v = rc_arena_array(f->a, 3, sizeof(rc_str));
    fig.items.v[0] = S("pairings: EU\xe2\x80\x93Latin American regional pairings", 40);
    fig.items.v[1] = S("business_contacts : new business contacts", 40);
    fig.items.v[2] = S("share_s3", 40);
    fig.items.n = 3;
    rc_chart *c = rc_chart_build(f->a, &fig, &data, f->loc, f->d);
    assert_non_null(c);
    assert_int_equal(c->ntiles, 3);
    assert_string_equal(c->tiles[0].value, "20");
    assert_string_equal(c->tiles[0].label, "EU\xe2\x80\x93Latin American regional pairings");
    assert_string_equal(c->tiles[1].value, "300");
    assert_string_equal(c->tiles[1].label, "new business contacts");
    assert_string_equal(c->tiles[2].value, "93.8%");
    assert_string_equal(c->tiles[2].label, "share_s3");
    double h = rc_chart_height(c, 400);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 400, h);
    assert_true(has_text(l, "20"));
    assert_true(has_text(l, "300"));
    assert_true(has_words(l, "new business contacts"));
    size_t light = 0;
    for (size_t i = 0; i < l->ops.n; i++)
        if (l->ops.v[i].kind == RC_DRAW_TEXT && l->ops.v[i].font == RC_FONT_LIGHT) light++;
    assert_int_equal(light, 3);
    box b[32];
    size_t nt = text_boxes(f, l, b, 32);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, 400, h);

    /* unknown metric: error at the item, with a suggestion */
    fig.items.v[2] = S("pairing: Pairings", 41);
    size_t before = rc_diag_errors(f->d);
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    const rc_diag_entry *e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 41);
    assert_non_null(strstr(e->msg, "did you mean 'pairings'"));
}

/* ---- pairings ---------------------------------------------------------------- */

static void test_pairings(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    rc_chart *c = pairings_chart(f, &data, &fig, true);
    assert_non_null(c);
    assert_int_equal(c->nleft, 20);
    assert_int_equal(c->nright, 19); /* Extremadura is paired twice */
    assert_int_equal(c->nlinks, 20);
    assert_int_equal(c->nlegend, 7);
    assert_string_equal(c->legend[0], "Sustainability");
    assert_string_equal(c->left_title, "Latin American region");
    /* left column grouped by country, countries in declared order */
    size_t last = 0;
    for (size_t i = 0; i < c->nleft; i++) {
        size_t g = index_of(COUNTRIES_LA, 6, c->left[i].group);
        assert_true(g != SIZE_MAX && g >= last);
        last = g;
    }
    last = 0;
    for (size_t i = 0; i < c->nright; i++) {
        size_t g = index_of(COUNTRIES_EU, 10, c->right[i].group);
        assert_true(g != SIZE_MAX && g >= last);
        last = g;
    }
    /* every link joins the right regions with its theme */
    for (size_t r = 0; r < 20; r++) {
        bool found = false;
        for (size_t k = 0; k < c->nlinks && !found; k++)
            found = strcmp(c->left[c->links[k].left].label, LA[r][0]) == 0 &&
                    strcmp(c->right[c->links[k].right].label, EU[r][0]) == 0 &&
                    c->links[k].color == r % 7;
        assert_true(found);
    }

    double w = 430, h = rc_chart_height(c, w);
    assert_true(h > 26 * 9 && h < 600);
    rc_draw_list *l = rc_chart_draw(f->a, c, &f->style, &f->fonts, w, h);
    assert_contrast(l); /* the light tints' lines are darkened */
    /* the legend's last row never holds one entry alone */
    double ylast = -1, ycount = 0;
    for (size_t i = 0; i < l->ops.n; i++)
        if (l->ops.v[i].kind == RC_DRAW_TEXT &&
            l->ops.v[i].len == strlen(c->legend[c->nlegend - 1]) &&
            memcmp(l->ops.v[i].text, c->legend[c->nlegend - 1], l->ops.v[i].len) == 0)
            ylast = l->ops.v[i].y;
    for (size_t k = 0; k < c->nlegend; k++)
        for (size_t i = 0; i < l->ops.n; i++)
            if (l->ops.v[i].kind == RC_DRAW_TEXT && l->ops.v[i].y == ylast &&
                l->ops.v[i].len == strlen(c->legend[k]) &&
                memcmp(l->ops.v[i].text, c->legend[k], l->ops.v[i].len) == 0)
                ycount++;
    assert_true(ylast >= 0);
    assert_true(ycount >= 2);
    for (size_t r = 0; r < 20; r++) {
        assert_true(has_text(l, LA[r][0]));
        assert_true(has_text(l, EU[r][0]));
        assert_true(has_text(l, LA[r][1]));
        assert_true(has_text(l, EU[r][1]));
    }
    for (size_t t = 0; t < 7; t++)
        assert_true(has_text(l, THEMES[t]));
    size_t curves = 0;
    for (size_t i = 0; i < l->ops.n; i++)
        if (l->ops.v[i].kind == RC_DRAW_PATH && l->ops.v[i].stroke && !l->ops.v[i].fill) curves++;
    assert_int_equal(curves, 20);
    box b[256];
    size_t nt = text_boxes(f, l, b, 256);
    assert_true(nt >= 20 + 19 + 6 + 10 + 7);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, w, h);

    /* squeezed into less height: smaller type, still no overlaps */
    l = rc_chart_draw(f->a, c, &f->style, &f->fonts, 360, h * 0.8);
    nt = text_boxes(f, l, b, 256);
    assert_no_overlap(b, nt);
    assert_inside(b, nt, 360, h * 0.8);
}

static void test_pairings_errors(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    size_t before = rc_diag_errors(f->d);
    /* rows not kept and no rows aggregate */
    assert_null(pairings_chart(f, &data, &fig, false));
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    const rc_diag_entry *e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 50);
    assert_non_null(strstr(e->msg, "rows"));
    /* a misspelt field */
    pairings_chart(f, &data, &fig, true);
    fig.right_group = S("eu_contry", 54);
    before = rc_diag_errors(f->d);
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 54);
    assert_non_null(strstr(e->msg, "did you mean 'eu_country'"));
}

/* ---- diagnostics -------------------------------------------------------------- */

static void test_build_errors(void **state)
{
    fixture *f = *state;
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    assert_non_null(bar_chart(f, RC_CHART_BAR, &data, &fig));

    size_t before = rc_diag_errors(f->d);
    fig.aggregate = list1(f->a, "motive", 17);
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    const rc_diag_entry *e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 17);
    assert_non_null(strstr(e->msg, "unknown aggregate 'motive'; did you mean 'motiv'"));

    /* grouped needs 'by' */
    fig.aggregate = list1(f->a, "motiv", 18);
    fig.type = RC_CHART_GROUPED;
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 18);
    assert_non_null(strstr(e->msg, "'by'"));

    /* pie of a multiple-answer field */
    ((rc_field_cfg *)data.aggs[0].field)->type = RC_FIELD_MULTI;
    fig.type = RC_CHART_PIE;
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_non_null(strstr(e->msg, "multiple-answer"));

    /* likert of a distribution; bad value key; missing aggregate key */
    fig.type = RC_CHART_LIKERT;
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    fig.type = RC_CHART_BAR;
    fig.value = S("percent", 19);
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_int_equal(e->loc.line, 19);
    fig.value = S(NULL, 0);
    fig.aggregate.n = 0;
    assert_null(rc_chart_build(f->a, &fig, &data, f->loc, f->d));
    assert_int_equal(rc_diag_errors(f->d), before + 6);
}

/* Degenerate data (all zero, no categories) and absurd sizes: no crash,
 * every coordinate finite. */
static void assert_finite_list(const rc_draw_list *l)
{
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        /* only the fields of the op's kind: the others share storage */
        assert_true(isfinite(op->x) && isfinite(op->y));
        if (op->kind == RC_DRAW_RECT || op->kind == RC_DRAW_LINK)
            assert_true(isfinite(op->w) && isfinite(op->h));
        if (op->kind == RC_DRAW_LINE) assert_true(isfinite(op->x2) && isfinite(op->y2));
        if (op->kind == RC_DRAW_TEXT) assert_true(isfinite(op->size));
        for (size_t k = 0; op->kind == RC_DRAW_PATH && k < op->nsegs; k++)
            assert_true(isfinite(op->segs[k].x) && isfinite(op->segs[k].y) &&
                        isfinite(op->segs[k].x1) && isfinite(op->segs[k].y2));
    }
}

static void test_degenerate(void **state)
{
    fixture *f = *state;
    static const double zeros[] = {0, 0, 0};
    static const double sizes[][2] = {{40, 30}, {600, 600}, {5, 5}, {300, 1}};
    const rc_chart_type types[] = {RC_CHART_BAR, RC_CHART_HBAR, RC_CHART_PIE, RC_CHART_DOUGHNUT};
    for (size_t t = 0; t < 4; t++) {
        rc_data data;
        memset(&data, 0, sizeof data);
        rc_chart *c = pie_chart(f, types[t], zeros, 3, &data);
        assert_non_null(c);
        c->type = types[t];
        for (size_t s = 0; s < 4; s++) {
            rc_draw_list *l =
                rc_chart_draw(f->a, c, &f->style, &f->fonts, sizes[s][0], sizes[s][1]);
            assert_non_null(l);
            assert_finite_list(l);
        }
        c->panels[0].ncat = 0; /* an aggregate with no rows */
        assert_finite_list(rc_chart_draw(f->a, c, &f->style, &f->fonts, 300, 200));
        double h = rc_chart_height(c, 300);
        assert_true(isfinite(h) && h > 0);
    }
    rc_data data;
    memset(&data, 0, sizeof data);
    rc_figure_cfg fig;
    rc_chart *c = pairings_chart(f, &data, &fig, true);
    for (size_t s = 0; s < 4; s++)
        assert_finite_list(rc_chart_draw(f->a, c, &f->style, &f->fonts, sizes[s][0], sizes[s][1]));
    c->nlinks = c->nleft = c->nright = c->nlegend = 0;
    assert_finite_list(rc_chart_draw(f->a, c, &f->style, &f->fonts, 300, 200));
    assert_true(rc_chart_height(c, 300) > 0);
    /* missing fonts: estimates, still finite */
    memset(&data, 0, sizeof data);
    c = bar_chart(f, RC_CHART_BAR, &data, &fig);
    rc_fonts none;
    memset(&none, 0, sizeof none);
    assert_finite_list(rc_chart_draw(f->a, c, NULL, &none, 300, 200));
}

/* The default palette and the sample's: the light colours (EU yellow
 * 1.4:1, pale tints) really are below 3:1, and what they are drawn with
 * (edge or darkened line) reaches it while staying the same hue. */
static void test_palette_contrast(void **state)
{
    (void)state;
    static const unsigned hex[] = {0x004494, 0xFFD617, 0x7FA1C9, 0xBFD0E4,
                                   0xFFE879, 0x404040, 0x467A39, 0xA6A6A6};
    const rc_rgb white = {1, 1, 1};
    size_t light = 0;
    for (size_t i = 0; i < sizeof hex / sizeof hex[0]; i++) {
        rc_rgb c = {(hex[i] >> 16) / 255.0, (hex[i] >> 8 & 255) / 255.0, (hex[i] & 255) / 255.0};
        light += rc_chart_contrast(c, white) < 3.0;
        rc_rgb d = rc_chart_contrasting(c, white, 3.0);
        assert_true(rc_chart_contrast(d, white) >= 3.0);
        if (rc_chart_contrast(c, white) < 3.0)
            assert_true(rc_chart_contrast(d, white) < 3.6); /* no darker than needed */
        else
            assert_true(d.r == c.r && d.g == c.g && d.b == c.b);
        /* same hue: the channels keep their order */
        assert_true((c.r >= c.g) == (d.r >= d.g) && (c.g >= c.b) == (d.g >= d.b));
    }
    assert_true(light >= 4);
    rc_rgb yellow = {1, 0xD6 / 255.0, 0x17 / 255.0};
    assert_true(fabs(rc_chart_contrast(yellow, white) - 1.42) < 0.05);
    assert_true(fabs(rc_chart_contrast((rc_rgb){0, 0, 0}, white) - 21.0) < 1e-9);
}

/* Every chart type belongs to the family its back ends draw it with. */
static void test_chart_families(void **state)
{
    (void)state;
    static const struct {
        rc_chart_type t;
        rc_chart_family f;
    } want[] = {{RC_CHART_BAR, RC_FAMILY_BARS},         {RC_CHART_HBAR, RC_FAMILY_BARS},
                {RC_CHART_GROUPED, RC_FAMILY_BARS},     {RC_CHART_STACKED, RC_FAMILY_BARS},
                {RC_CHART_LIKERT, RC_FAMILY_BARS},      {RC_CHART_PIE, RC_FAMILY_PIE},
                {RC_CHART_DOUGHNUT, RC_FAMILY_PIE},     {RC_CHART_TILES, RC_FAMILY_TILES},
                {RC_CHART_PAIRINGS, RC_FAMILY_PAIRINGS}};
    assert_int_equal(sizeof want / sizeof want[0], RC_CHART_TYPE_COUNT);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(rc_chart_family_of(want[i].t), want[i].f);
    assert_int_equal(rc_chart_family_of(RC_CHART_TYPE_COUNT), RC_FAMILY_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticks),
        cmocka_unit_test(test_chart_families),
        cmocka_unit_test_setup_teardown(test_bar_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar_geometry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hbar_geometry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grouped_and_panels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_likert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pie, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pie_full_circle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tiles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pairings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pairings_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_degenerate, setup, teardown),
        cmocka_unit_test(test_palette_contrast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
