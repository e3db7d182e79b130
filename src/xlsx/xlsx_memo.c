/* xlsx_memo: a workbook whose calls to libxlsxwriter are those of the
 * last build's is written from the bytes that build made (issue 18).
 *
 * Why: the workbooks are most of what a full build does beyond the PDF.
 * In the sample's one-edition build libxlsxwriter's workbook_close was
 * 11.9 M instructions (the XML of every part, the zip) and loading the
 * library with libcrypto 3.1 M, on the worker the PDF's drawing thread
 * shares the two cores with: a full build took about 8 ms longer than
 * `--only pdf`. A rebuild of an unchanged report made the same workbooks
 * again (an edit of any input changes them: their covers list every
 * input's SHA-256).
 *
 * How: rc_xw_write runs the workbook's writer once, with the calling
 * thread's calls going to the recorder (xlsx_record.c; rc_xw_calls in
 * xlsx_lib.h): each call is written down, its function and every argument by value
 * (texts as bytes, numbers as bits, the options' structures field by
 * field, libxlsxwriter's objects by the order the recorder made them in),
 * and nothing is made: no library, no file. The recording is the key of the
 * workbook's memo, CACHEDIR/workbooks/<output> (rc/zmemo.h: one file per
 * output, compared in full, its kept bytes checked). When the memo holds
 * the workbook made from the same recording, that file is written and the
 * library is not even loaded. Otherwise the recording is replayed: the
 * same calls, read back in order, are made to the library (the writer does
 * not run again), and the workbook they make is kept for the next build.
 *
 * Why that is the same workbook: libxlsxwriter's output is a function of
 * the calls it is given (and of its own code, reportc's interposed parts
 * and the creation time, which is a call's argument), and the kept workbook
 * is what the library made from exactly the recorded calls. The writer's
 * calls depend on the library's answers only when one is an error: the
 * recorder answers every call with success, so a call the library refuses
 * fails the replay, which is abandoned; the writer then runs again for
 * real and reports it as without the memo (test_xlsx_memo). A recording
 * with any error, warning or other report, with an object the recorder did
 * not make, or longer than RC_XW_REC_MAX, is not used: the writer runs for real.
 * The key also holds reportc's executable and version (rc_zmemo_open_in),
 * the library's version and the file the environment would load it from
 * (RC_XLSXWRITER_SO, LD_LIBRARY_PATH); the kept workbook carries the path
 * and signature (rc_zmemo_file_sig) of the library file that made it,
 * checked before it is used: an upgraded library makes the workbook again.
 * Tests that switch reportc's interposed parts off (other bytes) get no
 * memo.
 *
 * Not used for a workbook whose rows are streamed (constant-memory mode)
 * or too large to record: the caller says so (job->memo). */
#define _GNU_SOURCE         /* dladdr */
#define RC_XW_LIB_NO_MACROS /* (calls none by name) */
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/util.h"
#include "rc/zmemo.h"
#include "xlsx_rec.h"

static _Thread_local int last = -1;

int rc_xw_memo_last(void)
{
    return last;
}

/* What the key says besides the recording: the library's version and the
 * file the environment would load. NULL: no memo (a test switched
 * reportc's interposed parts off, which makes other bytes). */
static const char *coder(char *out, size_t cap)
{
    bool on[4] = {rc_xlsx_memory_tmpfiles(true), rc_xlsx_libdeflate_members(true),
                  rc_xlsx_own_xml(true), rc_xlsx_cell_slab(true)};
    rc_xlsx_memory_tmpfiles(on[0]), rc_xlsx_libdeflate_members(on[1]);
    rc_xlsx_own_xml(on[2]), rc_xlsx_cell_slab(on[3]);
    if (!on[0] || !on[1] || !on[2] || !on[3] || rc_xw_deflate_cap_set()) return NULL;
    const char *ld = getenv("LD_LIBRARY_PATH");
    int n = snprintf(out, cap, "workbook/1 libxlsxwriter %s from %s LD_LIBRARY_PATH=%s",
                     LXW_VERSION, rc_xw_lib_file(), ld ? ld : "");
    return n > 0 && (size_t)n < cap ? out : NULL;
}

/* The kept value: the library file's path (NUL-terminated) and signature,
 * then the workbook. */
static const unsigned char *kept_file(const unsigned char *z, size_t zn, size_t *n)
{
    const unsigned char *nul = memchr(z, 0, zn);
    if (!nul || (size_t)(nul + 1 - z) + 8 > zn) return NULL;
    uint64_t sig;
    memcpy(&sig, nul + 1, 8);
    if (!sig || sig != rc_zmemo_file_sig((const char *)z)) return NULL;
    const unsigned char *f = nul + 1 + 8;
    *n = zn - (size_t)(f - z);
    return f;
}

/* Writes the kept workbook as any output is written (rc_out_open): the
 * build's temporary, or a temporary of its own renamed over the path. */
