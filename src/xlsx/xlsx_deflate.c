/* xlsx_deflate: the workbook's members deflated by libdeflate, not by zlib
 * inside minizip.
 *
 * Why: libxlsxwriter 1.1.4 hands every part of a workbook (about 120 for
 * the sample's two workbooks, 330 KB of XML) to minizip, which deflates it
 * with zlib at the default level: a deflateInit2 (its hash tables cleared)
 * and a deflateEnd per member, then zlib's level 6. That was 42 M
 * instructions of a 281 M one-edition build (callgrind), the largest part of
 * the workbooks' cost. Its options do not choose the level or the
 * compressor. libdeflate (which the PDF's streams use already) at level 6
 * deflates the same members in 24 M instructions, and 0.4 % smaller (the
 * sample's one-edition workbooks: 96,740 bytes against 97,085). Its level
 * 1 would save 11 M more but make the files 4.6 % larger, level 4 4 M for
 * 2.0 %: not worth it while the workbooks are a few tens of KB.
 *
 * How: reportc defines the four minizip functions libxlsxwriter calls for
 * a member and at the end (xlsx_tmpfile.c explains the interposition). A member is opened
 * in minizip's raw mode (minizip writes the compressed bytes it is given
 * and the CRC and size it is told, its headers otherwise the same), its
 * bytes are gathered here, and closing it deflates them in one call of
 * libdeflate, then writes them through minizip. A member larger than
 * RAW_CAP (no member of a workbook reportc writes comes near: the rows of
 * large sheets are spliced in by xlsx_rows.c) is deflated as it comes by
 * zlib instead, so memory stays bounded. Anything else (another method, a
 * member opened raw already) goes to minizip as it is. A small member
 * whose bytes were deflated before in the process (the theme, styles and
 * other parts the editions of a config share) is not deflated again. The
 * members are different bytes from zlib's (another compressor), the XML in
 * them is the same: test_xlsx_deflate compares every member both ways. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "xlsx_int.h"

/* minizip 1.1's interface (zip.h, not installed by libminizip1): the three
 * functions as libxlsxwriter calls them and the two this file calls. */
typedef void *zipFile;
#define ZIP_OK 0
#define ZIP_INTERNALERROR (-104)

typedef int (*open_fn)(zipFile, const char *, const void *, const void *, uInt, const void *, uInt,
                       const char *, int, int, int, int, int, int, const char *, uLong, uLong,
                       uLong, int);
typedef int (*write_fn)(zipFile, const void *, unsigned);
typedef int (*close_fn)(zipFile);
typedef int (*close_raw_fn)(zipFile, uint64_t, uLong);
typedef int (*zip_close_fn)(zipFile, const char *);

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const void *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64);
int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len);
int zipCloseFileInZip(zipFile file);
int zipClose(zipFile file, const char *global_comment);

#define LEVEL 6                      /* libdeflate's; see above */
#define RAW_CAP ((size_t)64 << 20) /* bytes gathered before deflating as they come */

static struct {
    open_fn open;
    write_fn write;
    close_fn close;
    close_raw_fn close_raw;
    zip_close_fn zip_close;
} real;
static pthread_once_t real_once = PTHREAD_ONCE_INIT;
static pthread_key_t compressor_key;
static bool key_ok;

/* Compressors not in use, kept for the next workbook (making one costs as
 * much as deflating a small member, and its 300 KB are fresh pages each
 * time): one per thread that wrote workbooks at once, at most SPARE. */
