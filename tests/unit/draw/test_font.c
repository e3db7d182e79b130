/* Tests for the TrueType reader: Lato metrics checked against values read
 * from the font files' tables, glyph coverage, and malformed files. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* cmocka compares floats in single precision; these are doubles. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/util.h"

typedef struct fx {
    rc_arena *a;
    rc_diag *d;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rc_diag_free(f->d);
    rc_arena_free(f->a);
    free(f);
    return 0;
}

static rc_font *load(fx *f, const char *path)
{
    rc_loc loc = {"style.ini", 3, 14};
    return rc_font_load(f->a, path, loc, f->d);
}

static void test_regular_metrics(void **state)
{
    fx *f = *state;
    rc_font *r = load(f, "fonts/Lato-Regular.ttf");
    assert_non_null(r);
    assert_int_equal(rc_diag_count(f->d), 0);
    assert_string_equal(rc_font_path(r), "fonts/Lato-Regular.ttf");
    /* unitsPerEm 2000: hhea ascender 1974, descender -426, OS/2 sCapHeight 1433. */
    assert_near(rc_font_ascent(r), 987.0, 1e-9);
    assert_near(rc_font_descent(r), -213.0, 1e-9);
    assert_near(rc_font_cap_height(r), 716.5, 1e-9);
    /* hmtx advances: 'a' 994, space 512, '-' 743, 'H' 1527, en dash 1160 units. */
    assert_near(rc_font_advance(r, 'a'), 497.0, 1e-9);
    assert_near(rc_font_advance(r, ' '), 256.0, 1e-9);
    assert_near(rc_font_advance(r, '-'), 371.5, 1e-9);
    assert_near(rc_font_advance(r, 'H'), 763.5, 1e-9);
    assert_near(rc_font_advance(r, 0x2013), 580.0, 1e-9);
    assert_int_equal(rc_font_glyph(r, 'a'), 33);
    assert_int_equal(rc_font_glyph(r, 0x15B), 2452);
    /* 10 pt "aa a" = (497 * 3 + 256) / 100 */
    assert_near(rc_font_text_width(r, "aa a", 4, 10), 17.47, 1e-9);
    /* Multi-byte: "ł–" = 617/2 + 1160/2 units per 1000 */
    assert_near(rc_font_nominal_width(r, "\xC5\x82\xE2\x80\x93", 5, 1000), 888.5, 1e-9);
}

/* Shaped widths carry Lato's kerning: "AVATAR" is narrower shaped than the
 * sum of its advances, and the per-character kerning accounts for exactly
 * the difference (what the PDF shows as TJ adjustments). */
static void test_kerning(void **state)
{
    fx *f = *state;
    rc_font *r = load(f, "fonts/Lato-Regular.ttf");
    static const char *words[] = {"AVATAR", "To", "Ty", "r.", "Yes"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        const char *s = words[w];
        size_t n = strlen(s);
        double shaped = rc_font_text_width(r, s, n, 10),
               nominal = rc_font_nominal_width(r, s, n, 10);
        assert_true(shaped < nominal - 0.2);
        const float *k = rc_font_kerning(r, s, n);
        assert_non_null(k);
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += k[i];
        assert_near(nominal + sum / 100.0, shaped, 1e-4); /* 10 pt: 1/1000 em = 0.01 pt */
    }
    assert_true(rc_font_text_width(r, "AVATAR", 6, 10) < 37.5); /* 39.25 unkerned */
    /* no kerning: same as nominal, no array; cached results are stable */
    assert_null(rc_font_kerning(r, "aa a", 4));
    assert_near(rc_font_text_width(r, "aa a", 4, 10), rc_font_nominal_width(r, "aa a", 4, 10),
                1e-9);
    assert_near(rc_font_text_width(r, "AVATAR", 6, 10), rc_font_text_width(r, "AVATAR", 6, 10), 0);
}

/* Standard ligatures (issue 14): "fi" and "ffi" are set with Lato's
 * ligature glyphs, so the word has fewer glyphs and is no wider; the codes
 * name the glyph and the characters; a prefix that ends inside a ligature
 * (a hyphenation point in "ef-ficient") is set without it. */