static rc_status write_kept(const rc_xw *x, const unsigned char *f, size_t n)
{
    rc_outfile o;
    rc_status st = rc_out_open(x->a, x->file, &o);
    if (st == RC_OK && !rc_write_all(o.fd, f, n)) st = RC_ERR_IO;
    int e = errno;
    if (st != RC_OK)
        rc_out_abort(&o);
    else if ((st = rc_out_commit(&o)) != RC_OK)
        e = errno;
    if (st != RC_OK) {
        rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s", x->path, strerror(e));
        return RC_ERR_IO;
    }
    return RC_OK;
}

/* The workbook the real run wrote, with the library's file, kept for the
 * next build. */
static void keep(rc_zmemo *m, const rc_xw_rec *r, const rc_xw *x)
{
    Dl_info info;
    const void *addr;
    memcpy(&addr, &rc_xw_lib.workbook_close, sizeof addr);
    if (!addr || !dladdr(addr, &info) || !info.dli_fname) return;
    uint64_t sig = rc_zmemo_file_sig(info.dli_fname);
    char *data;
    size_t len;
    const char *file = x->direct ? x->tmp : x->file;
    if (!sig || rc_read_file(x->a, file, &data, &len) != RC_OK) return;
    size_t np = strlen(info.dli_fname) + 1, n = np + 8 + len;
    unsigned char *v = malloc(n);
    if (!v) return;
    memcpy(v, info.dli_fname, np);
    memcpy(v + np, &sig, 8);
    memcpy(v + np + 8, data, len);
    rc_zmemo_put(m, r->buf, r->n, v, n);
    free(v);
}

/* Runs the writer with the calling thread's calls going to the recorder,
 * into r; its reports go to x->d. */
static rc_status record(const rc_xw_job *j, rc_xw_rec *r, rc_xw *x)
{
    rc_xw_rec *was_rec = rc_xw_rec_use(r);
    const rc_xw_lib_table *was = rc_xw_calls;
    rc_xw_calls = &rc_xw_recorder;
    rc_xw_open_recorded(x, j->a, j->doc, j->path, j->constant_memory, j->zip64, x->d);
    rc_status st = j->fill(x, j->arg);
    rc_xw_calls = was;
    rc_xw_rec_use(was_rec);
    rc_xw_rec_drop_objects(r); /* (the recording stays) */
    return st;
}

static rc_status made_for_real(const rc_xw_job *j, rc_xw *x)
{
    rc_status st = rc_xw_open(x, j->a, j->doc, j->path, j->constant_memory, j->zip64, j->d);
    if (st != RC_OK) return st;
    st = j->fill(x, j->arg);
    rc_status cst = rc_xw_close(x);
    return st != RC_OK ? st : cst;
}

rc_status rc_xw_write(const rc_xw_job *j)
{
    last = -1;
    char cd[4200];
    const char *c = j->memo && !j->constant_memory ? coder(cd, sizeof cd) : NULL;
    rc_zmemo *m = c ? rc_zmemo_open_in("workbooks", j->path, "xlsx", c, NULL) : NULL;
    rc_diag *dd = m ? rc_diag_new() : NULL;
    if (!dd) { /* no memo */
        rc_zmemo_close(m, false);
        rc_xw x;
        return made_for_real(j, &x);
    }
    /* The recording; its reports go to dd (there are none when it is used). */
    if (rc_diag_strict(j->d)) rc_diag_set_strict(dd);
    rc_xw_rec r1 = {0};
    rc_xw x = {.d = dd};
    rc_status st = record(j, &r1, &x);
    bool clean =
        st == RC_OK && x.err == LXW_NO_ERROR && !x.abandoned && !r1.bad && rc_diag_count(dd) == 0;
    rc_diag_free(dd);
    size_t zn = 0, n = 0;
    const unsigned char *z = clean ? rc_zmemo_get(m, r1.buf, r1.n, &zn) : NULL;
    const unsigned char *f = z ? kept_file(z, zn, &n) : NULL;
    if (f) {
        x.d = j->d;
        st = write_kept(&x, f, n);
        rc_zmemo_close(m, st == RC_OK);
        rc_xw_rec_free(&r1);
        last = 1;
        return st;
    }
    if (z) rc_zmemo_forget(m, r1.buf, r1.n); /* made by another library file */
    /* Made: the recorded calls replayed into the library (the writer does
     * not run again), so the workbook kept is by construction the one those
     * calls make. A replay that fails (a call the library refuses) is
     * abandoned, and the writer runs again for real, to report it. */
    rc_xw y;
    if (!clean) {
        st = made_for_real(j, &y);
    } else if ((st = rc_xw_open_file(&y, j->a, j->doc, j->path, j->constant_memory, j->d)) ==
               RC_OK) {
        if (rc_xw_replay(r1.buf, r1.n, &y)) {
            st = rc_xw_close(&y);
            if (st == RC_OK) keep(m, &r1, &y);
        } else {
            y.abandoned = true;
            rc_xw_close(&y);
            st = made_for_real(j, &y);
        }
    }
    rc_zmemo_close(m, st == RC_OK);
    rc_xw_rec_free(&r1);
    last = 0;
    return st;
}
