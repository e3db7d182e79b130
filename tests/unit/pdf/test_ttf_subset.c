/* Tests for the reduced fonts handed to libharu (rc_ttf_reduce, made by
 * hb-subset): the cmap maps exactly the requested code points, to glyphs
 * renumbered in the original's order whose outlines and metrics are the
 * original glyphs', the hinting programs are the original's, the file is laid out as the OpenType
 * spec asks (4-byte alignment, zero padding, valid checksums), and libharu loads it and finds the
 * same glyphs and metrics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hpdf.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/pdf.h"
#include "rc/util.h"

/* The repository's fonts (fonts/), not a system package: the tests need no install. */
#define LATO RC_SOURCE_DIR "/fonts/"

typedef struct fx {
    rc_arena *a;
    rc_diag *d;
    unsigned char *orig;
    size_t olen;
    rc_font *font; /* the same file through font.c, an independent cmap reader */
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    char *data;
    assert_int_equal(rc_read_file(f->a, LATO "Lato-Regular.ttf", &data, &f->olen), RC_OK);
    f->orig = (unsigned char *)data;
    f->font = rc_font_parse(f->a, "Lato-Regular.ttf", f->orig, f->olen, (rc_loc){0}, f->d);
    assert_non_null(f->font);
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

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t sum32(const unsigned char *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4)
        s += be32(p + i);
    return s;
}

/* The directory entry of tag, or NULL. */
static const unsigned char *entry(const unsigned char *f, const char *tag)
{
    for (size_t i = 0; i < be16(f + 4); i++)
        if (memcmp(f + 12 + 16 * i, tag, 4) == 0) return f + 12 + 16 * i;
    return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The code points of a UTF-8 string, sorted and unique, plus extra. */
static size_t codes_of(const char *s, const uint32_t *extra, size_t nextra, uint32_t *out)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        assert_true(k > 0);
        out[n++] = cp;
        i += k;
    }
    for (size_t i = 0; i < nextra; i++)
        out[n++] = extra[i];
    qsort(out, n, sizeof *out, cmp_u32);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || out[m - 1] != out[i]) out[m++] = out[i];
    return m;
}

static bool member(const uint32_t *codes, size_t n, uint32_t c)
{
    return bsearch(&c, codes, n, sizeof *codes, cmp_u32) != NULL;
}

static const unsigned char *table_of(const unsigned char *f, const char *tag, uint32_t *len)
{
    const unsigned char *e = entry(f, tag);
    assert_non_null(e);
    *len = be32(e + 12);
    return f + be32(e + 8);
}

static size_t num_glyphs(const unsigned char *f)
{
    uint32_t l;
    return be16(table_of(f, "maxp", &l) + 4);
}

/* The outline bytes of glyph g. */
static const unsigned char *glyph(const unsigned char *f, uint16_t g, uint32_t *len)
{
    uint32_t l;
    const unsigned char *head = table_of(f, "head", &l), *loca = table_of(f, "loca", &l);
    const unsigned char *glyf = table_of(f, "glyf", &l);
    bool lng = be16(head + 50) == 1;
    uint32_t a = lng ? be32(loca + 4 * g) : 2u * be16(loca + 2 * g);
    uint32_t b = lng ? be32(loca + 4 * g + 4) : 2u * be16(loca + 2 * g + 2);
    assert_true(a <= b && b <= l);
    *len = b - a;
    return glyf + a;
}

/* Advance width and left side bearing of glyph g, as hmtx stores them. */
static uint32_t metric(const unsigned char *f, uint16_t g)
{
    uint32_t l;
    size_t nhm = be16(table_of(f, "hhea", &l) + 34);
    const unsigned char *hmtx = table_of(f, "hmtx", &l);
    if (g < nhm) return be32(hmtx + 4 * g);
    return (uint32_t)be16(hmtx + 4 * (nhm - 1)) << 16 | be16(hmtx + 4 * nhm + 2 * (g - nhm));
}

