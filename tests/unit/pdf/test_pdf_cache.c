/* Tests for rc_pdf_write_cached (pdf.h, pdf_cache.c): a write with a cache
 * gives the bytes of a write without one, for the same layout, a changed
 * page, new characters and a replaced font file; hits are used (the cache
 * does not grow on a rewrite) and what the last write did not use is
 * dropped; a tagged page drawn before is drawn dry and gives the same
 * bytes (pdf_pagekey.c). And the PDF stage's helper thread (pdf_zip.c) changes no byte:
 * a process allowed one CPU only (no thread) writes the same file. */
#define _GNU_SOURCE /* sched_setaffinity */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"

#include "pdf_fixture.h"

typedef pdf_fx fixture;

static int setup(void **state)
{
    pdf_fx_open(state, "/tmp/rc-test-pdfcache-XXXXXX", "Cache test", "2019");
    return 0;
}

static int teardown(void **state)
{
    return pdf_fx_close(state);
}

/* A document of pages of text in two faces, a rule and a link; word w of
 * page `edit` is replaced by `word` when given. */
static rc_layout document(fixture *fx, size_t pages, size_t edit, const char *word)
{
    return pdf_fixture_document(fx->a, pages, 1, edit, word, NULL);
}

/* Writes lay with cache (NULL: uncached) and returns the file's bytes. */
static char *write_pdf(fixture *fx, const rc_layout *lay, rc_pdf_cache *cache, size_t *n)
{
    char *path = rc_arena_printf(fx->a, "%s/%d.pdf", fx->dir, fx->serial++);
    return pdf_fx_write(fx, lay, &fx->fonts, cache, path, n);
}

#define same pdf_fx_same

static void test_same_and_changed_layout(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 6, 0, NULL);
    size_t n0, n1, n2;
    char *plain = write_pdf(fx, &lay, NULL, &n0);
    rc_pdf_cache *c = rc_pdf_cache_new();
    assert_non_null(c);
    assert_int_equal(rc_pdf_cache_entries(c), 0);
    char *first = write_pdf(fx, &lay, c, &n1);
    same(plain, n0, first, n1);
    size_t entries = rc_pdf_cache_entries(c), bytes = rc_pdf_cache_bytes(c);
    /* six pages, two fonts and their maps at least */
    assert_true(entries >= 6 + 2);
    assert_true(bytes > 0);
    char *again = write_pdf(fx, &lay, c, &n2);
    same(plain, n0, again, n2);
    /* every lookup hit: a miss would have added an entry */
    assert_int_equal(rc_pdf_cache_entries(c), entries);
    assert_int_equal(rc_pdf_cache_bytes(c), bytes);

    /* one word of page 4 changed (characters the document already shows) */
    rc_layout edit = document(fx, 6, 3, "pairing");
    size_t m0, m1;
    char *eplain = write_pdf(fx, &edit, NULL, &m0);
    char *ecached = write_pdf(fx, &edit, c, &m1);
    same(eplain, m0, ecached, m1);
    assert_true(m0 != n0 || memcmp(eplain, plain, n0) != 0);
    /* the old page's entry went: the cache holds what a fresh one would */
    rc_pdf_cache *fresh = rc_pdf_cache_new();
    size_t f0;
    char *fcached = write_pdf(fx, &edit, fresh, &f0);
    same(eplain, m0, fcached, f0);
    assert_int_equal(rc_pdf_cache_entries(c), rc_pdf_cache_entries(fresh));
    assert_int_equal(rc_pdf_cache_bytes(c), rc_pdf_cache_bytes(fresh));

    /* a word with characters shown nowhere else: a new reduced font */
    rc_layout chars = document(fx, 6, 2, "QUIZ¿");
    size_t q0, q1;
    char *qplain = write_pdf(fx, &chars, NULL, &q0);
    char *qcached = write_pdf(fx, &chars, c, &q1);
    same(qplain, q0, qcached, q1);
    /* and back: the first document again, byte for byte */
    size_t b1;
    char *back = write_pdf(fx, &lay, c, &b1);
    same(plain, n0, back, b1);
    rc_pdf_cache_free(fresh);
    rc_pdf_cache_free(c);
    rc_pdf_cache_free(NULL); /* like free(NULL) */
}

