/* xlsx_deflate: a faster zlib level for streamed (very large) workbooks.
 *
 * Why this exists: libxlsxwriter 1.1.4 zips every part of a workbook through
 * minizip at zlib's default level (6), and its options (constant_memory,
 * tmpdir, use_zip64, output_buffer) have no compression level. For the data
 * workbook of a 1,000,000-row survey half of the CPU time is zlib at that
 * level. Level 1 deflates the same XML in about a third of the time, for a
 * file some 25 % larger: the right trade for a workbook of a hundred
 * megabytes, the wrong one for the sample's small files, which keep level 6
 * (and their bytes).
 *
 * How: reportc defines zlib's deflateInit2_ (the function behind the
 * deflateInit2 macro that minizip calls). The dynamic linker binds the
 * executable's definition first, so minizip's call comes here; it forwards
 * to zlib's own function (dlsym RTLD_NEXT) with the level replaced while the
 * calling thread has asked for it (rc_xlsx_deflate_level, thread-local: the
 * typesetting threads of other editions are never affected). With no level
 * asked, the call passes through unchanged. The output is still ordinary
 * deflate, readable by any zip reader; test_xlsx_deflate checks both paths
 * against Python-free recompression with zlib itself. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>
#include <zlib.h>

#include "xlsx_int.h"

typedef int (*deflate_init2_fn)(z_streamp, int, int, int, int, int, const char *, int);

static _Thread_local int forced_level; /* 0: pass through */
static deflate_init2_fn real_init;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real(void)
{
    /* POSIX's way to turn dlsym's object pointer into a function pointer
     * without a cast that ISO C forbids. */
    void *sym = dlsym(RTLD_NEXT, "deflateInit2_");
    memcpy(&real_init, &sym, sizeof real_init);
}

int rc_xlsx_deflate_level(int level)
{
    int old = forced_level;
    forced_level = level >= 1 && level <= 9 ? level : 0;
    return old;
}

/* The prototype comes from zlib.h; this definition interposes zlib's. */
int deflateInit2_(z_streamp strm, int level, int method, int window_bits, int mem_level,
                  int strategy, const char *version, int stream_size)
{
    pthread_once(&real_once, find_real);
    if (!real_init) return Z_VERSION_ERROR; /* zlib not loaded: cannot happen when linked */
    if (forced_level) level = forced_level;
    return real_init(strm, level, method, window_bits, mem_level, strategy, version, stream_size);
}
