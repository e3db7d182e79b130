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

/* The points of word (dictionary, then exceptions) as "be-yond". */
static const char *split(const fx *f, const rc_hyph_exc *e, const char *word, char *out)
{
    return rc_test_split(f->h, e, word, out);
}

/* The dictionary's bad breaks the issue names, corrected by the built-in
 * list; the first assertion of each pair shows the dictionary really is
 * wrong there (so the exception is doing the work). */
static void test_builtin_english(void **state)
{
    fx *f = *state;
    char b[64];
    rc_hyph_exc *e = rc_hyph_exc_new(f->a, "en");
    assert_string_equal(split(f, NULL, "beyond", b), "bey-ond");
    assert_string_equal(split(f, e, "beyond", b), "be-yond");
    assert_string_equal(split(f, NULL, "territory", b), "ter-rit-ory");
    assert_string_equal(split(f, e, "territory", b), "ter-ri-tory"); /* righthyphenmin 3 */
    assert_string_equal(split(f, e, "diagnosis", b), "di-ag-no-sis");
    assert_string_equal(split(f, e, "prominent", b), "prom-i-nent");
    assert_string_equal(split(f, e, "evidence", b), "ev-i-dence");
    assert_string_equal(split(f, e, "municipalities", b), "mu-nic-i-pal-i-ties");
    /* any case, and only the matching letter run of a longer token */
    assert_string_equal(split(f, e, "Beyond,", b), "Be-yond,");
    assert_string_equal(split(f, e, "(territory)", b), "(ter-ri-tory)");
    /* words not in the list keep the dictionary's points */
    assert_string_equal(split(f, e, "specialisation", b), split(f, NULL, "specialisation", b));
    /* other languages start empty */
    rc_hyph_exc *x = rc_hyph_exc_new(f->a, "xx");
    assert_string_equal(split(f, x, "beyond", b), "bey-ond");
}

static void test_added_words(void **state)
{
    fx *f = *state;
    char b[64];
    rc_hyph_exc *e = rc_hyph_exc_new(f->a, "en");
    assert_true(rc_hyph_exc_add(e, "bey-ond", 7)); /* replaces the built-in entry */
    assert_string_equal(split(f, e, "beyond", b), "bey-ond");
    assert_true(rc_hyph_exc_add(e, "Mon-te-vi-deo", 13));
    assert_string_equal(split(f, e, "Montevideo", b), "Mon-te-vi-deo");
    assert_true(rc_hyph_exc_add(e, "t-abl-e", 7)); /* breaks inside 2/3 are dropped */
    assert_string_equal(split(f, e, "table", b), "table");
    assert_true(rc_hyph_exc_add(e, "ta-ble", 6));
    assert_string_equal(split(f, e, "table", b), "ta-ble");
    assert_true(rc_hyph_exc_add(e, "Gómez", strlen("Gómez"))); /* no break at all */
    assert_string_equal(split(f, e, "Gómez", b), "Gómez");
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
