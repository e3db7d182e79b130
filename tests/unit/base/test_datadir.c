/* Tests for datadir.c: the search order of include/rc/datadir.h on real
 * directories, and that this test's own build tree is found without the
 * environment variable (CMake links BUILD/share/reportc to the sources). */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/arena.h"
#include "rc/datadir.h"

typedef struct fixture {
    rc_arena *a;
    char root[64]; /* a temporary directory, canonical */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    strcpy(f->root, "/tmp/rc-datadir.XXXXXX");
    if (!mkdtemp(f->root)) return -1;
    char *canon = realpath(f->root, NULL);
    snprintf(f->root, sizeof f->root, "%s", canon);
    free(canon);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
    int rc = system(cmd);
    rc_arena_free(f->a);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void mkdirs(fixture *f, const char *rel)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/%s'", f->root, rel);
    assert_int_equal(system(cmd), 0);
}

static const char *at(fixture *f, const char *rel)
{
    return rc_arena_printf(f->a, "%s/%s", f->root, rel);
}

static void env_wins_as_given(void **state)
{
    fixture *f = *state;
    mkdirs(f, "p/bin");
    mkdirs(f, "p/share/reportc");
    /* Even a directory that does not exist: the user asked for it, and the
     * font errors then name the path they gave. */
    assert_string_equal(rc_datadir_find(f->a, "/no/such/dir", at(f, "p/bin/reportc")),
                        "/no/such/dir");
    assert_string_equal(rc_datadir_find(f->a, "rel/data", NULL), "rel/data");
}

static void installed_prefix(void **state)
{
    fixture *f = *state;
    mkdirs(f, "p/bin");
    mkdirs(f, "p/share/reportc/fonts");
    assert_string_equal(rc_datadir_find(f->a, NULL, at(f, "p/bin/reportc")),
                        at(f, "p/share/reportc"));
    /* An empty override is no override. */
    assert_string_equal(rc_datadir_find(f->a, "", at(f, "p/bin/reportc")),
                        at(f, "p/share/reportc"));
    /* The prefix moved: found in its new place. */
    char from[128], to[128];
    snprintf(from, sizeof from, "%s/p", f->root);
    snprintf(to, sizeof to, "%s/moved", f->root);
    assert_int_equal(rename(from, to), 0);
    assert_string_equal(rc_datadir_find(f->a, NULL, at(f, "moved/bin/reportc")),
                        at(f, "moved/share/reportc"));
}

static void build_tree_link_resolved(void **state)
{
    fixture *f = *state;
    mkdirs(f, "src/fonts");
    mkdirs(f, "src/build/share");
    assert_int_equal(symlink("../..", at(f, "src/build/share/reportc")), 0);
    assert_string_equal(rc_datadir_find(f->a, NULL, at(f, "src/build/reportc")), at(f, "src"));
}

static void prefix_before_build_tree(void **state)
{
    fixture *f = *state;
    mkdirs(f, "x/share/reportc");
    mkdirs(f, "x/bin/share/reportc");
    assert_string_equal(rc_datadir_find(f->a, NULL, at(f, "x/bin/reportc")),
                        at(f, "x/share/reportc"));
}

static void fallback_system(void **state)
{
    fixture *f = *state;
    mkdirs(f, "bare/bin");
    assert_string_equal(rc_datadir_find(f->a, NULL, at(f, "bare/bin/reportc")),
                        "/usr/share/reportc");
    /* A file where the directory should be is not a data directory. */
    mkdirs(f, "file/bin");
    mkdirs(f, "file/share");
    FILE *fp = fopen(at(f, "file/share/reportc"), "w");
    assert_non_null(fp);
    fclose(fp);
    assert_string_equal(rc_datadir_find(f->a, NULL, at(f, "file/bin/reportc")),
                        "/usr/share/reportc");
    assert_string_equal(rc_datadir_find(f->a, NULL, NULL), "/usr/share/reportc");
    assert_string_equal(rc_datadir_find(f->a, NULL, "relative/reportc"), "/usr/share/reportc");
}

/* This executable lives in the build tree: without the override it must find
 * the repository (fonts/ included), with it the override. */
static void this_process(void **state)
{
    fixture *f = *state;
    const char *saved = getenv(RC_DATADIR_ENV);
    char *keep = saved ? strdup(saved) : NULL;
    unsetenv(RC_DATADIR_ENV);
    char *src = realpath(RC_SOURCE_DIR, NULL);
    assert_non_null(src);
    assert_string_equal(rc_datadir(f->a), src);
    struct stat st;
    assert_int_equal(
        stat(rc_arena_printf(f->a, "%s/fonts/Lato-Regular.ttf", rc_datadir(f->a)), &st), 0);
    setenv(RC_DATADIR_ENV, f->root, 1);
    assert_string_equal(rc_datadir(f->a), f->root);
    if (keep)
        setenv(RC_DATADIR_ENV, keep, 1);
    else
        unsetenv(RC_DATADIR_ENV);
    free(keep);
    free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(env_wins_as_given, setup, teardown),
        cmocka_unit_test_setup_teardown(installed_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(build_tree_link_resolved, setup, teardown),
        cmocka_unit_test_setup_teardown(prefix_before_build_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(fallback_system, setup, teardown),
        cmocka_unit_test_setup_teardown(this_process, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
