/* test_unicode: NFC at the edges and character classes from utf8proc, the
 * same for Polish, Czech, Romanian, Portuguese and Spanish names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <utf8proc.h>

#include "rc/arena.h"
#include "rc/unicode.h"
#include "rc/util.h"

static void test_nfc(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    size_t n;
    const char *composed = "C\xC3\xB3rdoba";    /* Córdoba, ó = U+00F3 */
    const char *decomposed = "Co\xCC\x81rdoba"; /* o + U+0301 */
    const char *r = rc_unicode_nfc(a, decomposed, strlen(decomposed), &n);
    assert_int_equal(n, strlen(composed));
    assert_memory_equal(r, composed, n);
    /* Already NFC: the same pointer, no copy. */
    assert_ptr_equal(rc_unicode_nfc(a, composed, strlen(composed), &n), composed);
    const char *ascii = "Smart Specialisation";
    assert_ptr_equal(rc_unicode_nfc(a, ascii, strlen(ascii), &n), ascii);
    /* Text with marks that is NFC already (a U+0300+ letter that NFC keeps). */
    const char *greek = "\xCE\xB1\xCE\xB2"; /* αβ */
    assert_ptr_equal(rc_unicode_nfc(a, greek, strlen(greek), &n), greek);
    /* Romanian s with comma below, decomposed: S + U+0326 -> U+0218. */
    r = rc_unicode_nfc(a, "S\xCC\xA6", 3, &n);
    assert_int_equal(n, 2);
    assert_memory_equal(r, "\xC8\x98", 2);
    /* A singleton (Angstrom sign U+212B -> U+00C5). */
    r = rc_unicode_nfc(a, "\xE2\x84\xAB", 3, &n);
    assert_memory_equal(r, "\xC3\x85", 2);
    /* malloc'd result without an arena. */
    r = rc_unicode_nfc(NULL, decomposed, strlen(decomposed), &n);
    assert_memory_equal(r, composed, n);
    free((void *)r);
    rc_arena_free(a);
}

/* rc_unicode_nfc normalises only the runs from U+0300 on (with the code
 * point before each); that must give what one utf8proc_map call over the
 * whole string gives, wherever the runs fall. */
static void test_nfc_pieces_match_whole(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "Co\xCC\x81rdoba \xE2\x80\x94 Ko\xCC\x88ln and Zu\xCC\x88rich",
        "\xCC\x81 starts with a mark",                     /* a mark with nothing before */
        "x\xCC\xA3\xCC\x87 and q\xCC\x87\xCC\xA3 reorder", /* marks of two classes */
        "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8 hangul",     /* jamo L V T compose */
        "\xC3\xA9\xCC\x81 precomposed then a mark",
        "end with a mark e\xCC\x81",
        "\xE2\x84\xAB\xE2\x84\xA6 singletons, \xE2\x80\x9Cquotes\xE2\x80\x9D stay",
        "plain ascii only",
        "\xCE\xB1\xCC\x81\xCE\xB2 greek tonos",
    };
    rc_arena *a = rc_arena_new();
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *s = cases[k];
        utf8proc_uint8_t *whole = NULL;
        utf8proc_ssize_t wn = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s),
                                           &whole, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        assert_true(wn >= 0);
        size_t n;
        const char *r = rc_unicode_nfc(a, s, strlen(s), &n);
        assert_non_null(r);
        assert_int_equal(n, (size_t)wn);
        assert_memory_equal(r, whole, n);
        free(whole);
    }
    /* a mark after 0..23 ASCII bytes, with or without a precomposed letter
     * (bytes below 0xCC) before it: the scan goes eight bytes at a time */
    for (int pre = 0; pre < 24; pre++)
        for (int lat = 0; lat < 2; lat++) {
            char buf[64];
            int len = snprintf(buf, sizeof buf, "%s%.*se\xCC\x81 tail of it", lat ? "\xC3\xA9" : "",
                               pre, "abcdefghijklmnopqrstuvwxyz");
            utf8proc_uint8_t *whole = NULL;
            utf8proc_ssize_t wn = utf8proc_map((const utf8proc_uint8_t *)buf, len, &whole,
                                               UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            size_t n;
            const char *r = rc_unicode_nfc(a, buf, (size_t)len, &n);
            assert_int_equal(n, (size_t)wn);
            assert_int_equal(n, (size_t)len - 1); /* e + U+0301 became U+00E9 */
            assert_memory_equal(r, whole, n);
            free(whole);
        }
    rc_arena_free(a);
}

static void test_simple(void **state)
{
    (void)state;
    assert_true(rc_unicode_simple("abc", 3));
    assert_true(rc_unicode_simple("Bielsko-Bia\xC5\x82"
                                  "a",
                                  14));                 /* ł = U+0142 */
    assert_false(rc_unicode_simple("o\xCC\x81", 3));    /* U+0301 */
    assert_false(rc_unicode_simple("\xE2\x80\x93", 3)); /* – U+2013 */
}

static void test_classes(void **state)
{
    (void)state;
    /* the ASCII shortcut of rc_unicode_width gives what utf8proc does */
    for (uint32_t c = 0; c < 0x80; c++) {
        int w = utf8proc_charwidth((utf8proc_int32_t)c);
        assert_int_equal(rc_unicode_width(c), w < 0 ? 1 : w);
    }
    /* Letters of the languages of the programme's regions, and beyond Latin-1. */
    static const uint32_t letters[] = {0x142, 0x141, 0x15B, 0x17C, 0x10D, 0x159, 0x219,
                                       0x21B, 0xE3,  0xF5,  0xF1,  0xE7,  0x3B1, 0x436};
    for (size_t i = 0; i < sizeof letters / sizeof letters[0]; i++)
        assert_true(rc_unicode_is_letter(letters[i]));
    assert_false(rc_unicode_is_letter('-'));
    assert_false(rc_unicode_is_letter(0x2013));
    assert_false(rc_unicode_is_letter(0xD7)); /* × */
    assert_true(rc_unicode_is_mark(0x301));
    assert_true(rc_unicode_is_upper(0x141));  /* Ł */
    assert_true(rc_unicode_is_upper(0x218));  /* Ș */
    assert_false(rc_unicode_is_upper(0x219)); /* ș */
    assert_int_equal(rc_unicode_lower(0x141), 0x142);
    assert_int_equal(rc_unicode_lower(0x218), 0x219);
    assert_int_equal(rc_unicode_lower(0x158), 0x159); /* Ř */
    assert_int_equal(rc_unicode_lower(0xC3), 0xE3);   /* Ã */
    assert_int_equal(rc_unicode_lower('Q'), 'q');
    assert_int_equal(rc_unicode_base(0xE9), 'e');
    assert_int_equal(rc_unicode_base(0x15A), 'S');   /* Ś */
    assert_int_equal(rc_unicode_base(0x142), 0x142); /* ł has no decomposition */
    assert_int_equal(rc_unicode_width(0x301), 0);
    assert_int_equal(rc_unicode_width(0x4E2D), 2); /* 中 */
    assert_int_equal(rc_unicode_width('a'), 1);
    assert_int_equal(rc_unicode_width(0x200B), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_nfc_pieces_match_whole),
        cmocka_unit_test(test_simple),
        cmocka_unit_test(test_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
