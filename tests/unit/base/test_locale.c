/* Tests for locale.c: table completeness and every number format spec. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rc/locale.h"

static const char *fv(const rc_locale *l, double v, const char *spec)
{
    static char buf[128];
    memset(buf, 'x', sizeof buf);
    size_t n = rc_format_value(l, v, spec, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

static void tables_complete(void **state)
{
    (void)state;
    size_t n = 0;
    const rc_locale *const *all = rc_locale_all(&n);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        const rc_locale *l = all[i];
        assert_non_null(l->lang);
        assert_non_null(l->babel);
        assert_non_null(l->hyph_dicts[0]);
        assert_non_null(l->hyph_package);
        assert_non_null(l->quote_open);
        assert_non_null(l->date_sep);
        assert_non_null(l->decimal);
        assert_non_null(l->thousands);
        assert_non_null(l->percent_sep);
        assert_true(strlen(l->decimal) > 0);
        assert_string_not_equal(l->decimal, l->thousands);
        for (int w = 0; w < RC_W_COUNT_WORDS; w++) {
            const char *s = rc_locale_own_word(l, (rc_word)w);
            if (!s) fail_msg("locale %s: word %d is NULL", l->lang, w);
            assert_true(strlen(s) > 0);
        }
        assert_ptr_equal(rc_locale_get(l->lang), l);
    }
}

static void lookup(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    assert_non_null(en);
    assert_ptr_equal(rc_locale_get("en-GB"), en);
    assert_ptr_equal(rc_locale_get("en_GB"), en);
    assert_null(rc_locale_get("xx"));
    assert_null(rc_locale_get("eng"));
    assert_string_equal(rc_locale_word(en, RC_W_FIGURE), "Figure");
    assert_string_equal(rc_locale_word(en, RC_W_LIST_OF_TABLES), "List of tables");
    assert_string_equal(rc_locale_word(en, RC_W_ANNEX), "Annex");
    assert_string_equal(rc_locale_word(en, RC_W_COUNT_WORDS), "");
    const rc_locale *es = rc_locale_get("es");
    assert_non_null(es);
    assert_string_equal(rc_locale_word(es, RC_W_TABLE), "Cuadro");
    const rc_locale *pt = rc_locale_get("pt");
    assert_non_null(pt);
    assert_string_equal(rc_locale_word(pt, RC_W_BOX), "Caixa");
}

static void auto_format(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    assert_string_equal(fv(en, 312, ""), "312");
    assert_string_equal(fv(en, 312, "auto"), "312");
    assert_string_equal(fv(en, 312, NULL), "312");
    assert_string_equal(fv(en, 2.5, "auto"), "2.5");
    assert_string_equal(fv(en, 3.14159, "auto"), "3.14");
    assert_string_equal(fv(en, 3.999, "auto"), "4");
    assert_string_equal(fv(en, 1234, "auto"), "1234");
    assert_string_equal(fv(en, 12345, "auto"), "12,345");
    assert_string_equal(fv(en, -7, "auto"), "-7");
    assert_string_equal(fv(en, NAN, "auto"), "n/a");
    assert_string_equal(fv(en, INFINITY, "auto"), "n/a");
}

static void integer_format(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    assert_string_equal(fv(en, 2.5, "integer"), "3");
    assert_string_equal(fv(en, 3.5, "integer"), "4");
    assert_string_equal(fv(en, -2.5, "integer"), "-3");
    assert_string_equal(fv(en, -0.4, "integer"), "0");
    assert_string_equal(fv(en, 0, "integer"), "0");
    assert_string_equal(fv(en, 9999.5, "integer"), "10,000");
    assert_string_equal(fv(en, 1234567, "integer"), "1,234,567");
    assert_string_equal(fv(en, 99999, "integer"), "99,999");
    assert_string_equal(fv(en, 1e20, "integer"), "100,000,000,000,000,000,000");
    assert_string_equal(fv(en, NAN, "integer"), "n/a");
}

static void number_format(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    assert_string_equal(fv(en, 2.675, "number:2"), "2.68"); /* binary 2.67499... */
    assert_string_equal(fv(en, 0.125, "number:2"), "0.13"); /* half away from zero */
    assert_string_equal(fv(en, -0.125, "number:2"), "-0.13");
    assert_string_equal(fv(en, 1.005, "number:2"), "1.01");
    assert_string_equal(fv(en, 3.0, "number:1"), "3.0");
    assert_string_equal(fv(en, 0.05, "number:1"), "0.1");
    assert_string_equal(fv(en, 0.04, "number:1"), "0.0");
    assert_string_equal(fv(en, -0.04, "number:1"), "0.0");
    assert_string_equal(fv(en, 0.001234, "number:4"), "0.0012");
    assert_string_equal(fv(en, 0.00005, "number:4"), "0.0001");
    assert_string_equal(fv(en, 9.96, "number:1"), "10.0");
    assert_string_equal(fv(en, 99999.96, "number:1"), "100,000.0");
    assert_string_equal(fv(en, 12345.678, "number:2"), "12,345.68");
    assert_string_equal(fv(en, 4.2, "number:0"), "4");
    assert_string_equal(fv(en, 0.1 + 0.2, "number:3"), "0.300");
    assert_string_equal(fv(en, NAN, "number:2"), "n/a");
    /* rc_format_number with "as needed" decimals */
    char b[64];
    rc_format_number(en, 0.1 + 0.2, -1, b, sizeof b);
    assert_string_equal(b, "0.3");
    rc_format_number(en, 1.0 / 3.0, -1, b, sizeof b);
    assert_string_equal(b, "0.333333");
    rc_format_number(en, 42, -1, b, sizeof b);
    assert_string_equal(b, "42");
}

