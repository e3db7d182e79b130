/* zmemo: deflated bytes kept between builds, one file per output
 * (rc/zmemo.h says what and why).
 *
 * The file, written front to back so that a write needs no seek:
 *   the pairs' bytes (each stream, then its deflated bytes), as they came;
 *   the key, padded to 8 bytes;
 *   the entries (zent: a hash of the stream, where its bytes and its
 *   deflated bytes are, and a hash of the deflated bytes);
 *   a tail (ztail) saying where the key and the entries are, with a hash
 *   of both and the magic.
 * Loading maps it (one open, one mmap populated from the page cache: no
 * page fault per page), checks the tail, the key and every entry's extent,
 * and indexes the entries by hash; a damaged file is ignored whole. A
 * stream's bytes are compared in full on a hit and the deflated bytes
 * checked by their hash, so a file damaged anywhere gives a miss, never
 * other bytes. */
#define _GNU_SOURCE /* dladdr, MAP_POPULATE */
#include "rc/zmemo.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rc/cache.h"
#include "rc/hash.h"
#include "rc/util.h"

#define MAGIC "rczmem1\n"
#define CHECK_SEED UINT64_C(0x727a6d656d6f) /* "rzmemo" */
#define BUF ((size_t)64 << 10)              /* the new file's write buffer */

typedef struct zent {
    uint64_t h, raw_off, raw_len, z_off, z_len, zhash;
} zent;

typedef struct ztail {
    uint64_t key_off, key_len, ent_off, nent, check;
    char magic[8];
} ztail;

/* RC_ZMEMO_MAX, or less for a test (rc_zmemo_limit). */
static _Atomic size_t limit = RC_ZMEMO_MAX;

void rc_zmemo_limit(size_t max)
{
    limit = max ? max : RC_ZMEMO_MAX;
}

struct rc_zmemo {
    char *file; /* CACHEDIR/deflate/NAME */
    unsigned char *key;
    size_t nkey;
    /* the file as loaded (NULL: none, or not usable) */
    unsigned char *map;
    size_t mapn;
    const zent *ent;
    size_t nent;
    uint32_t *slot; /* entry index + 1 by hash; cap slots (a power of two) */
    size_t cap;
    atomic_uchar *used;
    atomic_size_t hits, misses, nused;
    /* the new file: written as pairs are put, finished by rc_zmemo_close */
    pthread_mutex_t mu;
    int fd; /* -1: not started */
    bool failed;
    char *tmp;
    unsigned char *buf;
    size_t bn;
    uint64_t at; /* bytes of the new file so far, the buffer's included */
    zent *nw;    /* the pairs put */
    size_t nnw, nwcap;
    uint32_t *nslot; /* nw index + 1 by hash: a pair is put once */
    size_t ncap;
    size_t bytes; /* the pairs' bytes in the new file */
    size_t max;   /* at most (limit when opened) */
    bool first;   /* no file was there: the output's first memo (prune) */
};

uint64_t rc_zmemo_file_sig(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0) return 0;
    int64_t s[6] = {(int64_t)st.st_dev,          (int64_t)st.st_ino,
                    (int64_t)st.st_size,         (int64_t)st.st_mtim.tv_sec,
                    (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ctim.tv_sec};
    return rc_hash_bytes(s, sizeof s, 0x6c6962u) | 1; /* "lib"; never 0 */
}

/* The signature of the file fn's code was loaded from (device, inode,
 * size, times): a shared library replaced by an upgrade gives another
 * key. Worked out once per function. */