/* Outline bytes equal but for up to 3 bytes of zero padding. */
static void same_outline(const unsigned char *a, uint32_t la, const unsigned char *b, uint32_t lb)
{
    uint32_t m = la < lb ? la : lb;
    assert_true(la - m < 4 && lb - m < 4);
    assert_memory_equal(a, b, m);
    for (uint32_t k = m; k < la; k++)
        assert_int_equal(a[k], 0);
    for (uint32_t k = m; k < lb; k++)
        assert_int_equal(b[k], 0);
}

/* Glyph gn of the reduced font r is glyph go of the original: the same
 * advance, and the same outline, a composite's components compared the
 * same way (their ids are renumbered too, the rest of the bytes equal). */
static void same_glyph(fx *f, const unsigned char *r, uint16_t go, uint16_t gn, int depth)
{
    assert_true(depth < 8);
    assert_int_equal(metric(f->orig, go) >> 16, metric(r, gn) >> 16); /* advance */
    uint32_t la, lb;
    const unsigned char *a = glyph(f->orig, go, &la), *b = glyph(r, gn, &lb);
    if (la < 10 || !(a[0] & 0x80)) { /* empty or simple */
        same_outline(a, la, b, lb);
        return;
    }
    assert_true(lb >= 10);
    assert_memory_equal(a, b, 10); /* -1 contours, bounding box */
    size_t i = 10;
    for (;;) { /* the components (OpenType glyf: composite glyph description) */
        assert_true(i + 4 <= la && i + 4 <= lb);
        unsigned flags = be16(a + i);
        assert_int_equal(flags, be16(b + i));
        same_glyph(f, r, be16(a + i + 2), be16(b + i + 2), depth + 1);
        size_t k = 4 + (flags & 1 ? 4 : 2) +
                   (flags & 8      ? 2
                    : flags & 0x40 ? 4
                    : flags & 0x80 ? 8
                                   : 0);
        assert_true(i + k <= la && i + k <= lb);
        assert_memory_equal(a + i + 4, b + i + 4, k - 4);
        i += k;
        if (!(flags & 0x20)) break;
    }
}

/* The reduced font maps exactly the requested codes the original maps
 * (want[i]: the glyph the code must reach in the original, 0: none), each
 * to a glyph equal to the original's; glyphs are renumbered in the
 * original's order, .notdef first; the hinting programs are the original
 * bytes and the font-wide metrics the original values. */
static void check_glyphs(fx *f, const unsigned char *r, size_t rlen, const uint32_t *codes,
                         size_t n, const uint16_t *want)
{
    size_t kept = 0;
    uint16_t *olds = rc_arena_array(f->a, 65536, sizeof *olds); /* new id -> old id + 1 */
    for (size_t i = 0; i < n; i++) {
        uint16_t gn = rc_ttf_glyph(r, rlen, codes[i]);
        assert_int_equal(gn != 0, want[i] != 0);
        if (!gn) continue;
        same_glyph(f, r, want[i], gn, 0);
        if (!olds[gn]) kept++;
        assert_true(!olds[gn] || olds[gn] == want[i] + 1); /* one old glyph per new one */
        olds[gn] = (uint16_t)(want[i] + 1);
    }
    uint16_t last = 0;
    for (size_t g = 0; g < 65536; g++) /* order kept */
        if (olds[g]) {
            assert_true(olds[g] > last);
            last = olds[g];
        }
    same_glyph(f, r, 0, 0, 0); /* .notdef */
    /* the glyphs shown, their components and .notdef; far fewer than all */
    assert_true(num_glyphs(r) >= kept + 1);
    assert_true(num_glyphs(r) <= 3 * kept + 1);
    assert_true(num_glyphs(r) < num_glyphs(f->orig));
    static const char *const same[] = {"cvt ", "fpgm", "prep"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        uint32_t la, lb;
        const unsigned char *a = table_of(f->orig, same[i], &la), *b = table_of(r, same[i], &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la);
    }
    uint32_t la, lb;
    const unsigned char *ha = table_of(f->orig, "head", &la), *hb = table_of(r, "head", &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ha + 18, hb + 18, 2); /* unitsPerEm */
    assert_memory_equal(ha + 36, hb + 36, 8); /* xMin, yMin, xMax, yMax */
    ha = table_of(f->orig, "hhea", &la), hb = table_of(r, "hhea", &lb);
    assert_memory_equal(ha + 4, hb + 4, 6); /* ascender, descender, lineGap */
}

