/* shown_fixture: what the tests of the texts kept between builds
 * (test_shown.c, test_shown_page.c) share: fonts loaded afresh, as by the
 * next process, and their texts kept in a file of the test's cache
 * directory. Include after <cmocka.h>. */
#ifndef RC_TEST_SHOWN_FIXTURE_H
#define RC_TEST_SHOWN_FIXTURE_H

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

#endif
