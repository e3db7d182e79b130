/* build_int: what the pipeline (build.c), the project generator (new.c)
 * and the watcher (watch.c) share inside the build stage. */
#ifndef RC_BUILD_INT_H
#define RC_BUILD_INT_H

#include <pthread.h>
#include <stdatomic.h>
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
#include "rc/util.h"

/* Files and their signatures at one moment (malloc): the inputs an
 * edition read, the outputs a build wrote. */
typedef struct rc_file_set {
    char **path;
    rc_file_sig *sig;
    size_t n;
} rc_file_set;

void rc_file_set_clear(rc_file_set *s);
/* Adds path with its signature now; false when out of memory. */
bool rc_file_set_add(rc_file_set *s, const char *path);
/* Every file still has the signature it had when it was added. */
bool rc_file_set_unchanged(const rc_file_set *s);

/* What a watching process keeps of one edition: its fonts and hyphenation
 * dictionary while their files are unchanged, and what its last good build
 * read and wrote, so an edition none of whose inputs changed is not built
 * again (its outputs on disk are still the ones it would write). */
typedef struct rc_edition_cache {
    rc_arena *font_arena;
    rc_fonts fonts;
    bool have_fonts;
    char *font_path[RC_FONT_COUNT];
    rc_file_sig font_sig[RC_FONT_COUNT];
    rc_hyph *hyph;
    char *hyph_path;
    rc_file_sig hyph_sig;

    bool have_out;      /* the fields below describe its last good build */
    char *lang;         /* its language ("" for a single edition) */
    unsigned want;      /* the outputs it wrote (RC_OUT_*), with svg */
    rc_file_set inputs; /* every file it read, signed before reading */
    rc_file_set outputs;
    rc_diag *diag; /* the diagnostics it gave, given again when skipped */
    bool reused_fonts;
    /* a watcher's: the deflated streams and reduced fonts of its last PDF
     * (pdf.h), most of which the next write of the edition uses again */
    struct rc_pdf_cache *pdf;
    /* a watcher's: the lines of its last layout's paragraphs (linebreak.h),
     * emptied whenever its fonts or dictionary are loaded again */
    struct rc_para_memo *para;
} rc_edition_cache;

/* What a watching process keeps between builds: per edition the above; the
 * configuration and the data (with the diagnostics they gave) while the INI
 * file, the editions' language files and the CSVs are unchanged. Everything
 * else of an edition that must be built again (document, layout, outputs)
 * is rebuilt. A cache of zeros is empty. */
typedef struct rc_build_cache {
    rc_edition_cache *ed; /* one per edition (malloc) */
    size_t ned;

    rc_arena *data_arena;
    rc_config *cfg; /* with its editions */
    rc_data data;
    bool have_data;
    unsigned data_flags;
    rc_diag *data_diag;    /* warnings from loading the config, editions and data */
    rc_file_set cfg_files; /* the INI file and the editions' language files */
    rc_file_sig *csv_sig;  /* one per source (malloc) */

    /* every input of every edition of the last build whose config loaded
     * (malloc): the watcher watches these */
    char **inputs;
    size_t ninputs;
    /* the files inotify reported changed since the last good build (a
     * watcher's, malloc): changed whatever their signatures say, as a save
     * within one tick of the file system's clock that keeps the size keeps
     * the signature too */
    char **changed;
    size_t nchanged;
    /* what the last build reused, for tests and the benchmark */
    bool reused_fonts, reused_data;
    size_t skipped; /* editions not built again */
} rc_build_cache;

/* mkdir -p; *created says whether the leaf was made (a failed build
 * removes it again). 0 or -1 with errno. */
int rc_build_mkdirs(const char *path, bool *created);

/* One build, as rc_build does, with a cache (NULL: none). */
rc_status rc_build_run(const rc_options *o, rc_diag *d, rc_build_cache *cache);
void rc_build_cache_free(rc_build_cache *c);

/* "config/../out/x.pdf" -> "out/x.pdf", for messages (build.c). */
const char *rc_build_display_path(rc_arena *a, const char *path);