/* The original's glyphs for codes[0..n). */
static uint16_t *orig_glyphs(fx *f, const uint32_t *codes, size_t n)
{
    uint16_t *w = rc_arena_array(f->a, n ? n : 1, sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = rc_ttf_glyph(f->orig, f->olen, codes[i]);
    return w;
}

/* No code outside codes[0..n) is mapped. */
static void maps_nothing_else(const unsigned char *r, size_t rlen, const uint32_t *codes, size_t n)
{
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
        if (!member(codes, n, cp)) assert_int_equal(rc_ttf_glyph(r, rlen, cp), 0);
}

/* Structure checks every reduced font must pass. */
static void check_layout(const unsigned char *r, size_t rlen)
{
    assert_true(rlen % 4 == 0);
    assert_int_equal(be32(r), 0x00010000);
    size_t n = be16(r + 4);
    assert_int_equal(n, 13);
    /* searchRange, entrySelector, rangeShift for 13 tables */
    assert_int_equal(be16(r + 6), 128);
    assert_int_equal(be16(r + 8), 3);
    assert_int_equal(be16(r + 10), 13 * 16 - 128);
    uint32_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *e = r + 12 + 16 * i;
        if (i > 0) assert_true(memcmp(e - 16, e, 4) < 0); /* sorted tags */
        uint32_t off = be32(e + 8), len = be32(e + 12), padded = (len + 3) & ~3u;
        assert_int_equal(off % 4, 0);
        assert_true(off >= 12 + 16 * n && off + padded <= rlen);
        for (uint32_t k = len; k < padded; k++)
            assert_int_equal(r[off + k], 0);
        uint32_t cs = sum32(r + off, padded);
        if (memcmp(e, "head", 4) == 0) cs -= be32(r + off + 8); /* adjustment counts as 0 */
        assert_int_equal(cs, be32(e + 4));
        total += padded;
    }
    assert_int_equal(12 + 16 * n + total, rlen); /* nothing else in the file */
    assert_int_equal(sum32(r, rlen), 0xB1B0AFBAu);
    for (const char *const *t = (const char *const[]){"GPOS", "GSUB", "kern", "gasp", NULL}; *t;
         t++)
        assert_null(entry(r, *t));
}

static void test_maps_exactly_the_codes(void **state)
{
    fx *f = *state;
    uint32_t extra[] = {'H', 'x', 0x4E2D /* not in Lato */, 0xFFFD};
    uint32_t codes[256];
    size_t n = codes_of("Bielsko-Biała Skåne Śląskie Bogotá “quotes” – — € (a\\b) čĨĩŜ 0123", extra,
                        sizeof extra / sizeof extra[0], codes);
    unsigned char *r;
    size_t rlen;
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, f->olen, codes, n, &r, &rlen), RC_OK);
    check_layout(r, rlen);
    assert_true(rlen < f->olen / 4); /* GPOS, GSUB, kern and most outlines are gone */

    maps_nothing_else(r, rlen, codes, n);
    uint16_t *want = orig_glyphs(f, codes, n);
    size_t mapped = 0, in_font = 0;
    for (size_t i = 0; i < n; i++) {
        mapped += rc_ttf_glyph(r, rlen, codes[i]) != 0;
        in_font += rc_font_has_glyph(f->font, codes[i]);
    }
    assert_int_equal(mapped, in_font);
    assert_true(mapped >= n - 2); /* all but U+4E2D and perhaps U+FFFD */
    assert_int_equal(rc_ttf_glyph(f->orig, f->olen, 0x4E2D), 0);
    /* the original lookup agrees with font.c's reader */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rc_ttf_glyph(f->orig, f->olen, codes[i]),
                         rc_font_glyph(f->font, codes[i]));
    assert_int_not_equal(rc_ttf_glyph(r, rlen, 0x0142), 0); /* ł */
    assert_int_equal(rc_ttf_glyph(r, rlen, 'y'), 0);        /* not requested */

    check_glyphs(f, r, rlen, codes, n, want);
}

