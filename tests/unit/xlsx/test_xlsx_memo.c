/* Workbooks kept between builds (src/xlsx/xlsx_memo.c): the same calls
 * give the kept workbook, byte for byte the one made without the memo;
 * a change of any one argument the recorder writes down (a number's bits,
 * a text, which object, a field of each options structure) makes the
 * workbook again; a writer that reports anything, fails, or is switched to
 * other bytes keeps nothing; a call the library refuses (the recorder
 * said yes) is reported once, as without the memo; the fixture's own
 * workbooks come back the
 * same; a large data workbook is not kept. The cache is this test's own
 * directory. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "xlsx_fixture.h"
#include "../../../src/xlsx/xlsx_int.h"

/* The variants: 0 is the reference, each other one changes one thing. */
enum {
    V_SAME,
    V_NUMBER,    /* a number's last bit */
    V_NEG_ZERO,  /* 0 and -0 */
    V_TEXT,      /* one character */
    V_FORMAT,    /* another (already made) format on a cell */
    V_FMT_PROP,  /* a format's property */
    V_PROPS,     /* a document property */
    V_CREATED,   /* the creation time */
    V_COLUMN,    /* a column's width */
    V_TABLE_COL, /* a table column's header */
    V_TABLE_OPT, /* a table option */
    V_CHART_OPT, /* the chart's scale */
    V_CHART_ALT, /* the chart's description */
    V_POINT,     /* one point's fill */
    V_FONT,      /* the title font's size */
    V_SERIES,    /* a series' values range */
    V_AXIS,      /* the other axis reversed */
    V_SHEET,     /* a sheet's name */
    V_WARN,      /* the writer reports a warning */
    V_FAIL,      /* the writer fails */
    V_REFUSED,   /* a call the library refuses (recorded as success) */
    V_COUNT
};

typedef struct variant {
    int v;
} variant;

static rc_status fill(rc_xw *x, void *arg)
{
    int v = ((const variant *)arg)->v;
    lxw_doc_properties p = {.title = (char *)(v == V_PROPS ? "Title 2" : "Title"),
                            .created = v == V_CREATED ? 1600000001 : 1600000000};
    rc_xw_check(x, workbook_set_properties(x->wb, &p), "properties");
    const char *sheet = v == V_SHEET ? "Figure 2" : "Figure 1";
    lxw_worksheet *ws = rc_xw_sheet(x, sheet, NULL);
    lxw_format *f1 = workbook_add_format(x->wb), *f2 = workbook_add_format(x->wb);
    format_set_bold(f1);
    format_set_italic(f2);
    if (v == V_FMT_PROP) format_set_font_size(f2, 12);
    rc_xw_str(x, ws, 0, 0, "Region", v == V_FORMAT ? f2 : f1);
    rc_xw_str(x, ws, 0, 1, v == V_TEXT ? "Sharf" : "Share", f1);
    for (uint32_t r = 1; r <= 4; r++) {
        rc_xw_str(x, ws, r, 0, r % 2 ? "EU" : "LAC", NULL);
        double d = 0.25 * r;
        if (v == V_NUMBER && r == 2) d = nextafter(d, 1.0);
        rc_xw_num(x, ws, r, 1, d, x->pct0);
    }
    rc_xw_num(x, ws, 5, 1, v == V_NEG_ZERO ? -0.0 : 0.0, NULL);
    rc_xw_width(x, ws, 0, v == V_COLUMN ? 12.5 : 12);
    lxw_table_column c0 = {.header = "Region"},
                     c1 = {.header = (char *)(v == V_TABLE_COL ? "Shares" : "Share"),
                           .format = x->pct0};
    lxw_table_column *cols[] = {&c0, &c1, NULL};
    lxw_table_options to = {.style_type = LXW_TABLE_STYLE_TYPE_LIGHT,
                            .style_type_number = v == V_TABLE_OPT ? 9 : 1,
                            .columns = cols};
    rc_xw_check(x, worksheet_add_table(ws, 0, 0, 4, 1, &to), "table");
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_BAR);
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    chart_series_set_categories(se, sheet, 1, 0, 4, 0);
    chart_series_set_values(se, sheet, 1, 1, v == V_SERIES ? 3 : 4, 1);
    lxw_chart_fill red = {.color = 0xC00000}, blue = {.color = v == V_POINT ? 0x0000C1 : 0x0000C0};
    lxw_chart_point p0 = {.fill = &red}, p1 = {.fill = &blue};
    lxw_chart_point *pts[] = {&p0, &p1, NULL};
    rc_xw_check(x, chart_series_set_points(se, pts), "points");
    lxw_chart_font font = {.size = v == V_FONT ? 11 : 10, .bold = LXW_TRUE};
    chart_title_set_name(ch, "Shares");
    chart_title_set_name_font(ch, &font);
    chart_axis_set_reverse(v == V_AXIS ? ch->x_axis : ch->y_axis);
    lxw_chart_options co = {.x_scale = v == V_CHART_OPT ? 1.5 : 1.25,
                            .y_scale = 1,
                            .description = (char *)(v == V_CHART_ALT ? "Bars." : "Bars")};
    rc_xw_check(x, worksheet_insert_chart_opt(ws, 7, 0, ch, &co), "chart");
    if (v == V_WARN) rc_diag_warning(x->d, x->where, "a warning while writing");
    if (v == V_REFUSED) rc_xw_str(x, ws, 2000000, 0, "past Excel's last row", NULL);
    if (v == V_FAIL) {
        rc_diag_error(x->d, x->where, "a failure while writing");
        x->abandoned = true;
        return RC_ERR_DATA;
    }
    return RC_OK;
}