/* The check of the editions' font files and dictionaries, made while the
 * documents are built: its diagnostics (the build's arena frees them) and
 * whether they are all sound. */
typedef struct rc_build_check {
    rc_diag *d;
    bool ok;
} rc_build_check;

/* The jobs of a pipelined build (a `build` without a watcher's cache): the
 * editions' documents (each also checked against the PDF's limits) and the
 * fonts' check, run in the writer's pool so that an edition's outputs start
 * as soon as its document is built (build.c makes them). */
typedef struct rc_build_docjobs {
    size_t n;
    const size_t *ed; /* per job: its edition, or SIZE_MAX for the fonts' check */
    void (*run)(void *ctx, size_t i);
    /* after run: whether the build may go on for job i's edition (its
     * document has no error and is within the limits) or its fonts */
    bool (*ok)(void *ctx, size_t i);
    /* after all ran: the documents' diagnostics into d as a build that
     * built them first gives them (in edition order, stopping at the first
     * that failed, then the limits'); their status */
    rc_status (*merge)(void *ctx, rc_diag *d);
    void *ctx;
} rc_build_docjobs;

typedef struct rc_build_early rc_build_early; /* build_early.c */

/* An output written to its temporary name, to be renamed to its target. */
typedef struct pending {
    const char *tmp, *target, *what;
    size_t ed; /* the edition it belongs to */
} pending;
typedef RC_VEC(pending) pending_vec;

/* Fonts, hyphenation and layout, then (when tmp is set) the PDF and (when
 * svg_dir is set) one SVG file per figure: the work behind both `check`
 * (typeset in memory) and the PDF output. */
typedef struct typeset_job {
    rc_arena *a;
    const rc_config *cfg;
    const rc_doc *doc;
    rc_diag *d;
    const char *tmp; /* PDF file to write, or NULL */
    rc_status st;
    size_t pages;
    rc_edition_cache *cache; /* fonts and hyphenation kept by a watcher, or NULL */
    bool watched;            /* cache is a watcher's: it keeps the PDF's streams too */
    bool checked;            /* the fonts and dictionary were checked already */
    size_t ed;
    const char *svg_dir; /* figures directory, or NULL */
    pending_vec svgs;    /* SVG files written (in a) */
    /* loaded beforehand by a T_RES task or the build's early thread
     * (early: taken when the task starts), with its status */
    rc_build_early *early;
    bool preloaded;
    rc_status res_st;
    rc_fonts fonts;
    rc_hyph *hyph;
} typeset_job;
/* Runs j (build_typeset.c): j->st, j->pages and j->svgs say how it went. */
void rc_build_typeset(typeset_job *j);

/* The editions of one build and what it writes of them (build_write.c). */
typedef struct rc_build_editions {
    rc_config *const *cfgs;
    const struct rc_doc *docs;
    size_t ned;
    unsigned want;                   /* RC_OUT_* */
    const bool *skip;                /* per edition: not built again (a watcher's), or NULL */
    rc_build_cache *cache;           /* a watcher's (with ned editions), or NULL */
    rc_diag **edd;                   /* per edition: its diagnostics are added here too, or NULL */
    rc_file_set *outs;               /* per edition: the outputs renamed into place, or NULL */
    const rc_build_check *check;     /* the fonts checked already (not by a watcher), or NULL */
    const rc_build_docjobs *docjobs; /* the documents still to build (pipelined), or NULL */
    rc_build_early *early;           /* the one edition's fonts, loading (build_early.c), or NULL */
} rc_build_editions;

/* Runs fn(ctx, i) for i in [0, n) on min(CPUs, n) threads, this one
 * included; returns when all have run. */
void rc_build_parallel(size_t n, void (*fn)(void *ctx, size_t i), void *ctx);
/* The same with the other threads started on other CPUs than this one's
 * (rc_thread_start, rc/util.h): for work that must overlap this thread's
 * from its start. */