/* Ligature codes (1..31, font.h): the copy maps them to the ligature
 * glyphs, which it keeps (no cmap of the original reaches them), and maps
 * every other code as the original does; the cmap has few segments. */
static void test_ligature_codes(void **state)
{
    fx *f = *state;
    const float *k;
    const uint8_t *lig;
    rc_font_shaped(f->font, "office", 6, &k, &lig);
    assert_non_null(lig);
    uint16_t g, want[32] = {0};
    const char *text;
    assert_true(rc_font_ligature(f->font, lig[1], &g, &text));
    assert_string_equal(text, "ffi");
    want[lig[1]] = g;
    uint32_t codes[] = {lig[1], 'H', 'c', 'e', 'o', 'x', 0x2013};
    size_t n = sizeof codes / sizeof codes[0];
    unsigned char *r;
    size_t rlen;
    assert_int_equal(rc_ttf_reduce_lig(f->a, f->orig, f->olen, codes, n, want, &r, &rlen), RC_OK);
    check_layout(r, rlen);
    assert_int_equal(rc_ttf_glyph(f->orig, f->olen, lig[1]), 0);
    uint16_t *wants = orig_glyphs(f, codes, n);
    wants[0] = g; /* the ligature code reaches the ligature glyph */
    check_glyphs(f, r, rlen, codes, n, wants);
    assert_int_equal(rc_ttf_glyph(r, rlen, 'f'), 0);
    uint32_t la;
    glyph(f->orig, g, &la);
    assert_true(la > 0);
    /* 1..0x78 in one segment, 0x2013 in another, and the final one */
    uint32_t cl;
    const unsigned char *cm = table_of(r, "cmap", &cl);
    assert_int_equal(be16(cm + 12 + 6), 2 * 3);
    /* without the glyph, the code is not mapped */
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, f->olen, codes, n, &r, &rlen), RC_OK);
    assert_int_equal(rc_ttf_glyph(r, rlen, lig[1]), 0);
}

/* Many scattered codes (every 7th the font maps, plus a run): segments with
 * and without glyph arrays, gaps above and below the split threshold. */
static void test_many_scattered_codes(void **state)
{
    fx *f = *state;
    uint32_t *codes = rc_arena_array(f->a, 65536, sizeof *codes);
    size_t n = 0, k = 0;
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
        if (rc_ttf_glyph(f->orig, f->olen, cp) && (k++ % 7 == 0 || (cp >= 'a' && cp <= 'z')))
            codes[n++] = cp;
    assert_true(n > 100);
    unsigned char *r;
    size_t rlen;
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, f->olen, codes, n, &r, &rlen), RC_OK);
    check_layout(r, rlen);
    maps_nothing_else(r, rlen, codes, n);
    check_glyphs(f, r, rlen, codes, n, orig_glyphs(f, codes, n));
    /* one code: a font that maps it alone */
    uint32_t one[] = {'H'};
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, f->olen, one, 1, &r, &rlen), RC_OK);
    check_layout(r, rlen);
    for (uint32_t cp = 0; cp <= 0xFFFF; cp++)
        assert_int_equal(rc_ttf_glyph(r, rlen, cp) != 0, cp == 'H');
    /* none at all: hb-subset leaves no (3,1) cmap, so the copy is refused
     * (libharu needs one) and the caller embeds the original */
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, f->olen, codes, 0, &r, &rlen), RC_ERR_DATA);
    assert_null(r);
}

