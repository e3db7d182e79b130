/* pdf_fixture.h: what the PDF stage's tests share: the repository's fonts,
 * a test's arena, diagnostics, loaded fonts and scratch directory, made and
 * released; a config string; a document of text pages with links; and (in
 * a file defining _GNU_SOURCE) a write pinned to one CPU, so that no helper
 * thread starts. Included after <cmocka.h>. */
#ifndef RC_TEST_PDF_FIXTURE_H
#define RC_TEST_PDF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/config.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"

/* The repository's fonts (fonts/), not a system package: the tests need no install. */
#define LATO RC_SOURCE_DIR "/fonts/"
static const char *const FACES[RC_FONT_COUNT] = {LATO "Lato-Regular.ttf", LATO "Lato-Italic.ttf",
                                                 LATO "Lato-Bold.ttf", LATO "Lato-BoldItalic.ttf",
                                                 LATO "Lato-Light.ttf"};

/* A setup's common part: a new arena and diagnostics, the fonts loaded,
 * the config pointed at them, and a fresh directory made from tmpl (a
 * mkdtemp template) into dir (room for 64 bytes). */
static inline void pdf_fixture_open(rc_arena **a, rc_diag **d, rc_fonts *fonts, rc_config *cfg,
                                    char dir[64], const char *tmpl)
{
    *a = rc_arena_new();
    *d = rc_diag_new();
    rc_loc locs[RC_FONT_COUNT] = {{0}};
    assert_int_equal(rc_fonts_load(*a, FACES, locs, *d, fonts), RC_OK);
    strcpy(dir, tmpl);
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < RC_FONT_COUNT; i++)
        cfg->style.font_path[i] = FACES[i];
}

/* Removes dir and everything in it, then frees d and a (a teardown's work;
 * the fixture structs differ between the tests). */
static inline void pdf_fixture_release(const char *dir, rc_diag *d, rc_arena *a)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    rc_diag_free(d);
    rc_arena_free(a);
}

/* The state the PDF writer's tests share: the fonts, a config and a
 * scratch directory; `lay` and `serial` for the tests that use them. */
typedef struct pdf_fx {
    rc_arena *a;
    rc_diag *d;
    rc_fonts fonts;
    rc_config cfg;
    rc_layout lay;
    char dir[64];
    int serial;
} pdf_fx;

static inline rc_str pdf_fixture_str(const char *s);

/* A cmocka setup's work: a pdf_fx in *state, its directory made from
 * tmpl, SOURCE_DATE_EPOCH fixed, and the report's title and year set when
 * given (NULL: left empty). */
static inline pdf_fx *pdf_fx_open(void **state, const char *tmpl, const char *title,
                                  const char *year)
{
    pdf_fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_true(strlen(tmpl) < sizeof fx->dir);
    pdf_fixture_open(&fx->a, &fx->d, &fx->fonts, &fx->cfg, fx->dir, tmpl);
    if (title) fx->cfg.report.title = pdf_fixture_str(title);
    if (year) fx->cfg.report.year = pdf_fixture_str(year);
    setenv("SOURCE_DATE_EPOCH", "1577836800", 1);
    *state = fx;
    return fx;
}

/* A cmocka teardown's work for a pdf_fx. */
static inline int pdf_fx_close(void **state)
{
    pdf_fx *fx = *state;
    pdf_fixture_release(fx->dir, fx->d, fx->a);
    free(fx);
    return 0;
}

/* Writes lay with fonts and cache (NULL: none) to path, checks that
 * nothing was reported, and returns the file's bytes (*n of them). */
static inline char *pdf_fx_write(pdf_fx *fx, const rc_layout *lay, const rc_fonts *fonts,
                                 rc_pdf_cache *cache, const char *path, size_t *n)
{
    assert_int_equal(rc_pdf_write_cached(fx->a, lay, &fx->cfg, fonts, cache, path, fx->d), RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    char *s;
    assert_int_equal(rc_read_file(fx->a, path, &s, n), RC_OK);
    return s;
}

/* Whether a[0..na) and b[0..nb) are the same bytes (a test's assertion). */
static inline void pdf_fx_same(const char *a, size_t na, const char *b, size_t nb)
{
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
}

/* A config value written at test.ini:1:1. */
static inline rc_str pdf_fixture_str(const char *s)
{
    return (rc_str){.s = s, .loc = {"test.ini", 1, 1}};
}

/* A document of `pages` pages of text in two faces, a rule, a destination
 * and a link to the next page. Word w of line l on page p is word
 * (p * page_step + 7 l + w) mod 9; with `word`, word 2 of line 3 on page
 * `edit` is replaced by it; with `letters`, page p also shows letters[p]. */
static inline rc_layout pdf_fixture_document(rc_arena *a, size_t pages, size_t page_step,
                                             size_t edit, const char *word,
                                             const char *const *letters)
{
    static const char *const words[] = {"Regional",      "pairings", "of", "universities", "office",
                                        "Bielsko-Biała", "Śląskie",  "—",  "2019"};
    rc_layout lay = {0};
    rc_rgb black = {0, 0, 0};
    for (size_t p = 0; p < pages; p++) {
        rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, (int)p + 1, rc_arena_printf(a, "%zu", p + 1)};
        for (int line = 0; line < 30; line++)
            for (int w = 0; w < 6; w++) {
                const char *t = words[(p * page_step + (size_t)line * 7 + (size_t)w) % 9];
                if (word && p == edit && line == 3 && w == 2) t = word;
                rc_draw_text(a, pg.content, w == 0 ? RC_FONT_BOLD : RC_FONT_REGULAR, 10,
                             72 + 70 * w, 760 - 20 * line, t, strlen(t), black);
            }
        if (letters)
            rc_draw_text(a, pg.content, RC_FONT_REGULAR, 10, 72, 80, letters[p], strlen(letters[p]),
                         black);
        rc_draw_line(a, pg.content, 72, 60, 520, 60, black, 0.5);
        rc_draw_dest(a, pg.content, 72, 780, rc_arena_printf(a, "p%zu", p));
        rc_draw_link(a, pg.content, 72, 40, 40, 12, rc_arena_printf(a, "p%zu", (p + 1) % pages),
                     NULL);
        RC_PUSH(a, lay.pages, pg);
    }
    return lay;
}

#ifdef _GNU_SOURCE
#include <sched.h>
/* Pins the process to the CPU it runs on (the PDF stage then starts no
 * helper thread), keeping its set in *old for pdf_fixture_all_cpus. */
static inline void pdf_fixture_one_cpu(cpu_set_t *old)
{
    cpu_set_t one;
    assert_int_equal(sched_getaffinity(0, sizeof *old, old), 0);
    CPU_ZERO(&one);
    int cpu = sched_getcpu();
    CPU_SET(cpu >= 0 ? cpu : 0, &one);
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
}

static inline void pdf_fixture_all_cpus(const cpu_set_t *old)
{
    assert_int_equal(sched_setaffinity(0, sizeof *old, old), 0);
}
#endif

#endif
