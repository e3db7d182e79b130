/* cache: the cache directory and the memo of checked files (rc/cache.h). */
#include "rc/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rc/hash.h"
#include "rc/util.h"

/* Changed less than this many seconds ago: not remembered (rc/cache.h). */
#define RACY_SECONDS 2

static bool dir_path(char *out, size_t cap)
{
    const char *d = getenv("REPORTC_CACHE_DIR");
    int n;
    if (d) {
        if (!*d) return false;
        n = snprintf(out, cap, "%s", d);
    } else if ((d = getenv("XDG_CACHE_HOME")) && *d) {
        n = snprintf(out, cap, "%s/reportc", d);
    } else if ((d = getenv("HOME")) && *d) {
        n = snprintf(out, cap, "%s/.cache/reportc", d);
    } else {
        return false;
    }
    return n >= 0 && (size_t)n < cap;
}

bool rc_cache_dir_name(char *out, size_t cap)
{
    return dir_path(out, cap);
}

bool rc_cache_dir(char *out, size_t cap)
{
    if (!dir_path(out, cap)) return false;
    if (mkdir(out, 0755) == 0 || errno == EEXIST) return true;
    /* ~/.cache itself may be missing: make the parent, then try again */
    char *slash = strrchr(out, '/');
    if (errno != ENOENT || !slash || slash == out) return false;
    *slash = '\0';
    int made = mkdir(out, 0755);
    *slash = '/';
    if (made != 0 && errno != EEXIST) return false;
    return mkdir(out, 0755) == 0 || errno == EEXIST;
}

/* A hash of the running executable's signature (device, inode, size and
 * times of /proc/self/exe; 0 where there is none): a rebuilt reportc, whose
 * checks may have changed without a version bump, checks every file again
 * once. Worked out once per process. */
static uint64_t exe_sig;
static pthread_once_t exe_once = PTHREAD_ONCE_INIT;

static void find_exe_sig(void)
{
    struct stat st;
    if (stat("/proc/self/exe", &st) != 0) return;
    int64_t sig[6] = {(int64_t)st.st_dev,          (int64_t)st.st_ino,
                      (int64_t)st.st_size,         (int64_t)st.st_mtim.tv_sec,
                      (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ctim.tv_sec};
    exe_sig = rc_hash_bytes(sig, sizeof sig, 0x657865u); /* "exe" */
}

/* CACHEDIR/checked/<hash of the check, the version, the executable and
 * the signature>. */
static bool memo_path(const char *dir, const char *what, const struct stat *st, char *out,
                      size_t cap)
{
    pthread_once(&exe_once, find_exe_sig);
    int64_t sig[7] = {(int64_t)st->st_dev,          (int64_t)st->st_ino,
                      (int64_t)st->st_size,         (int64_t)st->st_mtim.tv_sec,
                      (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec,
                      (int64_t)st->st_ctim.tv_nsec};
    uint64_t h = rc_hash_str(what, rc_hash_str(RC_VERSION, 0x636865636b6564u ^ exe_sig));
    uint64_t h1 = rc_hash_bytes(sig, sizeof sig, h), h2 = rc_hash_bytes(sig, sizeof sig, ~h);
    int n = snprintf(out, cap, "%s/checked/%016llx%016llx", dir, (unsigned long long)h1,
                     (unsigned long long)h2);
    return n >= 0 && (size_t)n < cap;
}

bool rc_checked_before(const char *what, const struct stat *st)
{
    char dir[4096], path[4200];
    return S_ISREG(st->st_mode) && dir_path(dir, sizeof dir) &&
           memo_path(dir, what, st, path, sizeof path) && access(path, F_OK) == 0;
}

void rc_checked_remember(const char *what, const struct stat *st)
{
    struct timespec now;
    if (!S_ISREG(st->st_mode) || clock_gettime(CLOCK_REALTIME, &now) != 0) return;
    time_t last = st->st_mtim.tv_sec > st->st_ctim.tv_sec ? st->st_mtim.tv_sec : st->st_ctim.tv_sec;
    if (now.tv_sec - last < RACY_SECONDS) return;
    char dir[4096], path[4200];
    if (!rc_cache_dir(dir, sizeof dir) || !memo_path(dir, what, st, path, sizeof path)) return;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) { /* CACHEDIR/checked is made once */
        char sub[4200];
        if (snprintf(sub, sizeof sub, "%s/checked", dir) >= (int)sizeof sub) return;
        if (mkdir(sub, 0755) != 0 && errno != EEXIST) return;
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd >= 0) close(fd);
}

/* ---- SHA-256 digests of input files (rc/cache.h) ---- */

#define SHA_MAGIC "rcsha01\n"
#define SHA_MAX_PATH 4096

/* Changed within RACY_SECONDS of now (by st's times), or the clock fails. */
static bool racy(const struct stat *st)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0) return true;
    time_t last = st->st_mtim.tv_sec > st->st_ctim.tv_sec ? st->st_mtim.tv_sec : st->st_ctim.tv_sec;
    return now.tv_sec - last < RACY_SECONDS;
}

