/* Tests for the pages' texts kept in the shown file (rc_shown_page_*,
 * src/draw/shape_page.c): pages of texts in three faces (kerned pairs,
 * ligatures, accents, a text longer than the 255 bytes kept alone, one
 * byte) shaped by a build and found by the next, in fonts loaded afresh,
 * give bit for bit the kerning and ligature codes shaping gives without
 * the file, and the same characters for each code; a page found is not
 * looked up text by text; a warm build writes no file; a page with one
 * text changed is shaped again, its other texts taken from the kept pages
 * around it (not shaped), and kept in turn; a damaged file gives the same
 * results; a file too small keeps the first pages only, the same ones
 * build after build, and the texts of the others alone; no cache
 * directory keeps nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../base/cache_check.h"
#include "../layout/fixture.h"
#include "shown_fixture.h"
#include "rc/arena.h"
#include "rc/font.h"
#include "rc/zmemo.h"

enum { NPAGES = 3, PER = 8, MAXLEN = 400 };

typedef struct text {
    rc_font_id face;
    const char *s;
} text;

/* The pages, as a PDF draws them: words followed by a space, ligatures in
 * several faces, a text of more than the RC_SHAPE_KEEP_MAX (255) bytes kept
 * alone, a single character. */
static text PAGES[NPAGES][PER] = {
    {{RC_FONT_REGULAR, "AVA "},
     {RC_FONT_REGULAR, "office "},
     {RC_FONT_BOLD, "efficient"},
     {RC_FONT_ITALIC, "fjord "},
     {RC_FONT_REGULAR, "déjà vu"},
     {RC_FONT_REGULAR, "V"},
     {RC_FONT_BOLD, "To."},
     {RC_FONT_REGULAR, "“Quoted”"}},
    {{RC_FONT_REGULAR, "affluent flights of fireflies over the fields of Yverdon and of "
                       "Avignon, twice over, and then once more over the official offices "
                       "of the fjords, where the final flurries of the afternoon fluttered "
                       "off the cliffs and the fifty-five efficient fishers waved to the "
                       "fireflies until the fog had lifted from the fields of Yverdon"},
     {RC_FONT_ITALIC, "stuff "},
     {RC_FONT_REGULAR, "Wolf "},
     {RC_FONT_BOLD, "flow"},
     {RC_FONT_REGULAR, "Tomorrow, "},
     {RC_FONT_ITALIC, "LT"},
     {RC_FONT_REGULAR, "firefly"},
     {RC_FONT_BOLD, "AVA "}},
    {{RC_FONT_REGULAR, "cooperation "},
     {RC_FONT_BOLD, "office "},
     {RC_FONT_REGULAR, "V."},
     {RC_FONT_ITALIC, "efficient "},
     {RC_FONT_REGULAR, "Yverdon "},
     {RC_FONT_BOLD, "fluffier "},
     {RC_FONT_REGULAR, "AVA "},
     {RC_FONT_ITALIC, "to"}},
};

typedef struct got {
    bool has_kern, has_lig;
    float kern[MAXLEN];
    uint8_t lig[MAXLEN];
} got;

typedef rc_test_lig lig;

static void take(got *g, const char *s, const float *k, const uint8_t *l)
{
    size_t n = strlen(s);
    assert_true(n <= MAXLEN);
    memset(g, 0, sizeof *g);
    g->has_kern = k != NULL;
    g->has_lig = l != NULL;
    if (k) memcpy(g->kern, k, n * sizeof *k);
    if (l) memcpy(g->lig, l, n);
}

static void ligs_of(const rc_fonts *fs, lig out[RC_FONT_COUNT][RC_FONT_MAXLIG + 1])
{
    for (int f = 0; f < RC_FONT_COUNT; f++)
        rc_test_ligs(fs->f[f], out[f]);
}

/* What each build did, page by page. */
typedef struct run {
    bool begun[NPAGES], found[NPAGES];
    size_t lookups;             /* pages and texts looked up in the file */
    size_t found_n, from_pages; /* rc_shown_page_counts */
    bool wrote;
} run;

/* One build of output's PDF in fonts loaded afresh: each page's texts
 * through the page memo as pdf_drawjob.c asks for them, into g. */