uint64_t rc_zmemo_lib_sig(rc_zmemo_fn fn)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static struct libsig {
        rc_zmemo_fn fn;
        uint64_t sig;
    } seen[4];
    static size_t nseen;
    if (!fn) return 0;
    uint64_t sig = 0;
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < nseen; i++)
        if (seen[i].fn == fn) {
            sig = seen[i].sig;
            pthread_mutex_unlock(&mu);
            return sig;
        }
    Dl_info info;
    const void *addr; /* (a function's address as dladdr takes it) */
    memcpy(&addr, &fn, sizeof addr);
    if (dladdr(addr, &info) && info.dli_fname) sig = rc_zmemo_file_sig(info.dli_fname);
    if (nseen < sizeof seen / sizeof seen[0]) seen[nseen++] = (struct libsig){fn, sig};
    pthread_mutex_unlock(&mu);
    return sig;
}

/* The output's absolute path, a temporary's name read as the output's
 * (malloc'd; NULL without memory or working directory). */
static char *output_path(const char *output)
{
    char shown[4096], cwd[4096];
    if (!rc_out_target(output, shown, sizeof shown)) return NULL;
    if (shown[0] == '/') return strdup(shown);
    if (!getcwd(cwd, sizeof cwd)) return NULL;
    size_t nc = strlen(cwd), ns = strlen(shown);
    char *abs = malloc(nc + ns + 2);
    if (abs) {
        memcpy(abs, cwd, nc);
        abs[nc] = '/';
        memcpy(abs + nc + 1, shown, ns + 1);
    }
    return abs;
}

static uint64_t check_of(const unsigned char *key, size_t nkey, const zent *e, size_t n)
{
    static const zent none; /* (a file of no pairs: e may be NULL) */
    return rc_hash_bytes(n ? (const void *)e : &none, n * sizeof *e,
                         rc_hash_bytes(key, nkey, CHECK_SEED));
}

/* Maps m->file and takes its entries when the file is whole and its key
 * m's; else leaves m without one. */
static void load(rc_zmemo *m)
{
    int fd = open(m->file, O_RDONLY | O_CLOEXEC);
    m->first = fd < 0 && errno == ENOENT;
    if (fd < 0) return;
    struct stat st;
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof(ztail) &&
        (uint64_t)st.st_size <= (uint64_t)RC_ZMEMO_MAX * 2)
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return;
    size_t size = (size_t)st.st_size, body = size - sizeof(ztail);
    unsigned char *b = p;
    ztail t;
    memcpy(&t, b + body, sizeof t);
    bool ok = memcmp(t.magic, MAGIC, 8) == 0 && t.key_len == m->nkey && t.key_off <= body &&
              t.key_len <= body - t.key_off && memcmp(b + t.key_off, m->key, m->nkey) == 0 &&
              t.ent_off % 8 == 0 && t.ent_off <= body &&
              t.nent <= (body - t.ent_off) / sizeof(zent) && t.nent < UINT32_MAX / 4;
    const zent *e = ok ? (const zent *)(const void *)(b + t.ent_off) : NULL;
    ok = ok && check_of(m->key, m->nkey, e, (size_t)t.nent) == t.check;
    for (size_t i = 0; ok && i < t.nent; i++) /* each pair within the bytes before the key */
        ok = e[i].raw_off <= t.key_off && e[i].raw_len <= t.key_off - e[i].raw_off &&
             e[i].z_off <= t.key_off && e[i].z_len <= t.key_off - e[i].z_off;
    size_t cap = 16;
    while (ok && cap < t.nent * 2)
        cap *= 2;
    uint32_t *slot = ok ? calloc(cap, sizeof *slot) : NULL;
    atomic_uchar *used = ok ? calloc(t.nent ? t.nent : 1, sizeof *used) : NULL;
    if (!slot || !used) {
        free(slot);
        free(used);
        munmap(p, size);
        return;
    }
    for (size_t i = 0; i < t.nent; i++) {
        size_t k = e[i].h & (cap - 1);
        while (slot[k])
            k = (k + 1) & (cap - 1);
        slot[k] = (uint32_t)i + 1;
    }
    m->map = b;
    m->mapn = size;
    m->ent = e;
    m->nent = (size_t)t.nent;
    m->slot = slot;
    m->cap = cap;
    m->used = used;
}