/* What an entry for path with st starts with: the magic, the signature and
 * the executable's, the path's length and the path; *n its length. */
static bool sha_key(const char *path, const struct stat *st, unsigned char *out, size_t cap,
                    size_t *n)
{
    size_t plen = strlen(path);
    int64_t sig[8] = {(int64_t)st->st_dev,          (int64_t)st->st_ino,
                      (int64_t)st->st_size,         (int64_t)st->st_mtim.tv_sec,
                      (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec,
                      (int64_t)st->st_ctim.tv_nsec, (int64_t)rc_cache_exe_sig()};
    uint32_t pl = (uint32_t)plen;
    if (plen > SHA_MAX_PATH || 8 + sizeof sig + sizeof pl + plen > cap) return false;
    memcpy(out, SHA_MAGIC, 8);
    memcpy(out + 8, sig, sizeof sig);
    memcpy(out + 8 + sizeof sig, &pl, sizeof pl);
    memcpy(out + 8 + sizeof sig + sizeof pl, path, plen);
    *n = 8 + sizeof sig + sizeof pl + plen;
    return true;
}

/* The key's bytes, the 64 digits, then 16 hex digits of a hash of both. */
enum { SHA_KEYCAP = 8 + 64 + 4 + SHA_MAX_PATH, SHA_ENTRY = SHA_KEYCAP + 64 + 16 };

static void check_digits(const unsigned char *e, size_t n, char out[17])
{
    static const char hexd[] = "0123456789abcdef";
    uint64_t h = rc_hash_bytes(e, n, 0x726373686132u); /* "rcsha2" */
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hexd[h & 15];
    out[16] = 0;
}

static bool sha_file(const char *dir, const char *path, char *out, size_t cap)
{
    uint64_t h[2];
    rc_hash128(path, strlen(path), h);
    int k = snprintf(out, cap, "%s/sha256/%016llx%016llx", dir, (unsigned long long)h[0],
                     (unsigned long long)h[1]);
    return k > 0 && (size_t)k < cap;
}

static bool lower_hex(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

bool rc_cache_sha256_get(const char *path, const struct stat *st, char hex[65])
{
    char dir[4096], file[4200];
    unsigned char want[SHA_KEYCAP], got[SHA_ENTRY + 1];
    size_t nk;
    if (!S_ISREG(st->st_mode) || !dir_path(dir, sizeof dir) ||
        !sha_file(dir, path, file, sizeof file) || !sha_key(path, st, want, sizeof want, &nk))
        return false;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    size_t n = 0;
    for (ssize_t k; n < sizeof got && (k = read(fd, got + n, sizeof got - n)) != 0;) {
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) break;
        n += (size_t)k;
    }
    close(fd);
    char check[17];
    if (n != nk + 64 + 16 || memcmp(got, want, nk) != 0 || !lower_hex(got + nk, 64)) return false;
    check_digits(got, nk + 64, check);
    if (memcmp(got + nk + 64, check, 16) != 0) return false;
    memcpy(hex, got + nk, 64);
    hex[64] = 0;
    return true;
}

static bool write_entry(const char *dir, const char *sub, const char *file, const void *e,
                        size_t n);

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

void rc_cache_sha256_put(const char *path, const struct stat *before, const struct stat *after,
                         const char hex[65])
{
    unsigned char e[SHA_ENTRY];
    size_t nk;
    if (!S_ISREG(before->st_mode) || !same_stat(before, after) || racy(before) ||
        strlen(hex) != 64 || !lower_hex((const unsigned char *)hex, 64) ||
        !sha_key(path, before, e, sizeof e, &nk))
        return;
    memcpy(e + nk, hex, 64);
    char check[17];
    check_digits(e, nk + 64, check);
    memcpy(e + nk + 64, check, 16);
    size_t n = nk + 64 + 16;
    char dir[4096], file[4200];
    if (!rc_cache_dir(dir, sizeof dir) || !sha_file(dir, path, file, sizeof file)) return;
    write_entry(dir, "sha256", file, e, n);
}

/* Writes n bytes to file (in dir's subdirectory sub, made when missing)
 * through a temporary renamed into place whole: a reader sees the old
 * entry, the new one, or none; false when it could not. */
static bool write_entry(const char *dir, const char *sub, const char *file, const void *e, size_t n)
{
    char tmp[4300];
    /* one writer per name: several threads or processes may keep the same entry */
    static _Atomic unsigned seq;
    unsigned me = seq++;
    if (snprintf(tmp, sizeof tmp, "%s.%ld.%u.tmp", file, (long)getpid(), me) >= (int)sizeof tmp)
        return false;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) { /* CACHEDIR/sub is made once */
        char d[4200];
        if (snprintf(d, sizeof d, "%s/%s", dir, sub) >= (int)sizeof d) return false;
        if (mkdir(d, 0755) != 0 && errno != EEXIST) return false;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    if (fd < 0) return false;
    bool ok = rc_write_all(fd, e, n);
    if (close(fd) != 0) ok = false;
    if (ok && rename(tmp, file) == 0) return true;
    unlink(tmp);
    return false;
}

/* --- entries of any kind (rc_cache_entry_get / _put) -------------------- */

/* An entry: "rcentry1", the key's length (8 bytes), the key, the value's
 * length (8 bytes), the value, and a hash of all that (8 bytes). */
#define ENTRY_MAGIC "rcentry1"
#define ENTRY_MAX ((size_t)1 << 26)

static bool entry_file(const char *dir, const char *sub, const char *name, const void *key,
                       size_t nk, char *out, size_t cap)
{
    uint64_t h[2];
    if (name)
        rc_hash128(name, strlen(name), h);
    else
        rc_hash128(key, nk, h);
    int k = snprintf(out, cap, "%s/%s/%016llx%016llx", dir, sub, (unsigned long long)h[0],
                     (unsigned long long)h[1]);
    return k > 0 && (size_t)k < cap;
}

void *rc_cache_entry_get(const char *sub, const char *name, const void *key, size_t nk, size_t *nv)
{
    char dir[4096], file[4200];
    if (!dir_path(dir, sizeof dir) || !entry_file(dir, sub, name, key, nk, file, sizeof file))
        return NULL;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    unsigned char *e = NULL;
    size_t n = 0;
    if (fstat(fd, &st) == 0 && st.st_size >= 32 && (size_t)st.st_size <= ENTRY_MAX + nk + 32 &&
        (e = malloc((size_t)st.st_size)))
        while (n < (size_t)st.st_size) {
            ssize_t k = read(fd, e + n, (size_t)st.st_size - n);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) break;
            n += (size_t)k;
        }
    close(fd);
    uint64_t l[2], check;
    if (!e || n != (size_t)st.st_size || memcmp(e, ENTRY_MAGIC, 8) != 0) goto bad;
    memcpy(&l[0], e + 8, 8);
    if (l[0] != nk || n < 32 + nk || memcmp(e + 16, key, nk) != 0) goto bad;
    memcpy(&l[1], e + 16 + nk, 8);
    if (l[1] != n - 32 - nk) goto bad;
    memcpy(&check, e + n - 8, 8);
    if (check != rc_hash_bytes(e, n - 8, 0x7263656e747279u)) goto bad; /* "rcentry" */
    memmove(e, e + 24 + nk, (size_t)l[1]);
    *nv = (size_t)l[1];
    return e;
bad:
    free(e);
    return NULL;
}

bool rc_cache_entry_put(const char *sub, const char *name, const void *key, size_t nk,
                        const void *val, size_t nv)
{
    char dir[4096], file[4200];
    if (nv > ENTRY_MAX || !rc_cache_dir(dir, sizeof dir) ||
        !entry_file(dir, sub, name, key, nk, file, sizeof file))
        return false;
    size_t n = 32 + nk + nv;
    unsigned char *e = malloc(n);
    if (!e) return false;
    uint64_t l[2] = {nk, nv};
    memcpy(e, ENTRY_MAGIC, 8);
    memcpy(e + 8, &l[0], 8);
    memcpy(e + 16, key, nk);
    memcpy(e + 16 + nk, &l[1], 8);
    if (nv) memcpy(e + 24 + nk, val, nv);
    uint64_t check = rc_hash_bytes(e, n - 8, 0x7263656e747279u);
    memcpy(e + n - 8, &check, 8);
    bool ok = write_entry(dir, sub, file, e, n);
    free(e);
    return ok;
}

uint64_t rc_cache_exe_sig(void)
{
    pthread_once(&exe_once, find_exe_sig);
    return exe_sig;
}
