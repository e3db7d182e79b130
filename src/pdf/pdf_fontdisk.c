/* pdf_fontdisk: reduced fonts kept in the cache directory between builds.
 *
 * Making a face's reduced copy (rc_ttf_reduce_lig: hb-subset's plan and
 * the copy) is 7.7 M instructions for the sample's four faces, the largest
 * part of the fonts' cost, and a build of the same document makes the same
 * copies again: the copy depends only on the font file, the codes its cmap
 * maps, the ligature glyphs, and the code that makes it. So a copy is
 * kept as CACHEDIR/fonts/<hash of the key>.ttf (rc/cache.h for the
 * directory), where the key is the font file's path and signature as
 * stat(2) gives it (device, inode, size, modification and change times to
 * the nanosecond: any write changes the change time, a copy or rename over
 * it the inode), the codes, the ligature glyphs, reportc's version, the
 * HarfBuzz version and the running executable's signature (a rebuilt
 * reportc makes its copies anew). The file holds the whole key, checked
 * byte for byte, and a hash of the copy, checked before it is used: a
 * damaged, truncated or colliding file is a miss. A miss only means
 * making the copy; a copy read here is the one the build would have made,
 * so outputs are the same with or without the cache. A font file changed
 * less than two seconds before is not cached (a change within the same
 * tick of the file system's clock could keep its times).
 *
 * The copy is kept deflated too, as the PDF's FontFile2 stream holds it:
 * deflating the four copies is 3.3 M instructions per edition (75 KB at
 * libdeflate's level 1), the same bytes every build. The deflated bytes
 * are a function of the copy, the level and libdeflate (linked in, so the
 * executable's signature covers it; its version is in the key for a build
 * that links it as a shared library), checked by their own hash. */
#include <errno.h>
#include <stdatomic.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pdf_fontdisk.h"
#include "pdf_int.h"
#include "rc/cache.h"
#include "rc/hash.h"
#include "rc/hb_lib.h"
#include "rc/util.h"

#define MAGIC "rcfont2\n"
#define RACY_SECONDS 2
/* A reduced copy larger than this is not cached (Lato's are 12-23 KB). */
#define MAX_COPY ((size_t)16 << 20)
/* The seed of the copy's hash in the file: "rcfont". */
#define DATA_SEED UINT64_C(0x7263666f6e74)

typedef struct head {
    char magic[8];
    uint64_t keylen, datalen, datahash, zlen, zhash;
} head;

/* The key (allocated in a), or NULL when the file cannot be stat'ed. */
static unsigned char *make_key(rc_arena *a, const char *path, const uint32_t *codes, size_t m,
                               const uint16_t lig[32], size_t *n, struct stat *st)
{
    if (stat(path, st) != 0 || !S_ISREG(st->st_mode)) return NULL;
    /* HarfBuzz's version and files, known without loading it when a build
     * before kept them (rc_hb_lib_ident) */
    uint64_t hb = rc_hb_lib_ident();
    if (!hb) return NULL;
    int64_t id[11] = {(int64_t)st->st_dev,
                      (int64_t)st->st_ino,
                      (int64_t)st->st_size,
                      (int64_t)st->st_mtim.tv_sec,
                      (int64_t)st->st_mtim.tv_nsec,
                      (int64_t)st->st_ctim.tv_sec,
                      (int64_t)st->st_ctim.tv_nsec,
                      (int64_t)rc_cache_exe_sig(),
                      (int64_t)m,
                      (int64_t)hb,
                      0};
    /* then reportc's version and the deflate's */
    unsigned char idv[sizeof id + 128];
    memcpy(idv, id, sizeof id);
    size_t room = sizeof idv - sizeof id;
    int vl = snprintf((char *)idv + sizeof id, room, "%s/%s/%d", RC_VERSION,
                      LIBDEFLATE_VERSION_STRING, RC_PDF_ZLEVEL);
    if (vl < 0 || (size_t)vl >= room) return NULL;
    return rc_pdf_font_key(a, idv, sizeof id + (size_t)vl, codes, m, lig, path, n);
}