#define SPARE 8
static struct {
    pthread_mutex_t lock;
    struct libdeflate_compressor *v[SPARE];
    size_t n;
} spare = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void free_compressor(void *p)
{
    struct libdeflate_compressor *c = p;
    pthread_mutex_lock(&spare.lock);
    if (spare.n < SPARE) {
        spare.v[spare.n++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&spare.lock);
    if (c) libdeflate_free_compressor(c);
}

static struct libdeflate_compressor *new_compressor(void)
{
    struct libdeflate_compressor *c = NULL;
    pthread_mutex_lock(&spare.lock);
    if (spare.n) c = spare.v[--spare.n];
    pthread_mutex_unlock(&spare.lock);
    return c ? c : libdeflate_alloc_compressor(LEVEL);
}
static _Atomic size_t deflated;

/* POSIX's way to turn dlsym's object pointer into a function pointer. */
static void find(const char *name, void *fn, size_t size)
{
    void *sym = dlsym(RTLD_NEXT, name);
    memcpy(fn, &sym, size);
}

static void find_real(void)
{
    find("zipOpenNewFileInZip4_64", &real.open, sizeof real.open);
    find("zipWriteInFileInZip", &real.write, sizeof real.write);
    find("zipCloseFileInZip", &real.close, sizeof real.close);
    find("zipCloseFileInZipRaw64", &real.close_raw, sizeof real.close_raw);
    find("zipClose", &real.zip_close, sizeof real.zip_close);
    key_ok = pthread_key_create(&compressor_key, free_compressor) == 0;
}

/* A thread's compressor, taken for its first member and kept for the
 * others of the workbook: zipClose gives it back, and so does the end of
 * the thread when libxlsxwriter gave up on a workbook without closing it. */
static struct libdeflate_compressor *compressor(void)
{
    if (!key_ok) return new_compressor();
    struct libdeflate_compressor *c = pthread_getspecific(compressor_key);
    if (!c) {
        c = new_compressor();
        if (c && pthread_setspecific(compressor_key, c) != 0) {
            free_compressor(c);
            c = NULL;
        }
    }
    return c;
}

static void compressor_done(struct libdeflate_compressor *c)
{
    if (!key_ok) free_compressor(c);
}

/* The member a thread has open (libxlsxwriter writes one at a time, each
 * workbook on one thread). */
typedef struct member {
    zipFile zip; /* NULL: none open here (minizip deflates, or nothing open) */
    unsigned char *buf;
    size_t n, cap;
    uint32_t crc;
    uint64_t ulen;
    bool streaming; /* past RAW_CAP: zlib deflates as bytes come */
    z_stream zs;
    int err; /* the first failure, returned by the close */
} member;

static _Thread_local member cur;
static _Thread_local bool off; /* this thread asked for minizip's own deflate */
static _Thread_local size_t cap_set; /* a test's RAW_CAP (0: RAW_CAP) */

void rc_xw_deflate_cap(size_t cap)
{
    cap_set = cap;
}

bool rc_xlsx_libdeflate_members(bool on)
{
    bool old = !off;
    off = !on;
    return old;
}

size_t rc_xlsx_libdeflate_members_made(void)
{
    return atomic_load(&deflated);
}

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const void *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64)
{
    pthread_once(&real_once, find_real);
    if (!real.open) return ZIP_INTERNALERROR;
    /* The level is passed on as it came: minizip writes it into the
     * header's flags, which stay as libxlsxwriter asked. */
    bool ours = !off && !raw && method == Z_DEFLATED && !password && real.write && real.close &&
                real.close_raw;
    int r = real.open(file, filename, zipfi, extrafield_local, size_extrafield_local,
                      extrafield_global, size_extrafield_global, comment, method, level,
                      ours ? 1 : raw, windowBits, memLevel, strategy, password, crcForCrypting,
                      versionMadeBy, flagBase, zip64);
    free(cur.buf);
    memset(&cur, 0, sizeof cur);
    if (r == ZIP_OK && ours) cur.zip = file;
    return r;
}

/* Deflates n bytes as they come (Z_NO_FLUSH) or the end (Z_FINISH), giving
 * the output to minizip. */
