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
        /* The description: what the figure shows, where the numbers come
         * from and any note, as the PDF prints them under the chart. */
        const char *desc = rc_arena_printf(j->a, "%s%s%s%s%s", n && n->caption ? n->caption : "",
                                           n && n->source_line ? ". Source: " : "",
                                           n && n->source_line ? n->source_line : "",
                                           n && n->note ? ". " : "", n && n->note ? n->note : "");
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
    if (j->st == RC_OK && j->tmp) j->st = rc_pdf_write(j->a, &lay, j->cfg, &fonts, j->tmp, j->d);
    if (j->st == RC_OK && j->svg_dir) j->st = write_svgs(j, &lay, &fonts);
    if (!j->cache) rc_hyph_free(hyph);
    j->pages = lay.pages.n;
    return NULL;
}

/* ---- output targets are checked before anything is written ---- */

typedef struct input_file {
    const char *what, *name, *path; /* "the CSV file of source", "survey", its path */
    dev_t dev;
    ino_t ino;
} input_file;
typedef RC_VEC(input_file) input_vec;

/* Every file the build reads is handed to one visitor (the output checks
 * below, the watcher's list). */
typedef struct input_visitor {
    void (*fn)(struct input_visitor *v, const char *path, const char *what, const char *name);
    rc_arena *a;
    input_vec *files;
    rc_build_cache *cache;
} input_visitor;

/* Records an input's directory entry (lstat: see check_targets). */
static void add_input(input_visitor *v, const char *path, const char *what, const char *name)
{
    if (path) v->fn(v, path, what, name);
}

static void add_inputs(input_visitor *v, const char *const *paths, size_t n, const char *what)
{
    for (size_t i = 0; paths && i < n; i++)
        add_input(v, paths[i], what, NULL);
}

static void visit_entry(input_visitor *v, const char *path, const char *what, const char *name)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        RC_PUSH(v->a, *v->files, ((input_file){what, name, path, st.st_dev, st.st_ino}));
}

static void visit_watch(input_visitor *v, const char *path, const char *what, const char *name)
{
    (void)what;
    (void)name;
    rc_build_cache *c = v->cache;
    char **nv = realloc(c->inputs, (c->ninputs + 1) * sizeof *nv);
    char *p = strdup(path);
    if (!nv || !p) { /* the watcher then watches fewer files; the build is unaffected */
        free(p);
        if (nv) c->inputs = nv;
        return;
    }
    c->inputs = nv;
    c->inputs[c->ninputs++] = p;
}

static void walk_inputs(input_visitor *in, const rc_config *cfg, unsigned want)
{
    add_input(in, cfg->path, "the configuration file", NULL);
    for (size_t i = 0; i < cfg->nsources; i++)
        add_input(in, cfg->sources[i].path, "the CSV file of source", cfg->sources[i].name.s);
    const rc_document_cfg *dc = &cfg->document;
    add_inputs(in, dc->front_path, dc->front.n, "a Markdown file of the report");
    add_inputs(in, dc->chapter_path, dc->chapters.n, "a Markdown file of the report");
    add_inputs(in, dc->back_path, dc->back.n, "a Markdown file of the report");
    add_inputs(in, dc->annex_path, dc->annexes.n, "a Markdown file of the report");
    for (size_t i = 0; i < cfg->ntables; i++)
        add_input(in, cfg->tables[i].path, "the file of table", cfg->tables[i].name.s);
    for (size_t i = 0; i < cfg->nboxes; i++)
        add_input(in, cfg->boxes[i].path, "the file of box", cfg->boxes[i].name.s);
    if (want & RC_OUT_PDF) {
        add_inputs(in, cfg->style.font_path, RC_FONT_COUNT, "a font file");
        if (cfg->style.hyphenate)
            add_input(in, cfg->style.hyphenation, "the hyphenation dictionary", NULL);
    }
}

static void collect_inputs(rc_arena *a, const rc_config *cfg, unsigned want, input_vec *in)
{
    input_visitor v = {visit_entry, a, in, NULL};
    walk_inputs(&v, cfg, want);
}

/* Every output is a distinct file name, is not a directory, and is not one
 * of the build's own inputs (a PDF named 'report.ini' beside the INI file
 * would otherwise replace it). Reported at the output's key; exit 2. */