unsigned char *rc_pdf_font_key(rc_arena *a, const void *id, size_t nid, const uint32_t *codes,
                               size_t m, const uint16_t lig[32], const char *path, size_t *n)
{
    size_t plen = strlen(path);
    *n = nid + m * sizeof *codes + 32 * sizeof *lig + plen;
    unsigned char *k = rc_arena_alloc(a, *n), *o = k;
    memcpy(o, id, nid);
    o += nid;
    if (m) memcpy(o, codes, m * sizeof *codes);
    o += m * sizeof *codes;
    memcpy(o, lig, 32 * sizeof *lig);
    o += 32 * sizeof *lig;
    memcpy(o, path, plen);
    return k;
}

static bool file_name(const char *dir, const unsigned char *key, size_t n, char *out, size_t cap)
{
    uint64_t h[2];
    rc_hash128(key, n, h);
    int k = snprintf(out, cap, "%s/fonts/%016llx%016llx.ttf", dir, (unsigned long long)h[0],
                     (unsigned long long)h[1]);
    return k > 0 && (size_t)k < cap;
}

/* Reads (wr false) or writes exactly n bytes; false on error or a short
 * file. */
static bool io_all(int fd, void *buf, size_t n, bool wr)
{
    unsigned char *b = buf;
    while (n) {
        ssize_t k = wr ? write(fd, b, n) : read(fd, b, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        b += k;
        n -= (size_t)k;
    }
    return true;
}

bool rc_pdf_fontdisk_key(rc_arena *a, const char *path, const uint32_t *codes, size_t m,
                         const uint16_t lig[32], rc_pdf_fontdisk *k)
{
    memset(k, 0, sizeof *k);
    char dir[4096];
    struct stat st;
    if (!rc_cache_dir(dir, sizeof dir)) return false;
    char file[4200];
    k->key = make_key(a, path, codes, m, lig, &k->n, &st);
    if (k->key && !file_name(dir, k->key, k->n, file, sizeof file)) k->key = NULL;
    if (!k->key) return false;
    k->file = rc_arena_strdup(a, file);
    k->a = a;
    struct timespec now;
    time_t last = st.st_mtim.tv_sec > st.st_ctim.tv_sec ? st.st_mtim.tv_sec : st.st_ctim.tv_sec;
    k->keep = clock_gettime(CLOCK_REALTIME, &now) == 0 && now.tv_sec - last >= RACY_SECONDS;
    return true;
}

const unsigned char *rc_pdf_fontdisk_get(rc_arena *a, rc_pdf_fontdisk *k, size_t *len)
{
    if (!k->key) return NULL;
    int fd = open(k->file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    head h;
    unsigned char *data = NULL, *key = NULL, *z = NULL;
    bool ok = fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof h &&
              io_all(fd, &h, sizeof h, false) && memcmp(h.magic, MAGIC, 8) == 0 &&
              h.keylen == k->n && h.datalen > 0 && h.datalen <= MAX_COPY && h.zlen > 0 &&
              h.zlen <= 2 * MAX_COPY &&
              (uint64_t)st.st_size == sizeof h + h.keylen + h.datalen + h.zlen;
    if (ok) {
        key = rc_arena_alloc(a, k->n);
        data = rc_arena_alloc(a, (size_t)h.datalen);
        z = rc_arena_alloc(a, (size_t)h.zlen);
        ok = io_all(fd, key, k->n, false) && memcmp(key, k->key, k->n) == 0 &&
             io_all(fd, data, (size_t)h.datalen, false) &&
             rc_hash_bytes(data, (size_t)h.datalen, DATA_SEED) == h.datahash &&
             io_all(fd, z, (size_t)h.zlen, false) &&
             rc_hash_bytes(z, (size_t)h.zlen, ~DATA_SEED) == h.zhash;
    }
    close(fd);
    if (!ok) return NULL;
    k->z = z;
    k->nz = (size_t)h.zlen;
    *len = (size_t)h.datalen;
    return data;
}

/* data[0..len) deflated into a, as rc_pdf_put_deflated would; NULL on
 * failure. */
static unsigned char *deflate_into(rc_arena *a, const void *data, size_t len, size_t *nz)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(RC_PDF_ZLEVEL);
    if (!c) return NULL;
    size_t bound = libdeflate_zlib_compress_bound(c, len);
    unsigned char *z = rc_arena_alloc(a, bound);
    *nz = libdeflate_zlib_compress(c, data, len, z, bound);
    libdeflate_free_compressor(c);
    return *nz ? z : NULL;
}

/* Whether a directory entry is a kept file: <32 hex digits><suffix>. */
static bool is_kept(const char *name, const char *suffix)
{
    size_t n = strlen(name);
    return n == 32 + strlen(suffix) && n < 40 && strcmp(name + 32, suffix) == 0;
}

/* Removes the oldest files named <32 hex digits><suffix> in dir (by
 * modification time, then name) while there are more than max. */
static void prune(const char *dir, const char *suffix, size_t max)
{
    DIR *d = opendir(dir);
    if (!d) return;
    enum { CAP = 4 * RC_PDF_FONTDISK_MAX_STREAMS };
    struct old {
        struct timespec t;
        char name[40];
    } v[CAP];
    size_t n = 0, total = 0;
    struct dirent *e;
    /* counted first: most writes find room, and stat nothing */
    while ((e = readdir(d)))
        total += is_kept(e->d_name, suffix);
    if (total <= max) {
        closedir(d);
        return;
    }
    rewinddir(d);
    total = 0;
    while ((e = readdir(d))) {
        if (!is_kept(e->d_name, suffix)) continue;
        total++;
        struct stat st;
        if (n == CAP || fstatat(dirfd(d), e->d_name, &st, 0) != 0) continue;
        v[n].t = st.st_mtim;
        size_t len = strnlen(e->d_name, sizeof v[n].name - 1); /* (is_kept: < 40) */
        memcpy(v[n].name, e->d_name, len);
        v[n].name[len] = 0;
        n++;
    }
    /* the oldest first: a few dozen names, sorted by insertion */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            struct old *a = &v[j - 1], *b = &v[j];
            bool later = a->t.tv_sec != b->t.tv_sec     ? a->t.tv_sec > b->t.tv_sec
                         : a->t.tv_nsec != b->t.tv_nsec ? a->t.tv_nsec > b->t.tv_nsec
                                                        : strcmp(a->name, b->name) > 0;
            if (!later) break;
            struct old t = *a;
            *a = *b;
            *b = t;
        }
    for (size_t i = 0; i < n && total > max; i++, total--)
        unlinkat(dirfd(d), v[i].name, 0);
    closedir(d);
}

