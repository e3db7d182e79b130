/* build_write: an edition set's outputs, written as tasks on a few threads
 * and renamed into place together. Each edition's typesetting (fonts,
 * hyphenation, layout, PDF, SVG figures), its .tex and its two workbooks
 * are separate tasks; as many threads as there are CPUs (no more: three
 * editions' layouts at once on two cores only add memory and cache misses)
 * take them longest first (start_order: an estimate from the sizes of what
 * each reads), so no thread is left with a long task at the end. A lone
 * edition's fonts are loaded beside its data and document (build_early.c;
 * on one CPU by a task, run_res). The typesetting is build_typeset.c.
 * The tasks only read the shared documents, data and configurations, and
 * each reports into its own diagnostics, merged in a fixed order afterwards,
 * so nothing in the output depends on scheduling. */
#include "build_int.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/chart.h"
#include "rc/date.h"
#include "rc/doc.h"
#include "rc/latex.h"
#include "rc/linebreak.h"
#include "rc/locale.h"
#include "rc/pdf.h"
#include "rc/svg.h"
#include "rc/util.h"
#include "rc/xlsx.h"

static const char *human_size(rc_arena *a, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return "?";
    double b = (double)st.st_size;
    if (b >= 1024.0 * 1024.0) return rc_arena_printf(a, "%.1f MB", b / (1024.0 * 1024.0));
    if (b >= 1024.0) return rc_arena_printf(a, "%.0f KB", b / 1024.0);
    return rc_arena_printf(a, "%.0f B", b);
}
/* One task: an edition's typesetting, .tex, data workbook or figures
 * workbook, written to a temporary file. */
typedef enum task_kind { T_TYPESET, T_TEX, T_DATA, T_FIGURES, T_DOC, T_RES } task_kind;

typedef struct task {
    task_kind kind;
    size_t ed;
    const rc_config *cfg;
    const rc_doc *doc;
    const char *target, *tmp; /* in the build's arena (made before the threads) */
    rc_arena *a;              /* the task's own */
    rc_diag *d;
    rc_status st;
    typeset_job job; /* T_TYPESET */
    struct task *of; /* T_RES: the typesetting it loads the fonts for */
} task;

/* The tasks, and in a pipelined build (b->docjobs) the jobs that build the
 * documents and check the fonts: an edition's tasks wait for its document,
 * its typesetting for the fonts' check too, so an edition's outputs start
 * as soon as its document is built, while the others' are being built. */
typedef struct pool {
    task *t; /* in the order their results are merged (the jobs after) */
    size_t n;
    const size_t *order; /* the order they are started in: the jobs, then the longest */
    bool *taken;         /* under mu */
    size_t left;         /* not taken yet (under mu) */
    pthread_mutex_t mu;
    pthread_cond_t cv;  /* a job has finished: a waiting task may be ready */
    signed char *ready; /* per edition (under mu): 0 its document is being built,
                         * 1 built and sound, -1 not (its tasks never run) */
    signed char fonts;  /* the same for the fonts' check (1 when there is none) */
    signed char res;    /* the T_RES task: 0 running or not started, 1 done (1 when none) */
    /* what the T_RES task loaded (freed after the pool, rc_build_spares) */
    rc_edition_cache res_cache;
    const rc_build_docjobs *dj;
    atomic_bool failed; /* a failed task: those not started yet are not */
    /* A lone typesetting is taken only by the thread that started the
     * pool (main): its heap is the warm one (the configuration, the data
     * and most documents were read there), and libharu's, HarfBuzz's and
     * the layout's mallocs on another thread start a malloc arena of their
     * own (its page faults). When the pool's other thread took it (14 of
     * 41 timed --only pdf builds), the pages took 0.7 ms longer (median). */
    bool main_typesets;
    pthread_t main;
} pool;

/* The first task in start order whose document (and fonts) are ready, or
 * NULL once every task is taken. A task whose document failed is taken
 * without running: the build fails with the document's errors. */