static void percent_format(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    assert_string_equal(fv(en, 0.9375, "percent:1"), "93.8%");
    assert_string_equal(fv(en, 0.9375, "percent"), "94%");
    assert_string_equal(fv(en, 0.125, "percent"), "13%");
    assert_string_equal(fv(en, 0.005, "percent"), "1%");
    assert_string_equal(fv(en, 1, "percent"), "100%");
    assert_string_equal(fv(en, 0, "percent:1"), "0.0%");
    assert_string_equal(fv(en, -0.256, "percent:1"), "-25.6%");
    assert_string_equal(fv(en, 0.12345, "percent:2"), "12.35%");
    assert_string_equal(fv(en, NAN, "percent"), "n/a");
    char b[64];
    rc_format_percent(en, 0.5, 0, b, sizeof b);
    assert_string_equal(b, "50%");
}

static void floor_ceil_format(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    assert_string_equal(fv(en, 312, "floor:100"), "300");
    assert_string_equal(fv(en, 312, "ceil:100"), "400");
    assert_string_equal(fv(en, 300, "floor:100"), "300");
    assert_string_equal(fv(en, 300, "ceil:100"), "300");
    assert_string_equal(fv(en, 312, "floor:50"), "300");
    assert_string_equal(fv(en, 312, "ceil:50"), "350");
    assert_string_equal(fv(en, 12345, "floor:1000"), "12,000");
    assert_string_equal(fv(en, -312, "floor:100"), "-400");
    assert_string_equal(fv(en, 2.34, "floor:0.5"), "2.0");
    assert_string_equal(fv(en, 2.34, "ceil:0.5"), "2.5");
    assert_string_equal(fv(en, 0.3, "floor:0.1"), "0.3");
    assert_string_equal(fv(en, NAN, "ceil:10"), "n/a");
}

static void bad_specs(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    const char *bad[] = {"percentage", "number",  "number:", "number:x", "number:-1",
                         "number:99",  "floor",   "floor:0", "ceil:-5",  "ceil:1.",
                         "floor:.5",   "round:2", "Integer", "integer:2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char b[32] = "unchanged";
        if (rc_format_valid(bad[i])) fail_msg("spec '%s' accepted", bad[i]);
        assert_int_equal(rc_format_value(en, 1.5, bad[i], b, sizeof b), 0);
    }
    const char *good[] = {"",        "auto",      "integer",   "number:0", "number:3",
                          "percent", "percent:1", "floor:100", "ceil:0.5", " percent:1 "};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!rc_format_valid(good[i])) fail_msg("spec '%s' rejected", good[i]);
}

