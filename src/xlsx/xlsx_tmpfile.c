/* xlsx_tmpfile: libxlsxwriter's temporary files in memory.
 *
 * Why: libxlsxwriter 1.1.4 writes every part of a workbook (each sheet,
 * chart, drawing, table, the styles, the relationships...: about 120 for
 * the sample's figures workbook) to its own temporary file, made by its
 * lxw_tmpfile(tmpdir): open(O_CREAT|O_EXCL) of a random name in tmpdir,
 * unlink, fdopen. On the shared ext4 disk, creating an inode after many
 * were deleted makes ext4 scan its bitmap past the recently deleted ones:
 * half the time of `reportc build --only xlsx` on the sample went to
 * __ext4_new_inode (perf), more than writing the workbooks. Its options
 * choose the directory (tmpdir), not the kind of file.
 *
 * How: reportc defines lxw_tmpfile. libxlsxwriter calls it through its
 * PLT (an exported function, 27 call sites in libxlsxwriter.so.4), so the
 * dynamic linker binds the executable's definition first, as for any
 * interposed symbol; it returns a stream on an anonymous memory file
 * (memfd_create: tmpfs, no directory entry, nothing to remove after a kill)
 * with the same "w+b" semantics, and falls back to libxlsxwriter's own
 * (dlsym RTLD_NEXT) if that fails, or when the calling thread asked for it
 * (rc_xlsx_memory_tmpfiles(false): the unit test compares the bytes both
 * ways). What is in these files is small: the rows of large sheets never go
 * through libxlsxwriter (xlsx_rows.c), and a workbook held in memory by
 * libxlsxwriter (under 1,000,000 cells) takes more for its cells than for
 * its XML. This needs libxlsxwriter as a shared library, as CMakeLists.txt
 * links it (RC_STATIC_DEPS leaves it out): linked statically, its own
 * lxw_tmpfile would clash with this one at link time, loudly. */
#define _GNU_SOURCE /* RTLD_NEXT, memfd_create */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "xlsx_int.h"

typedef FILE *(*tmpfile_fn)(char *);

static _Thread_local bool on_disk; /* this thread asked for libxlsxwriter's own */
static _Atomic size_t made;
static tmpfile_fn real_tmpfile;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real(void)
{
    /* POSIX's way to turn dlsym's object pointer into a function pointer
     * without a cast that ISO C forbids. */
    void *sym = dlsym(RTLD_NEXT, "lxw_tmpfile");
    memcpy(&real_tmpfile, &sym, sizeof real_tmpfile);
}

bool rc_xlsx_memory_tmpfiles(bool on)
{
    bool old = !on_disk;
    on_disk = !on;
    return old;
}

size_t rc_xlsx_memory_tmpfiles_made(void)
{
    return atomic_load(&made);
}

/* The prototype comes from xlsxwriter/utility.h; this definition
 * interposes libxlsxwriter's. */
FILE *lxw_tmpfile(char *tmpdir)
{
    if (!on_disk) {
        int fd = memfd_create("reportc-xlsx-part", MFD_CLOEXEC);
        if (fd >= 0) {
            FILE *f = fdopen(fd, "w+b");
            if (f) {
                atomic_fetch_add(&made, 1);
                return f;
            }
            close(fd);
        }
    }
    pthread_once(&real_once, find_real);
    return real_tmpfile ? real_tmpfile(tmpdir) : NULL;
}

/* gmtime for libxlsxwriter's threads. workbook_close formats the workbook's
 * creation time (docProps/core.xml) with gmtime, whose result is one static
 * buffer of the C library: two editions' workbooks closed at once by the
 * build's threads write it together (a data race ThreadSanitizer reports;
 * the same instant is written, so the bytes came out right, but only by
 * luck). This definition interposes libc's for the process, as lxw_tmpfile
 * above does libxlsxwriter's (reportc's own code uses rc_date_* and
 * localtime_r): each thread gets its own buffer, which POSIX allows ("may
 * be overwritten by a later call" in the same thread). */
struct tm *gmtime(const time_t *t)
{
    static _Thread_local struct tm tm;
    return gmtime_r(t, &tm);
}
