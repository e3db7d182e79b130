/* The cells and rows of a workbook held in memory, cut from the writing
 * thread's slab (src/xlsx/xlsx_cells.c): the same bytes as with the
 * library's calloc and free, for both workbooks of the fixture and for a
 * sheet whose cells are overwritten (number over text, text over number,
 * blank over text and back), rows written out of order, links (cells the
 * library makes itself, in rows of the slab) and a row of 3,000 cells (a
 * deep tree); the slab made them, is given back when the thread's last
 * workbook is closed (also with two open at once), and is not used in
 * constant-memory mode. The ASan build checks that nothing is freed twice,
 * freed wrongly or lost. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../../../src/xlsx/xlsx_int.h"
#include "xlsx_fixture.h"

static void test_fixture_both_ways(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int cm = 0; cm < 2; cm++) {
        rc_xlsx_data_opts o = {.constant_memory_rows = cm ? 1 : 0};
        size_t before = rc_xlsx_cell_slab_made();
        write_both(&f, "o.xlsx", "of.xlsx", &o);
        assert_true(rc_xlsx_cell_slab_made() - before >= 20);
        assert_int_equal(rc_xw_cells_blocks(), 0);
        assert_true(rc_xlsx_cell_slab(false));
        before = rc_xlsx_cell_slab_made();
        write_both(&f, "l.xlsx", "lf.xlsx", &o);
        assert_int_equal(rc_xlsx_cell_slab_made(), before);
        assert_true(on_in_new_thread(rc_xlsx_cell_slab));
        assert_false(rc_xlsx_cell_slab(true));
        assert_true(same_file(f.a, path_in("o.xlsx"), path_in("l.xlsx")));
        assert_true(same_file(f.a, path_in("of.xlsx"), path_in("lf.xlsx")));
        clean_outputs();
    }
    assert_int_equal(rc_diag_errors(f.d), 0);
    teardown_doc(&f);
}

/* Cells written over each other, out of order, with links and blanks. */
static void mixed_cells(rc_xw *x)
{
    lxw_worksheet *ws = rc_xw_sheet(x, "mixed", NULL);
    assert_non_null(ws);
    for (uint32_t r = 40; r-- > 0;) /* rows last to first */
        for (uint32_t c = 0; c < 6; c++) {
            if ((r + c) % 3)
                rc_xw_num(x, ws, r, c, r * 10.0 + c, NULL);
            else
                rc_xw_str(x, ws, r, c, (r + c) % 2 ? "odd" : "even", NULL);
        }
    for (uint32_t r = 0; r < 40; r += 3) {
        rc_xw_str(x, ws, r, 1, "over a number", NULL);
        rc_xw_num(x, ws, r, 0, -1.5, x->int0);
        rc_xw_str(x, ws, r, 2, NULL, x->bold); /* a blank cell the library makes */
        rc_xw_str(x, ws, r, 3, NULL, x->bold);
        rc_xw_str(x, ws, r, 3, "over a blank", NULL);
        rc_xw_link(x, ws, r, 7, "https://example.org/?r=1", "a link");
    }
    for (uint32_t c = 0; c < 3000; c++) /* one wide row: a deep tree */
        rc_xw_num(x, ws, 50, c, c, NULL);
    rc_xw_num(x, ws, 50, 1500, 0.25, NULL);
}

static void write_mixed(fx *f, const char *name, bool cm, bool slab)
{
    rc_xw x;
    assert_int_equal(rc_xw_open(&x, f->a, &f->doc, path_in(name), cm, false, f->d), RC_OK);
    rc_xw_properties(&x, &f->doc, 9, NULL);
    if (cm) { /* rows in order, as constant-memory mode needs */
        lxw_worksheet *ws = rc_xw_sheet(&x, "in order", NULL);
        for (uint32_t r = 0; r < 20; r++) {
            rc_xw_num(&x, ws, r, 0, r, NULL);
            rc_xw_str(&x, ws, r, 1, "text", NULL);
        }
    } else {
        mixed_cells(&x);
    }
    assert_true(cm || !slab || rc_xw_cells_blocks() > 0);
    assert_int_equal(rc_xw_close(&x), RC_OK);
    assert_int_equal(rc_xw_cells_blocks(), 0);
}

static void test_mixed_both_ways(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    size_t before = rc_xlsx_cell_slab_made();
    write_mixed(&f, "m.xlsx", false, true);
    assert_true(rc_xlsx_cell_slab_made() - before >= 3000);
    assert_true(rc_xlsx_cell_slab(false));
    write_mixed(&f, "ml.xlsx", false, false);
    rc_xlsx_cell_slab(true);
    assert_true(same_file(f.a, path_in("m.xlsx"), path_in("ml.xlsx")));
    const char *sheet = member_text(f.a, path_in("m.xlsx"), "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(sheet, "<c r=\"BES51\"><v>0.25</v></c>"));
    /* constant-memory mode keeps the library's cells */
    before = rc_xlsx_cell_slab_made();
    write_mixed(&f, "c.xlsx", true, true);
    assert_int_equal(rc_xlsx_cell_slab_made(), before);
    assert_int_equal(rc_diag_errors(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

/* Two workbooks open at once on one thread: the slab stays until the
 * second is closed (a slab given back with the first would leave the
 * second's cells freed: ASan reports it, and the count of blocks here). */
static void test_two_open(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    rc_xw a, b;
    assert_int_equal(rc_xw_open(&a, f.a, &f.doc, path_in("a.xlsx"), false, false, f.d), RC_OK);
    assert_int_equal(rc_xw_open(&b, f.a, &f.doc, path_in("b.xlsx"), false, false, f.d), RC_OK);
    rc_xw_properties(&a, &f.doc, 9, NULL);
    rc_xw_properties(&b, &f.doc, 9, NULL);
    mixed_cells(&a);
    mixed_cells(&b);
    assert_int_equal(rc_xw_close(&a), RC_OK);
    assert_true(rc_xw_cells_blocks() > 0);
    rc_xw_str(&b, rc_xw_sheet(&b, "more", NULL), 0, 0, "after the first closed", NULL);
    assert_int_equal(rc_xw_close(&b), RC_OK);
    assert_int_equal(rc_xw_cells_blocks(), 0);
    const char *s = member_text(f.a, path_in("b.xlsx"), "xl/sharedStrings.xml");
    assert_non_null(strstr(s, "after the first closed"));
    assert_int_equal(rc_diag_errors(f.d), 0);
    clean_outputs();
    teardown_doc(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_both_ways),
        cmocka_unit_test(test_mixed_both_ways),
        cmocka_unit_test(test_two_open),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
