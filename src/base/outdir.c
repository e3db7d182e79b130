/* outdir: what a build leaves in its output directory when it is killed or
 * when another build runs at the same time.
 *
 * - Temporaries are registered while they exist; SIGINT, SIGTERM and SIGHUP
 *   remove them (and the build's work directory) before the process dies of
 *   the signal. The handler only calls async-signal-safe functions (unlink,
 *   unlinkat, rmdir, getdents64 through syscall, nanosleep, raise), over paths copied
 *   into static slots, so it never touches the arena or malloc.
 * - SIGKILL cannot be caught: its leftovers carry the dead build's pid in
 *   their names (".NAME.PID.N.tmp", ".reportc.PID.work"), and the next build
 *   in the directory removes those whose pid is no longer alive (kill(pid, 0)
 *   fails with ESRCH). A live pid, ours or another build's, is never touched.
 * - Builds into one directory are serialised by flock on the directory
 *   itself: no lock file is added, so a failed build still leaves the
 *   directory exactly as it was. */
#define _GNU_SOURCE
#include "rc/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 32
#define SLOT_FREE 0
#define SLOT_BUSY 1 /* being filled or emptied */
#define SLOT_READY 2

static struct {
    _Atomic int state;
    char path[PATH_MAX];
} slots[SLOTS];

static struct {
    _Atomic int fd;   /* open on the work directory while it exists, else -1 */
    _Atomic int made; /* path is set and the directory may exist (set before
                       * mkdir, so a signal between mkdir and open still
                       * removes it) */
    char path[PATH_MAX];
    char parent[PATH_MAX];
} work = {.fd = -1};

/* A temporary's name appears on disk in rc_out_open (open O_CREAT) and
 * rc_out_rename (a temporary of a temporary renamed onto its target); the
 * other threads run on while a signal handler sweeps, so a name made just
 * after the last sweep was left behind (e2e/kills saw
 * "..NAME.tex.PID.4.tmp.PID.22.tmp"). Those two calls announce themselves
 * in `creating` and give up once `dying` is set; the handler sets `dying`
 * first, then waits until nobody is creating. Both are sequentially
 * consistent atomics, so either the thread sees `dying` and makes nothing,
 * or the handler sees it creating and sweeps after the name is there. */
static _Atomic int dying, creating;

bool rc_tmp_begin(void)
{
    atomic_fetch_add(&creating, 1);
    if (!atomic_load(&dying)) return true;
    atomic_fetch_sub(&creating, 1);
    return false;
}

void rc_tmp_end(void)
{
    atomic_fetch_sub(&creating, 1);
}

void rc_tmp_test_stopping(bool on)
{
    atomic_store(&dying, on ? 1 : 0);
}

void rc_tmp_register(const char *path)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX) return;
    for (size_t i = 0; i < SLOTS; i++) {
        int expect = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_BUSY)) {
            memcpy(slots[i].path, path, n + 1);
            atomic_store(&slots[i].state, SLOT_READY);
            return;
        }
    }
    /* All slots taken: the next build's stale cleanup still removes it. */
}

void rc_tmp_forget(const char *path)
{
    for (size_t i = 0; i < SLOTS; i++) {
        if (atomic_load(&slots[i].state) != SLOT_READY || strcmp(slots[i].path, path) != 0)
            continue;
        int expect = SLOT_READY;
        if (atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_BUSY))
            atomic_store(&slots[i].state, SLOT_FREE);
        return;
    }
}

bool rc_tmp_registered(const char *path)
{
    /* Only a READY slot counts: one being filled is another thread's name
     * (never this caller's, which registered its name before passing it
     * on), one being emptied was renamed or discarded. A name that did not
     * fit in the slots is not found, and its back end then writes a
     * temporary of its own: slower, never unsafe. */
    for (size_t i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_READY && strcmp(slots[i].path, path) == 0)
            return true;
    return false;
}

/* Empties a directory through its descriptor with getdents64, which,
 * unlike readdir, allocates nothing and may run in a signal handler. */
static void empty_dir_fd(int fd)
{
    char buf[4096] __attribute__((aligned(8)));
    for (int round = 0; round < 64; round++) {
        lseek(fd, 0, SEEK_SET);
        long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (n <= 0) return;
        bool removed = false;
        for (long off = 0; off < n;) {
            /* struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name */
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char *name = buf + off + 19;
            if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0)
                removed |= unlinkat(fd, name, 0) == 0;
            off += reclen;
        }
        if (!removed) return;
    }
}

/* One sweep of the build's temporaries; true when it removed something or
 * the work directory is still there. */
static bool sweep(int fd)
{
    bool busy = false;
    for (size_t i = 0; i < SLOTS; i++)
        if (atomic_load(&slots[i].state) == SLOT_READY) busy |= unlink(slots[i].path) == 0;
    if (fd >= 0) empty_dir_fd(fd);
    if (fd >= 0 || atomic_load(&work.made)) busy |= rmdir(work.path) != 0 && errno != ENOENT;
    return busy;
}

/* Stops new temporaries and removes the registered ones and the work
 * directory (async-signal-safe: the handler's, and rc_tmp_abandon's). */
static void remove_all(void)
{
    atomic_store(&dying, 1);
    /* at most 50 ms: the thread creating may be this one, interrupted */
    for (int i = 0; i < 500 && atomic_load(&creating) > 0; i++) {
        struct timespec pause = {0, 100000};
        nanosleep(&pause, NULL);
    }
    int fd = atomic_exchange(&work.fd, -1);
    /* The other threads run on while this one cleans up: libxlsxwriter may
     * create (and at once unlink) a file in the work directory between the
     * emptying and the rmdir, which then fails and left an empty directory
     * behind (e2e/kills saw it). So sweep until a sweep finds nothing, a
     * fraction of a millisecond apart, at most 20 times. */
    for (int round = 0; round < 20; round++) {
        if (!sweep(fd) && round > 0) break;
        struct timespec pause = {0, 200000};
        nanosleep(&pause, NULL);
    }
}