static void test_libharu_loads_it(void **state)
{
    fx *f = *state;
    uint32_t extra[] = {'H', 'x'};
    uint32_t codes[64];
    size_t n = codes_of("Zürich ąę “ok”", extra, 2, codes);
    unsigned char *r;
    size_t rlen;
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, f->olen, codes, n, &r, &rlen), RC_OK);
    char path[] = "/tmp/rc-test-ttf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, r, rlen), (ssize_t)rlen);
    close(fd);

    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
    const char *name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
    unlink(path);
    assert_non_null(name);
    assert_string_equal(name, "Lato-Regular");
    HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
    assert_non_null(font);
    HPDF_FontDef def = HPDF_GetFontDef(doc, name);
    assert_non_null(def);
    for (size_t i = 0; i < n; i++) { /* libharu's lookup finds the copy's glyphs, */
        HPDF_UINT16 g = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)codes[i]);
        assert_int_equal(g, rc_ttf_glyph(r, rlen, codes[i]));
        /* with the original's widths */
        uint32_t hl, adv = metric(f->orig, rc_ttf_glyph(f->orig, f->olen, codes[i])) >> 16;
        uint32_t upem = be16(table_of(f->orig, "head", &hl) + 18);
        assert_int_equal(HPDF_TTFontDef_GetGidWidth(def, g), (HPDF_INT16)(adv * 1000 / upem));
    }
    assert_int_equal(HPDF_TTFontDef_GetGlyphid(def, 'y'), 0);
    /* the metrics libharu reads are the original's: CapHeight comes from
     * the outline of H, XHeight from x */
    HPDF_Doc doc2 = HPDF_New(NULL, NULL);
    const char *name2 = HPDF_LoadTTFontFromFile(doc2, LATO "Lato-Regular.ttf", HPDF_TRUE);
    assert_non_null(name2);
    HPDF_FontDef def2 = HPDF_GetFontDef(doc2, name2);
    assert_int_equal(def->cap_height, def2->cap_height);
    assert_int_equal(def->x_height, def2->x_height);
    assert_int_equal(def->ascent, def2->ascent);
    assert_int_equal(def->descent, def2->descent);
    assert_int_equal(def->missing_width, def2->missing_width);
    assert_true(def->font_bbox.left == def2->font_bbox.left &&
                def->font_bbox.top == def2->font_bbox.top);
    HPDF_Free(doc2);
    HPDF_Free(doc);
}

static void test_refuses_what_it_cannot_reduce(void **state)
{
    fx *f = *state;
    uint32_t codes[] = {'a'};
    unsigned char *r = (unsigned char *)"x";
    size_t rlen = 1;
    const unsigned char junk[] = "not a font at all, not even close to one";
    assert_int_equal(rc_ttf_reduce(f->a, junk, sizeof junk, codes, 1, &r, &rlen), RC_ERR_DATA);
    assert_null(r);
    assert_int_equal(rlen, 0);
    /* truncated: the directory points past the end */
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, 4096, codes, 1, &r, &rlen), RC_ERR_DATA);
    assert_int_equal(rc_ttf_reduce(f->a, f->orig, 11, codes, 1, &r, &rlen), RC_ERR_DATA);
    /* a CFF-flavoured OpenType header */
    unsigned char *otto = rc_arena_alloc(f->a, f->olen);
    memcpy(otto, f->orig, f->olen);
    memcpy(otto, "OTTO", 4);
    assert_int_equal(rc_ttf_reduce(f->a, otto, f->olen, codes, 1, &r, &rlen), RC_ERR_DATA);
    /* no (3,1) cmap: rename the platform of every encoding record */
    memcpy(otto, f->orig, 4);
    const unsigned char *e = entry(otto, "cmap");
    unsigned char *cmap = otto + be32(e + 8);
    for (size_t i = 0; i < be16(cmap + 2); i++)
        cmap[4 + 8 * i + 1] = 9;
    assert_int_equal(rc_ttf_reduce(f->a, otto, f->olen, codes, 1, &r, &rlen), RC_ERR_DATA);
    assert_int_equal(rc_ttf_glyph(otto, f->olen, 'a'), 0);
    assert_int_equal(rc_ttf_glyph(junk, sizeof junk, 'a'), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_maps_exactly_the_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_scattered_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_libharu_loads_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ligature_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_what_it_cannot_reduce, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
