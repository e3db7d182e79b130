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
 * interposed symbol; it returns a stream on a buffer of the heap
 * (fopencookie: no file, no system call, nothing to remove after a kill)
 * with the same "w+b" semantics, and falls back to libxlsxwriter's own
 * (rc_xw_find_real) if that fails, or when the calling thread asked for it
 * (rc_xlsx_memory_tmpfiles(false): the unit test compares the bytes both
 * ways). What is in these files is small: the rows of large sheets never go
 * through libxlsxwriter (xlsx_rows.c), and a workbook held in memory by
 * libxlsxwriter (under 1,000,000 cells) takes more for its cells than for
 * its XML. This needs libxlsxwriter as a shared library, loaded with
 * dlopen (xlsx_lib.h) and this definition exported by the executable
 * (interposed.dynlist): linked statically, its own lxw_tmpfile would clash
 * with this one at link time, loudly. */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xlsx_int.h"

typedef FILE *(*tmpfile_fn)(char *);

RC_XW_INTERPOSER(on_disk, made, rc_xlsx_memory_tmpfiles, rc_xlsx_memory_tmpfiles_made)
static tmpfile_fn real_tmpfile;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;

static void find_real(void)
{
    RC_XW_FIND_REAL("lxw_tmpfile", real_tmpfile);
}

bool rc_xw_mem_write(rc_xw_mem *m, const void *in, size_t n, size_t first_cap)
{
    if (!n) return true; /* and no memcpy to a buffer not made yet */
    if (n > SIZE_MAX / 2 - m->pos) {
        errno = EFBIG;
        return false;
    }
    size_t end = m->pos + n;
    if (end > m->cap) {
        size_t cap = m->cap ? m->cap : first_cap;
        while (cap < end)
            cap *= 2;
        unsigned char *b = realloc(m->buf, cap);
        if (!b) {
            errno = ENOMEM;
            return false;
        }
        m->buf = b;
        m->cap = cap;
    }
    if (m->pos > m->len) memset(m->buf + m->len, 0, m->pos - m->len); /* a hole reads as zeros */
    memcpy(m->buf + m->pos, in, n);
    m->pos = end;
    if (end > m->len) m->len = end;
    return true;
}

size_t rc_xw_mem_read(rc_xw_mem *m, void *out, size_t n)
{
    size_t k = m->pos < m->len ? m->len - m->pos : 0;
    if (k > n) k = n;
    if (!k) return 0; /* the buffer may not be made yet */
    memcpy(out, m->buf + m->pos, k);
    m->pos += k;
    return k;
}

/* A stream on a growing buffer of the heap (fopencookie): what the memory
 * file costs without a system call per 4 KiB written, read or sought (an
 * anonymous memory file took some 1,500 system calls per edition's two
 * workbooks: memfd_create, fcntl, fstat, write, lseek, read, close). */
static ssize_t mf_read(void *c, char *out, size_t n)
{
    return (ssize_t)rc_xw_mem_read(c, out, n);
}

static ssize_t mf_write(void *c, const char *in, size_t n)
{
    return rc_xw_mem_write(c, in, n, (size_t)1 << 14) ? (ssize_t)n : -1;
}

static int mf_seek(void *c, off64_t *off, int whence)
{
    rc_xw_mem *m = c;
    off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off64_t)m->pos : (off64_t)m->len;
    if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) ||
        (*off < 0 && base + *off < 0)) {
        errno = EINVAL;
        return -1;
    }
    m->pos = (size_t)(base + *off);
    *off = (off64_t)m->pos;
    return 0;
}

static int mf_close(void *c)
{
    rc_xw_mem *m = c;
    free(m->buf);
    free(m);
    return 0;
}

static FILE *memory_file(void)
{
    rc_xw_mem *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    cookie_io_functions_t io = {mf_read, mf_write, mf_seek, mf_close};
    FILE *f = fopencookie(m, "w+", io);
    if (!f) free(m);
    return f;
}

/* The prototype comes from xlsxwriter/utility.h; this definition
 * interposes libxlsxwriter's. */
FILE *lxw_tmpfile(char *tmpdir)
{
    if (!on_disk) {
        FILE *f = memory_file();
        if (f) {
            atomic_fetch_add(&made, 1);
            return f;
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
