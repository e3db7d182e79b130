/* build: the pipeline behind every command. config -> data -> doc -> outputs.
 * Each stage reports all its problems; the pipeline stops between stages when
 * errors were reported. Outputs are first written to temporary files in the
 * output directory and renamed into place together only when every requested
 * output succeeded, so a failed build leaves the directory as it was. */
#include "rc/build.h"
#include "build_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/date.h"
#include "rc/data.h"
#include "rc/doc.h"
#include "rc/font.h"
#include "rc/font_check.h"
#include "rc/hyph_check.h"
#include "rc/latex.h"
#include "rc/layout.h"
#include "rc/chart.h"
#include "rc/locale.h"
#include "rc/pdf.h"
#include "rc/svg.h"
#include "rc/util.h"
#include "rc/xlsx.h"

#include <cmark-gfm-core-extensions.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* mkdir -p; records whether it created the leaf so a failed build can
 * remove it again. */
int rc_build_mkdirs(const char *path, bool *created)
{
    struct stat st;
    *created = false;
    if (stat(path, &st) == 0) return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
    char buf[4096];
    size_t n = strlen(path);
    if (n >= sizeof buf) return (errno = ENAMETOOLONG, -1);
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char save = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
            buf[i] = save;
        }
    }
    *created = true;
    return 0;
}

/* "config/../out/x.pdf" -> "out/x.pdf", for messages only (the files are
 * opened with the path as written, which is right even through symlinks). */
const char *rc_build_display_path(rc_arena *a, const char *path)
{
    const char *parts[256];
    size_t lens[256], n = 0;
    bool abs = path[0] == '/';
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        size_t k = strcspn(p, "/");
        if (!k) break;
        if (k == 1 && p[0] == '.') {
            /* skip */
        } else if (k == 2 && p[0] == '.' && p[1] == '.' && n &&
                   !(lens[n - 1] == 2 && parts[n - 1][0] == '.' && parts[n - 1][1] == '.')) {
            n--;
        } else if (n < 256) {
            parts[n] = p;
            lens[n++] = k;
        } else {
            return path;
        }
        p += k;
    }
    size_t total = 2;
    for (size_t i = 0; i < n; i++)
        total += lens[i] + 1;
    char *out = rc_arena_alloc(a, total), *w = out;
    if (abs) *w++ = '/';
    for (size_t i = 0; i < n; i++) {
        if (i) *w++ = '/';
        memcpy(w, parts[i], lens[i]);
        w += lens[i];
    }
    if (w == out) *w++ = '.';
    *w = 0;
    return out;
}

static unsigned wanted(const rc_options *o, const rc_config *cfg)
{
    unsigned want = 0;
    if (cfg->output.want_pdf) want |= RC_OUT_PDF;
    if (cfg->output.want_tex) want |= RC_OUT_TEX;
    if (cfg->output.want_xlsx) want |= RC_OUT_XLSX;
    return o->only ? o->only : want;
}

static bool data_unchanged(const rc_build_cache *c, unsigned flags)
{
    if (!c->have_data || c->data_flags != flags) return false;
    if (!rc_build_cache_unchanged(c, &c->cfg_files)) return false;
    for (size_t i = 0; i < c->cfg->nsources; i++) {
        const char *p = c->cfg->sources[i].path;
        if (!rc_file_sig_eq(c->csv_sig[i], rc_file_sig_of(p)) || rc_build_cache_reported(c, p))
            return false;
    }
    return true;
}

/* Strict mode (--strict or [report] strict = yes): every warning of d,
 * those already reported (the configuration's) and those to come, is an
 * error. */
static void strict_from(const rc_options *o, const rc_config *cfg, rc_diag *d)
{
    if (o->strict || (cfg && cfg->report.strict)) rc_diag_set_strict(d);
}

/* One configuration per edition ([report] languages); the metrics are the
 * same in every edition, so 'metrics' needs only the base one. */
