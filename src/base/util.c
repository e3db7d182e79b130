/* util: UTF-8, files, SHA-256 (nettle), paths and atomic output files. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "rc/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "rc/cache.h"

size_t rc_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0) return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

size_t rc_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Hand-written rather than utf8proc's iterator: it returns the offset of the
 * first bad byte (diagnostics point at it), runs on whole files at memory
 * speed with an 8-byte ASCII fast path, and needs no allocation. */
size_t rc_utf8_validate(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, 8 bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= len) break;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        if (!k) return i;
        i += k;
    }
    return len;
}

size_t rc_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

_Static_assert(RC_MAX_INPUT_FILE == (size_t)256 << 20, "rc_read_error names the limit");

const char *rc_read_error(int err)
{
    return err == EFBIG ? "the file is larger than 256 MiB, the limit for an input read whole"
                        : strerror(err);
}

/* Closes fd and fails with errno = err (close must not clobber it). */
static rc_status read_fail(int fd, int err, rc_status st)
{
    close(fd);
    errno = err;
    return st;
}

bool rc_write_all(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n) {
        ssize_t k = write(fd, b, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            return false;
        }
        b += k;
        n -= (size_t)k;
    }
    return true;
}

rc_status rc_read_file(rc_arena *a, const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return RC_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0) return read_fail(fd, errno, RC_ERR_IO);
    if (S_ISDIR(st.st_mode)) return read_fail(fd, EISDIR, RC_ERR_IO);
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > (uint64_t)RC_MAX_INPUT_FILE)
        return read_fail(fd, EFBIG, RC_ERR_LIMIT);
    /* A regular file is read into a buffer of its size; growth is only
     * needed when it grows while being read, or for pipes. */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size : 65536;
    char *buf = rc_arena_alloc(a, cap + 1);
    size_t n = 0;
    for (;;) {
        /* A full buffer: probe one byte to learn whether the file goes on. */
        char probe;
        bool full = n == cap;
        ssize_t r = full ? read(fd, &probe, 1) : read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            return read_fail(fd, errno, RC_ERR_IO);
        }
        if (r == 0) break;
        if (!full) {
            n += (size_t)r;
            continue;
        }
        if (cap >= RC_MAX_INPUT_FILE) /* grew while read, or a pipe */
            return read_fail(fd, EFBIG, RC_ERR_LIMIT);
        size_t nc = cap * 2 + 4096;
        if (nc > RC_MAX_INPUT_FILE) nc = RC_MAX_INPUT_FILE;
        buf = rc_arena_grow(a, buf, cap + 1, nc + 1, 1);
        cap = nc;
        buf[n++] = probe;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return RC_OK;
}

/* ---- SHA-256 (nettle) ----
 * Provenance hashes of the inputs. nettle's sha256 (Debian nettle-dev) uses
 * the processor's SHA extensions itself where it has them. */

static void hex_digest(const uint8_t d[SHA256_DIGEST_SIZE], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = 0;
}

void rc_sha256_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx s;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&s);
    sha256_update(&s, len, data);
    sha256_digest(&s, sizeof d, d);
    hex_digest(d, out);
}

/* Two digits a step, written from the end once the length is known: the
 * PDF's page contents are mostly numbers (28,000 for the sample, 62
 * instructions each a digit at a time through a reversed copy). */
size_t rc_utoa(uint64_t v, char *out)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    size_t n = 1;
    for (uint64_t t = v; t >= 10; t /= 10)
        n++;
    char *p = out + n;
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;
        v /= 100;
        *--p = pairs[d + 1];
        *--p = pairs[d];
    }
    if (v >= 10) {
        *--p = pairs[v * 2 + 1];
        *--p = pairs[v * 2];
    } else {
        *--p = (char)('0' + v);
    }
    return n;
}

