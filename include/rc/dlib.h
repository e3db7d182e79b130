/* dlib: a library loaded with dlopen into a table of function pointers.
 *
 * Why: every library in the executable's NEEDED is mapped and relocated
 * by the dynamic loader before main, on every run, whether the run uses it
 * or not (issue 18). The libraries loaded with this (HarfBuzz by
 * src/draw/hb_lib.c, libharu by src/pdf/hpdf_lib.c, libxlsxwriter by
 * src/xlsx/xlsx_lib.c, which loads libcrypto first) are not linked: each
 * keeps a table with a member per function reportc calls, typed by the
 * library's own header (__typeof__), filled here once per process, and
 * #defines that turn the call sites' names into the table's members.
 * rc/libs.h loads HarfBuzz and libharu at the start of the commands that
 * need them. */
#ifndef RC_DLIB_H
#define RC_DLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* One function of a table: its name and the offset of its member. */
typedef struct rc_dlib_sym {
    const char *name;
    size_t off;
} rc_dlib_sym;

/* Loads file (dlopen, RTLD_LAZY | RTLD_LOCAL: the library's own calls are
 * bound when first made; nothing else needs its symbols) and stores the
 * address of each of the n functions named in syms into table at its
 * offset, as found in the library or the libraries it needs. Returns the
 * handle; NULL when the file cannot be loaded or lacks one of the
 * functions (an older library than reportc was built with), with why
 * (cap bytes) saying which and why, the library closed again and the
 * table's members unspecified. */
void *rc_dlib_open(const char *file, const rc_dlib_sym *syms, size_t n, void *table, char *why,
                   size_t cap);

/* The file a table is loaded from: the environment variable env when it is
 * set and not empty (tests point it at a missing library), else soname
 * (the library reportc was built against). */
const char *rc_dlib_file(const char *env, const char *soname);

/* One library's loading, once per process: its load function sets handle
 * (rc_dlib_open's) or leaves it NULL with why saying why. */
typedef struct rc_dlib_once {
    pthread_once_t once;
    void *handle;
    char why[512];
} rc_dlib_once;
#define RC_DLIB_ONCE_INIT                                                                          \
    {                                                                                              \
        PTHREAD_ONCE_INIT, NULL, ""                                                                \
    }

/* Runs load the first time for o (pthread_once: any thread, the others
 * wait), then says whether the library is loaded; when not, *why (unless
 * why is NULL) is o->why. */
bool rc_dlib_load(rc_dlib_once *o, void (*load)(void), const char **why);

#endif