static rc_status editions(rc_arena *a, const rc_options *o, rc_config *cfg, rc_diag *d)
{
    if (o->command == RC_CMD_METRICS) return RC_OK;
    rc_status st = rc_config_editions(a, cfg, o->strict, d);
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_CONFIG;
    return st;
}

/* The data stage and the editions' configurations (which read the base
 * configuration and their language files, never the data) side by side:
 * with several languages the editions were a third of the serial start of
 * the sample's build (0.9 of 1.9 ms), during which the second CPU idled.
 * Each has its own arena and diagnostics (arenas are not shared between
 * threads); the editions' are given after the data's, and not at all when
 * the data failed, as when they ran one after the other. */
typedef struct load_job {
    rc_arena *a, *ea; /* the data's (the build's), the editions' (its own) */
    const rc_options *o;
    rc_config *cfg;
    unsigned flags;
    rc_diag *d, *ed;
    rc_data *data;
    rc_status st, est;
} load_job;

static void run_load_job(void *ctx, size_t i)
{
    load_job *j = ctx;
    /* the editions (the longer) first: the calling thread starts them at
     * once, the new thread takes the data when it starts (0.3-0.5 ms
     * later on the sample's machine), or the caller does after them */
    if (i == 0)
        j->est = editions(j->ea, j->o, j->cfg, j->ed);
    else
        j->st = rc_data_build(j->a, j->cfg, j->flags, j->d, j->data);
}

static void free_load_arena(void *a)
{
    rc_arena_free(a);
}

static rc_status data_and_editions(rc_arena *a, const rc_options *o, rc_config *cfg, unsigned flags,
                                   rc_diag *d, rc_data *data)
{
    if (o->command == RC_CMD_METRICS || cfg->report.languages.n == 0) {
        rc_status st = rc_data_build(a, cfg, flags, d, data);
        if (st != RC_OK) return st;
        if (rc_diag_errors(d)) return RC_ERR_DATA;
        return editions(a, o, cfg, d);
    }
    load_job j = {.a = a,
                  .ea = rc_arena_new(),
                  .o = o,
                  .cfg = cfg,
                  .flags = flags,
                  .d = d,
                  .ed = rc_diag_new(),
                  .data = data};
    rc_arena_on_free(a, free_load_arena, j.ea); /* the editions live as long as the build */
    if (rc_diag_strict(d)) rc_diag_set_strict(j.ed);
    /* the data's thread started on the other CPU: left to the scheduler it
     * often took the data only after this thread had read the editions
     * (timelines: 4 builds of 6), and the two ran one after the other (the
     * sample's three editions, 61 paired rounds twice: -0.78 and -0.89 ms,
     * faster in 42 and 41) */
    rc_build_parallel_elsewhere(2, run_load_job, &j);
    rc_status st = j.st;
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
    if (st == RC_OK) {
        rc_diag_append(d, j.ed);
        st = j.est;
    }
    rc_diag_free(j.ed);
    return st;
}

/* The configuration with its editions, and the data: from the watcher's
 * cache while the INI file, the language files and the CSVs are unchanged
 * (their warnings are given again), else read into the cache. Without a
 * cache, read into the build's arena. */