static void truncation(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en");
    char b[5];
    size_t n = rc_format_value(en, 1234567, "integer", b, sizeof b);
    assert_int_equal(n, 4);
    assert_string_equal(b, "1,23");
    char one[1] = {'x'};
    rc_format_value(en, 5, "integer", one, sizeof one);
    assert_int_equal(one[0], '\0');
}

#define NB "\xC2\xA0"

/* Each language's numbers: separators, 1 000 vs 10 000, negatives, zero,
 * rounding half away from zero (also of negatives), percent spacing. */
static void numbers_per_language(void **state)
{
    (void)state;
    static const struct {
        const char *lang;
        double v;
        const char *spec, *want;
    } cases[] = {
        {"en", 0, "integer", "0"},
        {"es", 0, "integer", "0"},
        {"pt", 0, "number:1", "0,0"},
        {"en", 1000, "integer", "1000"},
        {"es", 1000, "integer", "1000"},
        {"pt", 9999, "integer", "9999"},
        {"en", 10000, "integer", "10,000"},
        {"es", 10000, "integer", "10" NB "000"},
        {"pt", 10000, "integer", "10" NB "000"},
        {"es", 1234567.25, "number:2", "1" NB "234" NB "567,25"},
        {"pt", -10000, "integer", "-10" NB "000"},
        {"en", -1234.5, "number:1", "-1234.5"},
        {"es", -3.5, "number:1", "-3,5"},
        {"pt", -0.04, "number:1", "0,0"}, /* never "-0" */
        {"es", -0.04, "integer", "0"},
        {"en", 2.5, "integer", "3"},
        {"es", 2.5, "integer", "3"},
        {"pt", -2.5, "integer", "-3"},
        {"es", 0.125, "number:2", "0,13"},
        {"pt", -0.125, "number:2", "-0,13"},
        {"en", 0.875, "percent:1", "87.5%"},
        {"es", 0.875, "percent:1", "87,5" NB "%"},
        {"pt", 0.875, "percent:1", "87,5" NB "%"},
        {"pt", 0.9375, "percent", "94" NB "%"},
        {"es", 0, "percent", "0" NB "%"},
        {"en", 1, "percent", "100%"},
        {"es", -0.125, "percent:0", "-13" NB "%"},
        {"pt", 123.456, "percent:0", "12" NB "346" NB "%"},
        {"es", 2.675, "auto", "2,68"},
        {"pt", 32, "auto", "32"},
        {"es", 305, "floor:100", "300"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = fv(rc_locale_get(cases[i].lang), cases[i].v, cases[i].spec);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s %g %s: got '%s', want '%s'", cases[i].lang, cases[i].v, cases[i].spec, got,
                     cases[i].want);
    }
}

