/* Tests for placing words (src/pdf/pdf_text.c, pdf_draw.c): the words of a
 * line share one TJ array, and the numbers between them must land every
 * word where the layout put it. Checked through a real reader (pdftotext
 * -bbox: poppler places glyphs by the font's /W widths) and against
 * libharu's own widths. And the text strings' UTF-16 hex digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"

#include "../../../src/pdf/pdf_int.h" /* internal to the PDF stage */
#include "../../../src/pdf/pdf_text.h"
#include "pdf_fixture.h"

typedef pdf_fx fixture;

static int setup(void **state)
{
    pdf_fx_open(state, "/tmp/rc-test-pdftext-XXXXXX", NULL, NULL);
    return 0;
}

static int teardown(void **state)
{
    return pdf_fx_close(state);
}

/* The widths pdf_text.c adds up are those libharu writes in /W (for the
 * reduced copy, whose glyphs keep their advances): for every code point
 * each Lato face maps, the truncated float of rc_font_advance is libharu's
 * integer quotient; a code without a glyph is not known (-1). */
static void test_widths_are_libharus(void **state)
{
    fixture *fx = *state;
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    size_t checked = 0;
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        const char *name = HPDF_LoadTTFontFromFile(doc, FACES[i], HPDF_TRUE);
        assert_non_null(name);
        HPDF_FontDef def = HPDF_GetFontDef(doc, name);
        assert_non_null(def);
        const rc_font *f = fx->fonts.f[i];
        for (uint32_t c = 0x20; c <= 0xFFFF; c++) {
            if (c >= 0xD800 && c <= 0xDFFF) continue;
            if (!rc_font_glyph(f, c)) {
                if (c == 0x378) assert_int_equal(rc_pdf_glyph_w(f, c), -1); /* unassigned */
                continue;
            }
            assert_int_equal(rc_pdf_glyph_w(f, c),
                             HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)c));
            checked++;
        }
    }
    HPDF_Free(doc);
    assert_true(checked > 5 * 1000); /* Lato maps thousands of code points per face */
}

/* A TJ number lands the pen within 0.5e-5 pt of its target, with no more
 * decimals than that needs (2 at 1 pt, 3 at 10 pt, 4 at 22 pt, 5 from
 * 100 pt). */
static void test_tj_move(void **state)
{
    (void)state;
    const int64_t sizes[] = {100000, 800000, 950000, 1000000, 2200000, 20000000, 60000000};
    const int64_t steps[] = {1000, 100, 100, 100, 10, 1, 1};
    uint64_t r = 12345;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        for (int i = 0; i < 2000; i++) {
            r = r * 6364136223846793005u + 1442695040888963407u;
            int64_t pen = (int64_t)(r >> 20) % INT64_C(60000000000000000); /* < 600 pt */
            r = r * 6364136223846793005u + 1442695040888963407u;
            int64_t target =
                pen + ((int64_t)(r >> 33) % INT64_C(5000000000000)) - INT64_C(1000000000000);
            if (i == 0) target = pen; /* no move: no number */
            int64_t n = rc_pdf_tj_move(pen, target, sizes[k]);
            int64_t off = pen - n * sizes[k] - target;
            assert_true(off <= 50000000 && off >= -50000000);
            assert_int_equal(n % steps[k], 0);
            if (i == 0) assert_int_equal(n, 0);
        }
    }
    /* 1 pt to the right at 10 pt is -100/1000 em */
    assert_int_equal(rc_pdf_tj_move(0, INT64_C(10000000000000), 1000000), -10000000);
}

/* A word as the test places it. */
typedef struct word {
    const char *text; /* with its trailing space, as the layout draws words */
    rc_font_id font;
    double size, x, y;
    rc_rgb rgb;
} word;

