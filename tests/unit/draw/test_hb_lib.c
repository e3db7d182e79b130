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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/hb_lib.h"

#define LATO RC_SOURCE_DIR "/fonts/Lato-Regular.ttf"

static bool table_empty(void)
{
    static const rc_hb_lib_table zero;
    return memcmp(&rc_hb_lib, &zero, sizeof zero) == 0;
}

/* In a child, before this process loads the library (once per process). */
static void test_missing_library(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
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
        _exit(!ok && !ok2 && why && why2 == why && strstr(why, "libreportc-missing.so.0") &&
                      table_empty() && !f && said
                  ? 0
                  : 1);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
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
    void *slots[sizeof names / sizeof names[0]];
    assert_int_equal(sizeof slots, sizeof rc_hb_lib);
    memcpy(slots, &rc_hb_lib, sizeof slots);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        Dl_info info;
        assert_non_null(slots[i]);
        assert_true(dladdr(slots[i], &info) != 0);
        assert_non_null(strstr(info.dli_fname, "libharfbuzz"));
        assert_non_null(info.dli_sname);
        assert_string_equal(info.dli_sname, names[i]);
    }
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