static task *take(pool *p)
{
    pthread_mutex_lock(&p->mu);
    task *k = NULL;
    while (!k && p->left) {
        for (size_t i = 0; i < p->n && !k; i++) {
            if (p->taken[i]) continue;
            task *c = &p->t[p->order[i]];
            if (c->kind == T_TYPESET && p->main_typesets && !pthread_equal(pthread_self(), p->main))
                continue;
            int r = c->kind == T_DOC ? 1 : c->kind == T_RES ? p->fonts : p->ready[c->ed];
            if (r == 1 && c->kind == T_TYPESET) r = p->fonts;
            if (r == 1 && c->kind == T_TYPESET) r = p->res;
            if (r == 0) continue;
            p->taken[i] = true;
            p->left--;
            if (r == 1)
                k = c;
            else
                c->st = RC_ERR_DATA; /* not run */
        }
        if (!k && p->left) pthread_cond_wait(&p->cv, &p->mu);
    }
    /* the last task taken: a thread waiting for one it may not take (the
     * typesetting, see main_typesets) has none left to wait for */
    if (p->left == 0) pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return k;
}

/* A one-edition build's fonts and dictionary, loaded (and the fonts'
 * shapers made, rc_build_warm_fonts) while its document is built on the
 * other core: before, its typesetting loaded them once the document was
 * built, on the same thread. The typesetting task waits for this one
 * (take: p->res), so everything made here happens before it runs, through
 * the pool's mutex; from then on the fonts are its thread's alone, as "a
 * font is only ever used by one thread" wants. Diagnostics go where the
 * typesetting would have put them (its own, first), so nothing reported
 * changes. Loading for a build that has failed meanwhile is skipped. */