static const char *fd(const char *lang, int y, int m, int d)
{
    static char buf[64];
    size_t n = rc_format_date(rc_locale_get(lang), y, m, d, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

static const char *fiso(const char *lang, const char *iso)
{
    static char buf[64];
    rc_format_iso_date(rc_locale_get(lang), iso, buf, sizeof buf);
    return buf;
}

static void dates_per_language(void **state)
{
    (void)state;
    assert_string_equal(fd("en", 2019, 6, 0), "June 2019");
    assert_string_equal(fd("es", 2019, 6, 0), "junio de 2019");
    assert_string_equal(fd("pt", 2019, 6, 0), "junho de 2019");
    assert_string_equal(fd("en", 2020, 1, 30), "30 January 2020");
    assert_string_equal(fd("es", 2020, 1, 30), "30 de enero de 2020");
    assert_string_equal(fd("pt", 2020, 3, 1), "1 de março de 2020");
    assert_string_equal(fd("es", 2020, 13, 1), "");
    assert_string_equal(fd("es", 2020, 0, 1), "");
    assert_string_equal(fiso("es", "2019-05"), "mayo de 2019");
    assert_string_equal(fiso("pt", "2019-12-24"), "24 de dezembro de 2019");
    assert_string_equal(fiso("en", "2019-09-03"), "3 September 2019");
    /* anything else is kept as written */
    assert_string_equal(fiso("es", "2020"), "2020");
    assert_string_equal(fiso("es", "2019-13"), "2019-13");
    assert_string_equal(fiso("pt", "2019-06-32"), "2019-06-32");
    assert_string_equal(fiso("en", "Spring 2020"), "Spring 2020");
}

static void words_and_marks(void **state)
{
    (void)state;
    const rc_locale *en = rc_locale_get("en"), *es = rc_locale_get("es"), *pt = rc_locale_get("pt");
    assert_string_equal(rc_locale_word(es, RC_W_TABLE), "Cuadro");
    assert_string_equal(rc_locale_word(pt, RC_W_TABLE), "Quadro");
    assert_string_equal(rc_locale_word(es, RC_W_BOX), "Recuadro");
    assert_string_equal(rc_locale_word(es, RC_W_SOURCE), "Fuente");
    assert_string_equal(rc_locale_word(pt, RC_W_SOURCE), "Fonte");
    assert_string_equal(rc_locale_word(pt, RC_W_CONTENTS), "Índice");
    assert_string_equal(es->quote_open, "«");
    assert_string_equal(es->quote_close, "»");
    assert_string_equal(pt->quote_open, "“");
    assert_string_equal(en->quote_close, "”");
    assert_string_equal(es->babel, "spanish");
    assert_string_equal(pt->babel, "portuguese");
    assert_string_equal(es->hyph_dicts[0], "hyph_es.dic");
    assert_string_equal(es->hyph_package, "hyphen-es");
    assert_string_equal(pt->hyph_dicts[0], "hyph_pt_PT.dic");
    assert_string_equal(pt->hyph_package, "hyphen-pt-pt");
    /* no fixed word of Spanish or Portuguese is the English word, but for
     * the ones that are the same in the three languages */
    for (int w = 0; w < RC_W_COUNT_WORDS; w++) {
        if (w == RC_W_TOTAL || w == RC_W_SHA256) continue;
        if (strcmp(rc_locale_word(en, w), rc_locale_word(es, w)) == 0 ||
            strcmp(rc_locale_word(en, w), rc_locale_word(pt, w)) == 0)
            fail_msg("word %d is English in es or pt: '%s'", w, rc_locale_word(en, w));
    }
}

static void other_languages(void **state)
{
    (void)state;
    const rc_locale *es = rc_locale_get("es");
    const rc_locale *pt = rc_locale_get("pt");
    assert_string_equal(fv(es, 0.9375, "percent:1"), "93,8\xC2\xA0%");
    assert_string_equal(fv(pt, 0.9375, "percent:1"), "93,8\xC2\xA0%");
    assert_string_equal(fv(es, 12345.5, "number:1"), "12\xC2\xA0"
                                                     "345,5");
    assert_string_equal(fv(pt, 1234.5, "number:1"), "1234,5");
    assert_string_equal(rc_locale_word(es, RC_W_SEPTEMBER), "septiembre");
    assert_string_equal(rc_locale_word(pt, RC_W_MARCH), "março");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_complete),      cmocka_unit_test(lookup),
        cmocka_unit_test(auto_format),          cmocka_unit_test(integer_format),
        cmocka_unit_test(number_format),        cmocka_unit_test(percent_format),
        cmocka_unit_test(floor_ceil_format),    cmocka_unit_test(bad_specs),
        cmocka_unit_test(truncation),           cmocka_unit_test(other_languages),
        cmocka_unit_test(numbers_per_language), cmocka_unit_test(dates_per_language),
        cmocka_unit_test(words_and_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