/* Runs cmd; its stdout in the arena. */
static char *run(rc_arena *a, const char *cmd)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0, got;
    char *s = rc_arena_alloc(a, cap);
    while ((got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            s = rc_arena_grow(a, s, cap, cap * 2, 1);
            cap *= 2;
        }
    }
    s[n] = '\0';
    assert_int_equal(pclose(f), 0);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Words placed as a justifying layout places them (each after the previous
 * one's layout width plus a stretch or shrink that differs per gap), in
 * runs that change font, size and colour mid-line, with non-ASCII text, a
 * ligature, a character Lato lacks, a word placed left of the previous one
 * and lines at several baselines: poppler finds every word's first glyph
 * where the layout put it (as libharu writes the number, within 1e-5 pt),
 * and the page holds one text position per line plus the word after the
 * one whose width is not known. A number computed from the layout's unrounded
 * widths instead of /W would be off by about 0.005 pt per glyph. */
static void test_words_land(void **state)
{
    fixture *fx = *state;
    rc_arena *a = fx->a;
    rc_rgb black = {0.1, 0.1, 0.1}, blue = {0, 0.27, 0.58};
    word w[] = {
        {"Alpha ", RC_FONT_REGULAR, 10, 72, 700, black},
        {"Bravo, ", RC_FONT_REGULAR, 10, 0, 0, black},
        {"Charlie’s ", RC_FONT_REGULAR, 10, 0, 0, black},
        {"Delta ", RC_FONT_ITALIC, 10, 0, 0, black},
        {"Echo ", RC_FONT_BOLD, 10, 0, 0, blue},
        {"Foxtrot-Golf ", RC_FONT_REGULAR, 10, 0, 0, black},
        {"Wavy ", RC_FONT_REGULAR, 10, 0, 0, black},
        {"Hotel ", RC_FONT_REGULAR, 10, 0, 0, black},
        {"Bielsko-Biała ", RC_FONT_REGULAR, 9.5, 72, 686.5, black},
        {"Śląskie ", RC_FONT_REGULAR, 9.5, 0, 0, black},
        {"office ", RC_FONT_REGULAR, 9.5, 0, 0, black}, /* the ffi ligature */
        {"India ", RC_FONT_REGULAR, 9.5, 0, 0, black},
        {"\xE4\xB8\x80 ", RC_FONT_REGULAR, 9.5, 0, 0, black}, /* no glyph in Lato */
        {"Juliett ", RC_FONT_REGULAR, 9.5, 0, 0, black},
        {"Kilo ", RC_FONT_LIGHT, 22, 300, 640.123456, blue},
        {"Lima ", RC_FONT_LIGHT, 22, 0, 0, blue},
        {"Mike ", RC_FONT_REGULAR, 8, 90, 640.123456, black}, /* left of "Lima" */
        {"November ", RC_FONT_REGULAR, 8, 0, 0, black},
    };
    size_t nw = sizeof w / sizeof w[0];
    rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, 1, "1"};
    const double gaps[] = {0.37, 1.913, -0.41, 0.0071, 2.5, 0.333333, -0.05, 1.1};
    for (size_t i = 0; i < nw; i++) {
        if (w[i].x == 0) { /* after the previous word, as a justified line */
            const word *pv = &w[i - 1];
            w[i].x =
                pv->x + gaps[i % 8] +
                rc_font_text_width(fx->fonts.f[pv->font], pv->text, strlen(pv->text), pv->size);
            w[i].y = pv->y;
        }
        rc_draw_text(a, pg.content, w[i].font, w[i].size, w[i].x, w[i].y, w[i].text,
                     strlen(w[i].text), w[i].rgb);
    }
    rc_layout lay = {0};
    RC_PUSH(a, lay.pages, pg);
    const char *pdf = rc_arena_printf(a, "%s/words.pdf", fx->dir);
    assert_int_equal(rc_pdf_write(a, &lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);

    char *box = run(a, rc_arena_printf(a, "pdftotext -bbox '%s' -", pdf));
    for (size_t i = 0; i < nw; i++) {
        /* the word as poppler gives it: without the space, & escaped */
        size_t len = strlen(w[i].text) - 1;
        char *want = rc_arena_printf(a, ">%.*s</word>", (int)len, w[i].text);
        const char *at = strstr(box, want);
        if (!at) {
            fprintf(stderr, "%s", box);
            fail_msg("pdftotext -bbox has no word '%.*s'", (int)len, w[i].text);
        }
        const char *tag = at;
        while (tag > box && strncmp(tag, "<word ", 6) != 0)
            tag--;
        const char *xm = strstr(tag, "xMin=\"");
        assert_non_null(xm);
        double got = strtod(xm + 6, NULL);
        char num[32];
        rc_pdf_real(w[i].x, num); /* where the word was to go, as written */
        double off = got - strtod(num, NULL);
        if (off > 1e-5 || off < -1e-5)
            fail_msg("'%s' lands at %.6f, not %s (%.6f pt off)", w[i].text, got, num, off);
    }

    char *q = run(a, rc_arena_printf(a,
                                     "qpdf --qdf --normalize-content=n --object-streams=disable "
                                     "'%s' - | tr -d '\\000'",
                                     pdf));
    /* the lines at 700, 686.5 and 640.123456 ("Mike" goes back by a
     * number), and the word after the glyph Lato lacks (the one after the
     * ligature follows by a number: the ligature glyph's width is known);
     * an array ends there and at each change of font or colour */
    assert_non_null(strstr(q, "\\0")); /* a ligature's code (\001..\037): "office" */
    size_t placed = count(q, " Td\n") + count(q, " Tm\n");
    assert_int_equal(placed, 4);
    assert_int_equal(count(q, "] TJ\n"), 4 + 4);
}

/* rc_pdf_utf16_hex, the /ActualText and ToUnicode strings: BMP characters
 * as four digits, one above it as a surrogate pair, an invalid byte as
 * U+FFFD, the end returned. */
static void test_utf16_hex(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"A", "0041"},
        {"fi", "00660069"},
        {"\xE2\x82\xAC", "20AC"},         /* € */
        {"\xF0\x9F\x98\x80", "D83DDE00"}, /* U+1F600 */
        {"a\xFF"
         "b",
         "0061FFFD0062"},         /* invalid byte */
        {"\xE2\x82", "FFFDFFFD"}, /* cut sequence */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        size_t n = strlen(cases[i].in);
        char *end = rc_pdf_utf16_hex(out, cases[i].in, n);
        assert_true(end >= out && (size_t)(end - out) <= 4 * n);
        *end = 0;
        assert_string_equal(out, cases[i].want);
    }
}

int main(void)
{
    /* libharu's calls from the PDF stage go through src/pdf/hpdf_lib.h's
     * table, which rc_pdf_write_cached loads; rc_pdf_glyph_w is called
     * without it */
    if (!rc_hpdf_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_widths_are_libharus, setup, teardown),
        cmocka_unit_test(test_tj_move),
        cmocka_unit_test_setup_teardown(test_words_land, setup, teardown),
        cmocka_unit_test(test_utf16_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
