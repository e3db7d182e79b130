/* Tests for hyphenation exceptions (hyph_exc.c) over the en_GB patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/layout.h"

#define GB "/usr/share/hyphen/hyph_en_GB.dic"

typedef struct fx {
    rc_arena *a;
    rc_hyph *h;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    rc_diag *d = rc_diag_new();
    f->a = rc_arena_new();
    f->h = rc_hyph_load(GB, (rc_loc){"r.ini", 7, 1}, d);
    rc_diag_free(d);
    if (!f->h) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rc_hyph_free(f->h);
    rc_arena_free(f->a);
    free(f);
    return 0;
}

/* The dictionary's bad breaks the issue names, corrected by the built-in
 * list; the first assertion of each pair shows the dictionary really is
 * wrong there (so the exception is doing the work). */
static void test_builtin_english(void **state)
{
    fx *f = *state;
    rc_hyph_exc *e = rc_hyph_exc_new(f->a, "en");
    RC_ASSERT_SPLIT(f->h, NULL, "beyond", "bey-ond");
    RC_ASSERT_SPLIT(f->h, e, "beyond", "be-yond");
    RC_ASSERT_SPLIT(f->h, NULL, "territory", "ter-rit-ory");
    RC_ASSERT_SPLIT(f->h, e, "territory", "ter-ri-tory"); /* righthyphenmin 3 */
    RC_ASSERT_SPLIT(f->h, e, "diagnosis", "di-ag-no-sis");
    RC_ASSERT_SPLIT(f->h, e, "prominent", "prom-i-nent");
    RC_ASSERT_SPLIT(f->h, e, "evidence", "ev-i-dence");
    RC_ASSERT_SPLIT(f->h, e, "municipalities", "mu-nic-i-pal-i-ties");
    /* any case, and only the matching letter run of a longer token */
    RC_ASSERT_SPLIT(f->h, e, "Beyond,", "Be-yond,");
    RC_ASSERT_SPLIT(f->h, e, "(territory)", "(ter-ri-tory)");
    /* words not in the list keep the dictionary's points ("specialisation"
     * is in the list; two buffers, as one would hold the second split on
     * both sides and the check could not fail) */
    char ruled[64], dict[64];
    assert_string_equal(rc_test_split(f->h, e, "manufacturing", ruled),
                        rc_test_split(f->h, NULL, "manufacturing", dict));
    /* other languages start empty */
    rc_hyph_exc *x = rc_hyph_exc_new(f->a, "xx");
    RC_ASSERT_SPLIT(f->h, x, "beyond", "bey-ond");
}

static void test_added_words(void **state)
{
    fx *f = *state;
    rc_hyph_exc *e = rc_hyph_exc_new(f->a, "en");
    assert_true(rc_hyph_exc_add(e, "bey-ond", 7)); /* replaces the built-in entry */
    RC_ASSERT_SPLIT(f->h, e, "beyond", "bey-ond");
    assert_true(rc_hyph_exc_add(e, "Mon-te-vi-deo", 13));
    RC_ASSERT_SPLIT(f->h, e, "Montevideo", "Mon-te-vi-deo");
    assert_true(rc_hyph_exc_add(e, "t-abl-e", 7)); /* breaks inside 2/3 are dropped */
    RC_ASSERT_SPLIT(f->h, e, "table", "table");
    assert_true(rc_hyph_exc_add(e, "ta-ble", 6));
    RC_ASSERT_SPLIT(f->h, e, "table", "ta-ble");
    assert_true(rc_hyph_exc_add(e, "Gómez", strlen("Gómez"))); /* no break at all */
    RC_ASSERT_SPLIT(f->h, e, "Gómez", "Gómez");
    const char *bad[] = {"-yond", "be--yond", "beyond-", "be1yond", "", "be yond", "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(rc_hyph_exc_add(e, bad[i], strlen(bad[i])));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_english),
        cmocka_unit_test(test_added_words),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
