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
#include <unistd.h>

#include <cmocka.h>

#include "../../../src/pdf/hpdf_lib.h" /* internal to the PDF stage */
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "../base/dlib_check.h"

/* Before this process loads the library. */
static bool missing(void)
{
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
    return !ok && !ok2 && why && why2 == why && strstr(why, "libreportc-missing.so.0") &&
           rc_test_table_empty(&rc_hpdf_lib, sizeof rc_hpdf_lib) && st == RC_ERR_LIBRARY && said &&
           access("/tmp/rc-hpdf-missing.pdf", F_OK) != 0;
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
    assert_true(rc_hpdf_lib_load(&why));
    assert_string_equal(why, "unset"); /* not touched on success */
    static const char *const names[] = {
#define NAME(f) #f,
        RC_HPDF_LIB_FUNCTIONS(NAME)
#undef NAME
    };
    rc_test_table_is(&rc_hpdf_lib, sizeof rc_hpdf_lib, names, sizeof names / sizeof names[0],
                     "libhpdf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