/* The regular face's file replaced between writes (same path, other
 * bytes): the cached reduced font is not reused. */
static void test_font_file_replaced(void **state)
{
    fixture *fx = *state;
    char *face = rc_arena_printf(fx->a, "%s/face.ttf", fx->dir);
    char *cmd = rc_arena_printf(fx->a, "cp '%s' '%s'", FACES[RC_FONT_REGULAR], face);
    assert_int_equal(system(cmd), 0);
    /* the faces are embedded from the files the measured fonts came from */
    const char *paths[RC_FONT_COUNT];
    memcpy(paths, FACES, sizeof paths);
    paths[RC_FONT_REGULAR] = face;
    rc_loc locs[RC_FONT_COUNT] = {{0}};
    assert_int_equal(rc_fonts_load(fx->a, paths, locs, fx->d, &fx->fonts), RC_OK);
    rc_layout lay = document(fx, 2, 0, NULL);
    rc_pdf_cache *c = rc_pdf_cache_new();
    size_t n0, n1, n2;
    char *before = write_pdf(fx, &lay, c, &n0);
    /* the italic file under the regular face's name, a new inode */
    cmd = rc_arena_printf(fx->a, "cp '%s' '%s.new' && mv '%s.new' '%s'", FACES[RC_FONT_ITALIC],
                          face, face, face);
    assert_int_equal(system(cmd), 0);
    char *plain = write_pdf(fx, &lay, NULL, &n1);
    char *cached = write_pdf(fx, &lay, c, &n2);
    same(plain, n1, cached, n2);
    assert_true(n0 != n1 || memcmp(before, plain, n0) != 0);
    rc_pdf_cache_free(c);
}

/* A tagged document (paragraph elements, a hyphenated word's /ActualText,
 * a figure group with a rule and a path, a web link): page `split` has
 * its first paragraph in two elements instead of one (the same ops, other
 * marked content), word 2 of line 3 of page `edit` is `word` when given. */
static rc_layout tagged(fixture *fx, size_t pages, size_t split, size_t edit, const char *word)
{
    rc_arena *a = fx->a;
    rc_layout lay = {0};
    lay.tags = rc_tags_new(a, RC_TAG_DOCUMENT);
    rc_rgb black = {0, 0, 0}, blue = {0, 0.2, 0.6};
    for (size_t p = 0; p < pages; p++) {
        rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, (int)p + 1, rc_arena_printf(a, "%zu", p + 1)};
        rc_draw_list *l = pg.content;
        l->tags = lay.tags;
        rc_tag *para = NULL;
        for (int line = 0; line < 20; line++) {
            if (line % 10 == 0 || (p == split && line == 5))
                para = rc_tag_add(a, lay.tags, lay.tags->root, RC_TAG_P);
            l->tag = para;
            for (int w = 0; w < 5; w++) {
                const char *tx = (line + w) % 3 ? "cooperation" : "Śląskie";
                if (word && p == edit && line == 3 && w == 2) tx = word;
                rc_draw_op *op =
                    rc_draw_text(a, l, w == 1 ? RC_FONT_ITALIC : RC_FONT_REGULAR, 10, 72 + 90 * w,
                                 760 - 20 * line, tx, strlen(tx), line == 7 ? blue : black);
                if (line == 4 && w == 4) op->actual = "cooperations";
            }
        }
        l->tag = NULL;
        rc_draw_line(a, l, 72, 60, 520, 60, black, 0.5); /* an artifact */
        rc_draw_list *fig = rc_draw_new(a);
        rc_draw_rect(a, fig, 0, 0, 100, 50, &blue, &black, 1);
        rc_path_seg segs[3] = {
            {.op = RC_PATH_MOVE, .x = 0, .y = 0},
            {.op = RC_PATH_CURVE, .x1 = 10, .y1 = 40, .x2 = 60, .y2 = 40, .x = 90, .y = 5},
            {.op = RC_PATH_CLOSE}};
        rc_draw_path(a, fig, segs, 3, NULL, &blue, 0.75);
        l->tag = rc_tag_add(a, lay.tags, lay.tags->root, RC_TAG_FIGURE);
        rc_draw_group(a, l, 300, 100, fig);
        l->tag = rc_tag_add(a, lay.tags, lay.tags->root, RC_TAG_LINK);
        rc_draw_link(a, l, 72, 40, 40, 12, NULL, "https://example.org/");
        rc_draw_dest(a, l, 72, 780, rc_arena_printf(a, "t%zu", p));
        l->tag = NULL;
        RC_PUSH(a, lay.pages, pg);
    }
    return lay;
}