static rc_status load_data(rc_arena *a, const rc_options *o, rc_build_cache *c, rc_diag *d,
                           rc_config **cfg, rc_data *data, unsigned *want, rc_build_early **early)
{
    if (!c) {
        rc_status st = rc_config_load(a, o->config, d, cfg);
        strict_from(o, *cfg, d);
        if (st != RC_OK) return st;
        if (rc_diag_errors(d)) return RC_ERR_CONFIG;
        *want = wanted(o, *cfg);
        /* A build of one edition that typesets: its fonts are checked and
         * loaded from now on, beside the data (build_early.c). */
        bool typesets = (*want & RC_OUT_PDF) || o->figures_svg || (*cfg)->output.want_svg;
        if (early && o->command == RC_CMD_BUILD && typesets && (*cfg)->report.languages.n == 0)
            *early = rc_build_early_start(a, *cfg, rc_diag_strict(d));
        rc_build_probe_at("data+");
        /* Rows are not kept for the data workbook: it reads each source
         * again and writes rows as they come (xlsx_data.c), so memory stays
         * bounded. Source hashes are provenance for the workbooks only. */
        unsigned flags = 0;
        if (o->command != RC_CMD_BUILD || !(*want & RC_OUT_XLSX)) flags |= RC_DATA_NO_HASH;
        return data_and_editions(a, o, *cfg, flags, d, data);
    }
    c->reused_data = false;
    if (c->have_data) {
        unsigned w = wanted(o, c->cfg);
        unsigned flags = (w & RC_OUT_XLSX) ? 0 : RC_DATA_NO_HASH;
        if (data_unchanged(c, flags)) {
            strict_from(o, c->cfg, d);
            c->reused_data = true;
            rc_diag_append(d, c->data_diag);
            *cfg = c->cfg;
            *data = c->data;
            *want = w;
            return RC_OK;
        }
    }
    rc_arena_free(c->data_arena);
    rc_diag_free(c->data_diag);
    rc_file_set_clear(&c->cfg_files);
    free(c->csv_sig);
    c->data_arena = rc_arena_new();
    c->data_diag = rc_diag_new();
    c->csv_sig = NULL;
    c->have_data = false;
    /* signed before reading: a save during the build is seen next time */
    rc_file_set_add(&c->cfg_files, o->config);
    rc_diag *dd = c->data_diag;
    rc_status st = rc_config_load(c->data_arena, o->config, dd, &c->cfg);
    strict_from(o, c->cfg, d);
    strict_from(o, c->cfg, dd);
    if (st == RC_OK && rc_diag_errors(dd)) st = RC_ERR_CONFIG;
    if (st == RC_OK) {
        rc_build_edition_files(c->cfg, &c->cfg_files);
        *want = wanted(o, c->cfg);
        c->data_flags = (*want & RC_OUT_XLSX) ? 0 : RC_DATA_NO_HASH;
        c->csv_sig = calloc(c->cfg->nsources ? c->cfg->nsources : 1, sizeof *c->csv_sig);
        if (!c->csv_sig) st = RC_ERR_NOMEM;
        for (size_t i = 0; st == RC_OK && i < c->cfg->nsources; i++)
            c->csv_sig[i] = rc_file_sig_of(c->cfg->sources[i].path);
        if (st == RC_OK) st = rc_data_build(c->data_arena, c->cfg, c->data_flags, dd, &c->data);
        if (st == RC_OK && rc_diag_errors(dd)) st = RC_ERR_DATA;
        rc_status es = st == RC_OK ? editions(c->data_arena, o, c->cfg, dd) : RC_OK;
        /* the watcher's list of inputs follows the configuration (the
         * language files too when one of them failed) */
        for (size_t i = 0; i < c->ninputs; i++)
            free(c->inputs[i]);
        c->ninputs = 0;
        rc_build_list_inputs(c);
        if (st == RC_OK) st = es;
    }
    rc_diag_append(d, dd);
    if (st != RC_OK) return st;
    c->have_data = true;
    *cfg = c->cfg;
    *data = c->data;
    return RC_OK;
}

/* A watcher's editions: one cache each (all emptied when their number
 * changes). An edition is skipped when its last good build was of the same
 * language and outputs, none of the files it read then (the INI file, its
 * language file, the CSVs, its Markdown, table and box files, the fonts and
 * its dictionary: everything its outputs are made of) changed since, and
 * its outputs are still the files it wrote. So an edit of a Spanish
 * chapter or of es.ini builds the Spanish edition alone. Its diagnostics
 * are given again. Returns false when out of memory. */
