/* Tests for the shaper's fast paths (src/draw/shape.c): a word whose
 * pairs are all known is measured from the ASCII pair table without
 * decoding it, with the advances from the shaper's ASCII table. The same
 * words measured by a shaper told to take the general path
 * (rc_shaper_set_fast) must give the same widths and kerning bit for bit:
 * ASCII and not, kerned pairs, ligatures, soft hyphens, digits and
 * punctuation, one character and many. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hb.h>
#include <math.h>

#include "../../../src/draw/shape_int.h" /* the shaper is internal to the draw stage */
#include "rc/arena.h"

typedef struct face {
    hb_font_t *font;
    unsigned upem;
} face;

/* The nominal advance in 1/1000 em, as font.c gives it (from HarfBuzz). */
static double adv(const void *ctx, uint32_t cp)
{
    const face *f = ctx;
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(f->font, cp, &g)) return 0;
    return hb_font_get_glyph_h_advance(f->font, g) * 1000.0 / f->upem;
}

static rc_shaper *open_face(rc_arena *a, const char *path, face *f)
{
    hb_blob_t *blob = hb_blob_create_from_file(path);
    hb_face_t *hf = hb_face_create(blob, 0);
    f->font = hb_font_create(hf);
    f->upem = hb_face_get_upem(hf);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    hb_face_destroy(hf);
    hb_blob_destroy(blob);
    return rc_shaper_new(a, f->font, f->upem);
}

/* Words of every kind: kerned pairs, ligatures, Latin-1 and typographic
 * characters, a soft hyphen, a control character, invalid UTF-8. */
static const char *const fixed[] = {"AVATAR",
                                    "Tower",
                                    "To",
                                    "Yes,",
                                    "Wave.",
                                    "a",
                                    "office",
                                    "fly",
                                    "efficient",
                                    "ffi",
                                    "LT",
                                    "P.",
                                    "eye",
                                    "Ty",
                                    "Bogot\xC3\xA1",
                                    "S\xC3\xA3o",
                                    "na\xC3\xAFve",
                                    "\xE2\x80\x93",
                                    "2019",
                                    "\xE2\x80\x9CWe\xE2\x80\x9D",
                                    "co\xC2\xADoperate",
                                    "Vi\xC2\xAD\xC3\xB1"
                                    "a",
                                    "A\tV",
                                    "\xFF"
                                    "AV",
                                    "r.",
                                    "F,",
                                    "L\xE2\x80\x99",
                                    "(AV)",
                                    "W",
                                    "\xC3\x89"
                                    "cole",
                                    "Y\xC3\xB6",
                                    "\xC5\x93uvre",
                                    "T\xC3\xA9",
                                    "\xC3\xA0",
                                    "infl\xC3\xA9",
                                    "AV\xE2\x80\xA6",
                                    "x",
                                    "xx"};

/* Pseudo-random words over ASCII letters, digits, punctuation and a few
 * multi-byte characters (a fixed sequence: the test is reproducible). */
static size_t gen_word(uint32_t *seed, char *out)
{
    static const char *const pieces[] = {"A",
                                         "V",
                                         "T",
                                         "o",
                                         "e",
                                         "r",
                                         "y",
                                         "W",
                                         "a",
                                         ".",
                                         ",",
                                         "f",
                                         "i",
                                         "l",
                                         "t",
                                         "P",
                                         "L",
                                         "Y",
                                         "k",
                                         "1",
                                         "7",
                                         "-",
                                         "'",
                                         "\"",
                                         "(",
                                         ")",
                                         "n",
                                         "s",
                                         "\xC3\xA9",
                                         "\xC3\xB1",
                                         "\xE2\x80\x99",
                                         "\xE2\x80\x93",
                                         "\xC2\xAD",
                                         "\xC3\x81",
                                         "j",
                                         "F",
                                         "v",
                                         "w",
                                         "x",
                                         "Q"};
    size_t np = sizeof pieces / sizeof pieces[0], n = 0;
    *seed = *seed * 1103515245u + 12345u;
    size_t len = 1 + (*seed >> 16) % 10;
    for (size_t i = 0; i < len; i++) {
        *seed = *seed * 1103515245u + 12345u;
        const char *pc = pieces[(*seed >> 16) % np];
        memcpy(out + n, pc, strlen(pc));
        n += strlen(pc);
    }
    out[n] = 0;
    return n;
}