rc_file_sig rc_file_sig_stat(const struct stat *st)
{
    return (rc_file_sig){true,
                         st->st_dev,
                         st->st_ino,
                         st->st_size,
                         (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
                         (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec};
}

rc_file_sig rc_file_sig_of(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0) return (rc_file_sig){0};
    return rc_file_sig_stat(&st);
}

bool rc_file_sig_eq(rc_file_sig a, rc_file_sig b)
{
    return a.exists == b.exists && a.dev == b.dev && a.ino == b.ino && a.size == b.size &&
           a.mtime_ns == b.mtime_ns && a.ctime_ns == b.ctime_ns;
}

/* The memo of rc_sha256_file (util.h): a short list, searched linearly (a
 * report has tens of inputs), behind one lock. The editions' workbooks are
 * written on several threads at once and list some of the same inputs
 * (the INI file, the CSVs): a thread that finds a file being hashed by
 * another (busy, the same signature) waits for that digest instead of
 * reading the file too. (Most inputs are an edition's own: the sample's
 * three editions hash 62 files, 275 KB.) */
typedef struct memo_entry {
    char *path;
    rc_file_sig sig;
    int64_t ctime_ns;
    uint64_t busy; /* nonzero: the ticket of the thread hashing it */
    char hex[65];
} memo_entry;

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t memo_cv = PTHREAD_COND_INITIALIZER; /* an entry stopped being busy */
static bool memo_on;
static memo_entry *memo;
static size_t memo_n, memo_cap;
static uint64_t memo_tickets;
static atomic_size_t files_read;

void rc_sha256_memo_enable(void)
{
    pthread_mutex_lock(&memo_lock);
    memo_on = true;
    pthread_mutex_unlock(&memo_lock);
}

static int64_t ctime_ns(const struct stat *st)
{
    return (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* Under memo_lock: the entry of path, or memo_n. */
static size_t memo_index(const char *path)
{
    size_t i = 0;
    while (i < memo_n && strcmp(memo[i].path, path) != 0)
        i++;
    return i;
}

static void memo_drop(size_t i)
{
    free(memo[i].path);
    memo[i] = memo[--memo_n];
}

void rc_sha256_memo_forget(const char *path)
{
    pthread_mutex_lock(&memo_lock);
    size_t i = memo_index(path);
    if (i < memo_n) memo_drop(i); /* (a thread hashing it then keeps nothing) */
    pthread_mutex_unlock(&memo_lock);
}

static bool memo_same(const memo_entry *m, const struct stat *st)
{
    return rc_file_sig_eq(m->sig, rc_file_sig_stat(st)) && m->ctime_ns == ctime_ns(st);
}

/* Under memo_lock: marks path (entry i, or a new one when i == memo_n) as
 * being hashed with st; its ticket, or 0 without memory. */
static uint64_t memo_claim(const char *path, const struct stat *st, size_t i)
{
    if (i == memo_n && memo_n == memo_cap) {
        size_t nc = memo_cap ? 2 * memo_cap : 64;
        memo_entry *nv = realloc(memo, nc * sizeof *nv);
        if (!nv) return 0;
        memo = nv;
        memo_cap = nc;
    }
    char *p = i < memo_n ? memo[i].path : strdup(path);
    if (!p) return 0;
    memo[i] = (memo_entry){p, rc_file_sig_stat(st), ctime_ns(st), ++memo_tickets, {0}};
    if (i == memo_n) memo_n++;
    return memo[i].busy;
}

/* Ends the claim ticket on path: keeps hex (NULL: the entry is dropped),
 * and wakes the threads waiting for it. */
static void memo_settle(const char *path, uint64_t ticket, const char *hex)
{
    pthread_mutex_lock(&memo_lock);
    size_t i = memo_index(path);
    if (i < memo_n && memo[i].busy == ticket) { /* (not forgotten meanwhile) */
        if (hex) {
            memcpy(memo[i].hex, hex, 65);
            memo[i].busy = 0;
        } else {
            memo_drop(i);
        }
    }
    pthread_cond_broadcast(&memo_cv);
    pthread_mutex_unlock(&memo_lock);
}

static rc_status sha256_fd(int fd, char out[65]);

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return rc_file_sig_eq(rc_file_sig_stat(a), rc_file_sig_stat(b)) && ctime_ns(a) == ctime_ns(b);
}

/* Hashes the open file fd into out; keeps the digest in the cache
 * directory when fd's signature is st's before and after the read. False
 * (out still set on RC_OK) when the file changed meanwhile. */
static rc_status hash_and_keep(int fd, const char *path, const struct stat *st, char out[65],
                               bool *unchanged)
{
    struct stat before, after;
    *unchanged = fstat(fd, &before) == 0 && same_stat(st, &before);
    rc_status r = sha256_fd(fd, out);
    if (r != RC_OK) return r;
    *unchanged = *unchanged && fstat(fd, &after) == 0 && same_stat(st, &after);
    if (*unchanged) rc_cache_sha256_put(path, st, &after, out);
    return r;
}

/* A remembered or kept digest needs only the path's signature (stat): no
 * open. A file read is described by the open file's signature (fstat),
 * and its digest kept only when that is the signature looked up, before
 * and after the read (not renamed over, not written meanwhile). */
rc_status rc_sha256_file(const char *path, char out[65])
{
    pthread_mutex_lock(&memo_lock);
    bool on = memo_on;
    pthread_mutex_unlock(&memo_lock);
    struct stat st;
    if (!on || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return RC_ERR_IO;
        rc_status r = sha256_fd(fd, out);
        close(fd);
        return r;
    }
    uint64_t ticket = 0;
    pthread_mutex_lock(&memo_lock);
    for (;;) {
        size_t i = memo_index(path);
        if (i < memo_n && memo_same(&memo[i], &st)) {
            if (!memo[i].busy) {
                memcpy(out, memo[i].hex, 65);
                pthread_mutex_unlock(&memo_lock);
                return RC_OK;
            }
            pthread_cond_wait(&memo_cv, &memo_lock); /* then look again */
            continue;
        }
        /* another version of the file is being hashed: this one is read
         * here and not remembered */
        if (i == memo_n || !memo[i].busy) ticket = memo_claim(path, &st, i);
        break;
    }
    pthread_mutex_unlock(&memo_lock);
    /* kept by an earlier build (rc/cache.h), else read */
    rc_status r = RC_OK;
    bool unchanged = rc_cache_sha256_get(path, &st, out);
    if (!unchanged) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        r = fd < 0 ? RC_ERR_IO : hash_and_keep(fd, path, &st, out, &unchanged);
        if (fd >= 0) close(fd);
    }
    /* changed since it was looked up: neither kept nor remembered */
    if (ticket) memo_settle(path, ticket, r == RC_OK && unchanged ? out : NULL);
    return r;
}

size_t rc_sha256_files_read(void)
{
    return atomic_load(&files_read);
}

static rc_status sha256_fd(int fd, char out[65])
{
    atomic_fetch_add(&files_read, 1);
    struct sha256_ctx s;
    sha256_init(&s);
    unsigned char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return RC_ERR_IO;
        if (n == 0) break;
        sha256_update(&s, (size_t)n, buf);
    }
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&s, sizeof d, d);
    hex_digest(d, out);
    return RC_OK;
}

