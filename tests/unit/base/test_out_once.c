/* Each output written once (util.h, rc_out_tmpfor): a back end given a
 * temporary this process registered (the build's, rc_out_tmpname) writes
 * it directly; any other target, even one named like a temporary, is
 * written to a temporary of its own and renamed over it, so a reader of
 * the old file (here: a hard link to it) never sees it change. A failed
 * direct write removes its file and leaves the name to its owner. */
#include <dirent.h>
#include <errno.h>
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
#include "rc/util.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/rc-out-once.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static size_t entries(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void assert_holds(rc_arena *a, const char *path, const char *text)
{
    char *got;
    size_t n;
    assert_int_equal(rc_read_file(a, path, &got, &n), RC_OK);
    assert_int_equal(n, strlen(text));
    assert_memory_equal(got, text, n);
}

static void write_all(rc_outfile *o, const char *text)
{
    assert_int_equal(write(o->fd, text, strlen(text)), (ssize_t)strlen(text));
}

/* A real file, and a real file named like a temporary (not registered):
 * each written beside and renamed, the old inode untouched. */
static void test_real_targets_are_replaced_not_rewritten(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    const char *names[] = {"report.tex", ".report.tex.999999.1.tmp"};
    for (size_t i = 0; i < 2; i++) {
        const char *target = rc_arena_printf(a, "%s/%s", dir, names[i]);
        const char *old = rc_arena_printf(a, "%s/old-%zu", dir, i);
        put(target, "OLD BYTES");
        assert_int_equal(link(target, old), 0); /* a reader holding the old file */
        assert_false(rc_tmp_registered(target));
        rc_outfile o;
        assert_int_equal(rc_out_open(a, target, &o), RC_OK);
        assert_false(o.direct);
        assert_string_not_equal(o.tmp, target);
        write_all(&o, "new bytes");
        assert_int_equal(rc_out_commit(&o), RC_OK);
        assert_holds(a, target, "new bytes");
        assert_holds(a, old, "OLD BYTES"); /* written in place would change it */
        assert_false(rc_tmp_registered(o.tmp));
        unlink(old);
        unlink(target);
    }
    assert_int_equal(entries(), 0);
    rc_arena_free(a);
}

/* The build's temporary: written directly (no second name appears), kept
 * registered (the build renames it), then renamed by its owner. */
static void test_registered_temporary_written_directly(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    const char *target = rc_arena_printf(a, "%s/report.tex", dir);
    char *tmp = rc_out_tmpname(a, target);
    assert_true(rc_tmp_registered(tmp));
    rc_outfile o;
    assert_int_equal(rc_out_open(a, tmp, &o), RC_OK);
    assert_true(o.direct);
    assert_string_equal(o.tmp, tmp);
    assert_int_equal(entries(), 1); /* only tmp itself */
    write_all(&o, "direct");
    assert_int_equal(rc_out_commit(&o), RC_OK);
    assert_int_equal(entries(), 1);
    assert_holds(a, tmp, "direct");
    assert_true(rc_tmp_registered(tmp)); /* still the build's to rename */
    assert_int_equal(rc_out_rename(tmp, target), RC_OK);
    assert_false(rc_tmp_registered(tmp));
    assert_holds(a, target, "direct");
    /* renamed: the name is no longer registered, so a second write to it
     * is an ordinary, atomic one */
    bool direct = true;
    char *again = rc_out_tmpfor(a, tmp, &direct);
    assert_false(direct);
    assert_string_not_equal(again, tmp);
    rc_out_discard(again);
    unlink(target);
    assert_int_equal(entries(), 0);
    rc_arena_free(a);
}

/* A file already at the build's temporary (a killed build with this pid
 * left it) is replaced, not an error. */
static void test_direct_replaces_a_dead_builds_leftover(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    char *tmp = rc_out_tmpname(a, rc_arena_printf(a, "%s/report.tex", dir));
    put(tmp, "a dead build's bytes");
    rc_outfile o;
    assert_int_equal(rc_out_open(a, tmp, &o), RC_OK);
    assert_true(o.direct);
    write_all(&o, "ours");
    assert_int_equal(rc_out_commit(&o), RC_OK);
    assert_holds(a, tmp, "ours");
    rc_out_discard(tmp);
    assert_int_equal(entries(), 0);
    rc_arena_free(a);
}

/* A direct write that fails: its file goes, the name stays registered
 * (the build discards it); an own temporary's name is forgotten. */
static void test_failed_direct_write_leaves_nothing(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    const char *target = rc_arena_printf(a, "%s/data.xlsx", dir);
    char *tmp = rc_out_tmpname(a, target);
    rc_outfile o;
    assert_int_equal(rc_out_open(a, tmp, &o), RC_OK);
    assert_true(o.direct);
    write_all(&o, "half a file");
    errno = ENOSPC;
    rc_out_abort(&o);
    assert_int_equal(errno, ENOSPC); /* kept for the caller's message */
    assert_int_equal(entries(), 0);
    assert_true(rc_tmp_registered(tmp));
    rc_out_discard(tmp);
    assert_false(rc_tmp_registered(tmp));

    assert_int_equal(rc_out_open(a, target, &o), RC_OK);
    assert_false(o.direct);
    write_all(&o, "half a file");
    rc_out_abort(&o);
    assert_int_equal(entries(), 0);
    assert_false(rc_tmp_registered(o.tmp));
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_targets_are_replaced_not_rewritten),
        cmocka_unit_test(test_registered_temporary_written_directly),
        cmocka_unit_test(test_failed_direct_write_leaves_nothing),
        cmocka_unit_test(test_direct_replaces_a_dead_builds_leftover),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
