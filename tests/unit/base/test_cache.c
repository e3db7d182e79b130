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

/* rc_cache_entry_get / _put: the value of the same key back, byte for
 * byte; nothing for another key (even one of the same file name: the
 * key's bytes are compared), a damaged or cut file, or no cache. */
static void test_entries(void **state)
{
    (void)state;
    const char key[] = "font-facts test|/a/b.ttf", other[] = "font-facts test|/a/c.ttf";
    unsigned char val[300];
    for (size_t i = 0; i < sizeof val; i++)
        val[i] = (unsigned char)(i * 7);
    size_t n = 0;
    assert_null(rc_cache_entry_get("facts", NULL, key, sizeof key, &n));
    assert_true(rc_cache_entry_put("facts", NULL, key, sizeof key, val, sizeof val));
    unsigned char *got = rc_cache_entry_get("facts", NULL, key, sizeof key, &n);
    assert_non_null(got);
    assert_int_equal(n, sizeof val);
    assert_memory_equal(got, val, sizeof val);
    free(got);
    assert_null(rc_cache_entry_get("facts", NULL, other, sizeof other, &n));
    assert_null(rc_cache_entry_get("other", NULL, key, sizeof key, &n)); /* another kind */
    /* an empty value */
    assert_true(rc_cache_entry_put("facts", NULL, other, sizeof other, val, 0));
    got = rc_cache_entry_get("facts", NULL, other, sizeof other, &n);
    assert_non_null(got);
    assert_int_equal(n, 0);
    free(got);
    /* the file of key: one byte changed anywhere, or cut, gives nothing */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls -S %s/facts | head -1", dir);
    FILE *ls = popen(cmd, "r");
    char name[128] = "", path[256];
    assert_non_null(fgets(name, sizeof name, ls));
    pclose(ls);
    name[strcspn(name, "\n")] = 0;
    snprintf(path, sizeof path, "%s/facts/%s", dir, name);
    FILE *f = fopen(path, "rb");
    unsigned char file[1024];
    size_t len = fread(file, 1, sizeof file, f);
    fclose(f);
    assert_int_equal(len, 32 + sizeof key + sizeof val);
    for (size_t at = 0; at < len; at += 37) {
        file[at] ^= 0x10;
        f = fopen(path, "wb");
        fwrite(file, 1, len, f);
        fclose(f);
        assert_null(rc_cache_entry_get("facts", NULL, key, sizeof key, &n));
        file[at] ^= 0x10;
    }
    f = fopen(path, "wb");
    fwrite(file, 1, len - 1, f);
    fclose(f);
    assert_null(rc_cache_entry_get("facts", NULL, key, sizeof key, &n));
    /* put again: found again */
    assert_true(rc_cache_entry_put("facts", NULL, key, sizeof key, val, sizeof val));
    got = rc_cache_entry_get("facts", NULL, key, sizeof key, &n);
    assert_non_null(got);
    free(got);
    /* by name: another key under the same name replaces the entry */
    assert_true(rc_cache_entry_put("named", "/a/b.ttf", key, sizeof key, val, 10));
    assert_true(rc_cache_entry_put("named", "/a/b.ttf", other, sizeof other, val, 20));
    assert_null(rc_cache_entry_get("named", "/a/b.ttf", key, sizeof key, &n));
    got = rc_cache_entry_get("named", "/a/b.ttf", other, sizeof other, &n);
    assert_non_null(got);
    assert_int_equal(n, 20);
    free(got);
    snprintf(cmd, sizeof cmd, "test $(ls %s/named | wc -l) = 1", dir);
    assert_int_equal(system(cmd), 0);
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_null(rc_cache_entry_get("facts", NULL, key, sizeof key, &n));
    assert_false(rc_cache_entry_put("facts", NULL, key, sizeof key, val, sizeof val));
    setenv("REPORTC_CACHE_DIR", dir, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remembered),
        cmocka_unit_test(test_any_change_forgets),
        cmocka_unit_test(test_recent_not_remembered),
        cmocka_unit_test(test_off),
        cmocka_unit_test(test_entries),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
