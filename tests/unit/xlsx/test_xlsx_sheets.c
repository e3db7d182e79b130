/* The habits the workbooks share for statistics users (xlsx_sheets.c):
 * Excel table names, the words of the new sheets per language, and the
 * progress line (only when asked for or on a terminal, never before a
 * second has passed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../../src/xlsx/xlsx_int.h"
#include "rc/locale.h"

static void test_table_names(void **state)
{
    (void)state;
    rc_xw x;
    memset(&x, 0, sizeof x);
    x.a = rc_arena_new();
    assert_string_equal(rc_xw_table_name(&x, "motivation"), "motivation");
    assert_string_equal(rc_xw_table_name(&x, "Motivation"), "Motivation_2"); /* case-insensitive */
    assert_string_equal(rc_xw_table_name(&x, "motivation"), "motivation_3");
    assert_string_equal(rc_xw_table_name(&x, "Figure 6"), "Figure_6");
    assert_string_equal(rc_xw_table_name(&x, "2020 data"), "t_2020_data"); /* no digit first */
    assert_string_equal(rc_xw_table_name(&x, "A1"), "t_A1");               /* a cell */
    assert_string_equal(rc_xw_table_name(&x, "xfd100"), "t_xfd100");
    assert_string_equal(rc_xw_table_name(&x, "R1C1"), "t_R1C1");
    assert_string_equal(rc_xw_table_name(&x, "C"), "t_C");
    assert_string_equal(rc_xw_table_name(&x, "regions-by-country"), "regions_by_country");
    assert_string_equal(rc_xw_table_name(&x, "ñ"), "t_");
    rc_arena_free(x.a);
}

static void test_words_per_language(void **state)
{
    (void)state;
    rc_xw x;
    memset(&x, 0, sizeof x);
    const char *want[][3] = {
        {"en", "Cover", "Notes"}, {"es", "Portada", "Notas"}, {"pt", "Capa", "Notas"}};
    for (size_t i = 0; i < 3; i++) {
        x.loc = rc_locale_get(want[i][0]);
        assert_non_null(x.loc);
        assert_string_equal(rc_xw_word(&x, RC_XW_COVER), want[i][1]);
        assert_string_equal(rc_xw_word(&x, RC_XW_NOTES), want[i][2]);
        for (int w = 0; w < RC_XW_COUNT_WORDS; w++) {
            const char *s = rc_xw_word(&x, (rc_xw_wordid)w);
            assert_non_null(s);
            assert_true(s[0] != 0);
        }
    }
}

static char *progress_output(const char *env, double started_ms_ago)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    dup2(fileno(tmp), STDERR_FILENO);
    if (env)
        setenv("RC_PROGRESS", env, 1);
    else
        unsetenv("RC_PROGRESS");
    rc_xw x;
    memset(&x, 0, sizeof x);
    rc_xw_progress(&x, "survey", 8192, 100000); /* starts the clock */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    x.progress_t0 = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6 - started_ms_ago;
    rc_xw_progress(&x, "survey", 8193, 100000);  /* not a multiple of 8192: skipped */
    rc_xw_progress(&x, "survey", 16384, 100000); /* shown if wanted and late */
    rc_xw_progress_end(&x);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    long n = ftell(tmp);
    char *buf = calloc(1, (size_t)n + 1);
    rewind(tmp);
    assert_int_equal(fread(buf, 1, (size_t)n, tmp), (size_t)n);
    fclose(tmp);
    unsetenv("RC_PROGRESS");
    return buf;
}

/* rc_xw_fit skips measuring a text that cannot widen the column: the
 * result is still the measured one, for the widest characters of every
 * UTF-8 length (W, wide CJK, 4-byte), bad bytes and several lines, at
 * column widths around each text's own. */
static void test_fit_same_as_measured(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "WWWWWWWWWWWW",
        "MmWw@%MmWw@%Mm",
        "\xC5\xB4\xC5\xB4\xC5\xB4",
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",
        "\xF0\x9F\x98\x80\xF0\xA0\x80\x80",
        "\xFF\xFE\xFD"
        "abc",
        "ab\nWWWWWWW\nc",
        "",
        "iiiiiiiiiiiiiiiiiii",
        "Bogot\xC3\xA1-Cundinamarca",
        "a rather long label of a code, longer than the cap of sixty "
        "characters by some way"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        double m = rc_xlsx_text_width(texts[i]) + 2.0;
        if (m > RC_XLSX_WIDTH_MAX) m = RC_XLSX_WIDTH_MAX;
        for (double cur = 0.0; cur <= 70.0; cur += 0.25) {
            double want = m > cur ? m : cur;
            assert_true(rc_xw_fit(cur, texts[i]) == want);
        }
    }
}

static void test_progress_only_when_wanted_and_slow(void **state)
{
    (void)state;
    char *s = progress_output("1", 2000);
    assert_string_equal(s, "\rwriting survey: 16384 of 100000 rows (16%)\033[K\r\033[K");
    free(s);
    s = progress_output("1", 100); /* under a second: nothing */
    assert_string_equal(s, "");
    free(s);
    s = progress_output(NULL, 2000); /* stderr is a file here, not a terminal */
    assert_string_equal(s, "");
    free(s);
    s = progress_output("0", 2000);
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_names),
        cmocka_unit_test(test_fit_same_as_measured),
        cmocka_unit_test(test_words_per_language),
        cmocka_unit_test(test_progress_only_when_wanted_and_slow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