rc_zmemo *rc_zmemo_open(const char *output, const char *kind, const char *coder, rc_zmemo_fn lib_fn)
{
    return rc_zmemo_open_in("deflate", output, kind, coder, lib_fn);
}

rc_zmemo *rc_zmemo_open_in(const char *subdir, const char *output, const char *kind,
                           const char *coder, rc_zmemo_fn lib_fn)
{
    char dir[4096];
    if (!rc_cache_dir_name(dir, sizeof dir)) return NULL; /* made when written (start) */
    rc_zmemo *m = calloc(1, sizeof *m);
    char *abs = output_path(output);
    if (!m || !abs) {
        free(m);
        free(abs);
        return NULL;
    }
    m->fd = -1;
    m->max = limit;
    /* the key: kind, path, coder, reportc's version, then the signatures */
    size_t nk = strlen(kind) + 1, np = strlen(abs) + 1, nc = strlen(coder) + 1,
           nv = strlen(RC_VERSION) + 1;
    uint64_t sig[2] = {rc_cache_exe_sig(), rc_zmemo_lib_sig(lib_fn)};
    m->nkey = nk + np + nc + nv + sizeof sig;
    m->key = malloc(m->nkey);
    uint64_t h[2];
    rc_hash128(abs, np, h);
    h[1] ^= rc_hash_str(kind, 0x7a6d656d6fu); /* "zmemo" */
    char name[4200];
    int k = snprintf(name, sizeof name, "%s/%s/%016llx%016llx", dir, subdir,
                     (unsigned long long)h[0], (unsigned long long)h[1]);
    if (!m->key || k < 0 || (size_t)k >= sizeof name || !(m->file = strdup(name))) {
        free(m->key);
        free(m->file);
        free(abs);
        free(m);
        return NULL;
    }
    unsigned char *o = m->key;
    memcpy(o, kind, nk), o += nk;
    memcpy(o, abs, np), o += np;
    memcpy(o, coder, nc), o += nc;
    memcpy(o, RC_VERSION, nv), o += nv;
    memcpy(o, sig, sizeof sig);
    free(abs);
    pthread_mutex_init(&m->mu, NULL);
    load(m);
    return m;
}

/* Keys and values of at most this many bytes are hashed by rc_hash_short,
 * longer ones by libdeflate's CRC-32. */
#define SHORT 64

/* The hash that picks a stream's slot (the full bytes are compared): its
 * CRC-32 and length. libdeflate's CRC-32 folds 64 bytes in a few carry-less
 * multiplications: 0.1 instructions a byte, where rc_hash128 takes two
 * (5.6 M of the sample's three editions when nothing is kept yet). A short
 * key (the shaper's texts, most of the lookups) takes rc_hash_short: ~30
 * instructions where the CRC's call and set-up took ~110 (9,054 hashes and
 * checks, 1.0 M instructions of the one-edition --only pdf build). */
static uint64_t raw_hash(const void *raw, size_t n)
{
    if (n <= SHORT) return rc_hash_short(raw, n);
    return (uint64_t)libdeflate_crc32(0, raw, n) | (uint64_t)n << 32;
}

/* The check of kept deflated bytes: their CRC-32, as zip and gzip check
 * theirs (the bytes were compared in full already; this catches damage);
 * a short value's, rc_hash_short's 64 bits. */
static uint64_t z_check(const void *z, size_t n)
{
    if (n <= SHORT) return rc_hash_short(z, n) ^ 1; /* (not its key's hash) */
    return libdeflate_crc32(0, z, n);
}