void rc_build_parallel_elsewhere(size_t n, void (*fn)(void *ctx, size_t i), void *ctx);
/* The same on nthr threads (at most 64, this one included), whatever the
 * CPUs: for work that mostly waits. */
void rc_build_parallel_n(size_t n, size_t nthr, void (*fn)(void *ctx, size_t i), void *ctx);
/* Runs body(arg) on min(CPUs, n) threads, this one included; returns when
 * all have returned (the bodies share out the n items themselves).
 * elsewhere: the other threads start on other CPUs than this one's
 * (rc_thread_start, rc/util.h), so they run at once rather than when this
 * one blocks. */
void rc_build_on_threads(size_t n, bool elsewhere, void *(*body)(void *), void *arg);
/* The file target names now, given a second (temporary) name first, or
 * NULL (none, or it cannot be linked); then, once the outputs are renamed
 * into place, those n second names unlinked on a few threads
 * (build_threads.c says why), and with spares the arenas' spare blocks
 * unmapped beside them (only when no arena is made afterwards for long:
 * not a watcher's build). */
const char *rc_build_second_name(rc_arena *a, const char *target);
void rc_build_drop_previous(const char **prev, size_t n, bool spares);
/* A cache (the lone edition's fonts and dictionary, build_write.c) freed
 * and, with drop, the arenas' spare blocks unmapped, on a thread of their
 * own from start to join, so that a build that ends does it while its
 * outputs are renamed into place rather than before and after them
 * (build_threads.c says why the spares are unmapped at all). A thread that
 * has not started by the join (a busy machine) finds the work done by the
 * joining one. Without a second CPU, or when the thread cannot be started,
 * the cache is freed at start and on is false: the spares are then
 * rc_build_drop_previous's. */
typedef struct rc_build_spares {
    rc_edition_cache *cache; /* set by the caller, or NULL */
    pthread_t th;
    bool on, drop;
    atomic_bool claimed; /* the work is taken, by the thread or the joiner */
} rc_build_spares;
void rc_build_spares_start(rc_build_spares *s, bool drop);
void rc_build_spares_join(rc_build_spares *s);
/* Checks the font files and dictionaries of the editions not skipped (skip
 * may be NULL), each file once; false if one is damaged. */
bool rc_build_check_resources(rc_arena *a, rc_config *const *cfgs, size_t ned, const bool *skip,
                              rc_diag *d);

/* A one-edition build's fonts and dictionary checked and loaded on a
 * thread of their own as soon as its configuration is read (build_early.c
 * says why); NULL on one CPU (the pool does it then). Freed with a, after
 * waiting for the thread. */
rc_build_early *rc_build_early_start(rc_arena *a, const rc_config *cfg, bool strict);
/* Waits for the thread (from any thread, any number of times). */
void rc_build_early_join(rc_build_early *e);
/* The check, as the pool's check job gives it: its diagnostics, and once
 * joined whether the files are sound. */
const rc_build_check *rc_build_early_check(rc_build_early *e);
/* For the typesetting task, once its document is built: waits, then false
 * when the check failed (the task is not run); else appends the loading's
 * diagnostics to d and gives what it loaded and its status. */
bool rc_build_early_take(rc_build_early *e, rc_diag *d, rc_edition_cache **cache, rc_fonts *fonts,
                         rc_hyph **hyph, rc_status *st);
/* Where the fonts are kept (freed by the spares' thread, build_write.c). */
rc_edition_cache *rc_build_early_cache(rc_build_early *e);

/* Checks the targets, makes the directory, takes its lock (one build at a
 * time per directory), then writes every edition that is not skipped. */
rc_status rc_build_write(rc_arena *a, const rc_options *o, const rc_build_editions *b, rc_diag *d);
/* Typesets one edition in memory (for `check`): fonts, hyphenation, layout. */
rc_status rc_build_typeset_check(rc_arena *a, const rc_config *cfg, const struct rc_doc *doc,
                                 rc_diag *d, size_t *pages);

/* `reportc new DIR` (new.c) and `reportc watch CONFIG` (watch.c). */
rc_status rc_new_project(const rc_options *o, rc_diag *d);
rc_status rc_watch(const rc_options *o, rc_diag *d);

