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
 * sample's one-edition workbooks: 96,740 bytes against 97,085). Level 1
 * saves 10 M instructions more per edition (callgrind, one
 * edition 209.5 M -> 199.3 M; three editions 635.6 M -> 607.7 M) and
 * makes the workbooks 3.6 % larger (96,735 -> 101,229 bytes), so it is
 * RC_XLSX_DEFLATE_LEVEL (xlsx_int.h): taken for
 * issue 16's target (three editions at most twice one), where the
 * workbooks are no longer hidden beside the PDF on the other core. Level 4
 * would save 4 M for 2.8 %.
 *
 * How: reportc defines the minizip functions libxlsxwriter calls for a
 * member and for the zip (xlsx_tmpfile.c explains the interposition). A
 * member's bytes are gathered here; closing it deflates them in one call
 * of libdeflate, then opens the member in minizip's raw mode (minizip
 * writes the deflated bytes it is given and the CRC and size it is told)
 * with the arguments libxlsxwriter gave, so its headers are the ones
 * minizip would have written. A member larger than RAW_CAP (none of a
 * workbook reportc writes comes near: the rows of large sheets are spliced
 * in by xlsx_rows.c) is deflated as it comes by zlib instead, so memory
 * stays bounded. Anything else (another method, a member opened raw
 * already) goes to minizip as it is. A small member whose bytes were
 * deflated before in the process (the theme, styles and other parts the
 * editions of a config share) is not deflated again, and neither is a
 * member the workbook's last build deflated (rc/zmemo.h: the workbook's
 * own file in the cache directory; the sample's three editions' members,
 * 33 M instructions of deflate when nothing changed). The zip itself is
 * kept in memory and written in one piece (zipOpen below). The members
 * are different bytes from zlib's (another compressor), the XML in them
 * is the same, and so is the rest of the file: test_xlsx_deflate compares
 * every member both ways, and whole files when zlib deflates. */
#include <errno.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "rc/util.h"
#include "rc/zmemo.h"
#include "xlsx_int.h"

/* minizip 1.1's interface (zip.h, not installed by libminizip1): the
 * functions libxlsxwriter calls and those this file calls. */
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
/* zip.h's zip_fileinfo: the date, then the internal and external
 * attributes of the member's central directory entry. */
typedef struct zip_fileinfo {
    uInt tm[6];
    uLong dosDate, internal_fa, external_fa;
} zip_fileinfo;

/* minizip's zlib_filefunc64_def (ioapi.h), the functions it writes the
 * zip through, and zipOpen2_64 that takes them. */
typedef struct filefunc64 {
    void *(*open)(void *opaque, const void *filename, int mode);
    unsigned long (*read)(void *opaque, void *stream, void *buf, unsigned long size);
    unsigned long (*write)(void *opaque, void *stream, const void *buf, unsigned long size);
    uint64_t (*tell)(void *opaque, void *stream);
    long (*seek)(void *opaque, void *stream, uint64_t offset, int origin);
    int (*close)(void *opaque, void *stream);
    int (*error)(void *opaque, void *stream);
    void *opaque;
} filefunc64;
typedef zipFile (*open2_64_fn)(const void *, int, const char **, filefunc64 *);
typedef zipFile (*zip_open_fn)(const char *, int);

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const void *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64);
int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len);
int zipCloseFileInZip(zipFile file);
int zipClose(zipFile file, const char *global_comment);
zipFile zipOpen(const char *pathname, int append);

#define RAW_CAP ((size_t)64 << 20) /* bytes gathered before deflating as they come */
/* What the memo's key says of the compressor (rc/zmemo.h) */
#define STR_(x) #x
#define STR(x) STR_(x)
/* (no "deflate" followed by a space and a digit: lintian takes such a
 * string for an embedded zlib, e2e/static_deps) */
#define ZMEMO_CODER                                                                                \
    "raw-deflate/libdeflate-" LIBDEFLATE_VERSION_STRING "/level-" STR(RC_XLSX_DEFLATE_LEVEL)

static struct {
    open_fn open;
    write_fn write;
    close_fn close;
    close_raw_fn close_raw;
    zip_close_fn zip_close;
    zip_open_fn zip_open;
    open2_64_fn zip_open2_64;
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
    return c ? c : libdeflate_alloc_compressor(RC_XLSX_DEFLATE_LEVEL);
}

