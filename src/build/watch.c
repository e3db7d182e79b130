/* watch: `reportc watch CONFIG`, the edit-and-see loop. Builds, then waits
 * on inotify for a change to any input (the INI file, the CSVs, the
 * chapters, table and box files, the fonts, the hyphenation dictionary) and
 * builds again, printing the diagnostics and one line per build with its
 * time. What did not change is kept between builds (rc_build_cache: fonts,
 * hyphenation, configuration and data), which is what makes a one-word edit
 * reach the PDF in a few milliseconds. A failed build leaves the outputs of
 * the last good one in place (every build is atomic, see build.c); the PDF a
 * viewer has open is replaced by rename, never rewritten in place.
 *
 * Directories are watched, not files: editors save by writing a new file
 * and renaming it over the old one, which a watch on the file would lose.
 * Ctrl-C (SIGINT) and SIGTERM are read from a signalfd between builds, so a
 * build is never interrupted half-way and leaves no temporary file. */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_int.h"
#include "rc/doc.h"
#include "rc/util.h"

/* A watched directory and the names in it that are inputs. */
typedef struct wdir {
    int wd;
    char *path;
} wdir;

typedef struct watcher {
    int ifd, sfd;
    wdir *dirs;
    size_t ndirs;
    rc_build_cache cache;
    const char *config;
} watcher;

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Watches the directory of every input (inotify_add_watch returns the same
 * descriptor for a directory already watched). */
static void watch_inputs(watcher *w)
{
    const uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM;
    size_t n = w->cache.ninputs + 1;
    for (size_t i = 0; i < n; i++) {
        const char *p = i < w->cache.ninputs ? w->cache.inputs[i] : w->config;
        char *dir = dir_of(p);
        if (!dir) continue;
        bool known = false;
        for (size_t k = 0; k < w->ndirs && !known; k++)
            known = strcmp(w->dirs[k].path, dir) == 0;
        int wd = known ? -1 : inotify_add_watch(w->ifd, dir, mask);
        wdir *nv = wd >= 0 ? realloc(w->dirs, (w->ndirs + 1) * sizeof *nv) : NULL;
        if (!nv) {
            free(dir);
            continue;
        }
        w->dirs = nv;
        w->dirs[w->ndirs++] = (wdir){wd, dir};
    }
}

/* Is DIR/NAME (an event's file) one of the inputs? Each input it is (the
 * same file may be named twice) is forgotten by the memo of hashes: its
 * signature may not have changed (a save within one clock tick, the same
 * size), inotify says its contents did. */
static bool is_input(watcher *w, int wd, const char *name)
{
    const char *dir = NULL;
    for (size_t k = 0; k < w->ndirs && !dir; k++)
        if (w->dirs[k].wd == wd) dir = w->dirs[k].path;
    if (!dir) return false;
    bool hit = false;
    for (size_t i = 0; i < w->cache.ninputs + 1; i++) {
        const char *p = i < w->cache.ninputs ? w->cache.inputs[i] : w->config;
        if (strcmp(rc_path_base(p), name) != 0) continue;
        char *pd = dir_of(p);
        if (pd && strcmp(pd, dir) == 0) {
            rc_sha256_memo_forget(p);
            rc_build_cache_report(&w->cache, p);
            hit = true;
        }
        free(pd);
    }
    return hit;
}

/* Reads every pending event; returns the name of the first changed input
 * (copied into changed), or "" when none of them was an input. */