static void check_face(const char *name)
{
    char path[4096];
    const char *root = getenv("RC_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/fonts/Lato-%s.ttf", root ? root : ".", name);
    rc_arena *a = rc_arena_new();
    face ff, sf;
    rc_shaper *fast = open_face(a, path, &ff), *slow = open_face(a, path, &sf);
    assert_non_null(fast);
    assert_non_null(slow);
    rc_shaper_set_fast(slow, false);
    enum { NGEN = 3000 };
    size_t nw = sizeof fixed / sizeof fixed[0] + NGEN;
    char(*words)[64] = calloc(nw, sizeof *words);
    size_t *lens = calloc(nw, sizeof *lens);
    for (size_t w = 0; w < sizeof fixed / sizeof fixed[0]; w++)
        lens[w] = strlen(strcpy(words[w], fixed[w]));
    uint32_t seed = 18;
    for (size_t w = sizeof fixed / sizeof fixed[0]; w < nw; w++)
        lens[w] = gen_word(&seed, words[w]);
    /* The fast shaper learns the words' pairs from other text first (each
     * word after an 'x', a different string), so that measuring the words
     * then finds every pair known and takes the fast path. */
    char buf[80];
    for (size_t w = 0; w < nw; w++) {
        buf[0] = 'x';
        memcpy(buf + 1, words[w], lens[w]);
        rc_shaper_width(fast, buf, lens[w] + 1, adv, &ff);
    }
    size_t kerned = 0;
    for (size_t w = 0; w < nw; w++) {
        double wf = rc_shaper_width(fast, words[w], lens[w], adv, &ff);
        double ws = rc_shaper_width(slow, words[w], lens[w], adv, &sf);
        if (wf != ws || signbit(wf) != signbit(ws))
            fail_msg("%s: '%s': fast %.17g, general %.17g", name, words[w], wf, ws);
        /* the kerning as shown (per byte) and with a space after the word,
         * as paragraphs draw it */
        for (int sp = 0; sp < 2; sp++) {
            memcpy(buf, words[w], lens[w]);
            buf[lens[w]] = ' ';
            size_t n = lens[w] + (size_t)sp;
            const float *kf, *ks;
            const uint8_t *lf, *ls;
            rc_shaper_run(fast, buf, n, adv, &ff, &kf, &lf);
            float *kfc = kf ? memcpy(malloc(n * sizeof *kf), kf, n * sizeof *kf) : NULL;
            uint8_t *lfc = lf ? memcpy(malloc(n), lf, n) : NULL;
            rc_shaper_run(slow, buf, n, adv, &sf, &ks, &ls);
            assert_int_equal(kfc != NULL, ks != NULL);
            assert_int_equal(lfc != NULL, ls != NULL);
            for (size_t i = 0; i < n; i++) {
                if ((kfc ? kfc[i] : 0) != (ks ? ks[i] : 0))
                    fail_msg("%s: '%.*s' byte %zu: kerning %g vs %g", name, (int)n, buf, i,
                             (double)(kfc ? kfc[i] : 0), (double)(ks ? ks[i] : 0));
                assert_int_equal(lfc ? lfc[i] : 0, ls ? ls[i] : 0);
                /* the ASCII table keeps a known zero as -0.0f (shape_impl.h):
                 * none may come out, the PDF would print it as "-0" */
                if (kfc && kfc[i] == 0 && signbit(kfc[i]))
                    fail_msg("%s: '%.*s' byte %zu: kerning -0", name, (int)n, buf, i);
                kerned += kfc && kfc[i] != 0;
            }
            free(kfc);
            free(lfc);
        }
    }
    assert_true(kerned > 100); /* the words do exercise kerning */
    free(words);
    free(lens);
    rc_arena_free(a);
    hb_font_destroy(ff.font);
    hb_font_destroy(sf.font);
}

static void test_regular(void **state)
{
    (void)state;
    check_face("Regular");
}

static void test_italic(void **state)
{
    (void)state;
    check_face("Italic");
}

static void test_bold(void **state)
{
    (void)state;
    check_face("Bold");
}

int main(void)
{
    /* The shaper calls HarfBuzz through rc/hb_lib.h's table, which a font
     * loads (rc_font_parse); these tests make HarfBuzz's fonts themselves
     * (this program is linked against the library too, for the calls the
     * table does not hold). */
    if (!rc_hb_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular),
        cmocka_unit_test(test_italic),
        cmocka_unit_test(test_bold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