static void run_res(pool *p, task *k)
{
    typeset_job *j = &k->of->job;
    rc_build_probe_at("res+");
    if (!atomic_load(&p->failed)) {
        j->res_st =
            rc_build_resources(j->a, j->cfg, j->cache, j->checked, j->d, &j->fonts, &j->hyph);
        if (j->res_st == RC_OK) rc_build_warm_fonts(&j->fonts);
    } else {
        j->res_st = RC_ERR_IO; /* not run: the build fails anyway, with the first error */
    }
    j->preloaded = true;
    rc_build_probe_at("res-");
    pthread_mutex_lock(&p->mu);
    p->res = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void run_task(pool *p, task *k)
{
    if (k->kind == T_RES) {
        run_res(p, k);
        return;
    }
    if (k->kind == T_DOC) { /* run whatever failed: they decide what is reported */
        rc_build_probe_at(p->dj->ed[k->ed] == SIZE_MAX ? "check+" : "doc+");
        p->dj->run(p->dj->ctx, k->ed);
        rc_build_probe_at(p->dj->ed[k->ed] == SIZE_MAX ? "check-" : "doc-");
        bool ok = p->dj->ok(p->dj->ctx, k->ed);
        size_t e = p->dj->ed[k->ed];
        pthread_mutex_lock(&p->mu);
        if (e == SIZE_MAX)
            p->fonts = ok ? 1 : -1;
        else
            p->ready[e] = ok ? 1 : -1;
        if (!ok) atomic_store(&p->failed, true); /* the build fails: start no more tasks */
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        return;
    }
    if (atomic_load(&p->failed)) {
        k->st = RC_ERR_IO; /* not run: the build fails anyway, with the first error */
        return;
    }
    int64_t epoch = rc_date_report_epoch(k->cfg->report.year.s);
    switch (k->kind) {
    case T_TYPESET:
        if (k->job.early) {
            typeset_job *j = &k->job;
            if (!rc_build_early_take(j->early, j->d, &j->cache, &j->fonts, &j->hyph, &j->res_st)) {
                k->st = RC_ERR_DATA; /* not run: the fonts' check failed (reported) */
                break;
            }
            j->preloaded = true;
        }
        rc_build_probe_at("typeset+");
        rc_build_typeset(&k->job);
        k->st = k->job.st;
        break;
    case T_TEX:
        k->st = rc_latex_write(k->a, k->doc, k->tmp, k->d);
        break;
    case T_DATA:
        k->st = rc_xlsx_write_data(k->a, k->doc, k->tmp, epoch, k->d);
        break;
    case T_FIGURES:
        k->st = rc_xlsx_write_figures(k->a, k->doc, k->tmp, epoch, k->d);
        break;
    case T_DOC:
    case T_RES:
        break;
    }
    if (k->st != RC_OK) atomic_store(&p->failed, true);
    /* Freed here, on the task's thread, rather than one after the other once
     * all have run; a typesetting task's SVG names are still needed. */
    if (k->kind != T_TYPESET || k->job.svgs.n == 0) {
        rc_arena_free(k->a);
        k->a = NULL;
    }
}

/* A thread takes the next task until none is left. Without a watcher's
 * cache, the typesetting tasks a thread runs share its fonts: the editions
 * of a config have the same font files, and their shaping caches (widths
 * and kerning of words and pairs, kept in the font) carry over from one
 * edition to the next. A font is only ever used by one thread, and its
 * caches do not change what it measures, so the outputs are the same
 * whichever thread ran which edition (e2e/editions_shared). */
static void *worker(void *arg)
{
    pool *p = arg;
    rc_build_probe_at("worker+");
    rc_edition_cache own = {0};
    for (task *k; (k = take(p));) {
        if (k->kind == T_TYPESET && !k->job.cache) k->job.cache = &own;
        run_task(p, k);
    }
    rc_edition_cache_free(&own);
    return NULL;
}

/* The sizes task_cost asks for, each file stat'ed once per build: an
 * edition's typesetting and its .tex read the same Markdown, and every
 * edition reads the same CSV files, so the same path came up two or three
 * times (78 stats of the sample's three editions, now 41), and none when
 * the targets' check looked the file up already (a rebuild: outputs
 * exist). Only the start order depends on the sizes. */
typedef struct sized {
    const char *path;
    double kib;
} sized;
typedef struct sizes {
    RC_VEC(sized) got;
    const rc_build_entries *seen; /* the targets' check's (rc_build_check_targets) */
} sizes;

static double kib(rc_arena *a, sizes *z, const char *path)
{
    if (!path) return 0;
    for (size_t i = 0; i < z->got.n; i++)
        if (strcmp(z->got.v[i].path, path) == 0) return z->got.v[i].kib;
    for (size_t i = 0; z->seen && i < z->seen->n; i++)
        if (z->seen->v[i].regular && strcmp(z->seen->v[i].path, path) == 0)
            return (double)z->seen->v[i].size / 1024.0;
    rc_file_sig s = rc_file_sig_of(path);
    double k = s.exists ? (double)s.size / 1024.0 : 0;
    RC_PUSH(a, z->got, ((sized){path, k}));
    return k;
}

static double kib_all(rc_arena *a, sizes *z, const char *const *paths, size_t n)
{
    double k = 0;
    for (size_t i = 0; paths && i < n; i++)
        k += kib(a, z, paths[i]);
    return k;
}

/* A task's rough cost in milliseconds, from the sizes of what it reads:
 * fitted to the sample (typesetting 60 KiB of Markdown ~ 33 ms, its
 * figures workbook ~ 13 ms, data workbook ~ 7 ms, .tex ~ 1.5 ms) and to
 * bench/xlsx-large.sh (a data workbook costs ~ 0.15 ms per KiB of CSV). Only
 * the order of the tasks depends on it, never what they write. */
static double task_cost(rc_arena *a, sizes *z, const task *t)
{
    const rc_config *c = t->cfg;
    const rc_document_cfg *dc = &c->document;
    switch (t->kind) {
    case T_DATA: {
        double csv = 0;
        for (size_t i = 0; i < c->nsources; i++)
            csv += kib(a, z, c->sources[i].path);
        return 5.0 + 0.15 * csv;
    }
    case T_FIGURES: /* (from the config: the document may not be built yet) */
        return 1.0 + 1.0 * (double)(c->nfigures + c->ntables);
    case T_TYPESET:
    case T_TEX: {
        double md = kib_all(a, z, dc->front_path, dc->front.n) +
                    kib_all(a, z, dc->chapter_path, dc->chapters.n) +
                    kib_all(a, z, dc->back_path, dc->back.n) +
                    kib_all(a, z, dc->annex_path, dc->annexes.n);
        return t->kind == T_TEX ? 0.2 + 0.02 * md : 3.0 + 0.5 * md;
    }
    case T_DOC:
    case T_RES:
        break;
    }
    return 0;
}

static bool absent(const rc_build_entries *seen, const char *path)
{
    for (size_t i = 0; seen && i < seen->n; i++)
        if (strcmp(seen->v[i].path, path) == 0) return !seen->v[i].found;
    return false;
}

/* Longest first (the classic rule for keeping every thread busy to the
 * end), by kind of task: the editions of one config cost about the same,
 * so each kind goes in edition order (the base edition first: its
 * failures are the ones reported when several would fail alike). */
static const size_t *start_order(rc_arena *a, const task *t, size_t n, const rc_build_entries *seen)
{
    size_t *ord = rc_arena_array(a, n ? n : 1, sizeof *ord);
    /* The jobs first (what the tasks wait for), the fonts' check first of
     * them (every typesetting waits for it, and it is short). */
    double kind_cost[6] = {[T_DOC] = 1e300, [T_RES] = 1e299}; /* then the fonts' loading */
    sizes z = {.seen = seen};
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == T_DOC || t[i].kind == T_RES) continue;
        double c = task_cost(a, &z, &t[i]);
        if (c > kind_cost[t[i].kind]) kind_cost[t[i].kind] = c;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = i; /* insertion: a few tasks per edition */
        while (k > 0 && kind_cost[t[ord[k - 1]].kind] < kind_cost[t[i].kind]) {
            ord[k] = ord[k - 1];
            k--;
        }
        ord[k] = i;
    }
    return ord;
}