/* Writes the parts into file (beside it, renamed into place: a reader sees
 * the old file, the new one, or none), making its directory; then prunes
 * the files of its kind there. */
static void write_kept(const char *file, const void *const *part, const size_t *len, int nparts,
                       const char *suffix, size_t max)
{
    char tmp[4300], sub[4200];
    const char *slash = strrchr(file, '/');
    if (!slash) return;
    snprintf(sub, sizeof sub, "%.*s", (int)(slash - file), file);
    if (mkdir(sub, 0755) != 0 && errno != EEXIST) return;
    /* one writer per name: editions written at once may keep the same file */
    static _Atomic unsigned seq;
    unsigned me = seq++;
    if (snprintf(tmp, sizeof tmp, "%s.%ld.%u.tmp", file, (long)getpid(), me) >= (int)sizeof tmp)
        return;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return;
    bool ok = true;
    /* io_all does not write through buf when wr: the cast drops const only */
    for (int i = 0; i < nparts && ok; i++)
        ok = io_all(fd, (void *)(uintptr_t)part[i], len[i], true);
    if (close(fd) != 0) ok = false;
    if (!ok || rename(tmp, file) != 0) {
        unlink(tmp);
        return;
    }
    prune(sub, suffix, max);
}

void rc_pdf_fontdisk_put(rc_pdf_fontdisk *k, const unsigned char *data, size_t len)
{
    if (!k->key || !k->keep || !data || len == 0 || len > MAX_COPY) return;
    size_t nz;
    const unsigned char *z = deflate_into(k->a, data, len, &nz);
    if (!z) return;
    k->z = z;
    k->nz = nz;
    head h;
    memcpy(h.magic, MAGIC, 8);
    h.keylen = k->n;
    h.datalen = len;
    h.datahash = rc_hash_bytes(data, len, DATA_SEED);
    h.zlen = k->nz;
    h.zhash = rc_hash_bytes(k->z, k->nz, ~DATA_SEED);
    const void *part[] = {&h, k->key, data, k->z};
    const size_t plen[] = {sizeof h, k->n, len, k->nz};
    write_kept(k->file, part, plen, 4, ".ttf", RC_PDF_FONTDISK_MAX);
}

