/* pdf_fixture.h: what test_pdf.c and test_pdf_cache.c share: the
 * repository's fonts, and a test's arena, diagnostics, loaded fonts and
 * scratch directory, made and released. Included after <cmocka.h>. */
#ifndef RC_TEST_PDF_FIXTURE_H
#define RC_TEST_PDF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/config.h"
#include "rc/font.h"

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

#endif