static run build(const char *output, got g[NPAGES][PER], lig l[RC_FONT_COUNT][RC_FONT_MAXLIG + 1])
{
    run r;
    memset(&r, 0, sizeof r);
    rc_arena *a;
    rc_fonts fs = rc_test_fresh_fonts(&a);
    rc_test_keep_shown(&fs, output);
    rc_shown_page *pg = rc_shown_page_new(&fs);
    assert_non_null(pg);
    for (size_t p = 0; p < NPAGES; p++) {
        r.begun[p] = rc_shown_page_begin(pg, p);
        for (int i = 0; i < PER; i++)
            rc_shown_page_add(pg, fs.f[PAGES[p][i].face], PAGES[p][i].s, strlen(PAGES[p][i].s));
        r.found[p] = rc_shown_page_find(pg);
        for (int i = 0; i < PER; i++) {
            const char *s = PAGES[p][i].s;
            const float *k;
            const uint8_t *lg;
            if (r.found[p]) {
                rc_shown_page_get(pg, (size_t)i, &k, &lg);
            } else {
                rc_font_shaped(fs.f[PAGES[p][i].face], s, strlen(s), &k, &lg);
                rc_shown_page_set(pg, (size_t)i, k, lg);
            }
            take(&g[p][i], s, k, lg);
        }
        rc_shown_page_end(pg);
    }
    rc_shown_page_counts(pg, &r.found_n, &r.from_pages);
    rc_shown_page_free(pg);
    size_t hits, misses;
    rc_fonts_shown_counts(&fs, &hits, &misses);
    r.lookups = hits + misses;
    ligs_of(&fs, l);
    r.wrote = rc_fonts_shown_done(&fs, true);
    rc_arena_free(a);
    return r;
}

/* The texts shaped with no file at all. */
static void plain(got g[NPAGES][PER], lig l[RC_FONT_COUNT][RC_FONT_MAXLIG + 1])
{
    rc_arena *a;
    rc_fonts fs = rc_test_fresh_fonts(&a);
    assert_null(rc_shown_page_new(&fs)); /* (nothing kept: no page memo) */
    for (size_t p = 0; p < NPAGES; p++)
        for (int i = 0; i < PER; i++) {
            const float *k;
            const uint8_t *lg;
            const char *s = PAGES[p][i].s;
            rc_font_shaped(fs.f[PAGES[p][i].face], s, strlen(s), &k, &lg);
            take(&g[p][i], s, k, lg);
        }
    ligs_of(&fs, l);
    rc_arena_free(a);
}

/* The glyph and characters of every ligature code a text shows, a in
 * each face as b: what the PDF's ToUnicode maps (pdf_face.c asks for the
 * codes its faces show). A code set while shaping a run whose ligature
 * was then not used is not one (shaping sets it, a file does not). */
static void same_ligs(lig a[RC_FONT_COUNT][RC_FONT_MAXLIG + 1],
                      lig b[RC_FONT_COUNT][RC_FONT_MAXLIG + 1], got shown[NPAGES][PER])
{
    size_t checked = 0;
    for (int p = 0; p < NPAGES; p++)
        for (int i = 0; i < PER; i++) {
            int f = PAGES[p][i].face;
            for (size_t k = 0; k < strlen(PAGES[p][i].s); k++) {
                unsigned c = shown[p][i].lig[k];
                if (c == 0 || c == RC_FONT_LIG_HIDDEN) continue;
                assert_true(b[f][c].set);
                assert_memory_equal(&a[f][c], &b[f][c], sizeof a[f][c]);
                checked++;
            }
        }
    assert_true(checked > 0);
}

static void same(got a[NPAGES][PER], got b[NPAGES][PER])
{
    for (int p = 0; p < NPAGES; p++)
        for (int i = 0; i < PER; i++) {
            assert_int_equal(a[p][i].has_kern, b[p][i].has_kern);
            assert_int_equal(a[p][i].has_lig, b[p][i].has_lig);
            assert_memory_equal(a[p][i].kern, b[p][i].kern, sizeof a[p][i].kern); /* bits */
            assert_memory_equal(a[p][i].lig, b[p][i].lig, sizeof a[p][i].lig);
        }
}

static got want[NPAGES][PER], g[NPAGES][PER];
static lig wl[RC_FONT_COUNT][RC_FONT_MAXLIG + 1], gl[RC_FONT_COUNT][RC_FONT_MAXLIG + 1];

/* The regular face's file of the cache directory dir (one output). */
static void shown_file(const char *dir, char *path, size_t n)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s/shown", dir);
    FILE *ls = popen(cmd, "r");
    char name[256] = "";
    assert_non_null(ls);
    assert_non_null(fgets(name, sizeof name, ls));
    pclose(ls);
    name[strcspn(name, "\n")] = 0;
    snprintf(path, n, "%s/shown/%s", dir, name);
}

