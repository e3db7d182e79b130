/* Tests for the shaper's pair kerning read from GPOS (src/draw/shape_gpos.c):
 * for every pair of a set of Latin characters, in the Lato faces, the
 * adjustment read from the table equals the one HarfBuzz makes shaping the
 * two characters; the characters HarfBuzz may set otherwise (marks,
 * default ignorables, the fraction slash) are left to HarfBuzz. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <hb.h>
#include <hb-ot.h>

#include "../../../src/draw/shape_int.h" /* the kerning table is internal to the draw stage */
#include "rc/arena.h"

/* Printable ASCII, Latin-1 and the typographic punctuation of the sample. */
static size_t charset(uint32_t *out)
{
    static const uint32_t extra[] = {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
                                     0x2026, 0x20AC, 0x2122, 0x0152, 0x0153, 0x0160,
                                     0x0161, 0x0178, 0x017D, 0x2022, 0x00B7, 0x2212};
    size_t n = 0;
    for (uint32_t c = 0x20; c < 0x7F; c++)
        out[n++] = c;
    for (uint32_t c = 0xA1; c <= 0xFF; c++)
        if (c != 0xAD) out[n++] = c;
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        out[n++] = extra[i];
    return n;
}

static rc_shaper *open_face(rc_arena *a, const char *path, hb_font_t **font)
{
    hb_blob_t *blob = hb_blob_create_from_file(path);
    hb_face_t *face = hb_face_create(blob, 0);
    *font = hb_font_create(face);
    unsigned upem = hb_face_get_upem(face);
    hb_font_set_scale(*font, (int)upem, (int)upem);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return rc_shaper_new(a, *font, upem);
}

static void check_face(const char *path)
{
    rc_arena *a = rc_arena_new();
    hb_font_t *font;
    rc_shaper *s = open_face(a, path, &font);
    assert_non_null(s);
    rc_kern_table *t = rc_shaper_kern_table(s);
    assert_non_null(t); /* Lato's kerning is plain pair positioning */
    uint32_t cs[256];
    size_t n = charset(cs), read = 0, kerned = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int mine = 0, theirs = 0;
            hb_codepoint_t g;
            if (!rc_kern_table_pair(t, cs[i], cs[j], &mine, &g)) continue;
            read++;
            assert_true(rc_shaper_hb_pair(s, cs[i], cs[j], &theirs));
            if (mine != theirs)
                fail_msg("%s: U+%04X U+%04X: table %d, HarfBuzz %d", path, cs[i], cs[j], mine,
                         theirs);
            kerned += mine != 0;
        }
    /* every pair of the set is read from the table, and Lato kerns many */
    assert_int_equal(read, n * n);
    assert_true(kerned > 1000);
    rc_arena_free(a);
    hb_font_destroy(font);
}

static void test_regular(void **state)
{
    (void)state;
    check_face("fonts/Lato-Regular.ttf");
}

static void test_bold_italic(void **state)
{
    (void)state;
    check_face("fonts/Lato-BoldItalic.ttf");
}

static void test_light(void **state)
{
    (void)state;
    check_face("fonts/Lato-Light.ttf");
}

/* Characters HarfBuzz does not set as one plain glyph are shaped: a
 * combining mark, a soft hyphen, a zero-width joiner, the fraction slash. */
static void test_left_to_harfbuzz(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    hb_font_t *font;
    rc_shaper *s = open_face(a, "fonts/Lato-Regular.ttf", &font);
    rc_kern_table *t = rc_shaper_kern_table(s);
    assert_non_null(t);
    static const uint32_t odd[] = {0x0301, 0x00AD, 0x200D, 0x2044, 0x0009};
    int u;
    hb_codepoint_t g;
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        assert_false(rc_kern_table_pair(t, 'A', odd[i], &u, &g));
        assert_false(rc_kern_table_pair(t, odd[i], 'A', &u, &g));
    }
    assert_true(rc_kern_table_pair(t, 'A', 'V', &u, &g));
    assert_true(u < 0); /* "AV" closes up */
    rc_arena_free(a);
    hb_font_destroy(font);
}

/* The two-component ligatures read from GSUB are the pairs of input glyphs
 * HarfBuzz says its 'liga' lookups substitute, in every Lato face; a set
 * of lookups that is not only ligature substitutions is refused. */
static void test_lig_pairs(void **state)
{
    (void)state;
    static const char *const faces[] = {"Regular", "Italic", "Bold", "BoldItalic", "Light"};
    const char *root = getenv("RC_SOURCE_DIR");
    for (size_t f = 0; f < 5; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/fonts/Lato-%s.ttf", root ? root : ".", faces[f]);
        hb_blob_t *blob = hb_blob_create_from_file(path);
        hb_face_t *face = hb_face_create(blob, 0);
        hb_tag_t want[] = {HB_TAG('l', 'i', 'g', 'a'), HB_TAG_NONE};
        hb_set_t *lookups = hb_set_create(), *in = hb_set_create();
        hb_ot_layout_collect_lookups(face, HB_OT_TAG_GSUB, NULL, NULL, want, lookups);
        for (hb_codepoint_t l = HB_SET_VALUE_INVALID; hb_set_next(lookups, &l);)
            hb_ot_layout_lookup_collect_glyphs(face, HB_OT_TAG_GSUB, l, NULL, in, NULL, NULL);
        hb_set_t *read = hb_set_create(), *asked = hb_set_create();
        assert_true(rc_shape_read_lig_pairs(face, lookups, read));
        for (hb_codepoint_t l = HB_SET_VALUE_INVALID; hb_set_next(lookups, &l);)
            for (hb_codepoint_t x = HB_SET_VALUE_INVALID; hb_set_next(in, &x);)
                for (hb_codepoint_t y = HB_SET_VALUE_INVALID; hb_set_next(in, &y);) {
                    hb_codepoint_t two[2] = {x, y};
                    if (hb_ot_layout_lookup_would_substitute(face, l, two, 2, true))
                        hb_set_add(asked, x << 16 | y);
                }
        assert_true(hb_set_get_population(asked) >= 2); /* fi, fl at least */
        assert_true(hb_set_is_equal(read, asked));
        /* every GSUB lookup: Lato's others include single and contextual
         * substitutions (44 lookups, 2 for 'liga'), which are refused */
        hb_set_t *all = hb_set_create();
        hb_ot_layout_collect_lookups(face, HB_OT_TAG_GSUB, NULL, NULL, NULL, all);
        assert_true(hb_set_get_population(all) > hb_set_get_population(lookups));
        assert_false(rc_shape_read_lig_pairs(face, all, read));
        hb_set_destroy(all);
        hb_set_destroy(read);
        hb_set_destroy(asked);
        hb_set_destroy(in);
        hb_set_destroy(lookups);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
}

int main(void)
{
    /* The shaper calls HarfBuzz through rc/hb_lib.h's table, which a font
     * loads (rc_font_parse); these tests make HarfBuzz's fonts themselves
     * (this program is linked against the library too, for the calls the
     * table does not hold). */
    if (!rc_hb_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular),   cmocka_unit_test(test_bold_italic),
        cmocka_unit_test(test_light),     cmocka_unit_test(test_left_to_harfbuzz),
        cmocka_unit_test(test_lig_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