static void find_real(void)
{
    RC_XW_FIND_REAL("zipOpenNewFileInZip4_64", real.open);
    RC_XW_FIND_REAL("zipWriteInFileInZip", real.write);
    RC_XW_FIND_REAL("zipCloseFileInZip", real.close);
    RC_XW_FIND_REAL("zipCloseFileInZipRaw64", real.close_raw);
    RC_XW_FIND_REAL("zipClose", real.zip_close);
    RC_XW_FIND_REAL("zipOpen", real.zip_open);
    RC_XW_FIND_REAL("zipOpen2_64", real.zip_open2_64);
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
    bool opened; /* opened in minizip (raw) */
    /* zipOpenNewFileInZip4_64's arguments, until the member is opened in
     * minizip: then the bytes are known (see is_text) */
    const char *filename, *comment;
    zip_fileinfo fi;
    bool have_fi;
    const void *xl, *xg;
    uInt nxl, nxg;
    int method, level, windowBits, memLevel, strategy, zip64;
    uLong versionMadeBy, flagBase;
    rc_xw_mem raw; /* the bytes gathered (appended: pos is len) */
    uint32_t crc;
    uint64_t ulen;
    bool streaming; /* past RAW_CAP: zlib deflates as bytes come */
    z_stream zs;
    int err; /* the first failure, returned by the close */
} member;

static _Thread_local member cur;
static _Thread_local size_t cap_set; /* a test's RAW_CAP (0: RAW_CAP) */

void rc_xw_deflate_cap(size_t cap)
{
    cap_set = cap;
}

bool rc_xw_deflate_cap_set(void)
{
    return cap_set != 0;
}

/* off: this thread asked for minizip's own deflate */
RC_XW_INTERPOSER(off, deflated, rc_xlsx_libdeflate_members, rc_xlsx_libdeflate_members_made)

int zipOpenNewFileInZip4_64(zipFile file, const char *filename, const void *zipfi,
                            const void *extrafield_local, uInt size_extrafield_local,
                            const void *extrafield_global, uInt size_extrafield_global,
                            const char *comment, int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password, uLong crcForCrypting,
                            uLong versionMadeBy, uLong flagBase, int zip64)
{
    pthread_once(&real_once, find_real);
    if (!real.open) return ZIP_INTERNALERROR;
    free(cur.raw.buf);
    memset(&cur, 0, sizeof cur);
    bool ours = !off && !raw && method == Z_DEFLATED && !password && real.write && real.close &&
                real.close_raw;
    if (!ours)
        return real.open(file, filename, zipfi, extrafield_local, size_extrafield_local,
                         extrafield_global, size_extrafield_global, comment, method, level, raw,
                         windowBits, memLevel, strategy, password, crcForCrypting, versionMadeBy,
                         flagBase, zip64);
    /* Opened in minizip when its bytes are known (open_member); the
     * pointers are libxlsxwriter's, alive until it closes the member. */
    cur = (member){.zip = file,
                   .filename = filename,
                   .comment = comment,
                   .xl = extrafield_local,
                   .nxl = size_extrafield_local,
                   .xg = extrafield_global,
                   .nxg = size_extrafield_global,
                   .method = method,
                   .level = level,
                   .windowBits = windowBits,
                   .memLevel = memLevel,
                   .strategy = strategy,
                   .zip64 = zip64,
                   .versionMadeBy = versionMadeBy,
                   .flagBase = flagBase};
    if (zipfi) {
        memcpy(&cur.fi, zipfi, sizeof cur.fi);
        cur.have_fi = true;
    }
    return ZIP_OK;
}

/* Text as zlib tells it (deflate's detect_data_type, which minizip turns
 * into the "text" bit of the member's internal attributes): no byte of
 * 0-6, 14-25, 28-31, and one of tab, newline, carriage return or 32-255.
 * zlib looks at the literals of its first block, this at every byte; for
 * XML, where none of those control bytes may appear, both say text. */
static bool byte_text(unsigned char c, bool *white)
{
    if (c < 32) {
        if ((0xf3ffc07fUL >> c) & 1) return false;
        *white |= c == 9 || c == 10 || c == 13;
    } else {
        *white = true;
    }
    return true;
}

static bool is_text(const unsigned char *p, size_t n)
{
    bool white = false;
    size_t i = 0;
    /* Eight bytes at a time when none is below 32 (all of them "white"),
     * else those eight one by one, and on: XML has a newline every few
     * lines, and going byte by byte after the first one cost 2.3 M
     * instructions per edition (callgrind). */
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (!((w - 0x2020202020202020u) & ~w & 0x8080808080808080u)) {
            white = true;
            continue;
        }
        for (size_t k = 0; k < 8; k++)
            if (!byte_text(p[i + k], &white)) return false;
    }
    for (; i < n; i++)
        if (!byte_text(p[i], &white)) return false;
    return white;
}

/* Opens the member in minizip, raw (it writes the deflated bytes it is
 * given and the CRC and size it is told), with the headers it would have
 * written itself: the same arguments, and the text bit that zlib's
 * detection would have set. */
