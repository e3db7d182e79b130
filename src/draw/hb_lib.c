/* hb_lib: loading HarfBuzz when the first font is made (rc/hb_lib.h says
 * why and how). */
#define RC_HB_LIB_NO_MACROS /* the names below are the table's members */
#include "rc/hb_lib.h"

#include <stddef.h>

#include "rc/dlib.h"

/* RC_HB_LIB_SONAME, RC_HB_SUBSET_SONAME and RC_HB_LIB_DEB come from
 * CMakeLists.txt (the sonames of the libraries found at configure time and
 * libharfbuzz's Debian package). */
#if !defined(RC_HB_LIB_SONAME) || !defined(RC_HB_SUBSET_SONAME)
#error "RC_HB_LIB_SONAME and RC_HB_SUBSET_SONAME are defined by CMakeLists.txt"
#endif
#ifndef RC_HB_LIB_DEB
#define RC_HB_LIB_DEB ""
#endif

/* the file loaded instead of libharfbuzz's soname (docs/reportc.1) */
#define RC_HB_LIB_ENV "RC_HARFBUZZ_SO"

rc_hb_lib_table rc_hb_lib;

static const rc_dlib_sym core[] = {
#define RC_HB_LIB_SYMBOL(f) {#f, offsetof(rc_hb_lib_table, f)},
    RC_HB_LIB_FUNCTIONS(RC_HB_LIB_SYMBOL)
#undef RC_HB_LIB_SYMBOL
};
static const rc_dlib_sym subset[] = {
#define RC_HB_LIB_SYMBOL(f) {#f, offsetof(rc_hb_lib_table, f)},
    RC_HB_SUBSET_FUNCTIONS(RC_HB_LIB_SYMBOL)
#undef RC_HB_LIB_SYMBOL
};

static rc_dlib_once lib = RC_DLIB_ONCE_INIT;

/* libharfbuzz first (libharfbuzz-subset needs it, and an error then names
 * the one the user knows), each function looked up in its own library. */
static void load(void)
{
    rc_hb_lib_table t = {0};
    const char *file = rc_dlib_file(RC_HB_LIB_ENV, RC_HB_LIB_SONAME);
    void *h = rc_dlib_open(file, core, sizeof core / sizeof core[0], &t, lib.why, sizeof lib.why);
    if (!h || !rc_dlib_open(RC_HB_SUBSET_SONAME, subset, sizeof subset / sizeof subset[0], &t,
                            lib.why, sizeof lib.why))
        return; /* (libharfbuzz stays loaded, unused) */
    rc_hb_lib = t;
    lib.handle = h;
}

bool rc_hb_lib_load(const char **why)
{
    return rc_dlib_load(&lib, load, why);
}

const char *rc_hb_lib_package(void)
{
    return RC_HB_LIB_DEB;
}