static bool plan_editions(rc_build_cache *c, rc_config *const *cfgs, size_t ned, unsigned want,
                          bool *skip, rc_diag *d)
{
    if (c->ned != ned) {
        for (size_t e = 0; e < c->ned; e++)
            rc_edition_cache_free(&c->ed[e]);
        free(c->ed);
        c->ned = 0;
        c->ed = calloc(ned, sizeof *c->ed);
        if (!c->ed) return false;
        c->ned = ned;
    }
    c->skipped = 0;
    for (size_t e = 0; e < ned; e++) {
        rc_edition_cache *x = &c->ed[e];
        const char *lang = cfgs[e]->edition ? cfgs[e]->edition : "";
        skip[e] = x->have_out && x->want == want && x->lang && strcmp(x->lang, lang) == 0 &&
                  rc_build_cache_unchanged(c, &x->inputs) && rc_file_set_unchanged(&x->outputs);
        if (skip[e]) {
            rc_diag_append(d, x->diag);
            c->skipped++;
        }
    }
    return true;
}

/* After a good build, what each edition built read and wrote. */
static void keep_editions(rc_build_cache *c, rc_config *const *cfgs, const bool *skip,
                          unsigned want, rc_file_set *ins, rc_file_set *outs, rc_diag **edd)
{
    for (size_t e = 0; e < c->ned; e++) {
        if (skip[e]) continue;
        rc_edition_cache *x = &c->ed[e];
        rc_file_set_clear(&x->inputs);
        rc_file_set_clear(&x->outputs);
        rc_diag_free(x->diag);
        x->inputs = ins[e];
        x->outputs = outs[e];
        x->diag = edd[e];
        memset(&ins[e], 0, sizeof ins[e]);
        memset(&outs[e], 0, sizeof outs[e]);
        edd[e] = NULL;
        x->want = want;
        free(x->lang);
        x->lang = strdup(cfgs[e]->edition ? cfgs[e]->edition : "");
        x->have_out = x->lang != NULL;
    }
}

/* "checked config/x.ini: 2 sources, 12 metrics, 7 figures, 5 tables,
 * 3 boxes, 35 pages; 0 warnings" */
static void check_summary(rc_arena *a, const rc_options *o, const rc_config *cfg, const rc_doc *doc,
                          size_t pages, const rc_diag *d)
{
    FILE *f = o->out ? o->out : stdout;
    size_t w = rc_diag_warnings(d);
    fprintf(f,
            "checked %s: %zu source%s, %zu metric%s, %zu figure%s, %zu table%s, %zu box%s, "
            "%zu page%s; %zu warning%s\n",
            rc_build_display_path(a, o->config), cfg->nsources, cfg->nsources == 1 ? "" : "s",
            cfg->nmetrics, cfg->nmetrics == 1 ? "" : "s", doc->figures.n,
            doc->figures.n == 1 ? "" : "s", doc->tables.n, doc->tables.n == 1 ? "" : "s",
            doc->boxes.n, doc->boxes.n == 1 ? "" : "es", pages, pages == 1 ? "" : "s", w,
            w == 1 ? "" : "s");
}

/* One edition's document (its data relabelled, then the tree), or the
 * check of every edition's fonts and dictionaries (check set). */
typedef struct ed_job {
    const rc_config *ec;
    const rc_locale *loc;
    const rc_data *data;
    rc_data *ed; /* the edition's data: the document points at it */
    rc_doc *doc;
    rc_diag *keep; /* a watcher's copy of the edition's diagnostics, or NULL */
    rc_build_check *check;
    rc_config *const *cfgs;
    size_t ned;
    const bool *skip;
    rc_arena *a; /* the job's own: jobs run at once */
    rc_diag *d;
    rc_status st;
    bool limits; /* a pipelined build's: the PDF's limits checked too, into ld */
    rc_diag *ld;
    rc_status lst;
} ed_job;

static void free_arena(void *a)
{
    rc_arena_free(a);
}

static void free_diag(void *d)
{
    rc_diag_free(d);
}

