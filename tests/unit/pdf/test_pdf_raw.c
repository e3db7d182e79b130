/* Tests for pdf_raw.c, the writer of objects as PDF text (the link
 * annotations, the outline and the structure tree): strings escaped as PDF
 * wants them, and each object's text whole and unmoved however long. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rc/arena.h"
#include "../../../src/pdf/pdf_int.h" /* the writer is internal to the PDF stage */

/* The text of raw object k, NUL-terminated (arena). */
static const char *text_of(rc_pdf *p, size_t k)
{
    assert_true(k < p->raws.n);
    return rc_arena_strndup(p->a, p->raws.v[k].text, p->raws.v[k].n);
}

static void test_strings(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_pdf p = {.a = a};
    rc_pdf_rw w;
    rc_pdf_rw_init(&w, &p);
    /* a URI: its bytes as they are, delimiters and bytes past ASCII escaped */
    rc_pdf_rw_begin(&w);
    const char uri[] = "https://e.org/a(b)\\c?\xC3\xA9";
    rc_pdf_rw_bytes(&w, uri, strlen(uri));
    rc_pdf_rw_end(&w, 7);
    /* text: PDFDocEncoding when it can (ü, the en dash), else UTF-16BE */
    rc_pdf_rw_begin(&w);
    rc_pdf_rw_text(&w, "Z\xC3\xBCrich \xE2\x80\x93 (1)", strlen("Z\xC3\xBCrich \xE2\x80\x93 (1)"));
    rc_pdf_rw_text(&w, "\xC5\x9Al\xC4\x85sk", strlen("\xC5\x9Al\xC4\x85sk"));
    rc_pdf_rw_end(&w, 8);
    /* numbers: three decimals at most, no trailing zeros, no "-0" */
    rc_pdf_rw_begin(&w);
    rc_pdf_rw_real(&w, 77.95);
    rc_pdf_rw_real(&w, 610);
    rc_pdf_rw_real(&w, -0.0001);
    rc_pdf_rw_real(&w, 1.23456);
    rc_pdf_rw_ref(&w, 12);
    rc_pdf_rw_end(&w, 9);
    assert_int_equal(p.raws.n, 3);
    assert_int_equal(p.raws.v[0].num, 7);
    /* (parentheses and backslashes as octal escapes too) */
    assert_string_equal(text_of(&p, 0), " (https://e.org/a\\050b\\051\\134c?\\303\\251)");
    assert_string_equal(text_of(&p, 1),
                        " (Z\\374rich \\205 \\0501\\051) <FEFF015A006C01050073006B>");
    assert_string_equal(text_of(&p, 2), " 77.95 610 0 1.235 12 0 R");
    rc_arena_free(a);
}

/* Objects longer than a piece of the writer's memory (60 KB), between
 * short ones: each text stays whole where it was filed. */
static void test_long_objects(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_pdf p = {.a = a};
    rc_pdf_rw w;
    rc_pdf_rw_init(&w, &p);
    enum { N = 40 };
    size_t len[N];
    for (size_t k = 0; k < N; k++) {
        rc_pdf_rw_begin(&w);
        rc_pdf_rw_put(&w, "[");
        len[k] = k % 7 == 3 ? 20000 + 9000 * k : 3 + k; /* up to 370 KB */
        for (size_t i = 0; i < len[k]; i++)
            rc_pdf_rw_put(&w, i % 2 ? "b" : "a");
        rc_pdf_rw_put(&w, "]");
        rc_pdf_rw_end(&w, (uint32_t)(100 + k));
    }
    assert_int_equal(p.raws.n, N);
    for (size_t k = 0; k < N; k++) {
        const rc_pdf_raw *r = &p.raws.v[k];
        assert_int_equal(r->num, 100 + k);
        assert_int_equal(r->n, len[k] + 2);
        assert_int_equal(r->text[0], '[');
        for (size_t i = 0; i < len[k]; i++)
            assert_int_equal(r->text[1 + i], i % 2 ? 'b' : 'a');
        assert_int_equal(r->text[len[k] + 1], ']');
    }
    rc_arena_free(a);
}

/* Reals are written without printf where that is safe: every number gives
 * printf's "%.3f" bytes (trailing zeros and "-0" dropped), ties and
 * near-ties (where the fast path must give way) among them. */
static void test_reals_as_printf(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_pdf p = {.a = a};
    rc_pdf_rw w;
    rc_pdf_rw_init(&w, &p);
    enum { N = 20000 };
    double v[N];
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double u = (double)(x >> 11) / 9007199254740992.0; /* [0, 1) */
        switch (i % 5) {
        case 0:
            v[i] = (u - 0.5) * 1700;
            break; /* page coordinates */
        case 1:
            v[i] = (double)(int64_t)(u * 2e6 - 1e6) / 2000; /* ties: k + 0.0005 */
            break;
        case 2:
            v[i] = (double)(int64_t)(u * 2e6 - 1e6) / 1000 + 0.0005 + (u - 0.5) * 1e-9;
            break;
        case 3:
            v[i] = (u - 0.5) * 2e-3;
            break; /* around 0 and -0 */
        default:
            v[i] = (u - 0.5) * 4e12;
            break; /* beyond the fast path */
        }
    }
    for (size_t i = 0; i < N; i++) {
        rc_pdf_rw_begin(&w);
        rc_pdf_rw_real(&w, v[i]);
        rc_pdf_rw_end(&w, (uint32_t)(i + 1));
    }
    for (size_t i = 0; i < N; i++) {
        char d[64];
        int k = snprintf(d, sizeof d, " %.3f", v[i]);
        while (k > 2 && d[k - 1] == '0')
            k--;
        if (d[k - 1] == '.') k--;
        if (k == 3 && d[1] == '-' && d[2] == '0') d[1] = '0', k = 2;
        d[k] = '\0';
        if (strcmp(text_of(&p, i), d) != 0)
            fail_msg("%.17g: '%s', printf '%s'", v[i], text_of(&p, i), d);
    }
    rc_arena_free(a);
}

int main(void)
{
    /* libharu's calls from the PDF stage go through src/pdf/hpdf_lib.h's
     * table, which rc_pdf_write_cached loads; these tests make and use
     * documents without it */
    if (!rc_hpdf_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_long_objects),
        cmocka_unit_test(test_reals_as_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
