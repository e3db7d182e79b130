/* HarfBuzz loaded with dlopen (include/rc/hb_lib.h, src/draw/hb_lib.c): a
 * missing library is an error naming the file, and no font is made; the
 * table is complete and each member is the function of its name in
 * libharfbuzz or libharfbuzz-subset (dladdr); the call sites' names are
 * the members. This program is not linked against HarfBuzz. */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/hb_lib.h"
#include "../base/dlib_check.h"

#define LATO RC_SOURCE_DIR "/fonts/Lato-Regular.ttf"

/* Before this process loads the library. */
static bool missing(void)
{
    setenv("RC_HARFBUZZ_SO", "libreportc-missing.so.0", 1);
    const char *why = NULL, *why2 = NULL;
    bool ok = rc_hb_lib_load(&why), ok2 = rc_hb_lib_load(&why2);
    /* a font is an error, not a crash, and says why */
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_font *f = rc_font_load(a, LATO, (rc_loc){"x.ini", 3, 1}, d);
    bool said = rc_diag_errors(d) == 1;
    rc_diag_free(d);
    rc_arena_free(a);
    return !ok && !ok2 && why && why2 == why && strstr(why, "libreportc-missing.so.0") &&
           rc_test_table_empty(&rc_hb_lib, sizeof rc_hb_lib) && !f && said;
}

static void test_missing_library(void **state)
{
    (void)state;
    rc_test_in_child(missing);
}

static void test_table(void **state)
{
    (void)state;
    const char *why = "unset";
    assert_true(rc_hb_lib_load(&why));
    assert_string_equal(why, "unset"); /* not touched on success */
    static const char *const names[] = {
#define NAME(f) #f,
        RC_HB_LIB_FUNCTIONS(NAME) RC_HB_SUBSET_FUNCTIONS(NAME)
#undef NAME
    };
    size_t n = sizeof names / sizeof names[0];
    rc_test_table_is(&rc_hb_lib, sizeof rc_hb_lib, names, n, "libharfbuzz");
    void *slots[sizeof names / sizeof names[0]];
    memcpy(slots, &rc_hb_lib, sizeof slots);
    /* the call sites' names are the members, and reach the library */
    void *fn;
    const char *(*v)(void) = hb_version_string;
    memcpy(&fn, &v, sizeof fn);
    size_t k = 0;
    while (k < sizeof names / sizeof names[0] && strcmp(names[k], "hb_version_string") != 0)
        k++;
    assert_true(k < sizeof names / sizeof names[0]);
    assert_ptr_equal(fn, slots[k]);
    assert_non_null(strchr(hb_version_string(), '.'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
