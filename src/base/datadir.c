/* datadir: the run-time data directory, found from the executable's own
 * path (include/rc/datadir.h gives the order and why). */
/* realpath() is XSI, not plain POSIX: ask for it before any header. */
#define _XOPEN_SOURCE 700
#include "rc/datadir.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/util.h"

#define RC_DATADIR_SYSTEM "/usr/share/reportc"

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The canonical form of an existing directory, or NULL. */
static const char *canonical_dir(rc_arena *a, const char *p)
{
    if (!is_dir(p)) return NULL;
    char *r = realpath(p, NULL);
    if (!r) return NULL;
    const char *s = rc_arena_strdup(a, r);
    free(r);
    return s;
}

const char *rc_datadir_find(rc_arena *a, const char *env, const char *exe)
{
    if (env && env[0]) return rc_arena_strdup(a, env);
    if (exe && exe[0] == '/') {
        const char *bin = rc_path_dir(a, exe);
        const char *found = canonical_dir(a, rc_path_join(a, bin, "../share/reportc"));
        if (!found) found = canonical_dir(a, rc_path_join(a, bin, "share/reportc"));
        if (found) return found;
    }
    return RC_DATADIR_SYSTEM;
}

/* Found from the executable once per process: each config and each
 * edition's asks (about six system calls each: the link of /proc/self/exe,
 * then realpath's stat and a readlink per component), and neither the
 * executable nor the directories beside it move during a build. The
 * environment variable is still read at every call. */
static pthread_mutex_t found_lock = PTHREAD_MUTEX_INITIALIZER;
static bool found_yet;
static char found[PATH_MAX];

const char *rc_datadir(rc_arena *a)
{
    const char *env = getenv(RC_DATADIR_ENV);
    if (env && env[0]) return rc_arena_strdup(a, env);
    pthread_mutex_lock(&found_lock);
    if (!found_yet) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0)
            exe[n] = '\0';
        else
            exe[0] = '\0';
        /* (in the caller's arena: a scratch arena of its own would cost
         * more page faults than the calls it saves) */
        snprintf(found, sizeof found, "%s", rc_datadir_find(a, NULL, exe));
        found_yet = true;
    }
    pthread_mutex_unlock(&found_lock);
    return rc_arena_strdup(a, found);
}
