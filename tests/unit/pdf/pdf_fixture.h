/* pdf_fixture.h: what test_pdf.c and test_pdf_cache.c share: the
 * repository's fonts and the removal of a test's scratch directory with
 * its arena and diagnostics. Included after <cmocka.h>. */
#ifndef RC_TEST_PDF_FIXTURE_H
#define RC_TEST_PDF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"

/* The repository's fonts (fonts/), not a system package: the tests need no install. */
#define LATO RC_SOURCE_DIR "/fonts/"
static const char *const FACES[RC_FONT_COUNT] = {LATO "Lato-Regular.ttf", LATO "Lato-Italic.ttf",
                                                 LATO "Lato-Bold.ttf", LATO "Lato-BoldItalic.ttf",
                                                 LATO "Lato-Light.ttf"};

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