/* ---- paths ---- */

char *rc_path_join(rc_arena *a, const char *dir, const char *rel)
{
    if (!rel) return NULL;
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0) return rc_arena_strdup(a, rel);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    return rc_arena_printf(a, "%.*s/%s", (int)dl, dir, rel);
}

char *rc_path_dir(rc_arena *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash) return rc_arena_strdup(a, ".");
    if (slash == file) return rc_arena_strdup(a, "/");
    return rc_arena_strndup(a, file, (size_t)(slash - file));
}

const char *rc_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- atomic output ---- */

char *rc_out_tmpname(rc_arena *a, const char *target)
{
    /* Unique per process and call; created exclusively by the library or
     * by rc_out_open. The name starts with '.' so a listing hides it. */
    static _Atomic unsigned long counter; /* names stay unique across threads */
    char *dir = rc_path_dir(a, target);
    unsigned long n = ++counter;
    const char *base = rc_path_base(target);
    /* Any name legal for the file system must work: the temporary adds
     * ".", ".PID.N.tmp", and a back end may make a temporary of a temporary,
     * so the base is cut (at a UTF-8 boundary) to keep the entry within
     * NAME_MAX. The pid and counter keep it unique; the base is for people. */
    char tail[64];
    int tl = snprintf(tail, sizeof tail, ".%ld.%lu.tmp", (long)getpid(), n);
    size_t keep = strlen(base), room = 255 - 1 - (size_t)tl;
    if (keep > room) {
        keep = room;
        while (keep > 0 && ((unsigned char)base[keep] & 0xC0) == 0x80)
            keep--;
    }
    char *tmp = rc_arena_printf(a, "%s/.%.*s%s", dir, (int)keep, base, tail);
    rc_tmp_register(tmp);
    return tmp;
}

