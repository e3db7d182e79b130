/* libxlsxwriter's temporary files are memory files (src/xlsx/xlsx_tmpfile.c):
 * both workbooks, written with them and with libxlsxwriter's own files in
 * the output directory, have the same bytes; the memory files are made
 * (and only when asked for); the setting is the calling thread's. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "xlsx_fixture.h"

static void *other_thread(void *arg)
{
    (void)arg;
    /* a new thread starts with memory files, whatever the creator asked */
    bool *on = malloc(sizeof *on);
    *on = rc_xlsx_memory_tmpfiles(true);
    return on;
}

static void test_same_bytes_both_ways(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int cm = 0; cm < 2; cm++) {
        rc_xlsx_data_opts o = {.constant_memory_rows = cm ? 1 : 0};
        size_t before = rc_xlsx_memory_tmpfiles_made();
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, path_in("m.xlsx"), 9, &o, f.d), RC_OK);
        assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, path_in("mf.xlsx"), 9, f.d), RC_OK);
        size_t mem = rc_xlsx_memory_tmpfiles_made() - before;
        assert_true(mem >= 10); /* a part each: sheets, styles, relationships... */
        assert_true(rc_xlsx_memory_tmpfiles(false));
        before = rc_xlsx_memory_tmpfiles_made();
        assert_int_equal(rc_xlsx_write_data_opt(f.a, &f.doc, path_in("d.xlsx"), 9, &o, f.d), RC_OK);
        assert_int_equal(rc_xlsx_write_figures(f.a, &f.doc, path_in("df.xlsx"), 9, f.d), RC_OK);
        assert_int_equal(rc_xlsx_memory_tmpfiles_made(), before);
        pthread_t t;
        void *res;
        assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
        assert_int_equal(pthread_join(t, &res), 0);
        assert_true(*(bool *)res);
        free(res);
        assert_false(rc_xlsx_memory_tmpfiles(true));
        assert_true(same_file(f.a, path_in("m.xlsx"), path_in("d.xlsx")));
        assert_true(same_file(f.a, path_in("mf.xlsx"), path_in("df.xlsx")));
        assert_true(rc_xlsx_verify_zip(path_in("m.xlsx")));
        clean_outputs();
    }
    assert_int_equal(rc_diag_errors(f.d), 0);
    teardown_doc(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_both_ways),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
