/* libharu loaded with dlopen (src/pdf/hpdf_lib.h, hpdf_lib.c): a missing
 * library is an error naming the file, and writing a PDF fails with
 * RC_ERR_LIBRARY and a diagnostic instead of calling through an empty
 * table; the table is complete and each member is the function of its
 * name in libhpdf (dladdr). This program is not linked against libhpdf. */
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

#include "../../../src/pdf/hpdf_lib.h" /* internal to the PDF stage */
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"
#include "rc/layout.h"
#include "rc/pdf.h"

static bool table_empty(void)
{
    static const rc_hpdf_lib_table zero;
    return memcmp(&rc_hpdf_lib, &zero, sizeof zero) == 0;
}

/* In a child, before this process loads the library (once per process). */
static void test_missing_library(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("RC_HPDF_SO", "libreportc-missing.so.0", 1);
        const char *why = NULL, *why2 = NULL;
        bool ok = rc_hpdf_lib_load(&why), ok2 = rc_hpdf_lib_load(&why2);
        /* the writer stops before its first libharu call */
        rc_arena *a = rc_arena_new();
        rc_diag *d = rc_diag_new();
        rc_layout lay;
        memset(&lay, 0, sizeof lay);
        rc_config cfg;
        memset(&cfg, 0, sizeof cfg);
        rc_status st = rc_pdf_write(a, &lay, &cfg, NULL, "/tmp/rc-hpdf-missing.pdf", d);
        bool said = rc_diag_errors(d) == 1;
        rc_diag_free(d);
        rc_arena_free(a);
        _exit(!ok && !ok2 && why && why2 == why && strstr(why, "libreportc-missing.so.0") &&
                      table_empty() && st == RC_ERR_LIBRARY && said &&
                      access("/tmp/rc-hpdf-missing.pdf", F_OK) != 0
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
    assert_true(rc_hpdf_lib_load(&why));
    assert_string_equal(why, "unset"); /* not touched on success */
    static const char *const names[] = {
#define NAME(f) #f,
        RC_HPDF_LIB_FUNCTIONS(NAME)
#undef NAME
    };
    void *slots[sizeof names / sizeof names[0]];
    assert_int_equal(sizeof slots, sizeof rc_hpdf_lib);
    memcpy(slots, &rc_hpdf_lib, sizeof slots);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        Dl_info info;
        assert_non_null(slots[i]);
        assert_true(dladdr(slots[i], &info) != 0);
        assert_non_null(strstr(info.dli_fname, "libhpdf"));
        assert_non_null(info.dli_sname);
        assert_string_equal(info.dli_sname, names[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
