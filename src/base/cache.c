/* cache: the cache directory and the memo of checked files (rc/cache.h). */
#include "rc/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rc/hash.h"

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
    int64_t sig[6] = {(int64_t)st.st_dev,         (int64_t)st.st_ino,
                      (int64_t)st.st_size,        (int64_t)st.st_mtim.tv_sec,
                      (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ctim.tv_sec};
    exe_sig = rc_hash_bytes(sig, sizeof sig, 0x657865u); /* "exe" */
}

/* CACHEDIR/checked/<hash of the check, the version, the executable and
 * the signature>. */
static bool memo_path(const char *dir, const char *what, const struct stat *st, char *out,
                      size_t cap)
{
    pthread_once(&exe_once, find_exe_sig);
    int64_t sig[7] = {(int64_t)st->st_dev,        (int64_t)st->st_ino,
                      (int64_t)st->st_size,       (int64_t)st->st_mtim.tv_sec,
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
    time_t last = st->st_mtim.tv_sec > st->st_ctim.tv_sec ? st->st_mtim.tv_sec
                                                          : st->st_ctim.tv_sec;
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

uint64_t rc_cache_exe_sig(void)
{
    pthread_once(&exe_once, find_exe_sig);
    return exe_sig;
}