char *rc_out_tmpfor(rc_arena *a, const char *target, bool *direct)
{
    /* Decided by the registry, not by the name: a real file that happens
     * to be called ".x.1.2.tmp" (or another process's temporary) is never
     * written in place. */
    *direct = rc_tmp_registered(target);
    return *direct ? rc_arena_strdup(a, target) : rc_out_tmpname(a, target);
}

void rc_out_drop(const char *tmp, bool direct)
{
    if (!direct) {
        rc_out_discard(tmp);
        return;
    }
    int e = errno;
    unlink(tmp);
    errno = e;
}

/* For a temporary's name "DIR/.NAME.PID.N.tmp": where NAME starts in path
 * (*from) and its length (*len); false for any other path. */
static bool tmp_name(const char *path, size_t *from, size_t *len)
{
    const char *base = rc_path_base(path);
    size_t n = strlen(base);
    if (base[0] != '.' || n < 10 || strcmp(base + n - 4, ".tmp") != 0) return false;
    size_t e = n - 4, dots = 0;
    while (e > 1 && dots < 2) {
        size_t k = e;
        while (k > 1 && base[k - 1] >= '0' && base[k - 1] <= '9')
            k--;
        if (k == e || base[k - 1] != '.') return false;
        e = k - 1;
        dots++;
    }
    if (dots < 2 || e <= 1) return false;
    *from = (size_t)(base - path) + 1;
    *len = e - 1;
    return true;
}

const char *rc_out_shown(rc_arena *a, const char *path)
{
    size_t from, len;
    if (!tmp_name(path, &from, &len)) return path;
    return rc_arena_printf(a, "%.*s%.*s", (int)(from - 1), path, (int)len, path + from);
}

bool rc_out_target(const char *path, char *out, size_t cap)
{
    size_t n = strlen(path);
    if (n >= cap) return false;
    memmove(out, path, n + 1);
    for (size_t from, len; tmp_name(out, &from, &len);) /* (a temporary of a temporary) */
        memmove(out + from - 1, out + from, len), out[from - 1 + len] = '\0';
    return true;
}

rc_status rc_out_open(rc_arena *a, const char *target, rc_outfile *o)
{
    o->target = rc_arena_strdup(a, target);
    o->tmp = rc_out_tmpfor(a, target, &o->direct);
    o->fd = -1;
    if (!rc_tmp_begin()) {
        errno = EINTR; /* the build is being stopped by a signal */
        return RC_ERR_IO;
    }
    /* O_EXCL in both cases: a direct target is a name the build made and
     * nobody has created yet. Should one be there all the same, it is a
     * leftover of a killed build that had this pid (the name is ours while
     * we live, and the stale cleanup spares our pid): it goes, once. */
    /* 0666 less the umask, as fopen(3) makes the outputs the libraries
     * write (libharu's PDF, libxlsxwriter's workbooks) */
    o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (o->fd < 0 && errno == EEXIST && o->direct && unlink(o->tmp) == 0)
        o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    rc_tmp_end();
    return o->fd < 0 ? RC_ERR_IO : RC_OK;
}

rc_status rc_out_commit(rc_outfile *o)
{
    if (o->fd < 0) return RC_ERR_IO;
    /* No fsync: the rename is atomic for readers and for a crashed build;
     * durability against power loss is the file system's business and an
     * fsync per output would cost more than the whole build. */
    int ok = close(o->fd) == 0;
    o->fd = -1;
    if (!ok) {
        rc_out_drop(o->tmp, o->direct);
        return RC_ERR_IO;
    }
    /* a direct target is in place already: the build renames it */
    return o->direct ? RC_OK : rc_out_rename(o->tmp, o->target);
}

void rc_out_abort(rc_outfile *o)
{
    if (o->fd >= 0) close(o->fd);
    o->fd = -1;
    if (o->tmp) rc_out_drop(o->tmp, o->direct);
}

