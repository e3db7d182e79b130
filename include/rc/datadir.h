/* datadir: where reportc finds the files it reads at run time (the Lato
 * fonts in fonts/ with their licence). The binary carries no path of the
 * machine it was built on, so an installed prefix can be moved and a build
 * tree can be used in place:
 *
 *   1. $REPORTC_DATA_DIR, when set and not empty, exactly as given;
 *   2. EXEDIR/../share/reportc, an installed prefix (P/bin/reportc);
 *   3. EXEDIR/share/reportc, a build tree (CMake links it to the sources);
 *   4. /usr/share/reportc, where the Debian package puts it, for when the
 *      executable's own path is unknown (no /proc).
 *
 * EXEDIR is the directory of /proc/self/exe. The first candidate of 2-3
 * that is a directory wins and is returned with symbolic links resolved.
 * Results are allocated in the arena. */
#ifndef RC_DATADIR_H
#define RC_DATADIR_H

#include "rc/arena.h"

/* The environment variable that overrides the search. */
#define RC_DATADIR_ENV "REPORTC_DATA_DIR"

/* The data directory of this process (never NULL). */
const char *rc_datadir(rc_arena *a);

/* The same search for a given override (env, may be NULL) and executable
 * path (exe, may be NULL when unknown): rc_datadir without the process. */
const char *rc_datadir_find(rc_arena *a, const char *env, const char *exe);

#endif