const unsigned char *rc_zmemo_get(rc_zmemo *m, const void *raw, size_t n, size_t *zn)
{
    if (!m) return NULL;
    if (m->map) {
        uint64_t h = raw_hash(raw, n);
        for (size_t k = h & (m->cap - 1); m->slot[k]; k = (k + 1) & (m->cap - 1)) {
            size_t i = m->slot[k] - 1;
            const zent *e = &m->ent[i];
            if (e->h != h || e->raw_len != n || memcmp(m->map + e->raw_off, raw, n) != 0) continue;
            const unsigned char *z = m->map + e->z_off;
            if (z_check(z, (size_t)e->z_len) != e->zhash) break; /* damaged */
            if (!atomic_exchange(&m->used[i], 1)) atomic_fetch_add(&m->nused, 1);
            atomic_fetch_add(&m->hits, 1);
            *zn = (size_t)e->z_len;
            return z;
        }
    }
    atomic_fetch_add(&m->misses, 1);
    return NULL;
}

size_t rc_zmemo_loaded(const rc_zmemo *m)
{
    return m && m->map ? m->nent : 0;
}

bool rc_zmemo_loaded_pair(const rc_zmemo *m, size_t i, const unsigned char **raw, size_t *n,
                          const unsigned char **z, size_t *zn)
{
    if (i >= rc_zmemo_loaded(m)) return false;
    const zent *e = &m->ent[i];
    const unsigned char *v = m->map + e->z_off;
    if (z_check(v, (size_t)e->z_len) != e->zhash) return false;
    *raw = m->map + e->raw_off;
    *n = (size_t)e->raw_len;
    *z = v;
    *zn = (size_t)e->z_len;
    return true;
}

bool rc_zmemo_keep_loaded(rc_zmemo *m, size_t i)
{
    const unsigned char *raw, *z;
    size_t n, zn;
    if (!rc_zmemo_loaded_pair(m, i, &raw, &n, &z, &zn)) return false;
    if (!atomic_exchange(&m->used[i], 1)) atomic_fetch_add(&m->nused, 1);
    return true;
}

size_t rc_zmemo_max(const rc_zmemo *m)
{
    return m ? m->max : 0;
}

static bool flush(rc_zmemo *m)
{
    bool ok = rc_write_all(m->fd, m->buf, m->bn);
    m->bn = 0;
    return ok;
}

/* Appends p[0..n) to the new file (under the lock). */
static void append(rc_zmemo *m, const void *p, size_t n)
{
    if (m->failed || n == 0) return; /* (p may be NULL then: no entries) */
    if (m->bn + n > BUF && !flush(m)) m->failed = true;
    if (n >= BUF) {
        if (!m->failed && !rc_write_all(m->fd, p, n)) m->failed = true;
    } else {
        memcpy(m->buf + m->bn, p, n);
        m->bn += n;
    }
    m->at += n;
}