rc_status rc_out_rename(const char *tmp, const char *target)
{
    bool go = rc_tmp_begin();
    if (!go) errno = EINTR; /* the build is being stopped by a signal */
    bool moved = go && rename(tmp, target) == 0;
    if (go) rc_tmp_end();
    if (!moved) {
        int e = errno;
        rc_out_discard(tmp);
        errno = e;
        return RC_ERR_IO;
    }
    rc_tmp_forget(tmp);
    return RC_OK;
}

void rc_out_discard(const char *tmp)
{
    int e = errno;
    unlink(tmp);
    rc_tmp_forget(tmp);
    errno = e;
}

static bool parse_epoch(const char *s, int64_t *out)
{
    if (*s < '0' || *s > '9') return false; /* no sign, no blank */
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != 0 || v < 0 || v >= 253402300800LL) return false;
    *out = (int64_t)v;
    return true;
}

int64_t rc_build_epoch(int64_t fallback)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    int64_t v;
    return s && *s && parse_epoch(s, &v) ? v : fallback;
}

bool rc_build_epoch_valid(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    int64_t v;
    return !s || !*s || parse_epoch(s, &v);
}

char *rc_shortest_double(char buf[32], double v)
{
    /* 17 significant digits always round-trip (IEEE 754 binary64); fewer
     * often do, and the first that does is the shortest in %g form. */
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, 32, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

/* ---- threads that start beside their creator ----
 * A thread is made to run beside the one that makes it, which goes on
 * computing; but Linux may queue the new thread on the maker's own CPU
 * rather than wake an idle one, and then it runs only when the maker
 * blocks or its time slice ends. Virtual machines make that the common
 * case: waking a halted virtual CPU costs the host a reschedule, and some
 * guest kernels pack tasks onto the CPUs already running (the 2-CPU KVM
 * machine reportc is measured on boots with such a setting). There, a
 * thread made while its maker computed for 4 ms started after 3.8 ms in 13
 * of 15 trials (when the maker stopped), and after 0.07-0.15 ms in all 15
 * when it was only allowed, at first, on the other CPU. So the thread
 * starts with the maker's CPU left out of its affinity, and its first act
 * is to allow every CPU again, so the scheduler may move it later as it
 * likes. Used for work that must overlap the maker's from its first
 * millisecond (build_early.c), and the writer's pool when it typesets
 * several editions (build_write.c: the second thread took its first
 * edition only when the main thread blocked; -2.2 ms for the sample's
 * three). Not for one edition: the deflating thread gained nothing from
 * it, and the pool's second thread, started early, took the typesetting
 * from the main thread and its warm heap (0.6-1.2 ms slower). */
atomic_int rc_thread_test_cpu[2] = {-1, -1};

typedef struct trampoline {
    void *(*fn)(void *);
    void *arg;
    cpu_set_t all;
} trampoline;

static void *tramp(void *x)
{
    trampoline t = *(trampoline *)x;
    free(x);
    atomic_store_explicit(&rc_thread_test_cpu[1], sched_getcpu(), memory_order_relaxed);
    sched_setaffinity(0, sizeof t.all, &t.all); /* this thread: anywhere from now on */
    return t.fn(t.arg);
}

int rc_thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
    cpu_set_t all;
    int cpu = sched_getcpu();
    trampoline *t = NULL;
    if (cpu >= 0 && sched_getaffinity(0, sizeof all, &all) == 0 && CPU_COUNT(&all) >= 2 &&
        CPU_ISSET(cpu, &all) && (t = malloc(sizeof *t)) != NULL) {
        cpu_set_t others = all;
        CPU_CLR(cpu, &others);
        atomic_store_explicit(&rc_thread_test_cpu[0], cpu, memory_order_relaxed);
        pthread_attr_t at;
        if (pthread_attr_init(&at) == 0) {
            *t = (trampoline){fn, arg, all};
            int r = pthread_attr_setaffinity_np(&at, sizeof others, &others) == 0
                        ? pthread_create(th, &at, tramp, t)
                        : -1;
            pthread_attr_destroy(&at);
            if (r == 0) return 0;
        }
        free(t);
    }
    return pthread_create(th, NULL, fn, arg);
}

size_t rc_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (size_t)CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}
