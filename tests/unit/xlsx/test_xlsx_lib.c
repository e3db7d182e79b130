/* libxlsxwriter loaded with dlopen (src/xlsx/xlsx_lib.c): a missing library
 * is an error with the reason; the table is complete and holds the
 * library's functions; the functions reportc defines in the libraries'
 * place are exported by this program (interposed.dynlist, as by reportc)
 * while rc_xw_find_real finds the libraries' own, which the tests that
 * compare both ways (test_xlsx_tmpfile, _deflate, _xml) rely on. This
 * program is not linked against libxlsxwriter. */
#define _GNU_SOURCE /* dladdr, RTLD_DEFAULT */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../../src/xlsx/xlsx_int.h"
#include "../base/dlib_check.h"

/* The object (file name) that holds address p. */
static const char *object_of(const void *p)
{
    Dl_info info;
    assert_true(dladdr(p, &info) != 0);
    return info.dli_fname;
}

/* Runs first, before this process loads the library. */
static bool missing(void)
{
    setenv("RC_XLSXWRITER_SO", "libreportc-missing.so.0", 1);
    const char *why = NULL;
    bool ok = rc_xw_lib_load(&why);
    /* the reason names the file; the table stays empty; a second call
     * gives the same answer */
    const char *why2 = NULL;
    bool ok2 = rc_xw_lib_load(&why2);
    return !ok && why && strstr(why, "libreportc-missing.so.0") && !ok2 && why2 == why &&
           !rc_xw_lib_handle() && rc_test_table_empty(&rc_xw_lib, sizeof rc_xw_lib);
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
    assert_true(rc_xw_lib_load(&why));
    assert_string_equal(why, "unset"); /* not touched on success */
    void *h = rc_xw_lib_handle();
    assert_non_null(h);
    /* every member filled, each with the library's function of its name */
    static const char *const names[] = {
#define NAME(f) #f,
        RC_XW_LIB_FUNCTIONS(NAME)
#undef NAME
    };
    void *slots[sizeof names / sizeof names[0]];
    assert_int_equal(sizeof slots, sizeof rc_xw_lib);
    memcpy(slots, &rc_xw_lib, sizeof slots);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_non_null(slots[i]);
        assert_ptr_equal(slots[i], dlsym(h, names[i]));
        assert_non_null(strstr(object_of(slots[i]), "libxlsxwriter"));
    }
    /* and the calls go there: a name of the list is the table's member */
    void *close_fn;
    lxw_error (*f)(lxw_workbook *) = workbook_close;
    memcpy(&close_fn, &f, sizeof close_fn);
    assert_ptr_equal(close_fn, dlsym(h, "workbook_close"));
    /* the library's own strings, through the table */
    assert_string_equal(lxw_strerror(LXW_NO_ERROR), "No error.");
}

static void test_interposed(void **state)
{
    (void)state;
    assert_true(rc_xw_lib_load(NULL));
    /* naming the files' counters links the interposers in (from librc.a),
     * as rc_xw_open does */
    (void)rc_xlsx_memory_tmpfiles_made();
    (void)rc_xlsx_libdeflate_members_made();
    (void)rc_xlsx_own_xml_tags();
    const char *(*fn)(const void *) = object_of;
    void *here;
    memcpy(&here, &fn, sizeof here);
    const char *self = object_of(here);
    static const struct {
        const char *name, *lib;
    } fns[] = {
        {"lxw_tmpfile", "libxlsxwriter"},
        {"lxw_xml_start_tag", "libxlsxwriter"},
        {"lxw_new_attribute_str", "libxlsxwriter"},
        {"_write_number_cell", "libxlsxwriter"},
        {"zipOpen", "libminizip"},
        {"zipOpenNewFileInZip4_64", "libminizip"},
        {"zipWriteInFileInZip", "libminizip"},
        {"zipCloseFileInZip", "libminizip"},
        {"zipClose", "libminizip"},
        {"gmtime", "libc"},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        /* The global scope, which the library's own calls search first:
         * this program's definition, exported (libxlsxwriter, loaded
         * RTLD_LOCAL, is not in that scope). */
        void *ours = dlsym(RTLD_DEFAULT, fns[i].name);
        assert_non_null(ours);
        assert_string_equal(object_of(ours), self);
        /* rc_xw_find_real: the library's own */
        void *real = NULL;
        rc_xw_find_real(fns[i].name, &real, sizeof real);
        assert_non_null(real);
        assert_ptr_not_equal(real, ours);
        assert_non_null(strstr(object_of(real), fns[i].lib));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_interposed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