static void on_signal(int sig)
{
    int saved = errno;
    remove_all();
    errno = saved;
    /* Die of the signal, as without the handler (exit status 128 + sig). */
    signal(sig, SIG_DFL);
    raise(sig);
}

void rc_tmp_abandon(void)
{
    remove_all();
}

void rc_tmp_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]); /* one handler at a time */
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal ignored by the caller (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

/* The pid in a leftover's name, or 0 when the name is not one of ours:
 * ".NAME.PID.N.tmp" (rc_out_tmpname) or ".reportc.PID.work". */
static long leftover_pid(const char *name, bool *is_work)
{
    size_t n = strlen(name);
    *is_work = false;
    if (name[0] != '.') return 0;
    if (n > 14 && strncmp(name, ".reportc.", 9) == 0 && strcmp(name + n - 5, ".work") == 0) {
        char *end;
        long pid = strtol(name + 9, &end, 10);
        if (end != name + n - 5 || pid <= 0) return 0;
        *is_work = true;
        return pid;
    }
    if (n < 10 || strcmp(name + n - 4, ".tmp") != 0) return 0;
    size_t e = n - 4, k = e;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        k--;
    if (k == e || k < 2 || name[k - 1] != '.') return 0; /* the counter */
    e = k - 1;
    k = e;
    while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
        k--;
    if (k == e || k < 2 || name[k - 1] != '.') return 0; /* the pid */
    long pid = strtol(name + k, NULL, 10);
    return pid > 0 ? pid : 0;
}

static void remove_tree_shallow(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        empty_dir_fd(fd);
        close(fd);
    }
    unlinkat(dfd, name, AT_REMOVEDIR);
}

/* False when pid has exited: no such process, or a zombie that nobody
 * has reaped yet (in a container whose first process does not reap, a
 * killed build stays a zombie; kill(pid, 0) still succeeds for it). A pid
 * we may not signal (EPERM) is someone else's live process. */
static bool alive(long pid)
{
    if (kill((pid_t)pid, 0) != 0) return errno != ESRCH;
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return true;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return true;
    buf[n] = 0;
    /* "pid (comm) S ...": the state follows the last ')' */
    const char *p = strrchr(buf, ')');
    return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

size_t rc_out_clean_stale(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) return 0;
    /* Names are collected first: removing entries while readdir walks the
     * directory may make it skip others. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    long self = (long)getpid();
    for (struct dirent *de; (de = readdir(dp)) != NULL;) {
        bool is_work;
        long pid = leftover_pid(de->d_name, &is_work);
        if (!pid || pid == self || pid > INT_MAX) continue;
        if (alive(pid)) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **nv = realloc(names, nc * sizeof *nv);
            if (!nv) break;
            names = nv;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) break;
        n++;
    }
    /* the removals go through the listing's own descriptor, no longer
     * read (a build with nothing to remove opens the directory once) */
    size_t removed = 0;
    int dfd = dirfd(dp);
    for (size_t i = 0; i < n; i++) {
        bool is_work;
        struct stat st;
        leftover_pid(names[i], &is_work);
        if (dfd >= 0 && fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            st.st_uid == geteuid()) {
            if (is_work && S_ISDIR(st.st_mode)) {
                remove_tree_shallow(dfd, names[i]);
                removed++;
            } else if (!is_work && S_ISREG(st.st_mode) && unlinkat(dfd, names[i], 0) == 0) {
                removed++;
            }
        }
        free(names[i]);
    }
    free(names);
    closedir(dp);
    return removed;
}

const char *rc_out_workdir(const char *dir)
{
    return atomic_load(&work.fd) >= 0 && strcmp(work.parent, dir) == 0 ? work.path : NULL;
}

const char *rc_out_workdir_make(const char *dir)
{
    if (atomic_load(&work.fd) >= 0) {
        if (strcmp(work.parent, dir) == 0) return work.path;
        errno = EBUSY; /* one output directory per build */
        return NULL;
    }
    int n = snprintf(work.path, sizeof work.path, "%s/.reportc.%ld.work", dir, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof work.path || strlen(dir) >= sizeof work.parent) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(work.parent, dir);
    atomic_store(&work.made, 1);
    if (mkdir(work.path, 0700) != 0 && errno != EEXIST) {
        atomic_store(&work.made, 0);
        return NULL;
    }
    int fd = open(work.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        rmdir(work.path);
        atomic_store(&work.made, 0);
        return NULL;
    }
    atomic_store(&work.fd, fd);
    return work.path;
}

void rc_out_workdir_remove(void)
{
    int fd = atomic_exchange(&work.fd, -1);
    if (fd < 0) return;
    empty_dir_fd(fd);
    close(fd);
    rmdir(work.path);
    atomic_store(&work.made, 0);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int rc_out_lock(const char *dir, bool wait, double *waited_ms)
{
    *waited_ms = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
    if (errno != EWOULDBLOCK || !wait) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    double t0 = now_ms();
    int r;
    while ((r = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
        ;
    *waited_ms = now_ms() - t0;
    if (r != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

void rc_out_unlock(int fd)
{
    if (fd >= 0) close(fd); /* closing the last descriptor releases the flock */
}