/* Pages drawn before are drawn dry (pdf_pagekey.c): with every page from
 * the cache, with one page's marked content changed under the same ops,
 * and with one word changed, the PDF is an uncached write's. */
static void test_tagged_pages_from_the_cache(void **state)
{
    fixture *fx = *state;
    rc_pdf_cache *c = rc_pdf_cache_new();
    rc_layout a1 = tagged(fx, 5, 99, 99, NULL);
    size_t n0, n1, n2;
    char *plain = write_pdf(fx, &a1, NULL, &n0);
    char *first = write_pdf(fx, &a1, c, &n1);
    same(plain, n0, first, n1);
    size_t entries = rc_pdf_cache_entries(c);
    rc_layout a2 = tagged(fx, 5, 99, 99, NULL); /* the same, other objects */
    char *again = write_pdf(fx, &a2, c, &n2);
    same(plain, n0, again, n2);
    assert_int_equal(rc_pdf_cache_entries(c), entries); /* every page was a hit */

    rc_layout b = tagged(fx, 5, 2, 99, NULL);
    size_t m0, m1;
    char *bplain = write_pdf(fx, &b, NULL, &m0);
    char *bcached = write_pdf(fx, &b, c, &m1);
    same(bplain, m0, bcached, m1);
    assert_true(m0 != n0 || memcmp(bplain, plain, n0) != 0);

    rc_layout e = tagged(fx, 5, 99, 1, "Bielsko-Biała");
    size_t e0, e1;
    char *eplain = write_pdf(fx, &e, NULL, &e0);
    char *ecached = write_pdf(fx, &e, c, &e1);
    same(eplain, e0, ecached, e1);
    rc_pdf_cache_free(c);
}

static void test_one_cpu_same_bytes(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 12, 0, NULL);
    size_t n1, n2;
    char *two = write_pdf(fx, &lay, NULL, &n1);
    /* tagged pages with a figure's paths, an /ActualText, links and text
     * past ASCII, drawn on the deflating thread (pdf_drawjob.c) and here */
    rc_layout t = tagged(fx, 5, 99, 1, "Bielsko-Biała");
    size_t t1, t2;
    char *ttwo = write_pdf(fx, &t, NULL, &t1);
    cpu_set_t old;
    pdf_fixture_one_cpu(&old);
    char *single = write_pdf(fx, &lay, NULL, &n2);
    char *tsingle = write_pdf(fx, &t, NULL, &t2);
    same(ttwo, t1, tsingle, t2);
    /* and a cache filled on one CPU holds what one filled with the thread
     * holds (the reduced fonts too) */
    rc_pdf_cache *c1 = rc_pdf_cache_new(), *c2 = rc_pdf_cache_new();
    size_t n3, n4;
    char *cached1 = write_pdf(fx, &lay, c1, &n3);
    pdf_fixture_all_cpus(&old);
    char *cached2 = write_pdf(fx, &lay, c2, &n4);
    same(two, n1, single, n2);
    same(two, n1, cached1, n3);
    same(two, n1, cached2, n4);
    assert_int_equal(rc_pdf_cache_entries(c1), rc_pdf_cache_entries(c2));
    assert_int_equal(rc_pdf_cache_bytes(c1), rc_pdf_cache_bytes(c2));
    rc_pdf_cache_free(c1);
    rc_pdf_cache_free(c2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_and_changed_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_font_file_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tagged_pages_from_the_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_cpu_same_bytes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
