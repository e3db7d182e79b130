/* Tests for rc_chart_alt: alternative text written from a chart's model in
 * the report language (kind, caption, the values as the chart prints them),
 * cut after 40 values with the count of the rest. Models built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rc/chart.h"

static rc_chart *bars(rc_arena *a, rc_chart_type t, size_t ncat, size_t nseries, bool percent)
{
    rc_chart *c = rc_arena_alloc(a, sizeof *c);
    c->type = t;
    c->percent = percent;
    c->locale = rc_locale_get("en");
    c->npanels = 1;
    c->panels = rc_arena_alloc(a, sizeof *c->panels);
    rc_chart_panel *p = c->panels;
    p->title = "Continent";
    p->ncat = ncat;
    p->categories = rc_arena_array(a, ncat, sizeof *p->categories);
    p->nseries = nseries;
    p->series = rc_arena_array(a, nseries, sizeof *p->series);
    for (size_t s = 0; s < nseries; s++) {
        p->series[s].label = s ? "Latin America" : "European Union";
        p->series[s].values = rc_arena_array(a, ncat, sizeof(double));
    }
    for (size_t i = 0; i < ncat; i++) {
        p->categories[i] = rc_arena_printf(a, "C%zu", i + 1);
        for (size_t s = 0; s < nseries; s++)
            p->series[s].values[i] = percent ? 0.25 * (double)(s + 1) : (double)(i + 1);
    }
    return c;
}

static void test_one_series(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_chart *c = bars(a, RC_CHART_HBAR, 3, 1, false);
    const char *t = rc_chart_alt(a, c, rc_locale_get("en"), "Regions by country");
    assert_string_equal(t,
                        "Horizontal bar chart: Regions by country. Continent: C1 1, C2 2, C3 3.");
    rc_arena_free(a);
}

static void test_series_by_category_and_spanish(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_chart *c = bars(a, RC_CHART_GROUPED, 2, 2, true);
    const char *t = rc_chart_alt(a, c, rc_locale_get("en"), "Motivation");
    assert_string_equal(t,
                        "Grouped bar chart: Motivation. C1: European Union 25%, Latin America 50%; "
                        "C2: European Union 25%, Latin America 50%.");
    c->locale = rc_locale_get("es");
    t = rc_chart_alt(a, c, rc_locale_get("es"), "Motivación");
    assert_non_null(strstr(t, "Gráfico de barras agrupadas: Motivación. C1: European Union 25"));
    t = rc_chart_alt(a, c, rc_locale_get("pt"), "Motivação");
    assert_non_null(strstr(t, "Gráfico de barras agrupadas: Motivação. C1: European Union 25"));
    c->npanels = 0; /* no values: kind and caption only */
    assert_string_equal(rc_chart_alt(a, c, rc_locale_get("pt"), "Motivação"),
                        "Gráfico de barras agrupadas: Motivação.");
    rc_arena_free(a);
}

static void test_cut_after_forty(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_chart *c = bars(a, RC_CHART_BAR, 55, 1, false);
    const char *t = rc_chart_alt(a, c, NULL, "Many");
    assert_non_null(strstr(t, "C40 40 and 15 more values; the figures workbook lists them all."));
    assert_null(strstr(t, "C41"));
    rc_arena_free(a);
}

static void test_tiles_and_no_model(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_chart c = {.type = RC_CHART_TILES};
    rc_tile tiles[2] = {{"20", "pairings"}, {"312", "new business contacts"}};
    c.tiles = tiles;
    c.ntiles = 2;
    assert_string_equal(rc_chart_alt(a, &c, NULL, "Key figures of the programme"),
                        "Key figures: Key figures of the programme. 20 pairings; 312 new business "
                        "contacts.");
    assert_string_equal(rc_chart_alt(a, NULL, NULL, "Only a caption"),
                        "Bar chart: Only a caption.");
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_series),
        cmocka_unit_test(test_series_by_category_and_spanish),
        cmocka_unit_test(test_cut_after_forty),
        cmocka_unit_test(test_tiles_and_no_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
