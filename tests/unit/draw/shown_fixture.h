/* shown_fixture: what the tests of the texts kept between builds
 * (test_shown.c, test_shown_page.c) share: fonts loaded afresh, as by the
 * next process, and their texts kept in a file of the test's cache
 * directory. Include after <cmocka.h>. */
#ifndef RC_TEST_SHOWN_FIXTURE_H
#define RC_TEST_SHOWN_FIXTURE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../layout/fixture.h"
#include "rc/arena.h"
#include "rc/font.h"

/* The test fonts loaded into a new arena (*a). */
static inline rc_fonts rc_test_fresh_fonts(rc_arena **a)
{
    *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_fonts fs;
    assert_int_equal(rc_test_fonts(*a, d, &fs), RC_OK);
    rc_diag_free(d);
    return fs;
}

/* rc_fonts_keep_shown for output, waiting out the two seconds in which a
 * font file just written (a fresh checkout) is not trusted. */
static inline void rc_test_keep_shown(const rc_fonts *fs, const char *output)
{
    if (rc_fonts_keep_shown(fs, rc_fonts_digest(fs), output)) return;
    sleep(3);
    assert_true(rc_fonts_keep_shown(fs, rc_fonts_digest(fs), output));
}

/* What ligature code c of a face stands for (rc_font_ligature). */
typedef struct rc_test_lig {
    bool set;
    uint16_t glyph;
    char text[16];
} rc_test_lig;

/* Every ligature code of face f, into out[1..RC_FONT_MAXLIG]. */
static inline void rc_test_ligs(const rc_font *f, rc_test_lig out[RC_FONT_MAXLIG + 1])
{
    memset(out, 0, (RC_FONT_MAXLIG + 1) * sizeof *out);
    for (unsigned c = 1; c <= RC_FONT_MAXLIG; c++) {
        const char *t;
        out[c].set = rc_font_ligature(f, c, &out[c].glyph, &t);
        if (out[c].set) snprintf(out[c].text, sizeof out[c].text, "%s", t);
    }
}

#endif
