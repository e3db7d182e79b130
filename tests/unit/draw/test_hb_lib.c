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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/hb_lib.h"
#include "rc/util.h"
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

/* rc_hb_lib_need without the library: the temporaries the build made are
 * removed, one line says why, and the process exits with status 3. */
static void test_need_missing(void **state)
{
    (void)state;
    char dir[] = "/tmp/rc-test-hbneed-XXXXXX", target[64], err[96];
    assert_non_null(mkdtemp(dir));
    snprintf(target, sizeof target, "%s/out.pdf", dir);
    snprintf(err, sizeof err, "%s/err", dir);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("RC_HARFBUZZ_SO", "libreportc-missing.so.0", 1);
        if (!freopen(err, "w", stderr)) _exit(10);
        rc_arena *a = rc_arena_new();
        char *tmp = rc_out_tmpname(a, target);
        FILE *f = tmp ? fopen(tmp, "w") : NULL;
        if (!f || fputs("partial", f) < 0 || fclose(f) != 0) _exit(11);
        rc_hb_lib_need();
        _exit(12); /* (not reached) */
    }
    rc_test_wait_exit(pid, 3);
    FILE *f = fopen(err, "r");
    assert_non_null(f);
    char line[512] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_non_null(strstr(line, "reportc: error: libharfbuzz cannot be loaded: "));
    assert_non_null(strstr(line, "libreportc-missing.so.0"));
    char cmd[160];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = err", dir); /* the temporary is gone */
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
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
        cmocka_unit_test(test_need_missing),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