static rc_status write_variant(fx *f, const char *name, int v, bool memo)
{
    variant var = {v};
    rc_xw_job j = {.a = f->a,
                   .doc = &f->doc,
                   .path = path_in(name),
                   .memo = memo,
                   .d = f->d,
                   .fill = fill,
                   .arg = &var};
    return rc_xw_write(&j);
}

static char cache[80];

static int setup(void **state)
{
    if (group_setup(state) != 0) return -1;
    snprintf(cache, sizeof cache, "%s", "/tmp/rc-xlsx-memo-cache.XXXXXX");
    assert_non_null(mkdtemp(cache));
    setenv("REPORTC_CACHE_DIR", cache, 1);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
    int st = system(cmd);
    return group_teardown(state) != 0 ? -1 : st;
}

static void test_same_calls_same_bytes(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    assert_int_equal(write_variant(&f, "ref.xlsx", V_SAME, false), RC_OK);
    assert_int_equal(rc_xw_memo_last(), -1);
    assert_int_equal(write_variant(&f, "m.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), 0); /* made, and kept */
    assert_true(same_file(f.a, path_in("ref.xlsx"), path_in("m.xlsx")));
    unlink(path_in("m.xlsx"));
    assert_int_equal(write_variant(&f, "m.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), 1); /* from the memo */
    assert_true(same_file(f.a, path_in("ref.xlsx"), path_in("m.xlsx")));
    assert_true(rc_xlsx_verify_zip(path_in("m.xlsx")));
    assert_int_equal(rc_diag_count(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

static void test_every_argument_counts(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int v = V_NUMBER; v < V_WARN; v++) {
        /* the reference kept, then the variant: made again, as without */
        assert_int_equal(write_variant(&f, "m.xlsx", V_SAME, true), RC_OK);
        assert_int_equal(write_variant(&f, "m.xlsx", V_SAME, true), RC_OK);
        assert_int_equal(rc_xw_memo_last(), 1);
        assert_int_equal(write_variant(&f, "m.xlsx", v, true), RC_OK);
        if (rc_xw_memo_last() != 0) fail_msg("variant %d came from the memo", v);
        assert_int_equal(write_variant(&f, "v.xlsx", v, false), RC_OK);
        assert_true(same_file(f.a, path_in("m.xlsx"), path_in("v.xlsx")));
        /* and the variant is kept in turn */
        assert_int_equal(write_variant(&f, "m.xlsx", v, true), RC_OK);
        assert_int_equal(rc_xw_memo_last(), 1);
        assert_true(same_file(f.a, path_in("m.xlsx"), path_in("v.xlsx")));
    }
    assert_int_equal(rc_diag_count(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

static void test_reports_keep_nothing(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    /* a warning: reported once per write (by the real run), never kept */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(write_variant(&f, "w.xlsx", V_WARN, true), RC_OK);
        assert_int_equal(rc_xw_memo_last(), 0);
        assert_int_equal(rc_diag_warnings(f.d), (size_t)i + 1);
    }
    /* a failure: reported once, no file, and nothing kept (the workbook of
     * the same path made well before stays kept: its memo is not
     * rewritten by a failed write) */
    assert_int_equal(write_variant(&f, "x.xlsx", V_SAME, true), RC_OK);
    size_t errors = rc_diag_errors(f.d);
    unlink(path_in("x.xlsx"));
    assert_int_equal(write_variant(&f, "x.xlsx", V_FAIL, true), RC_ERR_DATA);
    assert_int_equal(rc_diag_errors(f.d), errors + 1);
    assert_int_equal(access(path_in("x.xlsx"), F_OK), -1);
    assert_int_equal(write_variant(&f, "x.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), 1);
    clean_outputs();
    teardown_doc(&f);
}

/* The recorder answers every call with success; a call the library
 * refuses fails the replay, and the writer runs again for real and reports
 * it once: no file, nothing kept. */
static void test_refused_call(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int i = 0; i < 2; i++) {
        size_t errors = rc_diag_errors(f.d);
        assert_int_equal(write_variant(&f, "r.xlsx", V_REFUSED, true), RC_ERR_LIBRARY);
        assert_int_equal(rc_xw_memo_last(), 0);
        assert_int_equal(rc_diag_errors(f.d), errors + 1);
        const rc_diag_entry *e = rc_diag_get(f.d, rc_diag_count(f.d) - 1);
        assert_non_null(strstr(e->msg, "cannot write workbook"));
        assert_non_null(strstr(e->msg, "(a text cell)"));
        assert_int_equal(count_outputs(dir), 0);
    }
    clean_outputs();
    teardown_doc(&f);
}

static void test_switches_and_cache_off(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    assert_int_equal(write_variant(&f, "s.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(write_variant(&f, "s.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), 1);
    /* minizip's own deflate makes other bytes: no memo */
    assert_true(rc_xlsx_libdeflate_members(false));
    assert_int_equal(write_variant(&f, "s.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), -1);
    assert_false(rc_xlsx_libdeflate_members(true));
    rc_xw_deflate_cap(64);
    assert_int_equal(write_variant(&f, "s.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), -1);
    rc_xw_deflate_cap(0);
    /* no cache directory */
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_int_equal(write_variant(&f, "s.xlsx", V_SAME, true), RC_OK);
    assert_int_equal(rc_xw_memo_last(), -1);
    setenv("REPORTC_CACHE_DIR", cache, 1);
    clean_outputs();
    teardown_doc(&f);
}

/* The fixture's document: both workbooks, made then kept, the same bytes
 * as without the memo. */
static void test_fixture_workbooks(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    setenv("REPORTC_CACHE_DIR", "", 1);
    write_both(&f, "d0.xlsx", "f0.xlsx", NULL);
    setenv("REPORTC_CACHE_DIR", cache, 1);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, path_in("d.xlsx"), 9, f.d), RC_OK);
        assert_int_equal(rc_xw_memo_last(), i);
        assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, path_in("f.xlsx"), 9, f.d), RC_OK);
        assert_int_equal(rc_xw_memo_last(), i);
        assert_true(same_file(f.a, path_in("d0.xlsx"), path_in("d.xlsx")));
        assert_true(same_file(f.a, path_in("f0.xlsx"), path_in("f.xlsx")));
    }
    assert_int_equal(rc_diag_errors(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

/* A data workbook of more than 20,000 cells (rows x (columns + 8)) is
 * made every time; one of fewer is kept. */
static void test_large_data_not_kept(void **state)
{
    (void)state;
    const size_t rows[2] = {1600, 1700}; /* 19,200 and 20,400 cells */
    for (int k = 0; k < 2; k++) {
        FILE *w = begin_csv("big.csv");
        for (size_t i = 0; i < rows[k]; i++)
            fprintf(w, "R%zu,%s,meetings,%zu\n", i, i % 2 ? "EU" : "LA", i % 9);
        assert_int_equal(fclose(w), 0);
        fx f;
        setup_doc(&f, "big.csv");
        for (int i = 0; i < 2; i++)
            assert_int_equal(rc_xlsx_write_data(f.a, &f.doc, path_in("b.xlsx"), 9, f.d), RC_OK);
        assert_int_equal(rc_xw_memo_last(), k == 0 ? 1 : -1);
        assert_int_equal(rc_diag_errors(f.d), 0);
        clean_outputs();
        teardown_doc(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_calls_same_bytes), cmocka_unit_test(test_every_argument_counts),
        cmocka_unit_test(test_reports_keep_nothing),  cmocka_unit_test(test_switches_and_cache_off),
        cmocka_unit_test(test_refused_call),          cmocka_unit_test(test_fixture_workbooks),
        cmocka_unit_test(test_large_data_not_kept),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
