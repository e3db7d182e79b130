/* Tests for the texts a PDF's last build showed, kept in the cache
 * directory (rc_fonts_keep_shown, src/draw/shape_disk.c): fonts loaded
 * afresh (as by the next process) and shown the same texts from the file
 * give, bit for bit, the kerning and ligature codes shaping gives without
 * it, and the same characters for each ligature code, and the layout's
 * widths; every text kept is found there, those with ligatures too, and
 * every string measured; the file is written
 * only when what was shown changed; a text shown under an earlier file by
 * the same fonts (another edition) is kept in the current one too; a
 * damaged file gives the same results; no cache directory keeps nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../layout/fixture.h"
#include "shown_fixture.h"
#include "rc/arena.h"
#include "rc/font.h"
#include "../base/cache_check.h"

/* Kerned pairs, ligatures (fi, fl, ff, ffi), accents, a text longer than
 * the 64 bytes once kept and one longer than the 255 kept now
 * (RC_SHAPE_KEEP_MAX), and words followed by a space, as lines draw them. */
static const char *const TEXTS[] = {"AVA",
                                    "To.",
                                    "office ",
                                    "efficient",
                                    "flow",
                                    "Wolf",
                                    "déjà vu",
                                    "fjord ",
                                    "stuff",
                                    "Tomorrow, ",
                                    "cooperation",
                                    "“Quoted”",
                                    "affluent flights of fireflies over the fields of Yverdon "
                                    "and of Avignon, twice",
                                    "Tall office towers of Yverdon and Avignon stood over the "
                                    "fields, where Tomorrow's cooperation of the two regions was "
                                    "planned by fifty efficient offices; the flows of trade, "
                                    "the affluent visitors and the fireflies of late June all "
                                    "came back to the same fields, year after year, VAT and all",
                                    "LT",
                                    "V.",
                                    "firefly"};
enum { NTEXTS = sizeof TEXTS / sizeof TEXTS[0], NFACES = 3, MAXLEN = 400 };
static const rc_font_id FACES[NFACES] = {RC_FONT_REGULAR, RC_FONT_BOLD, RC_FONT_ITALIC};

typedef struct got {
    double width; /* rc_font_text_width, asked first as the layout does */
    bool has_kern, has_lig;
    float kern[MAXLEN];
    uint8_t lig[MAXLEN];
} got;

typedef rc_test_lig lig;

/* Every text in every face, as drawing a page asks for them. */
static void show_all(const rc_fonts *fs, got out[NFACES][NTEXTS])
{
    for (int f = 0; f < NFACES; f++)
        for (int i = 0; i < NTEXTS; i++) {
            size_t n = strlen(TEXTS[i]);
            assert_true(n <= MAXLEN);
            got *g = &out[f][i];
            memset(g, 0, sizeof *g);
            g->width = rc_font_text_width(fs->f[FACES[f]], TEXTS[i], n, 10);
            const float *k;
            const uint8_t *l;
            rc_font_shaped(fs->f[FACES[f]], TEXTS[i], n, &k, &l);
            g->has_kern = k != NULL;
            g->has_lig = l != NULL;
            if (k) memcpy(g->kern, k, n * sizeof *k);
            if (l) memcpy(g->lig, l, n);
        }
}

static void ligs_of(const rc_fonts *fs, lig out[RC_FONT_MAXLIG + 1])
{
    rc_test_ligs(fs->f[RC_FONT_REGULAR], out);
}

static void same(got a[NFACES][NTEXTS], got b[NFACES][NTEXTS])
{
    for (int f = 0; f < NFACES; f++)
        for (int i = 0; i < NTEXTS; i++) {
            assert_memory_equal(&a[f][i].width, &b[f][i].width, sizeof(double)); /* bits */
            assert_int_equal(a[f][i].has_kern, b[f][i].has_kern);
            assert_int_equal(a[f][i].has_lig, b[f][i].has_lig);
            assert_memory_equal(a[f][i].kern, b[f][i].kern, sizeof a[f][i].kern); /* bits */
            assert_memory_equal(a[f][i].lig, b[f][i].lig, sizeof a[f][i].lig);
        }
}

