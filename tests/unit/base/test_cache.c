/* Tests for the memo of checked files (rc/cache.h): a remembered signature
 * is found again; any change of device, inode, size, modification or change
 * time, or of the check's name, is not; a file changed within the last two
 * seconds is not remembered; an empty REPORTC_CACHE_DIR turns it off. The
 * signatures are made up (old times), so no test waits for the clock. */
#define _XOPEN_SOURCE 700 /* S_IFREG, S_IFIFO */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/cache.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rc-test-cache-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    setenv("REPORTC_CACHE_DIR", dir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A regular file's signature, last changed an hour ago. */
static struct stat old_file(void)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_mode = S_IFREG | 0644;
    st.st_dev = 2049;
    st.st_ino = 123456;
    st.st_size = 607720;
    st.st_mtim.tv_sec = time(NULL) - 3600;
    st.st_mtim.tv_nsec = 250000000;
    st.st_ctim = st.st_mtim;
    return st;
}

static void test_remembered(void **state)
{
    (void)state;
    struct stat st = old_file();
    assert_false(rc_checked_before("font_check 1", &st));
    rc_checked_remember("font_check 1", &st);
    assert_true(rc_checked_before("font_check 1", &st));
    /* another check, or another version of it, has not seen the file */
    assert_false(rc_checked_before("font_check 2", &st));
    assert_false(rc_checked_before("hyph_check 1", &st));
}

static void test_any_change_forgets(void **state)
{
    (void)state;
    struct stat st = old_file();
    rc_checked_remember("font_check 1", &st);
    assert_true(rc_checked_before("font_check 1", &st));
    struct stat c = st;
    c.st_size++;
    assert_false(rc_checked_before("font_check 1", &c));
    c = st;
    c.st_ino++;
    assert_false(rc_checked_before("font_check 1", &c));
    c = st;
    c.st_dev++;
    assert_false(rc_checked_before("font_check 1", &c));
    c = st;
    c.st_mtim.tv_nsec++;
    assert_false(rc_checked_before("font_check 1", &c));
    c = st; /* a write puts the modification time back but not the change time */
    c.st_ctim.tv_nsec++;
    assert_false(rc_checked_before("font_check 1", &c));
    c = st;
    c.st_mode = S_IFIFO | 0644;
    assert_false(rc_checked_before("font_check 1", &c));
}

static void test_recent_not_remembered(void **state)
{
    (void)state;
    struct stat st = old_file();
    st.st_ino = 777;
    st.st_ctim.tv_sec = time(NULL); /* written just now: racy */
    rc_checked_remember("font_check 1", &st);
    assert_false(rc_checked_before("font_check 1", &st));
    st = old_file();
    st.st_ino = 778;
    st.st_mtim.tv_sec = time(NULL) + 60; /* a modification time in the future */
    rc_checked_remember("font_check 1", &st);
    assert_false(rc_checked_before("font_check 1", &st));
}

static void test_off(void **state)
{
    (void)state;
    struct stat st = old_file();
    st.st_ino = 999;
    setenv("REPORTC_CACHE_DIR", "", 1);
    rc_checked_remember("font_check 1", &st);
    assert_false(rc_checked_before("font_check 1", &st));
    setenv("REPORTC_CACHE_DIR", dir, 1);
    assert_false(rc_checked_before("font_check 1", &st)); /* nothing was written */
    char out[256];
    assert_true(rc_cache_dir(out, sizeof out));
    assert_string_equal(out, dir);
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_false(rc_cache_dir(out, sizeof out));
    setenv("REPORTC_CACHE_DIR", dir, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remembered),
        cmocka_unit_test(test_any_change_forgets),
        cmocka_unit_test(test_recent_not_remembered),
        cmocka_unit_test(test_off),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