static int stream(const unsigned char *p, size_t n, int flush)
{
    unsigned char out[1 << 16];
    cur.zs.next_in = (Bytef *)(uintptr_t)p;
    cur.zs.avail_in = (uInt)n;
    int zr;
    do {
        cur.zs.next_out = out;
        cur.zs.avail_out = sizeof out;
        zr = deflate(&cur.zs, flush);
        if (zr == Z_STREAM_ERROR) return ZIP_INTERNALERROR;
        size_t k = sizeof out - cur.zs.avail_out;
        if (k) {
            int r = real.write(cur.zip, out, (unsigned)k);
            if (r != ZIP_OK) return r;
        }
    } while (cur.zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    return ZIP_OK;
}

static int gather(const unsigned char *p, size_t n)
{
    size_t max = cap_set ? cap_set : RAW_CAP;
    if (!cur.streaming && n > max - cur.n) {
        if (deflateInit2(&cur.zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return ZIP_INTERNALERROR;
        cur.streaming = true;
        int r = stream(cur.buf, cur.n, Z_NO_FLUSH);
        free(cur.buf);
        cur.buf = NULL;
        cur.n = cur.cap = 0;
        if (r != ZIP_OK) return r;
    }
    if (cur.streaming) return stream(p, n, Z_NO_FLUSH);
    if (cur.n + n > cur.cap) {
        size_t cap = cur.cap ? cur.cap : 1 << 14;
        while (cap < cur.n + n)
            cap *= 2;
        unsigned char *b = realloc(cur.buf, cap);
        if (!b) return ZIP_INTERNALERROR;
        cur.buf = b;
        cur.cap = cap;
    }
    memcpy(cur.buf + cur.n, p, n);
    cur.n += n;
    return ZIP_OK;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len)
{
    pthread_once(&real_once, find_real);
    if (!cur.zip || cur.zip != file) return real.write ? real.write(file, buf, len) : ZIP_INTERNALERROR;
    if (cur.err) return cur.err;
    cur.crc = libdeflate_crc32(cur.crc, buf, len);
    cur.ulen += len;
    cur.err = gather(buf, len);
    if (cur.err != ZIP_OK) {
        /* libxlsxwriter gives up on the workbook without closing the
         * member: nothing of it may stay behind */
        int e = errno;
        if (cur.streaming) deflateEnd(&cur.zs);
        free(cur.buf);
        int err = cur.err;
        memset(&cur, 0, sizeof cur);
        errno = e;
        return err;
    }
    return ZIP_OK;
}

/* Members deflated already in this process, kept for the workbooks after:
 * the editions of a config share an eighth of their workbooks' XML (the
 * theme, the styles, the content types, relationships, sheets of numbers
 * without words: 120 KB of the sample's 1 MB), which is then deflated once.
 * Only small members are kept, and only so many (a watcher runs for
 * hours); a member is reused only when its bytes are the same, so the
 * output is what deflating it would give. */
#define MEMO_MEMBER ((size_t)64 << 10)
#define MEMO_BYTES ((size_t)4 << 20)
typedef struct memo {
    uint32_t crc;
    size_t n, zn;
    unsigned char *raw, *z;
} memo;
static struct {
    pthread_mutex_t lock;
    memo v[256];
    size_t n, bytes;
} memos = {.lock = PTHREAD_MUTEX_INITIALIZER};
static _Atomic size_t reused;

/* Writes the deflated bytes of a member deflated before; false if none. */
static bool memo_write(int *r)
{
    if (cur.n > MEMO_MEMBER) return false;
    pthread_mutex_lock(&memos.lock);
    const memo *m = NULL;
    for (size_t i = 0; i < memos.n && !m; i++)
        if (memos.v[i].crc == cur.crc && memos.v[i].n == cur.n &&
            memcmp(memos.v[i].raw, cur.buf, cur.n) == 0)
            m = &memos.v[i];
    pthread_mutex_unlock(&memos.lock); /* an entry never changes once made */
    if (!m) return false;
    atomic_fetch_add(&reused, 1);
    *r = real.write(cur.zip, m->z, (unsigned)m->zn);
    return true;
}

static void memo_keep(const unsigned char *z, size_t zn)
{
    if (cur.n > MEMO_MEMBER) return;
    pthread_mutex_lock(&memos.lock);
    if (memos.n < sizeof memos.v / sizeof memos.v[0] && memos.bytes + cur.n + zn <= MEMO_BYTES) {
        memo m = {cur.crc, cur.n, zn, malloc(cur.n ? cur.n : 1), malloc(zn)};
        if (m.raw && m.z) {
            memcpy(m.raw, cur.buf, cur.n);
            memcpy(m.z, z, zn);
            memos.v[memos.n++] = m;
            memos.bytes += cur.n + zn;
        } else {
            free(m.raw);
            free(m.z);
        }
    }
    pthread_mutex_unlock(&memos.lock);
}

size_t rc_xlsx_libdeflate_members_reused(void)
{
    return atomic_load(&reused);
}

/* The gathered bytes deflated in one call (or as deflated before), written
 * through minizip. */
static int deflate_all(void)
{
    int r = ZIP_INTERNALERROR;
    if (memo_write(&r)) return r;
    struct libdeflate_compressor *c = compressor();
    if (!c) return ZIP_INTERNALERROR;
    size_t bound = libdeflate_deflate_compress_bound(c, cur.n);
    unsigned char *out = malloc(bound);
    if (out) {
        size_t k = libdeflate_deflate_compress(c, cur.buf, cur.n, out, bound);
        if (k) memo_keep(out, k);
        r = k ? real.write(cur.zip, out, (unsigned)k) : ZIP_INTERNALERROR;
        int e = errno; /* free keeps errno (POSIX 2024) but say so */
        free(out);
        errno = e;
    }
    compressor_done(c);
    return r;
}

int zipCloseFileInZip(zipFile file)
{
    pthread_once(&real_once, find_real);
    if (!cur.zip || cur.zip != file) return real.close ? real.close(file) : ZIP_INTERNALERROR;
    int r = cur.err;
    if (r == ZIP_OK) r = cur.streaming ? stream(NULL, 0, Z_FINISH) : deflate_all();
    int e = errno;
    if (cur.streaming) deflateEnd(&cur.zs);
    /* minizip ends the member (sizes and CRC into its headers) even after a
     * failure, as its own zipCloseFileInZip would */
    int rc = real.close_raw(file, cur.ulen, cur.crc);
    if (r == ZIP_OK) {
        r = rc;
        e = errno;
    }
    free(cur.buf);
    memset(&cur, 0, sizeof cur);
    if (r == ZIP_OK) atomic_fetch_add(&deflated, 1);
    errno = e;
    return r;
}

int zipClose(zipFile file, const char *global_comment)
{
    pthread_once(&real_once, find_real);
    if (key_ok) {
        struct libdeflate_compressor *c = pthread_getspecific(compressor_key);
        if (c) {
            pthread_setspecific(compressor_key, NULL);
            free_compressor(c);
        }
    }
    return real.zip_close ? real.zip_close(file, global_comment) : ZIP_INTERNALERROR;
}
