/* build: the pipeline behind every command. config -> data -> doc -> outputs.
 * Each stage reports all its problems; the pipeline stops between stages when
 * errors were reported. Outputs are first written to temporary files in the
 * output directory and renamed into place together only when every requested
 * output succeeded, so a failed build leaves the directory as it was. */
#include "rc/build.h"
#include "build_int.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
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
static const char *display_path(rc_arena *a, const char *path)
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

typedef struct pending {
    const char *tmp, *target, *what;
} pending;
typedef RC_VEC(pending) pending_vec;

static const char *human_size(rc_arena *a, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return "?";
    double b = (double)st.st_size;
    if (b >= 1024.0 * 1024.0) return rc_arena_printf(a, "%.1f MB", b / (1024.0 * 1024.0));
    if (b >= 1024.0) return rc_arena_printf(a, "%.0f KB", b / 1024.0);
    return rc_arena_printf(a, "%.0f B", b);
}

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
    rc_build_cache *cache; /* fonts and hyphenation kept by a watcher, or NULL */
    const char *svg_dir;   /* figures directory, or NULL */
    pending_vec svgs;      /* SVG files written (in a) */
} typeset_job;

/* Fonts and hyphenation, from the watcher's cache while their files are
 * unchanged (parsing the fonts and the patterns is most of a small
 * rebuild's time). */
/* Every font file and the dictionary are checked as files first
 * (font_check.c, hyph_check.c): a damaged one is an error naming it,
 * before any face is loaded or libhyphen reads it. */
static rc_status check_fonts(typeset_job *j)
{
    const rc_style_cfg *style = &j->cfg->style;
    rc_status st = RC_OK;
    for (size_t i = 0; i < RC_FONT_COUNT; i++)
        if (style->font_path[i] &&
            !rc_font_check(j->a, style->font_path[i], style->font_loc[i], j->d))
            st = RC_ERR_CONFIG;
    return st;
}

static rc_status check_dictionary(typeset_job *j, const char *hp)
{
    return rc_hyph_check(j->a, hp, j->cfg->style.hyphenation_loc, j->d) ? RC_OK : RC_ERR_CONFIG;
}

static rc_status typeset_resources(typeset_job *j, rc_fonts *fonts, rc_hyph **hyph)
{
    const rc_style_cfg *style = &j->cfg->style;
    rc_build_cache *c = j->cache;
    const char *hp = style->hyphenate ? style->hyphenation : NULL;
    if (!c) {
        rc_status st = check_fonts(j);
        if (st == RC_OK && hp) st = check_dictionary(j, hp);
        if (st == RC_OK) st = rc_fonts_load(j->a, style->font_path, style->font_loc, j->d, fonts);
        if (st == RC_OK && hp) {
            *hyph = rc_hyph_load(hp, style->hyphenation_loc, j->d);
            if (!*hyph) st = RC_ERR_CONFIG;
        }
        return st;
    }
    bool same = c->have_fonts;
    for (int i = 0; i < RC_FONT_COUNT && same; i++)
        same = c->font_path[i] && style->font_path[i] &&
               strcmp(c->font_path[i], style->font_path[i]) == 0 &&
               rc_file_sig_eq(c->font_sig[i], rc_file_sig_of(style->font_path[i]));
    c->reused_fonts = same;
    if (!same) {
        rc_arena_free(c->font_arena);
        c->font_arena = rc_arena_new();
        c->have_fonts = false;
        rc_file_sig sig[RC_FONT_COUNT];
        for (int i = 0; i < RC_FONT_COUNT; i++) /* before reading: a later save is seen */
            sig[i] = rc_file_sig_of(style->font_path[i]);
        rc_status st = check_fonts(j);
        if (st == RC_OK)
            st = rc_fonts_load(c->font_arena, style->font_path, style->font_loc, j->d, &c->fonts);
        if (st != RC_OK) return st;
        for (int i = 0; i < RC_FONT_COUNT; i++) {
            free(c->font_path[i]);
            c->font_path[i] = style->font_path[i] ? strdup(style->font_path[i]) : NULL;
            c->font_sig[i] = sig[i];
        }
        c->have_fonts = true;
    }
    *fonts = c->fonts;
    if (!hp) return RC_OK;
    if (!(c->hyph && c->hyph_path && strcmp(c->hyph_path, hp) == 0 &&
          rc_file_sig_eq(c->hyph_sig, rc_file_sig_of(hp)))) {
        rc_hyph_free(c->hyph);
        free(c->hyph_path);
        c->hyph_path = NULL;
        c->hyph_sig = rc_file_sig_of(hp);
        if (check_dictionary(j, hp) != RC_OK) return RC_ERR_CONFIG;
        c->hyph = rc_hyph_load(hp, style->hyphenation_loc, j->d);
        if (!c->hyph) return RC_ERR_CONFIG;
        c->hyph_path = strdup(hp);
        c->reused_fonts = false;
    }
    *hyph = c->hyph;
    return RC_OK;
}