static void test_ligatures(void **state)
{
    fx *f = *state;
    rc_font *r = load(f, "fonts/Lato-Regular.ttf");
    assert_non_null(r);
    const float *k;
    const uint8_t *lig;
    rc_font_shaped(r, "first", 5, &k, &lig);
    assert_non_null(lig);
    assert_true(lig[0] > 0 && lig[0] <= RC_FONT_MAXLIG); /* f: the ligature's code */
    assert_int_equal(lig[1], RC_FONT_LIG_HIDDEN);        /* i: shown by it */
    assert_int_equal(lig[2] | lig[3] | lig[4], 0);       /* r, s, t: their own codes */
    unsigned fi = lig[0], glyphs = 0;
    for (size_t i = 0; i < 5; i++)
        glyphs += lig[i] != RC_FONT_LIG_HIDDEN;
    assert_int_equal(glyphs, 4); /* 5 characters */
    uint16_t g = 0;
    const char *text = NULL;
    assert_true(rc_font_ligature(r, fi, &g, &text));
    assert_string_equal(text, "fi");
    assert_true(g != 0 && g != rc_font_glyph(r, 'f') && g != rc_font_glyph(r, 'i'));
    assert_false(rc_font_ligature(r, 0, &g, &text));
    assert_false(rc_font_ligature(r, RC_FONT_MAXLIG + 1, &g, &text));
    assert_true(rc_font_text_width(r, "first", 5, 10) <= rc_font_nominal_width(r, "first", 5, 10));
    /* ffi: one glyph for three characters, narrower than f + fi */
    rc_font_shaped(r, "efficient", 9, &k, &lig);
    assert_non_null(lig);
    assert_true(lig[1] > 0 && lig[1] != RC_FONT_LIG_HIDDEN && lig[1] != fi);
    assert_int_equal(lig[2], RC_FONT_LIG_HIDDEN);
    assert_int_equal(lig[3], RC_FONT_LIG_HIDDEN);
    assert_true(rc_font_ligature(r, lig[1], &g, &text));
    assert_string_equal(text, "ffi");
    double whole = rc_font_text_width(r, "efficient", 9, 10);
    assert_true(whole <= rc_font_nominal_width(r, "efficient", 9, 10));
    /* fewer glyphs than characters: 7 for 9 */
    unsigned shown = 0;
    for (size_t i = 0; i < 9; i++)
        shown += lig[i] != RC_FONT_LIG_HIDDEN;
    assert_int_equal(shown, 7);
    /* broken inside the ligature: "ef" has no ligature, "ficient" has fi */
    rc_font_shaped(r, "ef", 2, &k, &lig);
    assert_null(lig);
    rc_font_shaped(r, "ficient", 7, &k, &lig);
    assert_non_null(lig);
    assert_int_equal(lig[0], fi);
    /* the same code for the same glyph whatever came first (a fresh font) */
    rc_font *r2 = load(f, "fonts/Lato-Regular.ttf");
    rc_font_shaped(r2, "fl", 2, &k, &lig);
    rc_font_shaped(r2, "fit", 3, &k, &lig);
    assert_non_null(lig);
    assert_int_equal(lig[0], fi);
    /* no candidate pair: no ligature, kerning as before */
    rc_font_shaped(r, "AVATAR", 6, &k, &lig);
    assert_null(lig);
    assert_non_null(k);
}

/* rc_font_shaped remembers its answers per text: asked again, in any
 * order and after many other texts (the memo grows), it gives the same
 * kerning and ligature codes, and its kerning is rc_font_kerning's (the
 * shaper asked directly). Longer texts are not remembered but agree. */