static int open_member(const unsigned char *p, size_t n)
{
    if (cur.opened) return ZIP_OK;
    zip_fileinfo fi = cur.fi;
    if (is_text(p, n)) fi.internal_fa = 1; /* Z_TEXT, as minizip puts it */
    int r = real.open(cur.zip, cur.filename, cur.have_fi ? &fi : NULL, cur.xl, cur.nxl, cur.xg,
                      cur.nxg, cur.comment, cur.method, cur.level, 1, cur.windowBits, cur.memLevel,
                      cur.strategy, NULL, 0, cur.versionMadeBy, cur.flagBase, cur.zip64);
    cur.opened = r == ZIP_OK;
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
    if (!cur.streaming && n > max - cur.raw.len) {
        if (deflateInit2(&cur.zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return ZIP_INTERNALERROR;
        cur.streaming = true;
        /* the bytes gathered and these: the first block's and more */
        int r = open_member(cur.raw.len ? cur.raw.buf : p, cur.raw.len ? cur.raw.len : n);
        if (r == ZIP_OK) r = stream(cur.raw.buf, cur.raw.len, Z_NO_FLUSH);
        free(cur.raw.buf);
        cur.raw = (rc_xw_mem){0};
        if (r != ZIP_OK) return r;
    }
    if (cur.streaming) return stream(p, n, Z_NO_FLUSH);
    return rc_xw_mem_write(&cur.raw, p, n, (size_t)1 << 14) ? ZIP_OK : ZIP_INTERNALERROR;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned len)
{
    pthread_once(&real_once, find_real);
    if (!cur.zip || cur.zip != file)
        return real.write ? real.write(file, buf, len) : ZIP_INTERNALERROR;
    if (cur.err) return cur.err;
    cur.crc = libdeflate_crc32(cur.crc, buf, len);
    cur.ulen += len;
    cur.err = gather(buf, len);
    if (cur.err != ZIP_OK) {
        /* libxlsxwriter gives up on the workbook without closing the
         * member: nothing of it may stay behind */
        int e = errno;
        if (cur.streaming) deflateEnd(&cur.zs);
        free(cur.raw.buf);
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

/* The deflated bytes of a member deflated before (*zn of them); NULL if
 * none. */
static const unsigned char *memo_find(size_t *zn)
{
    if (cur.raw.len > MEMO_MEMBER) return NULL;
    pthread_mutex_lock(&memos.lock);
    const memo *m = NULL;
    for (size_t i = 0; i < memos.n && !m; i++)
        if (memos.v[i].crc == cur.crc && memos.v[i].n == cur.raw.len &&
            memcmp(memos.v[i].raw, cur.raw.buf, cur.raw.len) == 0)
            m = &memos.v[i];
    pthread_mutex_unlock(&memos.lock); /* an entry never changes once made */
    if (!m) return NULL;
    atomic_fetch_add(&reused, 1);
    *zn = m->zn;
    return m->z;
}

static void memo_keep(const unsigned char *z, size_t zn)
{
    if (cur.raw.len > MEMO_MEMBER) return;
    pthread_mutex_lock(&memos.lock);
    if (memos.n < sizeof memos.v / sizeof memos.v[0] &&
        memos.bytes + cur.raw.len + zn <= MEMO_BYTES) {
        memo m = {cur.crc, cur.raw.len, zn, malloc(cur.raw.len ? cur.raw.len : 1), malloc(zn)};
        if (m.raw && m.z) {
            memcpy(m.raw, cur.raw.buf, cur.raw.len);
            memcpy(m.z, z, zn);
            memos.v[memos.n++] = m;
            memos.bytes += cur.raw.len + zn;
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

/* The workbook's memo of deflated members kept between builds
 * (rc/zmemo.h): opened with the zip, on the thread that writes it, and
 * written when the zip is closed. */
static _Thread_local rc_zmemo *zmemo;

/* The gathered bytes deflated in one call, written through minizip: as
 * the workbook's last build deflated them (zmemo), or as deflated before
 * in this process (memo_find), or deflated now. */
static int deflate_all(void)
{
    int r = open_member(cur.raw.buf, cur.raw.len);
    if (r != ZIP_OK) return r;
    size_t zn = 0;
    const unsigned char *z = rc_zmemo_get(zmemo, cur.raw.buf, cur.raw.len, &zn);
    if (z) {
        atomic_fetch_add(&reused, 1);
        return real.write(cur.zip, z, (unsigned)zn);
    }
    if ((z = memo_find(&zn)) != NULL) {
        rc_zmemo_put(zmemo, cur.raw.buf, cur.raw.len, z, zn);
        return real.write(cur.zip, z, (unsigned)zn);
    }
    r = ZIP_INTERNALERROR;
    struct libdeflate_compressor *c = compressor();
    if (!c) return ZIP_INTERNALERROR;
    size_t bound = libdeflate_deflate_compress_bound(c, cur.raw.len);
    unsigned char *out = malloc(bound);
    if (out) {
        size_t k = libdeflate_deflate_compress(c, cur.raw.buf, cur.raw.len, out, bound);
        if (k) {
            memo_keep(out, k);
            rc_zmemo_put(zmemo, cur.raw.buf, cur.raw.len, out, k);
        }
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
    int rc = cur.opened ? real.close_raw(file, cur.ulen, cur.crc) : ZIP_OK;
    if (r == ZIP_OK) {
        r = rc;
        e = errno;
    }
    free(cur.raw.buf);
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
    int r = real.zip_close ? real.zip_close(file, global_comment) : ZIP_INTERNALERROR;
    int e = errno;
    rc_zmemo_close(zmemo, r == ZIP_OK); /* kept only for a workbook written whole */
    zmemo = NULL;
    errno = e;
    return r;
}

/* The zip itself in memory until zipClose, then written in one piece.
 * minizip writes each member's local header, the member, then seeks back
 * to put its CRC and sizes into the header and forward again: on a FILE
 * each of those seeks flushed, four system calls per member (some 500 per
 * edition's two workbooks). The file is opened (and so its errors given)
 * when the zip is, as minizip's own stream does; writing it at the end
 * gives a failure (a full disk) to zipClose, with its errno. The zip
 * libxlsxwriter writes is small: large sheets get their rows afterwards
 * (xlsx_rows.c, xlsx_zip.c). */
typedef struct zmem {
    rc_xw_mem m;
    FILE *f;
    bool bad;
} zmem;

static void *zm_open(void *opaque, const void *filename, int mode)
{
    (void)opaque;
    (void)mode; /* zipOpen below passes only a new zip (APPEND_STATUS_CREATE) */
    zmem *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    z->f = fopen(filename, "wb");
    if (!z->f) {
        int e = errno;
        free(z);
        errno = e;
        return NULL;
    }
    return z;
}

static unsigned long zm_read(void *opaque, void *stream, void *buf, unsigned long size)
{
    (void)opaque;
    return rc_xw_mem_read(&((zmem *)stream)->m, buf, size);
}

static unsigned long zm_write(void *opaque, void *stream, const void *buf, unsigned long size)
{
    (void)opaque;
    zmem *z = stream;
    if (rc_xw_mem_write(&z->m, buf, size, (size_t)1 << 16)) return size;
    z->bad = true;
    return 0;
}

static uint64_t zm_tell(void *opaque, void *stream)
{
    (void)opaque;
    return ((zmem *)stream)->m.pos;
}

static long zm_seek(void *opaque, void *stream, uint64_t offset, int origin)
{
    (void)opaque;
    rc_xw_mem *m = &((zmem *)stream)->m;
    uint64_t base = origin == 0 ? 0 : origin == 1 ? m->pos : m->len; /* SET, CUR, END */
    if (origin < 0 || origin > 2 || offset > SIZE_MAX / 2 - base) {
        errno = EINVAL;
        return -1;
    }
    m->pos = (size_t)(base + offset);
    return 0;
}

static int zm_close(void *opaque, void *stream)
{
    (void)opaque;
    zmem *z = stream;
    bool ok = !z->bad && fwrite(z->m.buf, 1, z->m.len, z->f) == z->m.len;
    int e = errno;
    if (fclose(z->f) != 0 && ok) {
        ok = false;
        e = errno;
    }
    free(z->m.buf);
    free(z);
    errno = e;
    return ok ? 0 : -1;
}

static int zm_error(void *opaque, void *stream)
{
    (void)opaque;
    return ((zmem *)stream)->bad;
}

zipFile zipOpen(const char *pathname, int append)
{
    pthread_once(&real_once, find_real);
    /* The file appears on disk here: announced, so that a signal's sweep of
     * the build's temporaries waits for it or it is not made (see
     * rc_tmp_begin; the workbook's file is the build's own temporary). */
    if (!rc_tmp_begin()) {
        errno = EINTR; /* the build is being stopped by a signal */
        return NULL;
    }
    if (off || append != 0 || !real.zip_open2_64) {
        zipFile z = real.zip_open ? real.zip_open(pathname, append) : NULL;
        rc_tmp_end();
        return z;
    }
    filefunc64 io = {zm_open, zm_read, zm_write, zm_tell, zm_seek, zm_close, zm_error, NULL};
    zipFile zf = real.zip_open2_64(pathname, append, NULL, &io);
    rc_tmp_end();
    if (zf) {
        int e = errno;
        /* (one left open by a workbook given up on this thread: not kept) */
        rc_zmemo_close(zmemo, false);
        zmemo =
            rc_zmemo_open(pathname, "xlsx", ZMEMO_CODER, (rc_zmemo_fn)libdeflate_deflate_compress);
        errno = e;
    }
    return zf;
}