static void run_ed_job(void *ctx, size_t i)
{
    ed_job *j = &((ed_job *)ctx)[i];
    if (j->check) {
        j->check->ok = rc_build_check_resources(j->a, j->cfgs, j->ned, j->skip, j->d);
        return;
    }
    j->st = rc_data_for_edition(j->a, j->data, j->ec, j->ed);
    if (j->st == RC_OK) j->st = rc_doc_build(j->a, j->ec, j->ed, j->loc, j->d, j->doc);
    if (j->limits && j->st == RC_OK) j->lst = rc_doc_check_pdf_limits(j->a, j->doc, j->ld);
}

/* Whether job i lets the build go on: its document without errors (and
 * within the limits), or the fonts sound. */
static bool ed_job_ok(void *ctx, size_t i)
{
    const ed_job *j = &((const ed_job *)ctx)[i];
    if (j->check) return j->check->ok;
    return j->st == RC_OK && rc_diag_errors(j->d) == 0 &&
           (!j->limits || (j->lst == RC_OK && rc_diag_errors(j->ld) == 0));
}

typedef struct ed_jobs {
    ed_job *v;
    size_t n;
} ed_jobs;

static void run_ed_jobs(void *ctx, size_t i)
{
    run_ed_job(((ed_jobs *)ctx)->v, i);
}

static bool ed_jobs_ok(void *ctx, size_t i)
{
    return ed_job_ok(((ed_jobs *)ctx)->v, i);
}

/* As if built one after the other, stopping at the first that failed:
 * the editions after it are not reported; then, when all were built, the
 * limits (a pipelined build's), stopping at the first edition beyond them. */
static rc_status merge_docs(ed_job *jobs, size_t n, rc_diag *d)
{
    rc_status st = RC_OK;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].check) continue;
        if (st == RC_OK) {
            rc_diag_append(d, jobs[i].d);
            if (jobs[i].keep) rc_diag_append(jobs[i].keep, jobs[i].d);
            st = jobs[i].st;
        }
        rc_diag_free(jobs[i].d);
        jobs[i].d = NULL;
    }
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].check || !jobs[i].limits) continue;
        if (st == RC_OK) {
            rc_diag_append(d, jobs[i].ld);
            st = jobs[i].lst;
            if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
        }
        rc_diag_free(jobs[i].ld);
        jobs[i].ld = NULL;
    }
    return st;
}

static rc_status ed_jobs_merge(void *ctx, rc_diag *d)
{
    ed_jobs *j = ctx;
    return merge_docs(j->v, j->n, d);
}

/* The editions' documents are independent: each is built in an arena and
 * into diagnostics of its own, on as many threads as there are CPUs, and
 * their diagnostics are merged in edition order, so what is reported does
 * not depend on which thread built what. The arenas live as long as the
 * build's (a). The fonts' check reports into its own diagnostics, which the
 * writer gives where it used to check (after the output checks). */
static void setup_docs(rc_arena *a, ed_job *jobs, size_t n, rc_diag *d)
{
    /* cmark-gfm registers its extensions on first use, without a lock */
    cmark_gfm_core_extensions_ensure_registered();
    for (size_t i = 0; i < n; i++) {
        jobs[i].a = rc_arena_new();
        rc_arena_on_free(a, free_arena, jobs[i].a);
        jobs[i].d = rc_diag_new();
        if (rc_diag_strict(d)) rc_diag_set_strict(jobs[i].d);
        if (jobs[i].limits) {
            jobs[i].ld = rc_diag_new();
            if (rc_diag_strict(d)) rc_diag_set_strict(jobs[i].ld);
        }
        if (jobs[i].check) {
            jobs[i].check->d = jobs[i].d;
            rc_arena_on_free(a, free_diag, jobs[i].d);
        }
    }
}

static rc_status build_docs(rc_arena *a, ed_job *jobs, size_t n, rc_diag *d)
{
    setup_docs(a, jobs, n, d);
    rc_build_parallel(n, run_ed_job, jobs);
    return merge_docs(jobs, n, d);
}

static void built_line(const rc_options *o, size_t ned, double t0)
{
    FILE *f = o->out ? o->out : stdout;
    if (ned > 1)
        fprintf(f, "built %zu editions in %.1f ms\n", ned, now_ms() - t0);
    else
        fprintf(f, "built in %.1f ms\n", now_ms() - t0);
}