/* What the writer found wrong before its tasks, in a pipelined build: the
 * documents are built first (as they were before the writer ran), and a
 * document's errors are given instead when there are any. */
static rc_status prelude_failed(const rc_build_editions *b, rc_diag *pre, rc_diag *d, rc_status st)
{
    const rc_build_docjobs *dj = b->docjobs;
    if (!dj) return st;
    rc_build_parallel(dj->n, dj->run, dj->ctx);
    rc_status ds = dj->merge(dj->ctx, d);
    if (ds != RC_OK) return ds;
    rc_diag_append(d, pre);
    return st;
}

/* Writes every edition's outputs to temporary files, then renames them all
 * into place: a failure in any edition leaves the directory as it was. The
 * caller holds the output directory's lock. */
static rc_status write_locked(rc_arena *a, const rc_options *o, const rc_build_editions *b,
                              rc_diag *d, rc_diag *pre, const char *dir, bool created,
                              const rc_build_entries *seen)
{
    rc_config *const *cfgs = b->cfgs;
    size_t ned = b->ned;
    unsigned want = b->want;
    const rc_config *cfg = cfgs[0];
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;
    const char **svg_dir = rc_arena_array(a, ned, sizeof *svg_dir);
    bool *svg_created = rc_arena_array(a, ned, sizeof *svg_created);
    /* Figures as SVG files go into DIR/figures, DIR/figures-LANG with
     * several editions (created, and removed again by a failed build that
     * created them). */
    bool svg = o->figures_svg || cfg->output.want_svg;
    for (size_t e = 0; e < ned && svg; e++) {
        if (b->skip && b->skip[e]) continue;
        svg_dir[e] = rc_path_join(
            a, dir, ned > 1 ? rc_arena_printf(a, "figures-%s", cfgs[e]->edition) : "figures");
        if (rc_build_mkdirs(svg_dir[e], &svg_created[e]) != 0) {
            rc_diag_error(pre, dloc, "cannot create figures directory '%s': %s", svg_dir[e],
                          strerror(errno));
            for (size_t k = 0; k <= e; k++)
                if (svg_created[k]) rmdir(svg_dir[k]);
            if (created) rmdir(dir);
            return prelude_failed(b, pre, d, RC_ERR_IO);
        }
    }

    /* The tasks: every edition's typesetting first (the longest), then the
     * .tex files and the workbooks. The watcher's cache keeps each
     * edition's fonts and patterns (its task alone uses them). */
    /* The fonts' check ran beside the documents (build.c) whenever a build
     * without a watcher's cache typesets; a watcher checks as it loads. */
    /* In a pipelined build it runs in the pool, before any typesetting. */
    const rc_build_docjobs *dj = b->docjobs;
    bool checked = b->check && (dj || b->check->ok);
    if (b->check && !dj) rc_diag_append(d, b->check->d);
    if (b->check && !checked) {
        for (size_t e = 0; e < ned; e++)
            if (svg_created[e]) rmdir(svg_dir[e]);
        if (created) rmdir(dir);
        return RC_ERR_CONFIG;
    }
    size_t njobs = dj ? dj->n : 0;
    pool p = {.t = rc_arena_array(a, 4 * ned + njobs + 1, sizeof *p.t),
              .ready = rc_arena_array(a, ned, sizeof *p.ready),
              .fonts = 1,
              .res = 1,
              .dj = dj};
    for (size_t e = 0; e < ned; e++)
        p.ready[e] = dj ? 0 : 1;
    static const struct {
        task_kind kind;
        unsigned bit;
    } kinds[] = {
        {T_TYPESET, 0}, {T_TEX, RC_OUT_TEX}, {T_DATA, RC_OUT_XLSX}, {T_FIGURES, RC_OUT_XLSX}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (size_t e = 0; e < ned; e++) {
            if (b->skip && b->skip[e]) continue;
            const rc_config *ec = cfgs[e];
            task *t = &p.t[p.n];
            *t = (task){.kind = kinds[k].kind, .ed = e, .cfg = ec, .doc = &b->docs[e]};
            const rc_str *name = kinds[k].kind == T_TYPESET ? &ec->output.pdf
                                 : kinds[k].kind == T_TEX   ? &ec->output.tex
                                 : kinds[k].kind == T_DATA  ? &ec->output.data_xlsx
                                                            : &ec->output.figures_xlsx;
            if (kinds[k].kind == T_TYPESET) {
                if (!(want & RC_OUT_PDF) && !svg) continue;
            } else if (!(want & kinds[k].bit)) {
                continue;
            }
            bool file = kinds[k].kind != T_TYPESET || (want & RC_OUT_PDF);
            t->target = file ? rc_path_join(a, dir, name->s) : NULL;
            t->tmp = file ? rc_out_tmpname(a, t->target) : NULL;
            t->a = rc_arena_new();
            t->d = rc_diag_new();
            t->job = (typeset_job){.a = t->a,
                                   .cfg = ec,
                                   .doc = t->doc,
                                   .d = t->d,
                                   .tmp = t->tmp,
                                   .cache = b->cache ? &b->cache->ed[e] : NULL,
                                   .watched = b->cache != NULL,
                                   .checked = checked,
                                   .ed = e,
                                   .svg_dir = svg_dir[e]};
            p.n++;
        }
    }
    size_t ntasks = p.n;
    for (int pass = 0; pass < 2; pass++) /* the fonts' check first, then the documents */
        for (size_t i = 0; i < njobs; i++)
            if ((dj->ed[i] == SIZE_MAX) == (pass == 0)) {
                p.t[p.n++] = (task){.kind = T_DOC, .ed = i, .cfg = cfgs[0], .st = RC_OK};
                if (dj->ed[i] == SIZE_MAX) p.fonts = 0;
            }
    /* One edition to typeset, its document still to build: its fonts are
     * loaded beside the document (run_res). Not with several: they keep
     * both cores busy already, and each thread's typesetting tasks share
     * that thread's fonts (worker). */
    size_t ntypeset = 0;
    task *tt = NULL;
    for (size_t i = 0; i < ntasks; i++)
        if (p.t[i].kind == T_TYPESET) ntypeset++, tt = &p.t[i];
    if (dj && ntypeset == 1 && b->early) {
        tt->job.early = b->early; /* loading since the configuration was read */
    } else if (dj && ntypeset == 1) {
        tt->job.cache = &p.res_cache;
        p.t[p.n++] = (task){.kind = T_RES, .ed = tt->ed, .cfg = tt->cfg, .of = tt, .st = RC_OK};
        p.res = 0;
    }
    p.order = start_order(a, p.t, p.n, seen);
    p.taken = rc_arena_array(a, p.n ? p.n : 1, sizeof *p.taken);
    p.left = p.n;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    p.main = pthread_self();
    p.main_typesets = ntypeset == 1;
    /* Several editions to typeset: the pool's other threads start on the
     * other CPUs (rc_thread_start): left to the scheduler, the second
     * thread waited for this one to block before it took its first task
     * (the sample's three editions, 61 paired rounds: -2.22 ms, faster in
     * 53, CPU -2.50 ms). One edition: the main thread typesets, the pool's
     * other thread only writes the .tex and the workbooks, and starting it
     * early took the typesetting from the main thread (util.c). */
    rc_build_on_threads(p.n, ntypeset > 1, worker, &p);
    if (b->early) rc_build_early_join(b->early); /* b->check is complete */
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    p.n = ntasks; /* the jobs have no results of their own here */
    /* As without pipelining: the documents' diagnostics first, and alone
     * when one failed; then what the writer said before its tasks; then
     * the fonts' check. */
    rc_status dst = RC_OK;
    if (dj) {
        dst = dj->merge(dj->ctx, d);
        if (dst == RC_OK) rc_diag_append(d, pre);
        if (dst == RC_OK && b->check) {
            rc_diag_append(d, b->check->d);
            if (!b->check->ok) dst = RC_ERR_CONFIG;
        }
    }

    /* Per edition: the PDF first, as it is the main output, then the .tex
     * and the workbooks, then the figures' files (their names move out of
     * the tasks' arenas). Diagnostics: each edition's typesetting, then
     * the rest, as the tasks are ordered. */
    pending_vec all = {0};
    size_t *pages = rc_arena_array(a, ned, sizeof *pages);
    size_t *nsvgs = rc_arena_array(a, ned, sizeof *nsvgs);
    size_t nsvg = 0;
    rc_status st = RC_OK;
    for (size_t i = 0; i < p.n; i++) {
        task *t = &p.t[i];
        if (dst == RC_OK) rc_diag_append(d, t->d); /* (a failed document's build: its alone) */
        if (b->edd) rc_diag_append(b->edd[t->ed], t->d);
        rc_diag_free(t->d);
        if (dst != RC_OK) st = dst;
        if (t->st != RC_OK && st == RC_OK) st = t->st;
        /* A failed (or never run) output: its back end removed what it
         * wrote; the name is forgotten here, as a watcher's later builds
         * need the registry's slots (outdir.c). */
        if (t->st != RC_OK && t->tmp) rc_out_discard(t->tmp);
        if (t->kind != T_TYPESET) {
            const char *what = t->kind == T_TEX ? "tex" : "xlsx";
            if (t->st == RC_OK) RC_PUSH(a, all, ((pending){t->tmp, t->target, what, t->ed}));
            rc_arena_free(t->a); /* not run (another failed): not freed by its thread */
            continue;
        }
        pages[t->ed] = t->job.pages;
        if (t->st == RC_OK && t->target)
            RC_PUSH(a, all, ((pending){t->tmp, t->target, "pdf", t->ed}));
        for (size_t k = 0; k < t->job.svgs.n; k++) /* written even if a later step failed */
            RC_PUSH(a, all,
                    ((pending){rc_arena_strdup(a, t->job.svgs.v[k].tmp),
                               rc_arena_strdup(a, t->job.svgs.v[k].target), "svg", t->ed}));
        nsvgs[t->ed] = t->job.svgs.n;
        nsvg += t->job.svgs.n;
        rc_arena_free(t->a);
        t->a = NULL;
    }
    /* the order of the "wrote" lines: per edition, the PDF first */
    pending *out = rc_arena_array(a, all.n ? all.n : 1, sizeof *out);
    size_t nout = 0;
    for (size_t e = 0; e < ned; e++)
        for (size_t i = 0; i < all.n; i++)
            if (all.v[i].ed == e && strcmp(all.v[i].what, "svg") != 0) out[nout++] = all.v[i];
    for (size_t i = 0; i < all.n; i++)
        if (strcmp(all.v[i].what, "svg") == 0) out[nout++] = all.v[i];
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;

    if (st != RC_OK) {
        for (size_t i = 0; i < nout; i++)
            rc_out_discard(out[i].tmp);
        rc_out_workdir_remove();
        for (size_t e = 0; e < ned; e++)
            if (svg_created[e]) rmdir(svg_dir[e]);
        if (created) rmdir(dir);
        rc_edition_cache_free(&p.res_cache);
        return st;
    }
    /* The lone edition's fonts are freed, and the arenas' spare blocks
     * unmapped (not by a watcher: its next build takes them,
     * bench/watch.py), beside the renames. */
    rc_edition_cache *rc = b->early ? rc_build_early_cache(b->early) : &p.res_cache;
    rc_build_spares sp = {.cache = rc->have_fonts ? rc : NULL};
    if (!sp.cache) rc_edition_cache_free(&p.res_cache); /* (nothing in it) */
    rc_build_spares_start(&sp, b->cache == NULL);
    /* SIGINT, SIGTERM and SIGHUP wait until every output is renamed: a
     * stop in the middle would leave a set mixing two builds. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    const char **prev = rc_arena_array(a, nout ? nout : 1, sizeof *prev);
    for (size_t i = 0; i < nout; i++) {
        /* A target the targets' check found absent gets no second name:
         * its link would fail (12 failed links in a fresh directory). Made
         * since by someone else, it is still replaced whole, only unlinked
         * inside the rename rather than beside it. */
        prev[i] = absent(seen, out[i].target) ? NULL : rc_build_second_name(a, out[i].target);
        if (rc_out_rename(out[i].tmp, out[i].target) != RC_OK) {
            rc_diag_error(d, (rc_loc){out[i].target, 0, 0}, "cannot write output: %s",
                          strerror(errno));
            for (size_t j = i + 1; j < nout; j++)
                rc_out_discard(out[j].tmp);
            rc_build_drop_previous(prev, i + 1, false);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            rc_build_spares_join(&sp);
            return RC_ERR_IO;
        }
        if (b->outs) rc_file_set_add(&b->outs[out[i].ed], out[i].target);
    }
    rc_build_probe_at("renamed");
    /* (the spare blocks here when their thread could not be started) */
    rc_build_drop_previous(prev, nout, b->cache == NULL && !sp.on);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    rc_build_spares_join(&sp);
    if (!o->quiet) {
        FILE *f = o->out ? o->out : stdout;
        for (size_t i = 0; i < nout; i++) {
            if (strcmp(out[i].what, "svg") == 0) continue;
            if (strcmp(out[i].what, "pdf") == 0)
                fprintf(f, "wrote %s (%s, %zu pages)\n", rc_build_display_path(a, out[i].target),
                        human_size(a, out[i].target), pages[out[i].ed]);
            else
                fprintf(f, "wrote %s (%s)\n", rc_build_display_path(a, out[i].target),
                        human_size(a, out[i].target));
        }
        for (size_t k = 0; k < ned && nsvg; k++)
            if (svg_dir[k])
                fprintf(f, "wrote %s/ (%zu SVG figures)\n", rc_build_display_path(a, svg_dir[k]),
                        nsvgs[k]);
    }
    return RC_OK;
}