/* `reportc metrics`: every metric, as text or JSON (build_metrics.c). */
void rc_build_print_metrics(const rc_options *o, const rc_data *data);

/* The inputs' directory entries (lstat) rc_build_check_targets looked up,
 * kept for the next edition's check of the same build: the editions share
 * the INI file, the CSV files and the fonts. Start zeroed; in a's memory. */
typedef struct rc_build_entry {
    const char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    bool found, regular; /* regular: not a link, so size is the file's */
} rc_build_entry;
typedef RC_VEC(rc_build_entry) rc_build_entries;

/* Before anything is written (build_inputs.c): no output of cfg in dir may
 * share a name with another, be a directory or replace one of the build's
 * inputs. Reports each problem; false if there was one. */
bool rc_build_check_targets(rc_arena *a, const rc_config *cfg, const char *dir, unsigned want,
                            rc_build_entries *seen, rc_diag *d);
/* Lists every input of every edition of c->cfg in c->inputs (the
 * watcher watches them). */
void rc_build_list_inputs(rc_build_cache *c);
/* Every file an edition's build reads for the outputs in want, into s. */
void rc_build_edition_inputs(const rc_config *cfg, unsigned want, rc_file_set *s);
/* The paths of the [edition LANG] language files the INI file names,
 * whether or not they could be read (the watcher watches them). */
void rc_build_edition_files(const rc_config *cfg, rc_file_set *s);

void rc_edition_cache_free(rc_edition_cache *e);
/* Notes path as reported changed; forgets them all (after a good build). */
void rc_build_cache_report(rc_build_cache *c, const char *path);
void rc_build_cache_reported_clear(rc_build_cache *c);
/* Whether path was reported changed since the last good build. */
bool rc_build_cache_reported(const rc_build_cache *c, const char *path);
/* Every file of s has its signature and was not reported changed. */
bool rc_build_cache_unchanged(const rc_build_cache *c, const rc_file_set *s);

/* The font files and the hyphenation dictionary of cfg checked as files
 * (reported at their keys); false if one is damaged. */
bool rc_build_check_fonts(rc_arena *a, const rc_config *cfg, rc_diag *d);
bool rc_build_check_dictionary(rc_arena *a, const rc_config *cfg, rc_diag *d);
/* The fonts and dictionary of cfg: loaded into a (checked first unless
 * checked) without a cache; with one, kept in c while their files are
 * unchanged (checked when loaded again). */
rc_status rc_build_resources(rc_arena *a, const rc_config *cfg, rc_edition_cache *c, bool checked,
                             rc_diag *d, rc_fonts *fonts, rc_hyph **hyph);
/* Makes now what the first measurement with each of the fonts but the
 * bold italic (build_cache.c says why) would make (its shaper: HarfBuzz's
 * shape plan, the kerning and ligature tables; the first page of
 * advances), so that it is made on the thread calling this:
 * a one-edition build calls it on the core its document does not use
 * (build_write.c). Caches only: no width or output changes. */
void rc_build_warm_fonts(const rc_fonts *fonts);

/* Tests only: when set, at(ctx, step) is called around a build's data
 * ("data+"/"data-"), at the steps of the writer's pool and of a one-edition
 * build's early thread ("worker+" as each pool thread starts, "check+"/
 * "check-", "doc+"/"doc-", "res+"/"res-", "typeset+"), after the renames ("renamed"), at the start
 * of the spares' thread ("spares-thread") and around the spares' work ("spares+"/ "spares-"), on
 * the thread running them (tests/unit/build). Set it before a build starts, never during one. */
typedef struct rc_build_probe {
    void (*at)(void *ctx, const char *step);
    void *ctx;
} rc_build_probe;
extern rc_build_probe rc_build_test_probe;
static inline void rc_build_probe_at(const char *step)
{
    if (rc_build_test_probe.at) rc_build_test_probe.at(rc_build_test_probe.ctx, step);
}

#endif