static rc_status run(rc_arena *a, const rc_options *o, rc_diag *d, rc_build_cache *cache)
{
    double t0 = now_ms();
    /* check and watch validate what build validates */
    if (o->command != RC_CMD_METRICS && !rc_build_epoch_valid()) {
        /* Reproducible builds: a malformed value is an error, not a silent
         * fallback to another date. */
        rc_diag_error(d, (rc_loc){0},
                      "SOURCE_DATE_EPOCH='%s' is not a whole number of seconds since "
                      "1970-01-01 (0 to 253402300799)",
                      getenv("SOURCE_DATE_EPOCH"));
        return RC_ERR_USAGE;
    }
    rc_config *cfg = NULL;
    rc_data data;
    unsigned want = 0;
    rc_build_early *early = NULL; /* (a build's: not a watcher's, nor `check`) */
    rc_status st = load_data(a, o, cache, d, &cfg, &data, &want, cache ? NULL : &early);
    rc_build_probe_at("data-");
    if (st != RC_OK) return st;

    if (o->command == RC_CMD_METRICS) {
        rc_build_print_metrics(o, &data);
        return RC_OK;
    }
    /* The data stage ran once; each edition relabels its result. A
     * watcher does not build again an edition whose inputs did not change. */
    size_t ned = cfg->neditions ? cfg->neditions : 1;
    rc_config *const *cfgs = cfg->neditions ? cfg->editions : &cfg;
    rc_doc *docs = rc_arena_array(a, ned, sizeof *docs);
    rc_data *eds = rc_arena_array(a, ned, sizeof *eds); /* the documents point at them */
    bool *skip = rc_arena_array(a, ned, sizeof *skip);
    bool svg = o->figures_svg || cfg->output.want_svg;
    unsigned kept_want = want | (svg ? 1u << 30 : 0); /* what an edition's last build wrote */
    rc_file_set *ins = NULL, *outs = NULL;
    rc_diag **edd = NULL;
    if (cache) {
        ins = rc_arena_array(a, ned, sizeof *ins);
        outs = rc_arena_array(a, ned, sizeof *outs);
        edd = rc_arena_array(a, ned, sizeof *edd);
        if (!plan_editions(cache, cfgs, ned, kept_want, skip, d)) return RC_ERR_NOMEM;
    }
    /* Every edition's document at once (build_docs), and beside them the
     * check of the fonts and dictionaries the outputs will need. */
    ed_job *jobs = rc_arena_array(a, ned + 1, sizeof *jobs);
    size_t njobs = 0;
    for (size_t e = 0; e < ned && st == RC_OK; e++) {
        if (skip[e]) continue;
        const rc_config *ec = cfgs[e];
        const char *lang = ec->report.language.s ? ec->report.language.s : "en";
        const rc_locale *loc = rc_locale_get(lang);
        if (!loc) {
            rc_diag_error(d, ec->report.language.loc, "unsupported language '%s'", lang);
            st = RC_ERR_CONFIG;
            break;
        }
        if (cache) { /* signed before reading; its diagnostics are kept */
            rc_build_edition_inputs(ec, RC_OUT_ALL, &ins[e]);
            edd[e] = rc_diag_new();
        }
        jobs[njobs++] = (ed_job){.ec = ec,
                                 .loc = loc,
                                 .data = &data,
                                 .ed = &eds[e],
                                 .doc = &docs[e],
                                 .keep = cache ? edd[e] : NULL};
    }
    /* A watcher checks the fonts when it loads them again (build_cache.c),
     * `check` when it typesets. */
    rc_build_check check = {0};
    /* Only typesetting reads them: `--only xlsx` or `--only tex` does not
     * check (nor load) fonts it does not use. */
    bool typesets = (want & RC_OUT_PDF) || svg;
    if (st == RC_OK && !cache && o->command == RC_CMD_BUILD && typesets && !early)
        jobs[njobs++] = (ed_job){.check = &check, .cfgs = cfgs, .ned = ned, .skip = skip};
    /* A build (not a watcher's, not `check`) builds the documents in the
     * writer's pool: an edition's outputs start as soon as its document is
     * built, beside the others' (build_write.c). What is reported, and when
     * the build stops, are as when the documents were all built first. */
    if (st == RC_OK && !cache && o->command == RC_CMD_BUILD) {
        size_t *jed = rc_arena_array(a, njobs ? njobs : 1, sizeof *jed);
        for (size_t i = 0, e = 0; i < njobs; i++) {
            if (jobs[i].check) {
                jed[i] = SIZE_MAX;
                continue;
            }
            while (skip[e]) /* (a build skips none: only a watcher does) */
                e++;
            jed[i] = e++;
            jobs[i].limits = (want & RC_OUT_PDF) != 0;
        }
        setup_docs(a, jobs, njobs, d);
        ed_jobs ej = {jobs, njobs};
        rc_build_docjobs dj = {njobs, jed, run_ed_jobs, ed_jobs_ok, ed_jobs_merge, &ej};
        const rc_build_check *chk = early ? rc_build_early_check(early) : check.d ? &check : NULL;
        rc_build_editions b = {cfgs, docs, ned, want, skip, NULL, NULL, NULL, chk, &dj, early};
        st = rc_build_write(a, o, &b, d);
        if (st == RC_OK && !o->quiet) built_line(o, ned, t0);
        return st;
    }
    if (st == RC_OK) st = build_docs(a, jobs, njobs, d);
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
    /* Limits of the PDF library, before any typesetting. */
    if (st == RC_OK && (o->command == RC_CMD_CHECK || (want & RC_OUT_PDF))) {
        for (size_t e = 0; e < ned && st == RC_OK; e++)
            if (!skip[e]) st = rc_doc_check_pdf_limits(a, &docs[e], d);
    }

    if (st == RC_OK && o->command == RC_CMD_CHECK) {
        /* Typeset too (in memory) so problems only layout can see — a glyph
         * missing from the fonts, a cell taller than a page — are found. */
        size_t pages = 0, p = 0; /* the summary gives the base edition's */
        for (size_t e = 0; e < ned && st == RC_OK; e++) {
            st = rc_build_typeset_check(a, cfgs[e], &docs[e], d, &p);
            if (e == 0) pages = p;
        }
        if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
        if (st == RC_OK && !o->quiet) check_summary(a, o, cfg, &docs[0], pages, d);
        return st;
    }

    if (st == RC_OK) {
        rc_build_editions b = {
            cfgs, docs, ned, want, skip, cache, edd, outs, check.d ? &check : NULL, NULL, NULL};
        st = rc_build_write(a, o, &b, d);
    }
    if (cache && st == RC_OK) keep_editions(cache, cfgs, skip, kept_want, ins, outs, edd);
    for (size_t e = 0; cache && e < ned; e++) {
        rc_file_set_clear(&ins[e]);
        rc_file_set_clear(&outs[e]);
        rc_diag_free(edd[e]);
    }
    if (st == RC_OK && !o->quiet) built_line(o, ned, t0);
    return st;
}

rc_status rc_build_run(const rc_options *o, rc_diag *d, rc_build_cache *cache)
{
    rc_arena *a = rc_arena_new();
    rc_status st = run(a, o, d, cache);
    rc_arena_free(a);
    return st;
}

rc_status rc_build(const rc_options *o, rc_diag *d)
{
    rc_sha256_memo_enable(); /* each input is hashed once, whatever reads it */
    switch (o->command) {
    case RC_CMD_NEW:
        return rc_new_project(o, d);
    case RC_CMD_WATCH:
        return rc_watch(o, d);
    case RC_CMD_HELP:
        return RC_ERR_USAGE; /* the command line answers it */
    default:
        return rc_build_run(o, d, NULL);
    }
}