/* Starts the new file (under the lock): a temporary of this process. */
static bool start(rc_zmemo *m)
{
    if (m->fd >= 0) return true;
    if (m->failed) return false;
    static _Atomic unsigned seq;
    size_t n = strlen(m->file) + 48;
    m->tmp = malloc(n);
    m->buf = malloc(BUF);
    if (m->tmp && m->buf) {
        snprintf(m->tmp, n, "%s.%ld.%u.tmp", m->file, (long)getpid(), seq++);
        m->fd = open(m->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m->fd < 0 && errno == ENOENT) { /* CACHEDIR/SUBDIR is made once */
            char *slash = strrchr(m->file, '/'), d[4096];
            *slash = '\0';
            bool made = rc_cache_dir(d, sizeof d) && (mkdir(m->file, 0755) == 0 || errno == EEXIST);
            *slash = '/';
            if (made) m->fd = open(m->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
    }
    if (m->fd < 0) m->failed = true; /* unwritable: just no file */
    return m->fd >= 0;
}

/* Records a pair written at the new file's current end (under the lock). */
static void add(rc_zmemo *m, uint64_t h, const void *raw, size_t n, const void *z, size_t zn,
                uint64_t zhash)
{
    if (m->nnw == m->nwcap) {
        size_t c = m->nwcap ? m->nwcap * 2 : 64;
        zent *v = realloc(m->nw, c * sizeof *v);
        uint32_t *s = calloc(c * 2, sizeof *s);
        if (!v || !s) {
            if (v) m->nw = v;
            free(s);
            m->failed = true;
            return;
        }
        m->nw = v;
        m->nwcap = c;
        free(m->nslot);
        m->nslot = s;
        m->ncap = c * 2;
        for (size_t i = 0; i < m->nnw; i++) {
            size_t k = m->nw[i].h & (m->ncap - 1);
            while (m->nslot[k])
                k = (k + 1) & (m->ncap - 1);
            m->nslot[k] = (uint32_t)i + 1;
        }
    }
    zent e = {h, m->at, n, m->at + n, zn, zhash};
    append(m, raw, n);
    append(m, z, zn);
    if (m->failed) return;
    size_t k = h & (m->ncap - 1);
    while (m->nslot[k])
        k = (k + 1) & (m->ncap - 1);
    m->nslot[k] = (uint32_t)m->nnw + 1;
    m->nw[m->nnw++] = e;
    m->bytes += n + zn;
}

void rc_zmemo_forget(rc_zmemo *m, const void *raw, size_t n)
{
    if (!m || !m->map) return;
    uint64_t h = raw_hash(raw, n);
    for (size_t k = h & (m->cap - 1); m->slot[k]; k = (k + 1) & (m->cap - 1)) {
        size_t i = m->slot[k] - 1;
        const zent *e = &m->ent[i];
        if (e->h != h || e->raw_len != n || memcmp(m->map + e->raw_off, raw, n) != 0) continue;
        if (atomic_exchange(&m->used[i], 0)) atomic_fetch_sub(&m->nused, 1);
    }
}

void rc_zmemo_put(rc_zmemo *m, const void *raw, size_t n, const void *z, size_t zn)
{
    if (!m) return;
    uint64_t h = raw_hash(raw, n);
    pthread_mutex_lock(&m->mu);
    /* a stream put twice (two equal pages) is kept once; a different one
     * of the same hash and length is then not kept (a miss next time) */
    bool seen = false;
    for (size_t k = m->ncap ? h & (m->ncap - 1) : 0; m->ncap && m->nslot[k] && !seen;
         k = (k + 1) & (m->ncap - 1)) {
        const zent *e = &m->nw[m->nslot[k] - 1];
        seen = e->h == h && e->raw_len == n;
    }
    if (!seen && n + zn <= m->max - m->bytes && start(m)) add(m, h, raw, n, z, zn, z_check(z, zn));
    pthread_mutex_unlock(&m->mu);
}

void rc_zmemo_counts(const rc_zmemo *m, size_t *hits, size_t *misses)
{
    *hits = m ? atomic_load(&m->hits) : 0;
    *misses = m ? atomic_load(&m->misses) : 0;
}

/* Whether the memo file name in directory dfd is that of an output that
 * does not exist (by the path its key holds), written more than an hour
 * ago (a build writes its memos just before it renames its outputs into
 * place: another build's first outputs may be under way). */
static bool orphan(int dfd, const char *name, time_t now)
{
    int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    ztail t;
    char key[4096 + 64];
    bool ok = fstat(fd, &st) == 0 && st.st_size >= (off_t)sizeof t &&
              st.st_mtim.tv_sec < now - 3600 &&
              pread(fd, &t, sizeof t, st.st_size - (off_t)sizeof t) == (ssize_t)sizeof t &&
              memcmp(t.magic, MAGIC, 8) == 0 && t.key_len < sizeof key &&
              t.key_off <= (uint64_t)st.st_size &&
              pread(fd, key, (size_t)t.key_len, (off_t)t.key_off) == (ssize_t)t.key_len;
    close(fd);
    if (!ok) return false;
    key[t.key_len] = '\0';
    const char *kind_end = memchr(key, '\0', (size_t)t.key_len), *path = kind_end + 1;
    if (!kind_end || path >= key + t.key_len || path[0] != '/') return false;
    return access(path, F_OK) != 0 && errno == ENOENT;
}

/* Removes the memos of outputs that no longer exist (built into a
 * directory removed since: CI runs, benchmarks, tests; untouched for an
 * hour) and the temporaries
 * of builds killed while writing one; run when an output's first memo is
 * written, so the directory holds memos of existing outputs (and of
 * builds under way) only. Looks at 4096 entries at most. */
static void prune(const rc_zmemo *m)
{
    char d[4096];
    const char *slash = strrchr(m->file, '/');
    size_t nd = (size_t)(slash - m->file);
    if (nd >= sizeof d) return;
    memcpy(d, m->file, nd);
    d[nd] = '\0';
    DIR *dp = opendir(d);
    if (!dp) return;
    int dfd = dirfd(dp);
    time_t now = time(NULL);
    size_t looked = 0;
    for (struct dirent *e; looked < 4096 && (e = readdir(dp)) != NULL; looked++) {
        const char *name = e->d_name;
        size_t n = strlen(name);
        if (name[0] == '.' || strcmp(name, slash + 1) == 0) continue;
        if (n > 36 && name[32] == '.' && strcmp(name + n - 4, ".tmp") == 0) {
            /* NAME.PID.N.tmp: removed once PID is no longer alive */
            long pid = strtol(name + 33, NULL, 10);
            if (pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH) unlinkat(dfd, name, 0);
        } else if (n == 32 && orphan(dfd, name, now)) {
            unlinkat(dfd, name, 0);
        }
    }
    closedir(dp);
}

/* Finishes the new file: the pairs of the old one that were used, the
 * key, the entries and the tail; then renames it over the old one. */
static bool finish(rc_zmemo *m)
{
    for (size_t i = 0; i < m->nent && !m->failed; i++) {
        if (!atomic_load(&m->used[i])) continue;
        const zent *e = &m->ent[i];
        const unsigned char *raw = m->map + e->raw_off, *z = m->map + e->z_off;
        if ((size_t)(e->raw_len + e->z_len) > m->max - m->bytes) continue;
        add(m, e->h, raw, (size_t)e->raw_len, z, (size_t)e->z_len, e->zhash);
    }
    static const unsigned char zero[8];
    uint64_t key_off = m->at;
    append(m, m->key, m->nkey);
    append(m, zero, (8 - m->at % 8) % 8);
    ztail t = {key_off, m->nkey, m->at, m->nnw, check_of(m->key, m->nkey, m->nw, m->nnw), {0}};
    memcpy(t.magic, MAGIC, 8);
    append(m, m->nw, m->nnw * sizeof *m->nw);
    append(m, &t, sizeof t);
    bool ok = !m->failed && flush(m);
    if (close(m->fd) != 0) ok = false;
    m->fd = -1;
    /* renamed into place whole: a reader maps the old file, the new one, or none */
    if (ok && m->first) prune(m);
    if (ok && rename(m->tmp, m->file) == 0) return true;
    unlink(m->tmp);
    return false;
}

bool rc_zmemo_close(rc_zmemo *m, bool ok)
{
    if (!m) return false;
    bool wrote = false;
    /* changed: a pair was put, or one of the file's was not used */
    bool changed = m->nnw > 0 || atomic_load(&m->nused) < m->nent;
    if (ok && changed && !m->failed && (m->fd >= 0 || start(m))) wrote = finish(m);
    if (m->fd >= 0) {
        close(m->fd);
        unlink(m->tmp);
    }
    if (m->map) munmap(m->map, m->mapn);
    free(m->slot);
    free((void *)m->used);
    free(m->nw);
    free(m->nslot);
    free(m->buf);
    free(m->tmp);
    free(m->key);
    free(m->file);
    pthread_mutex_destroy(&m->mu);
    free(m);
    return wrote;
}