static void test_shaped_memo(void **state)
{
    fx *f = *state;
    rc_font *r = load(f, "fonts/Lato-Regular.ttf");
    assert_non_null(r);
    static const char *const words[] = {"AVATAR",   "office", "first", "Tower",      "flow",
                                        "affluent", "To",     "a",     "Yes, Wave.", "efficient"};
    enum { NW = sizeof words / sizeof words[0] };
    float kern[NW][16];
    uint8_t lig[NW][16];
    bool has_k[NW], has_l[NW];
    for (size_t w = 0; w < NW; w++) {
        size_t n = strlen(words[w]);
        const float *k;
        const uint8_t *l;
        rc_font_shaped(r, words[w], n, &k, &l);
        has_k[w] = k != NULL;
        has_l[w] = l != NULL;
        for (size_t i = 0; i < n; i++) {
            kern[w][i] = k ? k[i] : 0;
            lig[w][i] = l ? l[i] : 0;
        }
        const float *direct = rc_font_kerning(r, words[w], n);
        for (size_t i = 0; i < n && !has_l[w]; i++) /* ligature words kern per glyph */
            assert_true(kern[w][i] == (direct ? direct[i] : 0));
    }
    assert_true(has_k[0] && has_l[1] && has_l[2]);
    char filler[16];
    for (int i = 0; i < 3000; i++) { /* past several growths of the memo */
        int len = snprintf(filler, sizeof filler, "w%dAV", i);
        const float *k;
        const uint8_t *l;
        rc_font_shaped(r, filler, (size_t)len, &k, &l);
    }
    for (size_t w = NW; w-- > 0;) {
        size_t n = strlen(words[w]);
        const float *k;
        const uint8_t *l;
        rc_font_shaped(r, words[w], n, &k, &l);
        assert_int_equal(k != NULL, has_k[w]);
        assert_int_equal(l != NULL, has_l[w]);
        for (size_t i = 0; i < n; i++) {
            assert_true((k ? k[i] : 0) == kern[w][i]);
            assert_int_equal(l ? l[i] : 0, lig[w][i]);
        }
    }
    char longer[100];
    memset(longer, 'A', sizeof longer);
    memcpy(longer + 40, "VAV office", 10);
    const float *k1, *k2;
    const uint8_t *l1, *l2;
    rc_font_shaped(r, longer, sizeof longer, &k1, &l1);
    float first = k1 ? k1[40] : 0;
    rc_font_shaped(r, longer, sizeof longer, &k2, &l2);
    assert_true((k2 ? k2[40] : 0) == first);
    assert_int_equal(l1 != NULL, l2 != NULL);
}

/* A word the layout measured, shown with a space after it (as paragraphs
 * draw words), takes its kerning from the measurement (shape.c, from_word):
 * the same kerning and ligature codes as a font that shapes the text
 * without having measured anything. */
static void test_shaped_after_width(void **state)
{
    fx *f = *state;
    rc_font *m = load(f, "fonts/Lato-Regular.ttf"), *cold = load(f, "fonts/Lato-Regular.ttf");
    assert_non_null(m);
    assert_non_null(cold);
    static const char *const words[] = {"AVATAR", "Tower", "To", "Yes,", "Wave.", "a",
                                        "office", "fly",   "LT", "P.",   "eye",   "Ty"};
    enum { NW = sizeof words / sizeof words[0] };
    char t[32];
    for (size_t w = 0; w < NW; w++) /* the layout measures the words */
        rc_font_text_width(m, words[w], strlen(words[w]), 10.0);
    for (size_t w = 0; w < NW; w++) { /* other text learns each pair before a space */
        size_t n = strlen(words[w]);
        int len = snprintf(t, sizeof t, "%c%c ", words[w][0], words[w][n - 1]);
        const float *k;
        const uint8_t *l;
        rc_font_shaped(m, t, (size_t)len, &k, &l);
    }
    bool kerned = false;
    for (size_t w = 0; w < NW; w++) {
        int len = snprintf(t, sizeof t, "%s ", words[w]);
        const float *k1, *k2;
        const uint8_t *l1, *l2;
        rc_font_shaped(m, t, (size_t)len, &k1, &l1);
        rc_font_shaped(cold, t, (size_t)len, &k2, &l2);
        assert_int_equal(k1 != NULL, k2 != NULL);
        assert_int_equal(l1 != NULL, l2 != NULL);
        for (int i = 0; i < len; i++) {
            assert_true((k1 ? k1[i] : 0) == (k2 ? k2[i] : 0));
            assert_int_equal(l1 ? l1[i] : 0, l2 ? l2[i] : 0);
            kerned |= k1 && k1[i] != 0;
        }
    }
    assert_true(kerned);
}

/* What the PDF gets for a text the layout measured first (the word alone,
 * as a line's last word, or with a space after it: shape.c's from_word
 * answers these from the measurement) is what a font that never measured
 * it shapes: random words of ligature inputs (f, i, l, t), kerned pairs
 * (A V T o y W . ,) and accents, in random order. (Not soft hyphens: a
 * word with U+00AD inside is shaped otherwise by a font that learnt its
 * pairs in other words, on main before from_word's word-alone case too.) */