/* "figure-04-motivation.svg": the number zero-padded so files sort in
 * document order, then the figure's INI name. */
static const char *svg_name(rc_arena *a, const rc_node *fig)
{
    const char *num = fig->number ? fig->number : "0";
    const char *name = fig->figure && fig->figure->name.s ? fig->figure->name.s : "figure";
    bool digits = num[0] != 0 && strspn(num, "0123456789") == strlen(num);
    return digits ? rc_arena_printf(a, "figure-%02ld-%s.svg", strtol(num, NULL, 10), name)
                  : rc_arena_printf(a, "figure-%s-%s.svg", num, name);
}

/* One SVG per placed figure, from the display list the page draws. */
static rc_status write_svgs(typeset_job *j, const rc_layout *lay, const rc_fonts *fonts)
{
    const rc_locale *loc = j->doc->locale;
    const char *family = rc_svg_family_from_path(
        j->a, fonts->f[RC_FONT_REGULAR] ? rc_font_path(fonts->f[RC_FONT_REGULAR]) : NULL);
    for (size_t i = 0; i < lay->figures.n; i++) {
        const rc_placed_figure *pf = &lay->figures.v[i];
        const rc_node *n = pf->node;
        const char *word = loc ? rc_locale_word(loc, RC_W_FIGURE) : "Figure";
        const char *title = n && n->number ? rc_arena_printf(j->a, "%s %s: %s", word, n->number,
                                                             n->caption ? n->caption : "")
                                           : (n && n->caption ? n->caption : "");
        /* The description: the figure's alternative text (its `alt`, or
         * the one derived from the chart's data, as in the tagged PDF), then
         * where the numbers come from and any note, in the edition's words. */
        const char *alt = n && n->figure && n->figure->alt.s && *n->figure->alt.s ? n->figure->alt.s
                          : n && n->chart && loc ? rc_chart_alt(j->a, n->chart, loc, n->caption)
                          : n && n->caption      ? n->caption
                                                 : "";
        const char *src = loc ? rc_locale_word(loc, RC_W_SOURCE) : "Source";
        const char *desc =
            rc_arena_printf(j->a, "%s%s%s%s%s%s", alt, n && n->source_line ? " " : "",
                            n && n->source_line ? src : "", n && n->source_line ? ": " : "",
                            n && n->source_line ? n->source_line : "",
                            n && n->note ? rc_arena_printf(j->a, " %s", n->note) : "");
        rc_svg_figure f = {pf->list, pf->w, pf->h, title, desc, family};
        const char *target = rc_path_join(j->a, j->svg_dir, n ? svg_name(j->a, n) : "figure.svg");
        bool dup = false; /* a figure split over pages is placed once per page */
        for (size_t k = 0; k < j->svgs.n && !dup; k++)
            dup = strcmp(j->svgs.v[k].target, target) == 0;
        if (dup) continue;
        const char *tmp = rc_out_tmpname(j->a, target);
        rc_status st = rc_svg_write(j->a, &f, tmp, j->d);
        if (st != RC_OK) return st;
        RC_PUSH(j->a, j->svgs, ((pending){tmp, target, "svg"}));
    }
    return RC_OK;
}

static void *typeset_thread(void *arg)
{
    typeset_job *j = arg;
    rc_fonts fonts;
    rc_hyph *hyph = NULL;
    rc_layout lay = {0};
    j->st = typeset_resources(j, &fonts, &hyph);
    if (j->st == RC_OK) j->st = rc_layout_document(j->a, j->doc, &fonts, hyph, j->d, &lay);
    if (j->st == RC_OK && rc_diag_errors(j->d)) j->st = RC_ERR_DATA;
    lay.release_pages = true; /* nothing below reads a page again (the SVGs draw figures) */
    if (j->st == RC_OK && j->tmp) j->st = rc_pdf_write(j->a, &lay, j->cfg, &fonts, j->tmp, j->d);
    if (j->st == RC_OK && j->svg_dir) j->st = write_svgs(j, &lay, &fonts);
    if (!j->cache) rc_hyph_free(hyph);
    j->pages = lay.pages.n;
    return NULL;
}

