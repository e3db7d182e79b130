/* xlsx_lib: loading libxlsxwriter when the first workbook is written
 * (xlsx_lib.h says why and how). */
#define _GNU_SOURCE         /* RTLD_DEEPBIND */
#define RC_XW_LIB_NO_MACROS /* the names below are the table's members */
#include "xlsx_lib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/dlib.h"
#include "xlsx_int.h"

/* RC_XW_LIB_SONAME and RC_XW_LIB_DEB come from CMakeLists.txt (the soname
 * of the library found at configure time and its Debian package). */
#ifndef RC_XW_LIB_SONAME
#error "RC_XW_LIB_SONAME is defined by CMakeLists.txt"
#endif
#ifndef RC_XW_LIB_DEB
#define RC_XW_LIB_DEB ""
#endif
#ifndef RC_XW_CRYPTO_SONAME
#define RC_XW_CRYPTO_SONAME ""
#endif

rc_xw_lib_table rc_xw_lib;
_Thread_local const rc_xw_lib_table *rc_xw_calls = &rc_xw_lib;

static const rc_dlib_sym symbols[] = {
#define RC_XW_LIB_SYMBOL(f) {#f, offsetof(rc_xw_lib_table, f)},
    RC_XW_LIB_FUNCTIONS(RC_XW_LIB_SYMBOL)
#undef RC_XW_LIB_SYMBOL
};

static rc_dlib_once lib = RC_DLIB_ONCE_INIT;

/* rc_dlib_open's RTLD_LAZY: the library's calls (to itself, minizip, libc)
 * are bound when first made. RTLD_NOW measured the same within noise (one-edition build,
 * callgrind: the dynamic loader 6.94 M instructions lazy, 6.98 M now): the
 * cost is libcrypto's data relocations, which neither defers. RTLD_LOCAL:
 * nothing else needs its symbols, and reportc's interposers come first
 * either way (a loaded library's lookups search the global scope, the
 * executable first, before its own). */
/* libcrypto (libxlsxwriter needs it, for MD5) first, with RTLD_DEEPBIND.
 *
 * Why: libcrypto is linked with BIND_NOW, so loading it binds its ~4,200
 * symbol references at once, and each lookup walked the global scope
 * first: reportc and its 15 libraries before libcrypto's own definitions,
 * which most of them are. That was 5.1 M of the 6.5 M instructions of
 * loading libxlsxwriter (callgrind, once per process). Loaded first with
 * RTLD_DEEPBIND, its lookups search its own scope (libcrypto, libc) first:
 * the loading took 3.0 M fewer. libxlsxwriter, loaded next, finds it loaded
 * and still looks the global scope up first (reportc's interposed
 * functions, xlsx_lib.h); reportc interposes nothing of libcrypto's, and
 * libcrypto allocates and frees with the same (libc's) malloc either way.
 * Not under a sanitizer: ASan refuses RTLD_DEEPBIND (libcrypto would miss
 * its malloc). Failing, it is skipped: libxlsxwriter loads it as before. */
static void preload_crypto(void)
{
#if defined(RTLD_DEEPBIND) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    /* kept loaded for the process, as libxlsxwriter is (never closed) */
    static void *crypto;
    if (*RC_XW_CRYPTO_SONAME && !crypto)
        crypto = dlopen(RC_XW_CRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
}

static void load(void)
{
    const char *env = getenv("RC_XLSXWRITER_SO");
    if (!(env && *env)) preload_crypto(); /* the library reportc was built against */
    const char *file = rc_xw_lib_file();
    rc_xw_lib_table t;
    void *h = rc_dlib_open(file, symbols, sizeof symbols / sizeof symbols[0], &t, lib.why,
                           sizeof lib.why);
    if (!h) return;
    rc_xw_lib = t;
    lib.handle = h;
}

bool rc_xw_lib_load(const char **why)
{
    return rc_dlib_load(&lib, load, why);
}

const char *rc_xw_lib_file(void)
{
    return rc_dlib_file("RC_XLSXWRITER_SO", RC_XW_LIB_SONAME);
}

const char *rc_xw_lib_package(void)
{
    return RC_XW_LIB_DEB;
}

void *rc_xw_lib_handle(void)
{
    return rc_xw_lib_load(NULL) ? lib.handle : NULL;
}

/* The library's own NAME: dlsym on its handle searches the library and its
 * dependencies (minizip's zip functions are there), never the executable,
 * whose definitions of the same names the library's calls are bound to. */
void rc_xw_find_real(const char *name, void *fn, size_t size)
{
    void *h = rc_xw_lib_handle();
    void *sym = h ? dlsym(h, name) : NULL;
    memcpy(fn, &sym, size);
}