static void test_shaped_random_words(void **state)
{
    fx *f = *state;
    rc_font *m = load(f, "fonts/Lato-Regular.ttf"), *cold = load(f, "fonts/Lato-Regular.ttf");
    assert_non_null(m);
    assert_non_null(cold);
    static const char *const units[] = {"f", "i",      "l",      "t",      "A", "V", "T",
                                        "o", "y",      "W",      ".",      ",", "e", "r",
                                        "a", "\u00e9", "\u00f1", "\u00fc", "P", "L", "j"};
    enum { NU = sizeof units / sizeof units[0], NW = 400 };
    char words[NW][48];
    uint32_t x = 2463534242u; /* xorshift32, fixed: the same words each run */
    for (size_t w = 0; w < NW; w++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        size_t len = 1 + x % 9, at = 0;
        for (size_t c = 0; c < len; c++) {
            x ^= x << 13, x ^= x >> 17, x ^= x << 5;
            const char *u = units[x % NU];
            memcpy(words[w] + at, u, strlen(u));
            at += strlen(u);
        }
        words[w][at] = 0;
    }
    for (size_t w = 0; w < NW; w++) /* the layout measures the words */
        rc_font_text_width(m, words[w], strlen(words[w]), 10.0);
    size_t kerned = 0, ligs = 0;
    for (size_t r = 0; r < 2 * NW; r++) { /* then the PDF shows them, in another order */
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        char t[64];
        int len = snprintf(t, sizeof t, x & 1 ? "%s " : "%s", words[(x >> 1) % NW]);
        const float *k1, *k2;
        const uint8_t *l1, *l2;
        rc_font_shaped(m, t, (size_t)len, &k1, &l1);
        rc_font_shaped(cold, t, (size_t)len, &k2, &l2);
        assert_int_equal(k1 != NULL, k2 != NULL);
        assert_int_equal(l1 != NULL, l2 != NULL);
        for (int i = 0; i < len; i++) {
            assert_true((k1 ? k1[i] : 0) == (k2 ? k2[i] : 0));
            assert_int_equal(l1 ? l1[i] : 0, l2 ? l2[i] : 0);
            kerned += k1 && k1[i] != 0;
            ligs += l1 && l1[i] != 0;
        }
    }
    assert_true(kerned > 0); /* the words exercise both */
    assert_true(ligs > 0);
}

/* rc_font_bytes gives the loaded file's bytes, only for the path it was
 * loaded from and only while the file there is unchanged. */
static void test_font_bytes(void **state)
{
    fx *f = *state;
    char dir[] = "/tmp/rc-test-fontbytes-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = rc_arena_printf(f->a, "%s/face.ttf", dir);
    char *cmd = rc_arena_printf(f->a, "cp fonts/Lato-Regular.ttf '%s'", path);
    assert_int_equal(system(cmd), 0);
    rc_font *r = load(f, path);
    assert_non_null(r);
    char *want;
    size_t wlen, len = 0;
    assert_int_equal(rc_read_file(f->a, path, &want, &wlen), RC_OK);
    const unsigned char *b = rc_font_bytes(r, path, &len);
    assert_non_null(b);
    assert_int_equal(len, wlen);
    assert_memory_equal(b, want, len);
    assert_null(rc_font_bytes(r, "fonts/Lato-Regular.ttf", &len)); /* another path */
    /* the file replaced (another inode): the loaded bytes are not its */
    cmd = rc_arena_printf(f->a, "cp '%s' '%s.new' && mv '%s.new' '%s'", path, path, path, path);
    assert_int_equal(system(cmd), 0);
    assert_null(rc_font_bytes(r, path, &len));
    cmd = rc_arena_printf(f->a, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    assert_null(rc_font_bytes(r, path, &len)); /* gone */
}

static void test_bold_differs(void **state)
{
    fx *f = *state;
    rc_font *b = load(f, "fonts/Lato-Bold.ttf");
    rc_font *i = load(f, "fonts/Lato-Italic.ttf");
    assert_non_null(b);
    assert_non_null(i);
    assert_near(rc_font_advance(b, 'a'), 507.5, 1e-9);
    assert_near(rc_font_advance(i, 'a'), 511.0, 1e-9);
    assert_near(rc_font_advance(b, 0x2014), 798.0, 1e-9);
}

static void test_glyph_coverage(void **state)
{
    fx *f = *state;
    rc_font *r = load(f, "fonts/Lato-Regular.ttf");
    assert_non_null(r);
    static const uint32_t have[] = {0x105,  0x142,  0x15B,  0xE5,   0xED,   0xE7,
                                    0x201C, 0x201D, 0x2013, 0x2014, 0x20AC, 'Z'};
    for (size_t k = 0; k < sizeof have / sizeof have[0]; k++) {
        assert_true(rc_font_has_glyph(r, have[k]));
        assert_true(rc_font_advance(r, have[k]) > 0);
    }
    /* CJK, private use and astral code points are not in Lato. */
    static const uint32_t missing[] = {0x4E00, 0xE000, 0x1F600, 0x10FFFF, 0xFFFF};
    for (size_t k = 0; k < sizeof missing / sizeof missing[0]; k++) {
        assert_false(rc_font_has_glyph(r, missing[k]));
        assert_int_equal(rc_font_glyph(r, missing[k]), 0);
        assert_near(rc_font_advance(r, missing[k]), 0.0, 0);
    }
}

static void expect_not_truetype(fx *f, const char *name)
{
    assert_int_equal(rc_diag_errors(f->d), 1);
    const rc_diag_entry *e = rc_diag_get(f->d, 0);
    char want[256];
    snprintf(want, sizeof want, "'%s' is not a TrueType font", name);
    assert_string_equal(e->msg, want);
    assert_int_equal(e->loc.line, 3);
}

static void test_truncated(void **state)
{
    fx *f = *state;
    char *data;
    size_t len;
    assert_int_equal(rc_read_file(f->a, "fonts/Lato-Regular.ttf", &data, &len), RC_OK);
    /* Every truncation point in the header region and a spread of later ones. */
    size_t cuts[] = {0, 1, 4, 11, 12, 100, 300, 1000, 5000, len / 2, len - 1};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        rc_diag *d = rc_diag_new();
        rc_font *t = rc_font_parse(f->a, "cut.ttf", (const unsigned char *)data, cuts[k],
                                   (rc_loc){"style.ini", 3, 14}, d);
        /* Tables beyond the cut are missing: never accepted, never a crash. */
        if (cuts[k] < len / 2) {
            assert_null(t);
            assert_int_equal(rc_diag_errors(d), 1);
            assert_string_equal(rc_diag_get(d, 0)->msg, "'cut.ttf' is not a TrueType font");
        }
        rc_diag_free(d);
    }
}