/* One edition's outputs in the making. */
typedef struct edition_out {
    typeset_job job;
    pthread_t thread;
    bool threaded, typeset;
    const char *pdf_target, *svg_dir;
    bool svg_created;
    rc_diag *pdf_diag;
    pending_vec rest; /* its .tex and workbooks */
} edition_out;

/* Writes every edition's outputs to temporary files, then renames them all
 * into place: a failure in any edition leaves the directory as it was. The
 * caller holds the output directory's lock. */
static rc_status write_locked(rc_arena *a, const rc_options *o, rc_config *const *cfgs,
                              const rc_doc *docs, size_t ned, unsigned want, rc_build_cache *cache,
                              rc_diag *d, const char *dir, bool created)
{
    const rc_config *cfg = cfgs[0];
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;

    rc_status st = RC_OK;
    edition_out *eo = rc_arena_array(a, ned, sizeof *eo);
    /* Figures as SVG files go into DIR/figures, DIR/figures-LANG with
     * several editions (created, and removed again by a failed build that
     * created them). */
    bool svg = o->figures_svg || cfg->output.want_svg;
    for (size_t e = 0; e < ned && svg; e++) {
        eo[e].svg_dir = rc_path_join(
            a, dir, ned > 1 ? rc_arena_printf(a, "figures-%s", cfgs[e]->edition) : "figures");
        if (rc_build_mkdirs(eo[e].svg_dir, &eo[e].svg_created) != 0) {
            rc_diag_error(d, dloc, "cannot create figures directory '%s': %s", eo[e].svg_dir,
                          strerror(errno));
            for (size_t k = 0; k <= e; k++)
                if (eo[k].svg_created) rmdir(eo[k].svg_dir);
            if (created) rmdir(dir);
            return RC_ERR_IO;
        }
    }

    /* The PDF path (fonts, hyphenation, layout, PDF) of each edition runs on
     * its own thread with its own arena and diagnostics while this thread
     * writes the .tex files and the workbooks: the stages only read the
     * shared documents, data and configurations. Diagnostics are merged in a
     * fixed order afterwards, so the output does not depend on scheduling.
     * The watcher's cache (one set of fonts and patterns) serves a single
     * edition only. */
    rc_diag *rest_diag = rc_diag_new();
    for (size_t e = 0; e < ned; e++) {
        edition_out *x = &eo[e];
        x->typeset = (want & RC_OUT_PDF) || svg;
        if (!x->typeset) continue;
        x->pdf_target = want & RC_OUT_PDF ? rc_path_join(a, dir, cfgs[e]->output.pdf.s) : NULL;
        x->pdf_diag = rc_diag_new();
        x->job = (typeset_job){.a = rc_arena_new(),
                               .cfg = cfgs[e],
                               .doc = &docs[e],
                               .d = x->pdf_diag,
                               .tmp = x->pdf_target ? rc_out_tmpname(a, x->pdf_target) : NULL,
                               .cache = ned == 1 ? cache : NULL,
                               .svg_dir = x->svg_dir};
        x->threaded = pthread_create(&x->thread, NULL, typeset_thread, &x->job) == 0;
        if (!x->threaded) typeset_thread(&x->job);
    }
    for (size_t e = 0; e < ned && st == RC_OK; e++) {
        const rc_config *ec = cfgs[e];
        const rc_doc *doc = &docs[e];
        pending_vec *outv = &eo[e].rest;
        int64_t epoch = rc_date_report_epoch(ec->report.year.s);
        if (want & RC_OUT_TEX) {
            const char *target = rc_path_join(a, dir, ec->output.tex.s);
            const char *tmp = rc_out_tmpname(a, target);
            st = rc_latex_write(a, doc, tmp, rest_diag);
            if (st == RC_OK) RC_PUSH(a, *outv, ((pending){tmp, target, "tex"}));
        }
        if (st == RC_OK && (want & RC_OUT_XLSX)) {
            const char *target = rc_path_join(a, dir, ec->output.data_xlsx.s);
            const char *tmp = rc_out_tmpname(a, target);
            st = rc_xlsx_write_data(a, doc, tmp, epoch, rest_diag);
            if (st == RC_OK) {
                RC_PUSH(a, *outv, ((pending){tmp, target, "xlsx"}));
                target = rc_path_join(a, dir, ec->output.figures_xlsx.s);
                tmp = rc_out_tmpname(a, target);
                st = rc_xlsx_write_figures(a, doc, tmp, epoch, rest_diag);
                if (st == RC_OK) RC_PUSH(a, *outv, ((pending){tmp, target, "xlsx"}));
            }
        }
    }
    /* Per edition: the PDF first, as it is the main output, then the .tex
     * and the workbooks, then the figures' files (their names move out of
     * the job's arena). */
    pending_vec all = {0};
    size_t *pages = rc_arena_array(a, ned, sizeof *pages);
    size_t nsvg = 0;
    for (size_t e = 0; e < ned; e++) {
        edition_out *x = &eo[e];
        if (x->typeset) {
            if (x->threaded) pthread_join(x->thread, NULL);
            rc_diag_append(d, x->pdf_diag);
            rc_diag_free(x->pdf_diag);
            pages[e] = x->job.pages;
            if (x->job.st == RC_OK && x->pdf_target)
                RC_PUSH(a, all, ((pending){x->job.tmp, x->pdf_target, "pdf"}));
        }
        for (size_t i = 0; i < x->rest.n; i++)
            RC_PUSH(a, all, x->rest.v[i]);
        if (x->typeset) {
            for (size_t i = 0; i < x->job.svgs.n; i++) /* written even if a later step failed */
                RC_PUSH(a, all,
                        ((pending){rc_arena_strdup(a, x->job.svgs.v[i].tmp),
                                   rc_arena_strdup(a, x->job.svgs.v[i].target), "svg"}));
            nsvg += x->job.svgs.n;
            rc_arena_free(x->job.a);
            if (x->job.st != RC_OK && st == RC_OK) st = x->job.st;
        }
    }
    pending *out = all.v;
    size_t nout = all.n;
    rc_diag_append(d, rest_diag);
    rc_diag_free(rest_diag);
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;

    if (st != RC_OK) {
        for (size_t i = 0; i < nout; i++)
            rc_out_discard(out[i].tmp);
        rc_out_workdir_remove();
        for (size_t e = 0; e < ned; e++)
            if (eo[e].svg_created) rmdir(eo[e].svg_dir);
        if (created) rmdir(dir);
        return st;
    }
    /* SIGINT, SIGTERM and SIGHUP wait until every output is renamed: a
     * stop in the middle would leave a set mixing two builds. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    for (size_t i = 0; i < nout; i++) {
        if (rc_out_rename(out[i].tmp, out[i].target) != RC_OK) {
            rc_diag_error(d, (rc_loc){out[i].target, 0, 0}, "cannot write output: %s",
                          strerror(errno));
            for (size_t j = i + 1; j < nout; j++)
                rc_out_discard(out[j].tmp);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            return RC_ERR_IO;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!o->quiet) {
        FILE *f = o->out ? o->out : stdout;
        size_t e = 0;
        for (size_t i = 0; i < nout; i++) {
            if (strcmp(out[i].what, "svg") == 0) continue;
            if (strcmp(out[i].what, "pdf") == 0) {
                while (e < ned &&
                       strcmp(eo[e].pdf_target ? eo[e].pdf_target : "", out[i].target) != 0)
                    e++;
                fprintf(f, "wrote %s (%s, %zu pages)\n", display_path(a, out[i].target),
                        human_size(a, out[i].target), e < ned ? pages[e] : 0);
            } else {
                fprintf(f, "wrote %s (%s)\n", display_path(a, out[i].target),
                        human_size(a, out[i].target));
            }
        }
        for (size_t k = 0; k < ned && nsvg; k++)
            if (eo[k].svg_dir)
                fprintf(f, "wrote %s/ (%zu SVG figures)\n", display_path(a, eo[k].svg_dir),
                        eo[k].job.svgs.n);
    }
    return RC_OK;
}

/* Checks the targets, makes the directory, takes its lock (one build at a
 * time per directory, so a set of outputs always comes from one build),
 * removes what killed builds left there, then writes. */
static rc_status write_outputs(rc_arena *a, const rc_options *o, rc_config *const *cfgs,
                               const rc_doc *docs, size_t ned, unsigned want, rc_build_cache *cache,
                               rc_diag *d)
{
    const rc_config *cfg = cfgs[0];
    const char *dir = o->outdir ? o->outdir : cfg->output.dir;
    /* -o DIR is reported as the command line's, not as the INI key's */
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;
    bool targets_ok = true;
    for (size_t e = 0; e < ned; e++)
        targets_ok &= rc_build_check_targets(a, cfgs[e], dir, want, d);
    if (!targets_ok) return RC_ERR_CONFIG;
    bool created = false;
    if (rc_build_mkdirs(dir, &created) != 0) {
        rc_diag_error(d, dloc, "cannot create output directory '%s': %s", dir, strerror(errno));
        return RC_ERR_IO;
    }
    if (access(dir, W_OK) != 0) {
        rc_diag_error(d, dloc, "output directory '%s' is not writable: %s", dir, strerror(errno));
        return RC_ERR_IO;
    }
    /* One build at a time per directory, so a set of outputs always comes
     * from one build; then what killed builds left there is removed. */
    double waited = 0;
    int lock = rc_out_lock(dir, !o->no_wait, &waited);
    if (lock < 0) {
        if (errno == EWOULDBLOCK)
            rc_diag_error(d, dloc,
                          "another build is writing into '%s' (--no-wait); try again when it "
                          "has finished",
                          dir);
        else
            rc_diag_error(d, dloc, "cannot lock output directory '%s': %s", dir, strerror(errno));
        if (created) rmdir(dir);
        return RC_ERR_IO;
    }
    if (waited >= 1000)
        rc_diag_note(d, dloc, "waited %.1f s for another build writing into '%s'", waited / 1000,
                     dir);
    rc_out_clean_stale(dir);
    rc_out_workdir_make(dir); /* if it cannot be made, libxlsxwriter uses dir */
    rc_status st = write_locked(a, o, cfgs, docs, ned, want, cache, d, dir, created);
    rc_out_workdir_remove();
    rc_out_unlock(lock);
    return st;
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
    if (!rc_file_sig_eq(c->ini_sig, rc_file_sig_of(c->cfg->path))) return false;
    for (size_t i = 0; i < c->cfg->nsources; i++)
        if (!rc_file_sig_eq(c->csv_sig[i], rc_file_sig_of(c->cfg->sources[i].path))) return false;
    return true;
}

/* Strict mode (--strict or [report] strict = yes): every warning of d,
 * those already reported (the configuration's) and those to come, is an
 * error. */
static void strict_from(const rc_options *o, const rc_config *cfg, rc_diag *d)
{
    if (o->strict || (cfg && cfg->report.strict)) rc_diag_set_strict(d);
}

/* The configuration and the data: from the watcher's cache while the INI
 * file and the CSVs are unchanged (their warnings are given again), else
 * read into the cache. Without a cache, read into the build's arena. */
static rc_status load_data(rc_arena *a, const rc_options *o, rc_build_cache *c, rc_diag *d,
                           rc_config **cfg, rc_data *data, unsigned *want)
{
    if (!c) {
        rc_status st = rc_config_load(a, o->config, d, cfg);
        strict_from(o, *cfg, d);
        if (st != RC_OK) return st;
        if (rc_diag_errors(d)) return RC_ERR_CONFIG;
        *want = wanted(o, *cfg);
        /* Rows are not kept for the data workbook: it reads each source
         * again and writes rows as they come (xlsx_data.c), so memory stays
         * bounded. Source hashes are provenance for the workbooks only. */
        unsigned flags = 0;
        if (o->command != RC_CMD_BUILD || !(*want & RC_OUT_XLSX)) flags |= RC_DATA_NO_HASH;
        st = rc_data_build(a, *cfg, flags, d, data);
        if (st != RC_OK) return st;
        return rc_diag_errors(d) ? RC_ERR_DATA : RC_OK;
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
    free(c->csv_sig);
    c->data_arena = rc_arena_new();
    c->data_diag = rc_diag_new();
    c->csv_sig = NULL;
    c->have_data = false;
    c->ini_sig = rc_file_sig_of(o->config); /* before reading: a later save is seen */
    rc_diag *dd = c->data_diag;
    rc_status st = rc_config_load(c->data_arena, o->config, dd, &c->cfg);
    strict_from(o, c->cfg, d);
    strict_from(o, c->cfg, dd);
    if (st == RC_OK && !rc_diag_errors(dd)) {
        /* the watcher's list of inputs follows the configuration */
        for (size_t i = 0; i < c->ninputs; i++)
            free(c->inputs[i]);
        c->ninputs = 0;
        rc_build_list_inputs(c);
    }
    if (st == RC_OK && rc_diag_errors(dd)) st = RC_ERR_CONFIG;
    if (st == RC_OK) {
        *want = wanted(o, c->cfg);
        c->data_flags = (*want & RC_OUT_XLSX) ? 0 : RC_DATA_NO_HASH;
        c->csv_sig = calloc(c->cfg->nsources ? c->cfg->nsources : 1, sizeof *c->csv_sig);
        if (!c->csv_sig) st = RC_ERR_NOMEM;
        for (size_t i = 0; st == RC_OK && i < c->cfg->nsources; i++)
            c->csv_sig[i] = rc_file_sig_of(c->cfg->sources[i].path);
        if (st == RC_OK) st = rc_data_build(c->data_arena, c->cfg, c->data_flags, dd, &c->data);
        if (st == RC_OK && rc_diag_errors(dd)) st = RC_ERR_DATA;
    }
    rc_diag_append(d, dd);
    if (st != RC_OK) return st;
    c->have_data = true;
    *cfg = c->cfg;
    *data = c->data;
    return RC_OK;
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
            display_path(a, o->config), cfg->nsources, cfg->nsources == 1 ? "" : "s", cfg->nmetrics,
            cfg->nmetrics == 1 ? "" : "s", doc->figures.n, doc->figures.n == 1 ? "" : "s",
            doc->tables.n, doc->tables.n == 1 ? "" : "s", doc->boxes.n,
            doc->boxes.n == 1 ? "" : "es", pages, pages == 1 ? "" : "s", w, w == 1 ? "" : "s");
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
    rc_status st = load_data(a, o, cache, d, &cfg, &data, &want);
    if (st != RC_OK) return st;

    if (o->command == RC_CMD_METRICS) {
        rc_build_print_metrics(o, &data);
        return RC_OK;
    }
    /* One configuration per edition ([report] languages); the metrics are
     * the same in every edition, so 'metrics' needs only the base one. The
     * watcher's cached configuration gets its editions once. */
    if (!cfg->editions) {
        st = rc_config_editions(cache ? cache->data_arena : a, cfg, o->strict, d);
        if (st != RC_OK) return st;
        if (rc_diag_errors(d)) return RC_ERR_CONFIG;
    }

    /* The data stage ran once; each edition relabels its result. */
    size_t ned = cfg->neditions ? cfg->neditions : 1;
    rc_config *const *cfgs = cfg->neditions ? cfg->editions : &cfg;
    rc_doc *docs = rc_arena_array(a, ned, sizeof *docs);
    rc_data *eds = rc_arena_array(a, ned, sizeof *eds); /* the documents point at them */
    for (size_t e = 0; e < ned; e++) {
        const rc_config *ec = cfgs[e];
        const char *lang = ec->report.language.s ? ec->report.language.s : "en";
        const rc_locale *loc = rc_locale_get(lang);
        if (!loc) {
            rc_diag_error(d, ec->report.language.loc, "unsupported language '%s'", lang);
            return RC_ERR_CONFIG;
        }
        st = rc_data_for_edition(a, &data, ec, &eds[e]);
        if (st == RC_OK) st = rc_doc_build(a, ec, &eds[e], loc, d, &docs[e]);
        if (st != RC_OK) return st;
    }
    if (rc_diag_errors(d)) return RC_ERR_DATA;
    /* Limits of the PDF library, before any typesetting. */
    if (o->command == RC_CMD_CHECK || (want & RC_OUT_PDF)) {
        for (size_t e = 0; e < ned && st == RC_OK; e++)
            st = rc_doc_check_pdf_limits(a, &docs[e], d);
        if (st != RC_OK) return st;
    }

    if (o->command == RC_CMD_CHECK) {
        /* Typeset too (in memory) so problems only layout can see — a glyph
         * missing from the fonts, a cell taller than a page — are found. */
        size_t pages = 0; /* the summary gives the base edition's */
        for (size_t e = 0; e < ned && st == RC_OK; e++) {
            typeset_job job = {.a = a, .cfg = cfgs[e], .doc = &docs[e], .d = d, .st = RC_OK};
            typeset_thread(&job);
            st = job.st;
            if (e == 0) pages = job.pages;
        }
        if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
        if (st == RC_OK && !o->quiet) check_summary(a, o, cfg, &docs[0], pages, d);
        return st;
    }

    st = write_outputs(a, o, cfgs, docs, ned, want, cache, d);
    if (st == RC_OK && !o->quiet) {
        FILE *f = o->out ? o->out : stdout;
        if (ned > 1)
            fprintf(f, "built %zu editions in %.1f ms\n", ned, now_ms() - t0);
        else
            fprintf(f, "built in %.1f ms\n", now_ms() - t0);
    }
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