static bool check_targets(rc_arena *a, const rc_config *cfg, const char *dir, unsigned want,
                          rc_diag *d)
{
    const rc_output_cfg *oc = &cfg->output;
    const struct {
        unsigned bit;
        const rc_str *name;
        const char *key;
    } outs[] = {{RC_OUT_PDF, &oc->pdf, "pdf"},
                {RC_OUT_TEX, &oc->tex, "tex"},
                {RC_OUT_XLSX, &oc->data_xlsx, "data_xlsx"},
                {RC_OUT_XLSX, &oc->figures_xlsx, "figures_xlsx"}};
    const size_t nouts = sizeof outs / sizeof outs[0];
    input_vec in = {0};
    bool collected = false; /* inputs are listed once, and only if a target exists */
    bool ok = true;
    for (size_t i = 0; i < nouts; i++) {
        if (!(want & outs[i].bit) || !outs[i].name->s) continue;
        const rc_str *nm = outs[i].name;
        bool twice = false;
        for (size_t j = 0; j < i && !twice; j++)
            if ((want & outs[j].bit) && outs[j].name->s && !strcmp(outs[j].name->s, nm->s)) {
                rc_diag_error(d, nm->loc, "output file name '%s' is already used by '%s'", nm->s,
                              outs[j].key);
                twice = true;
            }
        if (twice) {
            ok = false;
            continue;
        }
        const char *target = rc_path_join(a, dir, nm->s);
        struct stat ts;
        /* lstat: rename() replaces the directory entry, so what matters is
         * the entry itself (a symbolic link is replaced, not followed). */
        if (lstat(target, &ts) != 0) continue; /* a new file: nothing to clash with */
        if (S_ISDIR(ts.st_mode)) {
            rc_diag_error(d, nm->loc, "output '%s' (key '%s') is a directory", target, outs[i].key);
            ok = false;
            continue;
        }
        if (!collected) {
            collect_inputs(a, cfg, want, &in);
            collected = true;
        }
        for (size_t k = 0; k < in.n; k++) {
            const input_file *f = &in.v[k];
            if (f->dev == ts.st_dev && f->ino == ts.st_ino) {
                rc_diag_error(d, nm->loc,
                              "output '%s' would overwrite %s%s%s%s ('%s'); choose another "
                              "name or output directory",
                              target, f->what, f->name ? " '" : "", f->name ? f->name : "",
                              f->name ? "'" : "", f->path);
                ok = false;
                break;
            }
        }
    }
    return ok;
}

/* The outputs of a build holding the directory's lock. */
static rc_status write_locked(rc_arena *a, const rc_options *o, const rc_config *cfg,
                              const rc_doc *doc, unsigned want, rc_build_cache *cache, rc_diag *d,
                              const char *dir, bool created)
{
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;

    pending_vec outv = {0};
    rc_status st = RC_OK;
    /* Figures as SVG files go into DIR/figures (created, and removed again
     * by a failed build that created it). */
    bool svg = o->figures_svg || cfg->output.want_svg, svg_created = false;
    const char *svg_dir = svg ? rc_path_join(a, dir, "figures") : NULL;
    if (svg && rc_build_mkdirs(svg_dir, &svg_created) != 0) {
        rc_diag_error(d, dloc, "cannot create figures directory '%s': %s", svg_dir,
                      strerror(errno));
        if (created) rmdir(dir);
        return RC_ERR_IO;
    }
    int64_t epoch = rc_date_report_epoch(cfg->report.year.s);

    /* The PDF path (fonts, hyphenation, layout, PDF) runs on its own thread
     * with its own arena and diagnostics while this thread writes the .tex
     * and the workbooks: the stages only read the shared document, data and
     * configuration. Diagnostics are merged in a fixed order afterwards, so
     * the output does not depend on scheduling. */
    rc_diag *pdf_diag = NULL, *rest_diag = rc_diag_new();
    typeset_job job = {0};
    pthread_t thread;
    bool threaded = false;
    const char *pdf_target = NULL;
    bool typeset = (want & RC_OUT_PDF) || svg;
    if (typeset) {
        pdf_target = want & RC_OUT_PDF ? rc_path_join(a, dir, cfg->output.pdf.s) : NULL;
        pdf_diag = rc_diag_new();
        job = (typeset_job){.a = rc_arena_new(),
                            .cfg = cfg,
                            .doc = doc,
                            .d = pdf_diag,
                            .tmp = pdf_target ? rc_out_tmpname(a, pdf_target) : NULL,
                            .cache = cache,
                            .svg_dir = svg_dir};
        threaded = pthread_create(&thread, NULL, typeset_thread, &job) == 0;
        if (!threaded) typeset_thread(&job);
    }
    if (want & RC_OUT_TEX) {
        const char *target = rc_path_join(a, dir, cfg->output.tex.s);
        const char *tmp = rc_out_tmpname(a, target);
        st = rc_latex_write(a, doc, tmp, rest_diag);
        if (st == RC_OK) RC_PUSH(a, outv, ((pending){tmp, target, "tex"}));
    }
    if (st == RC_OK && (want & RC_OUT_XLSX)) {
        const char *target = rc_path_join(a, dir, cfg->output.data_xlsx.s);
        const char *tmp = rc_out_tmpname(a, target);
        st = rc_xlsx_write_data(a, doc, tmp, epoch, rest_diag);
        if (st == RC_OK) {
            RC_PUSH(a, outv, ((pending){tmp, target, "xlsx"}));
            target = rc_path_join(a, dir, cfg->output.figures_xlsx.s);
            tmp = rc_out_tmpname(a, target);
            st = rc_xlsx_write_figures(a, doc, tmp, epoch, rest_diag);
            if (st == RC_OK) RC_PUSH(a, outv, ((pending){tmp, target, "xlsx"}));
        }
    }
    size_t pages = 0;
    size_t nsvg = 0;
    if (typeset) {
        if (threaded) pthread_join(thread, NULL);
        rc_diag_append(d, pdf_diag);
        rc_diag_free(pdf_diag);
        pages = job.pages;
        /* The PDF goes first in the list, as it is the main output; the
         * figures' files last. Their names move out of the job's arena. */
        pending_vec all = {0};
        if (job.st == RC_OK && pdf_target) RC_PUSH(a, all, ((pending){job.tmp, pdf_target, "pdf"}));
        for (size_t i = 0; i < outv.n; i++)
            RC_PUSH(a, all, outv.v[i]);
        for (size_t i = 0; i < job.svgs.n; i++) /* written even if a later step failed */
            RC_PUSH(a, all,
                    ((pending){rc_arena_strdup(a, job.svgs.v[i].tmp),
                               rc_arena_strdup(a, job.svgs.v[i].target), "svg"}));
        nsvg = job.svgs.n;
        outv = all;
        rc_arena_free(job.a);
        if (job.st != RC_OK && st == RC_OK) st = job.st;
    }
    pending *out = outv.v;
    size_t nout = outv.n;
    rc_diag_append(d, rest_diag);
    rc_diag_free(rest_diag);
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;

    if (st != RC_OK) {
        for (size_t i = 0; i < nout; i++)
            rc_out_discard(out[i].tmp);
        rc_out_workdir_remove();
        if (svg_created) rmdir(svg_dir);
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
        for (size_t i = 0; i < nout; i++) {
            if (strcmp(out[i].what, "svg") == 0) continue;
            if (strcmp(out[i].what, "pdf") == 0)
                fprintf(f, "wrote %s (%s, %zu pages)\n", display_path(a, out[i].target),
                        human_size(a, out[i].target), pages);
            else
                fprintf(f, "wrote %s (%s)\n", display_path(a, out[i].target),
                        human_size(a, out[i].target));
        }
        if (nsvg) fprintf(f, "wrote %s/ (%zu SVG figures)\n", display_path(a, svg_dir), nsvg);
    }
    return RC_OK;
}

