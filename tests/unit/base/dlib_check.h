/* dlib_check: what the tests of the libraries loaded with dlopen
 * (include/rc/dlib.h: HarfBuzz, libharu, libxlsxwriter) check alike.
 * Header-only; include after <cmocka.h>, in a file that defines
 * _GNU_SOURCE (dladdr). */
#ifndef RC_TEST_DLIB_CHECK_H
#define RC_TEST_DLIB_CHECK_H

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs child() in a child process and asserts that it returned true: a
 * library is loaded once per process, so a test of its absence runs
 * where nothing has loaded it yet. */
/* Waits for child process pid, which must exit with status code. */
static inline void rc_test_wait_exit(pid_t pid, int code)
{
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), code);
}

static inline void rc_test_in_child(bool (*child)(void))
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(child() ? 0 : 1);
    rc_test_wait_exit(pid, 0);
}

/* Whether the table's size bytes are all zero (no function loaded). */
static inline bool rc_test_table_empty(const void *table, size_t size)
{
    const unsigned char *b = table;
    for (size_t i = 0; i < size; i++)
        if (b[i]) return false;
    return true;
}

/* The table's size bytes are n function pointers, each set to the
 * function named names[i] of a file whose name holds lib (dladdr). */
static inline void rc_test_table_is(const void *table, size_t size, const char *const *names,
                                    size_t n, const char *lib)
{
    assert_int_equal(size, n * sizeof(void *));
    for (size_t i = 0; i < n; i++) {
        void *slot;
        memcpy(&slot, (const char *)table + i * sizeof slot, sizeof slot);
        Dl_info info;
        assert_non_null(slot);
        assert_true(dladdr(slot, &info) != 0);
        assert_non_null(strstr(info.dli_fname, lib));
        assert_non_null(info.dli_sname);
        assert_string_equal(info.dli_sname, names[i]);
    }
}

#endif
