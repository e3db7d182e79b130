/* libxlsxwriter's temporary files are memory files (src/xlsx/xlsx_tmpfile.c):
 * both workbooks, written with them and with libxlsxwriter's own files in
 * the output directory, have the same bytes; the memory files are made
 * (and only when asked for); the setting is the calling thread's. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "xlsx_fixture.h"

static void test_same_bytes_both_ways(void **state)
{
    (void)state;
    fx f;
    setup_doc(&f, "s.csv");
    for (int cm = 0; cm < 2; cm++) {
        rc_xlsx_data_opts o = {.constant_memory_rows = cm ? 1 : 0};
        size_t before = rc_xlsx_memory_tmpfiles_made();
        write_both(&f, "m.xlsx", "mf.xlsx", &o);
        size_t mem = rc_xlsx_memory_tmpfiles_made() - before;
        assert_true(mem >= 10); /* a part each: sheets, styles, relationships... */
        assert_true(rc_xlsx_memory_tmpfiles(false));
        before = rc_xlsx_memory_tmpfiles_made();
        write_both(&f, "d.xlsx", "df.xlsx", &o);
        assert_int_equal(rc_xlsx_memory_tmpfiles_made(), before);
        assert_true(on_in_new_thread(rc_xlsx_memory_tmpfiles));
        assert_false(rc_xlsx_memory_tmpfiles(true));
        assert_true(same_file(f.a, path_in("m.xlsx"), path_in("d.xlsx")));
        assert_true(same_file(f.a, path_in("mf.xlsx"), path_in("df.xlsx")));
        assert_true(rc_xlsx_verify_zip(path_in("m.xlsx")));
        clean_outputs();
    }
    assert_int_equal(rc_diag_errors(f.d), 0);
    teardown_doc(&f);
}

/* gmtime, as libxlsxwriter calls it when two threads close workbooks at
 * once (xlsx_tmpfile.c): a thread's result stays its own while another
 * thread converts another time. With the C library's one static buffer
 * one of the two threads would read the other's year. */
static pthread_barrier_t gm_bar;
static void *gm_thread(void *arg)
{
    time_t t = *(const time_t *)arg;
    struct tm *r = gmtime(&t);
    int year = r->tm_year + 1900;
    pthread_barrier_wait(&gm_bar); /* both have converted */
    /* still this thread's year, whatever the other converted meanwhile */
    return (void *)(intptr_t)(r->tm_year + 1900 == year ? year : -year);
}

static void test_gmtime_per_thread(void **state)
{
    (void)state;
    time_t t[2] = {1577836800, 1262304000}; /* 2020-01-01, 2010-01-01 */
    pthread_t th[2];
    assert_int_equal(pthread_barrier_init(&gm_bar, NULL, 2), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, gm_thread, &t[i]), 0);
    void *res[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], &res[i]), 0);
    pthread_barrier_destroy(&gm_bar);
    assert_int_equal((intptr_t)res[0], 2020);
    assert_int_equal((intptr_t)res[1], 2010);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_both_ways),
        cmocka_unit_test(test_gmtime_per_thread),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