static rc_status write_checked(rc_arena *a, const rc_options *o, const rc_build_editions *b,
                               rc_diag *d, rc_diag *pre);

/* Checks the targets, makes the directory, takes its lock (one build at a
 * time per directory, so a set of outputs always comes from one build),
 * removes what killed builds left there, then writes. */
rc_status rc_build_write(rc_arena *a, const rc_options *o, const rc_build_editions *b, rc_diag *d)
{
    /* A pipelined build's documents are built in the writer's pool, after
     * what follows: what it reports waits in pre until the documents' own
     * diagnostics are given, so that, as when they were built first, a
     * document's errors come first and alone. */
    rc_diag *pre = b->docjobs ? rc_diag_new() : d;
    rc_status st = write_checked(a, o, b, d, pre);
    if (pre != d) rc_diag_free(pre);
    return st;
}

static rc_status write_checked(rc_arena *a, const rc_options *o, const rc_build_editions *b,
                               rc_diag *d, rc_diag *pre)
{
    rc_config *const *cfgs = b->cfgs;
    size_t ned = b->ned;
    unsigned want = b->want;
    const rc_config *cfg = cfgs[0];
    const char *dir = o->outdir ? o->outdir : cfg->output.dir;
    /* -o DIR is reported as the command line's, not as the INI key's */
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;
    bool targets_ok = true;
    rc_build_entries seen = {0};
    for (size_t e = 0; e < ned; e++)
        targets_ok &= rc_build_check_targets(a, cfgs[e], dir, want, &seen, pre);
    if (!targets_ok) return prelude_failed(b, pre, d, RC_ERR_CONFIG);
    bool created = false;
    if (rc_build_mkdirs(dir, &created) != 0) {
        rc_diag_error(pre, dloc, "cannot create output directory '%s': %s", dir, strerror(errno));
        return prelude_failed(b, pre, d, RC_ERR_IO);
    }
    if (access(dir, W_OK) != 0) {
        rc_diag_error(pre, dloc, "output directory '%s' is not writable: %s", dir, strerror(errno));
        return prelude_failed(b, pre, d, RC_ERR_IO);
    }
    /* One build at a time per directory, so a set of outputs always comes
     * from one build; then what killed builds left there is removed. */
    double waited = 0;
    int lock = rc_out_lock(dir, !o->no_wait, &waited);
    if (lock < 0) {
        if (errno == EWOULDBLOCK)
            rc_diag_error(pre, dloc,
                          "another build is writing into '%s' (--no-wait); try again when it "
                          "has finished",
                          dir);
        else
            rc_diag_error(pre, dloc, "cannot lock output directory '%s': %s", dir, strerror(errno));
        if (created) rmdir(dir);
        return prelude_failed(b, pre, d, RC_ERR_IO);
    }
    if (waited >= 1000)
        rc_diag_note(pre, dloc, "waited %.1f s for another build writing into '%s'", waited / 1000,
                     dir);
    rc_out_clean_stale(dir);
    /* only libxlsxwriter makes files of its own (if the directory cannot be
     * made, it uses dir); without workbooks no directory is made and
     * removed again (a watcher's --only pdf rebuild) */
    if (want & RC_OUT_XLSX) rc_out_workdir_make(dir);
    rc_status st = write_locked(a, o, b, d, pre, dir, created, &seen);
    rc_out_workdir_remove();
    rc_out_unlock(lock);
    return st;
}