/* Whether the last build found every text it looked up in the file. */
static bool found_all;

/* Shows every text in fresh fonts keeping output's file: the same results
 * as want; returns whether closing wrote the file. */
static bool build(const char *output, got want[NFACES][NTEXTS], const lig wl[RC_FONT_MAXLIG + 1])
{
    static got g[NFACES][NTEXTS];
    rc_arena *a;
    rc_fonts fs = rc_test_fresh_fonts(&a);
    rc_test_keep_shown(&fs, output);
    show_all(&fs, g);
    same(want, g);
    size_t hits, misses;
    rc_fonts_shown_counts(&fs, &hits, &misses);
    found_all = hits > 0 && misses == 0;
    lig l[RC_FONT_MAXLIG + 1];
    ligs_of(&fs, l);
    assert_memory_equal(l, wl, sizeof l);
    bool wrote = rc_fonts_shown_done(&fs, true);
    rc_arena_free(a);
    return wrote;
}

static void test_kept_between_builds(void **state)
{
    (void)state;
    char dir[] = "/tmp/rc-shown-XXXXXX", *saved;
    rc_test_cache_begin(dir, &saved);

    static got plain[NFACES][NTEXTS];
    lig pl[RC_FONT_MAXLIG + 1];
    rc_arena *a0;
    rc_fonts f0 = rc_test_fresh_fonts(&a0);
    show_all(&f0, plain); /* no file */
    ligs_of(&f0, pl);
    bool any_lig = false, any_kern = false;
    for (int i = 0; i < NTEXTS; i++)
        any_lig |= plain[0][i].has_lig, any_kern |= plain[0][i].has_kern;
    assert_true(any_lig && any_kern); /* (the texts test both) */

    assert_true(build("out.pdf", plain, pl)); /* the first build writes */
    assert_false(found_all);
    assert_false(build("out.pdf", plain, pl)); /* the next finds every text, */
    assert_true(found_all);                    /* ligatures' included */
    assert_false(build("out.pdf", plain, pl));
    assert_true(found_all);

    /* the same fonts shown the texts under another file: it keeps them */
    rc_test_keep_shown(&f0, "other.pdf");
    static got again[NFACES][NTEXTS];
    show_all(&f0, again);
    same(plain, again);
    assert_true(rc_fonts_shown_done(&f0, true));
    assert_false(build("other.pdf", plain, pl));

    /* a failed write keeps nothing */
    {
        rc_arena *a;
        rc_fonts fs = rc_test_fresh_fonts(&a);
        rc_test_keep_shown(&fs, "failed.pdf");
        show_all(&fs, again);
        assert_false(rc_fonts_shown_done(&fs, false));
        rc_arena_free(a);
    }

    /* one byte of out.pdf's file changed: the same results, written again */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s/shown", dir);
    FILE *ls = popen(cmd, "r");
    char name[256];
    size_t files = 0;
    while (ls && fgets(name, sizeof name, ls)) {
        name[strcspn(name, "\n")] = 0;
        char path[700];
        snprintf(path, sizeof path, "%s/shown/%s", dir, name);
        rc_test_damage(path, 0.25, 0x41);
        files++;
    }
    if (ls) pclose(ls);
    assert_int_equal(files, 2);
    assert_true(build("out.pdf", plain, pl));
    assert_false(build("out.pdf", plain, pl));

    /* no cache directory: nothing kept */
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_false(rc_fonts_keep_shown(&f0, rc_fonts_digest(&f0), "out.pdf"));
    assert_false(rc_fonts_shown_done(&f0, true));
    rc_test_cache_end(dir, saved);
    rc_arena_free(a0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_between_builds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