static void test_pages_kept(void **state)
{
    (void)state;
    char dir[] = "/tmp/rc-shown-page-XXXXXX", *saved;
    rc_test_cache_begin(dir, &saved);
    plain(want, wl);
    bool any_lig = false, any_kern = false;
    for (int p = 0; p < NPAGES; p++)
        for (int i = 0; i < PER; i++)
            any_lig |= want[p][i].has_lig, any_kern |= want[p][i].has_kern;
    assert_true(any_lig && any_kern); /* (the texts test both) */

    /* the first build shapes every page and keeps it */
    run r = build("out.pdf", g, gl);
    same(want, g);
    same_ligs(gl, wl, want);
    assert_true(r.wrote);
    for (int p = 0; p < NPAGES; p++)
        assert_true(r.begun[p] && !r.found[p]);
    /* the next finds every page, looks up nothing else, writes nothing */
    for (int b = 0; b < 2; b++) {
        r = build("out.pdf", g, gl);
        same(want, g);
        same_ligs(gl, wl, want); /* the ligatures' characters */
        for (int p = 0; p < NPAGES; p++)
            assert_true(r.found[p]);
        assert_int_equal(r.lookups, NPAGES);
        assert_int_equal(r.found_n, NPAGES);
        assert_int_equal(r.from_pages, 0);
        assert_false(r.wrote);
    }

    /* page 1 edited (one text): shaped again, its other texts of 2..255
     * bytes taken from the pages kept (each looked up alone in the file
     * first, the new one too) */
    const char *was = PAGES[1][4].s;
    PAGES[1][4].s = "Yesterday, ";
    plain(want, wl);
    r = build("out.pdf", g, gl);
    same(want, g);
    same_ligs(gl, wl, want);
    assert_true(r.found[0] && !r.found[1] && r.found[2]);
    assert_int_equal(r.lookups, NPAGES + 7);
    assert_int_equal(r.found_n, 2);
    assert_int_equal(r.from_pages, 6); /* all but the long one and the new one */
    assert_true(r.wrote);
    r = build("out.pdf", g, gl);
    same(want, g);
    assert_true(r.found[0] && r.found[1] && r.found[2]);
    assert_false(r.wrote);
    PAGES[1][4].s = was;
    plain(want, wl);

    /* a damaged file: the same results; written again, then found */
    char path[800];
    shown_file(dir, path, sizeof path);
    rc_test_damage(path, 0.3, 0x41);
    r = build("out.pdf", g, gl);
    same(want, g);
    same_ligs(gl, wl, want);
    assert_true(r.wrote);
    r = build("out.pdf", g, gl);
    same(want, g);
    assert_true(r.found[0] && r.found[1] && r.found[2]);

    rc_test_cache_end(dir, saved);
}

static void test_budget(void **state)
{
    (void)state;
    char dir[] = "/tmp/rc-shown-page-XXXXXX", *saved;
    rc_test_cache_begin(dir, &saved);
    plain(want, wl);
    /* a quarter of the file holds the first page, not the second: the third
     * is then not even looked up, in every build; the second's texts and the
     * third's are kept alone, those first shown on the first page (AVA)
     * too, so that the next build finds each of them there (none is taken
     * from the pages) and writes nothing */
    rc_zmemo_limit(4 * 330);
    for (int b = 0; b < 3; b++) {
        run r = build("small.pdf", g, gl);
        same(want, g);
        same_ligs(gl, wl, want);
        assert_true(r.begun[0] && r.begun[1] && !r.begun[2]);
        assert_int_equal(r.found[0], b > 0);
        assert_false(r.found[1]);
        assert_int_equal(r.from_pages, 0);
        assert_int_equal(r.wrote, b == 0);
    }
    rc_zmemo_limit(0);

    /* no cache directory: nothing kept, no page memo */
    setenv("REPORTC_CACHE_DIR", "", 1);
    rc_arena *a;
    rc_fonts fs = rc_test_fresh_fonts(&a);
    assert_false(rc_fonts_keep_shown(&fs, rc_fonts_digest(&fs), "out.pdf"));
    assert_null(rc_shown_page_new(&fs));
    assert_false(rc_shown_page_begin(NULL, 0));
    rc_arena_free(a);
    rc_test_cache_end(dir, saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_kept),
        cmocka_unit_test(test_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