static void test_random_bytes(void **state)
{
    fx *f = *state;
    unsigned char buf[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    rc_font *t =
        rc_font_parse(f->a, "noise.ttf", buf, sizeof buf, (rc_loc){"style.ini", 3, 14}, f->d);
    assert_null(t);
    expect_not_truetype(f, "noise.ttf");
}

/* A valid header with table offsets pointing outside the file. */
static void test_bad_offsets(void **state)
{
    fx *f = *state;
    char *data;
    size_t len;
    assert_int_equal(rc_read_file(f->a, "fonts/Lato-Regular.ttf", &data, &len), RC_OK);
    unsigned char *copy = rc_arena_alloc(f->a, len);
    memcpy(copy, data, len);
    unsigned ntables = (unsigned)copy[4] << 8 | copy[5];
    for (unsigned i = 0; i < ntables; i++) {
        unsigned char *rec = copy + 12 + 16 * i;
        if (memcmp(rec, "cmap", 4) == 0) {
            rec[8] = 0x7F; /* offset far beyond the end */
        }
    }
    rc_font *t = rc_font_parse(f->a, "bad.ttf", copy, len, (rc_loc){"style.ini", 3, 14}, f->d);
    assert_null(t);
    expect_not_truetype(f, "bad.ttf");
}

/* Random corruption of real font bytes must never crash (run under ASan in CI). */
static void test_corrupted_fuzz(void **state)
{
    fx *f = *state;
    char *data;
    size_t len;
    assert_int_equal(rc_read_file(f->a, "fonts/Lato-Italic.ttf", &data, &len), RC_OK);
    unsigned char *copy = malloc(len);
    uint32_t x = 99;
    size_t accepted = 0;
    for (int round = 0; round < 200; round++) {
        memcpy(copy, data, len);
        for (int k = 0; k < 20; k++) {
            x = x * 1103515245u + 12345u;
            size_t at = (x >> 8) % 2048; /* the directory and early tables */
            x = x * 1103515245u + 12345u;
            copy[at] = (unsigned char)(x >> 16);
        }
        rc_diag *d = rc_diag_new();
        rc_font *t = rc_font_parse(f->a, "fuzz.ttf", copy, len, (rc_loc){0}, d);
        if (t) {
            accepted++;
            for (uint32_t c = 0; c < 0x3000; c += 7)
                (void)rc_font_advance(t, c);
            (void)rc_font_advance(t, 0x1F600);
        } else {
            assert_int_equal(rc_diag_errors(d), 1);
        }
        rc_diag_free(d);
    }
    free(copy);
}

static void test_missing_file(void **state)
{
    fx *f = *state;
    assert_null(load(f, "fonts/NoSuch.ttf"));
    assert_int_equal(rc_diag_errors(f->d), 1);
    assert_non_null(strstr(rc_diag_get(f->d, 0)->msg, "fonts/NoSuch.ttf"));
}

static void test_not_a_font_file(void **state)
{
    fx *f = *state;
    assert_null(load(f, "fonts/OFL.txt"));
    expect_not_truetype(f, "fonts/OFL.txt");
}

static void test_fonts_load(void **state)
{
    fx *f = *state;
    const char *paths[RC_FONT_COUNT] = {"fonts/Lato-Regular.ttf", "fonts/Lato-Italic.ttf",
                                        "fonts/Lato-Bold.ttf", "fonts/Lato-BoldItalic.ttf",
                                        "fonts/Lato-Light.ttf"};
    rc_loc locs[RC_FONT_COUNT] = {
        {"s.ini", 1, 1}, {"s.ini", 2, 1}, {"s.ini", 3, 1}, {"s.ini", 4, 1}, {"s.ini", 5, 1}};
    rc_fonts fonts;
    assert_int_equal(rc_fonts_load(f->a, paths, locs, f->d, &fonts), RC_OK);
    for (int i = 0; i < RC_FONT_COUNT; i++)
        assert_non_null(fonts.f[i]);
    assert_near(rc_font_advance(fonts.f[RC_FONT_LIGHT], 'a'), 484.0, 1e-9);
    assert_near(rc_font_advance(fonts.f[RC_FONT_BOLD_ITALIC], 'a'), 521.0, 1e-9);
    assert_ptr_not_equal(fonts.f[RC_FONT_REGULAR], fonts.f[RC_FONT_LIGHT]);

    /* faces drawn from one file share one font (one numbering of its
     * ligature codes for the PDF's one embedded copy) */
    paths[RC_FONT_LIGHT] = "fonts/Lato-Regular.ttf";
    assert_int_equal(rc_fonts_load(f->a, paths, locs, f->d, &fonts), RC_OK);
    assert_ptr_equal(fonts.f[RC_FONT_LIGHT], fonts.f[RC_FONT_REGULAR]);
    paths[RC_FONT_LIGHT] = "fonts/Lato-Light.ttf";

    /* ... and so do faces drawn from two files of the same bytes (a copy
     * under another name: the PDF writer, which embeds by the font's own
     * name, refused the second), and only those */
    char dir[] = "/tmp/rc-test-fontcopy-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *copy = rc_arena_printf(f->a, "%s/Body.ttf", dir);
    assert_int_equal(system(rc_arena_printf(f->a, "cp fonts/Lato-Light.ttf '%s'", copy)), 0);
    paths[RC_FONT_REGULAR] = copy;
    assert_int_equal(rc_fonts_load(f->a, paths, locs, f->d, &fonts), RC_OK);
    assert_ptr_equal(fonts.f[RC_FONT_LIGHT], fonts.f[RC_FONT_REGULAR]);
    assert_ptr_not_equal(fonts.f[RC_FONT_ITALIC], fonts.f[RC_FONT_REGULAR]);
    assert_string_equal(rc_font_path(fonts.f[RC_FONT_LIGHT]), copy); /* the first face's */
    paths[RC_FONT_REGULAR] = "fonts/Lato-Regular.ttf";
    assert_int_equal(system(rc_arena_printf(f->a, "rm -rf '%s'", dir)), 0);

    paths[2] = "fonts/Missing-Bold.ttf";
    rc_diag *d = rc_diag_new();
    assert_int_equal(rc_fonts_load(f->a, paths, locs, d, &fonts), RC_ERR_CONFIG);
    assert_null(fonts.f[RC_FONT_BOLD]);
    assert_int_equal(rc_diag_errors(d), 1);
    assert_int_equal(rc_diag_get(d, 0)->loc.line, 3);
    rc_diag_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_regular_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bold_differs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kerning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ligatures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shaped_memo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shaped_after_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shaped_random_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_font_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_glyph_coverage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_offsets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupted_fuzz, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_font_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fonts_load, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
