/* cache_check: a cache directory of a test's own, and damage to a file
 * in it, for the tests of what builds keep there (zmemo users).
 * Header-only; include after <cmocka.h>. */
#ifndef RC_TEST_CACHE_CHECK_H
#define RC_TEST_CACHE_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Removes dir and everything in it (a test's scratch directory); 0 when
 * that worked, as a cmocka teardown returns. */
static inline int rc_test_rm_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A cache directory of the test's own (mkdtemp from dir, "/tmp/...XXXXXX")
 * as REPORTC_CACHE_DIR until rc_test_cache_end, which puts the old value
 * back (*saved) and removes the directory. */
static inline void rc_test_cache_begin(char *dir, char **saved)
{
    assert_non_null(mkdtemp(dir));
    const char *old = getenv("REPORTC_CACHE_DIR");
    *saved = old ? strdup(old) : NULL;
    setenv("REPORTC_CACHE_DIR", dir, 1);
}

static inline void rc_test_cache_end(const char *dir, char *saved)
{
    if (saved) {
        setenv("REPORTC_CACHE_DIR", saved, 1);
        free(saved);
    } else {
        unsetenv("REPORTC_CACHE_DIR");
    }
    assert_int_equal(rc_test_rm_tree(dir), 0);
}

/* Changes the byte at fraction at of the file (xor mask), as damage would. */
static inline void rc_test_damage(const char *path, double at, int mask)
{
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long where = (long)((double)ftell(fp) * at);
    fseek(fp, where, SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, where, SEEK_SET);
    fputc(c ^ mask, fp);
    fclose(fp);
}

#endif
