/* build_int: what the pipeline (build.c), the project generator (new.c)
 * and the watcher (watch.c) share inside the build stage. */
#ifndef RC_BUILD_INT_H
#define RC_BUILD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "rc/arena.h"
#include "rc/build.h"
#include "rc/config.h"
#include "rc/data.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/layout.h"

/* What identifies a file's contents cheaply: a save by any editor (in
 * place or by rename) changes the inode, the size or the modification time. */
typedef struct rc_file_sig {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    int64_t mtime_ns;
} rc_file_sig;

rc_file_sig rc_file_sig_of(const char *path);
bool rc_file_sig_eq(rc_file_sig a, rc_file_sig b);

/* What a watching process keeps between builds: the fonts and the
 * hyphenation dictionary while their files are unchanged, the
 * configuration and the data (with the diagnostics they gave) while the INI
 * file and the CSVs are unchanged. Everything else (document, layout,
 * outputs) is rebuilt. A cache of zeros is empty. */
typedef struct rc_build_cache {
    rc_arena *font_arena;
    rc_fonts fonts;
    bool have_fonts;
    char *font_path[RC_FONT_COUNT];
    rc_file_sig font_sig[RC_FONT_COUNT];
    rc_hyph *hyph;
    char *hyph_path;
    rc_file_sig hyph_sig;

    rc_arena *data_arena;
    rc_config *cfg;
    rc_data data;
    bool have_data;
    unsigned data_flags;
    rc_diag *data_diag; /* warnings from loading the config and data */
    rc_file_sig ini_sig;
    rc_file_sig *csv_sig; /* one per source (malloc) */

    /* every input of the last build whose config loaded (malloc): the
     * watcher watches these */
    char **inputs;
    size_t ninputs;
    /* what the last build reused, for tests and the benchmark */
    bool reused_fonts, reused_data;
} rc_build_cache;

/* mkdir -p; *created says whether the leaf was made (a failed build
 * removes it again). 0 or -1 with errno. */
int rc_build_mkdirs(const char *path, bool *created);

/* One build, as rc_build does, with a cache (NULL: none). */
rc_status rc_build_run(const rc_options *o, rc_diag *d, rc_build_cache *cache);
void rc_build_cache_free(rc_build_cache *c);

/* `reportc new DIR` (new.c) and `reportc watch CONFIG` (watch.c). */
rc_status rc_new_project(const rc_options *o, rc_diag *d);
rc_status rc_watch(const rc_options *o, rc_diag *d);

/* `reportc metrics`: every metric, as text or JSON (build_metrics.c). */
void rc_build_print_metrics(const rc_options *o, const rc_data *data);

/* Before anything is written (build_inputs.c): no output of cfg in dir may
 * share a name with another, be a directory or replace one of the build's
 * inputs. Reports each problem; false if there was one. */
bool rc_build_check_targets(rc_arena *a, const rc_config *cfg, const char *dir, unsigned want,
                            rc_diag *d);
/* Lists every input of c->cfg in c->inputs (the watcher watches them). */
void rc_build_list_inputs(rc_build_cache *c);

#endif
