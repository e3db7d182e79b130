/* hpdf_lib: loading libharu when the first PDF is written (hpdf_lib.h
 * says why and how). */
#define RC_HPDF_LIB_NO_MACROS /* the names below are the table's members */
#include "hpdf_lib.h"

#include <stddef.h>

#include "rc/dlib.h"

/* RC_HPDF_LIB_SONAME and RC_HPDF_LIB_DEB come from CMakeLists.txt (the
 * soname of the library found at configure time and its Debian package). */
#ifndef RC_HPDF_LIB_SONAME
#error "RC_HPDF_LIB_SONAME is defined by CMakeLists.txt"
#endif
#ifndef RC_HPDF_LIB_DEB
#define RC_HPDF_LIB_DEB ""
#endif

/* the file loaded instead of the soname (docs/reportc.1) */
#define RC_HPDF_LIB_ENV "RC_HPDF_SO"

rc_hpdf_lib_table rc_hpdf_lib;

static const rc_dlib_sym symbols[] = {
#define RC_HPDF_LIB_SYMBOL(f) {#f, offsetof(rc_hpdf_lib_table, f)},
    RC_HPDF_LIB_FUNCTIONS(RC_HPDF_LIB_SYMBOL)
#undef RC_HPDF_LIB_SYMBOL
};

static rc_dlib_once lib = RC_DLIB_ONCE_INIT;

static void load(void)
{
    rc_hpdf_lib_table t = {0};
    const char *file = rc_dlib_file(RC_HPDF_LIB_ENV, RC_HPDF_LIB_SONAME);
    void *h = rc_dlib_open(file, symbols, sizeof symbols / sizeof symbols[0], &t, lib.why,
                           sizeof lib.why);
    if (!h) return;
    rc_hpdf_lib = t;
    lib.handle = h;
}

bool rc_hpdf_lib_load(const char **why)
{
    return rc_dlib_load(&lib, load, why);
}

const char *rc_hpdf_lib_package(void)
{
    return RC_HPDF_LIB_DEB;
}