static rc_status write_outputs(rc_arena *a, const rc_options *o, const rc_config *cfg,
                               const rc_doc *doc, unsigned want, rc_build_cache *cache, rc_diag *d)
{
    const char *dir = o->outdir ? o->outdir : cfg->output.dir;
    /* -o DIR is reported as the command line's, not as the INI key's */
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;
    if (!check_targets(a, cfg, dir, want, d)) return RC_ERR_CONFIG;
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
    rc_status st = write_locked(a, o, cfg, doc, want, cache, d, dir, created);
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

/* The configuration and the data: from the watcher's cache while the INI
 * file and the CSVs are unchanged (their warnings are given again), else
 * read into the cache. Without a cache, read into the build's arena. */
/* Strict mode (--strict or [report] strict = yes): every warning of d,
 * those already reported (the configuration's) and those to come, is an
 * error. */
static void strict_from(const rc_options *o, const rc_config *cfg, rc_diag *d)
{
    if (o->strict || (cfg && cfg->report.strict)) rc_diag_set_strict(d);
}

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
        input_visitor v = {visit_watch, NULL, NULL, c};
        walk_inputs(&v, c->cfg, RC_OUT_ALL);
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

    const char *lang = cfg->report.language.s ? cfg->report.language.s : "en";
    const rc_locale *loc = rc_locale_get(lang);
    if (!loc) {
        rc_diag_error(d, cfg->report.language.loc, "unsupported language '%s'", lang);
        return RC_ERR_CONFIG;
    }
    rc_doc doc;
    st = rc_doc_build(a, cfg, &data, loc, d, &doc);
    if (st != RC_OK) return st;
    if (rc_diag_errors(d)) return RC_ERR_DATA;
    /* Limits of the PDF library, before any typesetting. */
    if (o->command == RC_CMD_CHECK || (want & RC_OUT_PDF)) {
        st = rc_doc_check_pdf_limits(a, &doc, d);
        if (st != RC_OK) return st;
    }

    if (o->command == RC_CMD_CHECK) {
        /* Typeset too (in memory) so problems only layout can see — a glyph
         * missing from the fonts, a cell taller than a page — are found. */
        typeset_job job = {.a = a, .cfg = cfg, .doc = &doc, .d = d, .st = RC_OK};
        typeset_thread(&job);
        st = job.st;
        if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;
        if (st == RC_OK && !o->quiet) check_summary(a, o, cfg, &doc, job.pages, d);
        return st;
    }

    st = write_outputs(a, o, cfg, &doc, want, cache, d);
    if (st == RC_OK && !o->quiet) {
        FILE *f = o->out ? o->out : stdout;
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