/* ---- a font's other streams (rc_pdf_fontdisk_zget) ---- */

#define ZMAGIC "rczs001\n"
/* A stream larger than this is not kept (a CIDToGIDMap is 128 KB at most). */
#define ZMAX ((size_t)1 << 20)

typedef struct zhead {
    char magic[8];
    uint64_t exe, n, nz, zhash;
} zhead;

/* CACHEDIR/fonts/<hash of the bytes>.z; false when there is no cache. */
static bool zfile(const void *data, size_t n, char *out, size_t cap)
{
    char dir[4096];
    if (!rc_cache_dir(dir, sizeof dir)) return false;
    uint64_t h[2];
    rc_hash128(data, n, h);
    int k = snprintf(out, cap, "%s/fonts/%016llx%016llx.z", dir, (unsigned long long)h[0],
                     (unsigned long long)h[1]);
    return k > 0 && (size_t)k < cap;
}

const unsigned char *rc_pdf_fontdisk_zget(rc_arena *a, const void *data, size_t n, size_t *nz)
{
    char file[4200];
    if (n == 0 || n > ZMAX || !zfile(data, n, file, sizeof file)) return NULL;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    zhead h;
    unsigned char *raw = NULL, *z = NULL;
    bool ok = fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof h &&
              io_all(fd, &h, sizeof h, false) && memcmp(h.magic, ZMAGIC, 8) == 0 &&
              h.exe == rc_cache_exe_sig() && h.n == n && h.nz > 0 && h.nz <= 2 * ZMAX &&
              (uint64_t)st.st_size == sizeof h + h.n + h.nz;
    if (ok) {
        raw = rc_arena_alloc(a, n);
        z = rc_arena_alloc(a, (size_t)h.nz);
        /* the bytes themselves are the key, compared in full */
        ok = io_all(fd, raw, n, false) && memcmp(raw, data, n) == 0 &&
             io_all(fd, z, (size_t)h.nz, false) &&
             rc_hash_bytes(z, (size_t)h.nz, ~DATA_SEED) == h.zhash;
    }
    close(fd);
    if (!ok) return NULL;
    *nz = (size_t)h.nz;
    return z;
}

const unsigned char *rc_pdf_fontdisk_zmake(rc_arena *a, const void *data, size_t n, size_t *nz)
{
    char file[4200];
    if (n == 0 || n > ZMAX || !zfile(data, n, file, sizeof file)) return NULL;
    const unsigned char *z = deflate_into(a, data, n, nz);
    if (!z) return NULL;
    zhead h;
    memcpy(h.magic, ZMAGIC, 8);
    h.exe = rc_cache_exe_sig();
    h.n = n;
    h.nz = *nz;
    h.zhash = rc_hash_bytes(z, *nz, ~DATA_SEED);
    const void *part[] = {&h, data, z};
    const size_t plen[] = {sizeof h, n, *nz};
    write_kept(file, part, plen, 3, ".z", RC_PDF_FONTDISK_MAX_STREAMS);
    return z;
}