static void read_events(watcher *w, char *changed, size_t cap)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->ifd, buf, sizeof buf);
        if (n <= 0) return; /* EAGAIN: drained */
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->len && is_input(w, ev->wd, ev->name) && !changed[0])
                snprintf(changed, cap, "%s", ev->name);
            p += sizeof *ev + ev->len;
        }
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of the process, every thread's (the builds run on several). */
static double cpu_ms(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* One build and its line: "12:04:31 rebuilt in 7.9 ms, 7.1 ms CPU
 * (03-survey.md)". The time is what the author waits: from t0, when the
 * change was seen (the inotify event woke the watcher), to the outputs
 * renamed into place and the diagnostics printed; the CPU time is the
 * process's over the same span, all threads. */
static rc_status build_once(watcher *w, const rc_options *o, const char *changed, bool first,
                            double t0, double cpu0)
{
    rc_diag *d = rc_diag_new();
    rc_status st = rc_build_run(o, d, &w->cache);
    if (st == RC_OK) rc_build_cache_reported_clear(&w->cache);
    /* the parsed Markdown this build did not read goes (a file edited,
     * renamed or no longer named) */
    rc_doc_memo_sweep();
    rc_diag_print(d, stderr);
    fflush(stderr);
    double ms = now_ms() - t0, cpu = cpu_ms() - cpu0;
    time_t t = time(NULL);
    struct tm tm;
    char clock[16] = "";
    if (localtime_r(&t, &tm)) strftime(clock, sizeof clock, "%H:%M:%S", &tm);
    FILE *f = o->out ? o->out : stdout;
    if (st == RC_OK)
        fprintf(f, "%s %s in %.1f ms, %.1f ms CPU%s%s%s\n", clock, first ? "built" : "rebuilt", ms,
                cpu, changed[0] ? " (" : "", changed, changed[0] ? ")" : "");
    else
        fprintf(f, "%s build failed in %.1f ms (%zu error%s); kept the previous outputs\n", clock,
                ms, rc_diag_errors(d), rc_diag_errors(d) == 1 ? "" : "s");
    fflush(f);
    rc_diag_free(d);
    return st;
}

static void watcher_free(watcher *w)
{
    for (size_t k = 0; k < w->ndirs; k++)
        free(w->dirs[k].path);
    free(w->dirs);
    rc_build_cache_free(&w->cache);
    if (w->ifd >= 0) close(w->ifd);
    if (w->sfd >= 0) close(w->sfd);
}

rc_status rc_watch(const rc_options *o, rc_diag *d)
{
    watcher w = {.ifd = -1, .sfd = -1, .config = o->config};
    sigset_t mask, old;
    sigemptyset(&mask);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &mask, &old) != 0 ||
        (w.sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0 ||
        (w.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        rc_diag_error(d, (rc_loc){0}, "cannot watch files: %s", strerror(errno));
        watcher_free(&w);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return RC_ERR_IO;
    }
    /* Each build's arenas are freed and allocated again: keep the freed
     * memory in the process instead of returning it to the kernel, so the
     * next build does not pay a page fault per page it touches again. */
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    rc_doc_memo_enable(); /* only the Markdown files that changed are parsed again */
    rc_options bo = *o;
    bo.command = RC_CMD_BUILD;
    bo.quiet = true;
    char changed[NAME_MAX + 1] = "";
    build_once(&w, &bo, changed, true, now_ms(), cpu_ms());
    watch_inputs(&w);
    FILE *f = o->out ? o->out : stdout;
    fprintf(f, "watching %zu input%s; Ctrl-C to stop\n", w.cache.ninputs,
            w.cache.ninputs == 1 ? "" : "s");
    fflush(f);
    for (;;) {
        struct pollfd pf[2] = {{w.ifd, POLLIN, 0}, {w.sfd, POLLIN, 0}};
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (pf[1].revents) { /* Ctrl-C: between builds, nothing half-written */
            struct signalfd_siginfo si;
            /* consumed here, so unblocking below does not deliver it */
            if (read(w.sfd, &si, sizeof si) < 0) { /* nothing to do: we stop either way */
            }
            break;
        }
        double t0 = now_ms(), cpu0 = cpu_ms();
        changed[0] = 0;
        read_events(&w, changed, sizeof changed);
        if (!changed[0]) continue;
        build_once(&w, &bo, changed, false, t0, cpu0);
        watch_inputs(&w); /* the INI file may name new inputs */
    }
    watcher_free(&w);
    rc_doc_memo_disable();
    sigprocmask(SIG_SETMASK, &old, NULL);
    return RC_OK;
}
