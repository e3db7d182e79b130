/* build: the pipeline behind every command. config -> data -> doc -> outputs.
 * Each stage reports all its problems; the pipeline stops between stages when
 * errors were reported. Outputs are first written to temporary files in the
 * output directory and renamed into place together only when every requested
 * output succeeded, so a failed build leaves the directory as it was. */
#include "rc/build.h"

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
#include "rc/util.h"
#include "rc/xlsx.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void print_number(FILE *f, const rc_metric_value *m)
{
    char buf[32];
    if (isnan(m->value) || isinf(m->value))
        fputs("null", f);
    else if (m->integral || (fabs(m->value) < 1e15 && m->value == floor(m->value)))
        fprintf(f, "%.0f", m->value);
    else
        fputs(rc_shortest_double(buf, m->value), f);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void print_metrics(const rc_options *o, const rc_data *data)
{
    FILE *f = o->out ? o->out : stdout;
    if (o->json) {
        fputc('{', f);
        for (size_t i = 0; i < data->nmetrics; i++) {
            fputs(i ? ",\n  " : "\n  ", f);
            json_string(f, data->metrics[i].name);
            fputs(": ", f);
            print_number(f, &data->metrics[i]);
        }
        fputs(data->nmetrics ? "\n}\n" : "}\n", f);
        return;
    }
    for (size_t i = 0; i < data->nmetrics; i++) {
        fprintf(f, "%s = ", data->metrics[i].name);
        print_number(f, &data->metrics[i]);
        fputc('\n', f);
    }
}

/* mkdir -p; records whether it created the leaf so a failed build can
 * remove it again. */
static int make_dirs(const char *path, bool *created)
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

static const char *human_size(rc_arena *a, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return "?";
    double b = (double)st.st_size;
    if (b >= 1024.0 * 1024.0) return rc_arena_printf(a, "%.1f MB", b / (1024.0 * 1024.0));
    if (b >= 1024.0) return rc_arena_printf(a, "%.0f KB", b / 1024.0);
    return rc_arena_printf(a, "%.0f B", b);
}

/* Fonts, hyphenation and layout, then (when tmp is set) the PDF: the work
 * behind both `check` (typeset in memory) and the PDF output. */
typedef struct typeset_job {
    rc_arena *a;
    const rc_config *cfg;
    const rc_doc *doc;
    rc_diag *d;
    const char *tmp; /* PDF file to write, or NULL */
    rc_status st;
    size_t pages;
} typeset_job;

static void *typeset_thread(void *arg)
{
    typeset_job *j = arg;
    const rc_style_cfg *style = &j->cfg->style;
    rc_fonts fonts;
    rc_hyph *hyph = NULL;
    rc_layout lay = {0};
    /* Every font file is checked as a file first (font_check.c): a damaged
     * one is an error naming it, before any face is loaded. */
    for (size_t i = 0; i < RC_FONT_COUNT; i++)
        if (style->font_path[i] &&
            !rc_font_check(j->a, style->font_path[i], style->font_loc[i], j->d))
            j->st = RC_ERR_CONFIG;
    if (j->st == RC_OK)
        j->st = rc_fonts_load(j->a, style->font_path, style->font_loc, j->d, &fonts);
    if (j->st == RC_OK && style->hyphenate && style->hyphenation &&
        !rc_hyph_check(j->a, style->hyphenation, style->hyphenation_loc, j->d))
        j->st = RC_ERR_CONFIG;
    if (j->st == RC_OK && style->hyphenate && style->hyphenation) {
        hyph = rc_hyph_load(style->hyphenation, style->hyphenation_loc, j->d);
        if (!hyph) j->st = RC_ERR_CONFIG;
    }
    if (j->st == RC_OK) j->st = rc_layout_document(j->a, j->doc, &fonts, hyph, j->d, &lay);
    if (j->st == RC_OK && rc_diag_errors(j->d)) j->st = RC_ERR_DATA;
    if (j->st == RC_OK && j->tmp) j->st = rc_pdf_write(j->a, &lay, j->cfg, &fonts, j->tmp, j->d);
    rc_hyph_free(hyph);
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

/* Records an input's directory entry (lstat: see check_targets). */
static void add_input(rc_arena *a, input_vec *v, const char *path, const char *what,
                      const char *name)
{
    struct stat st;
    if (path && lstat(path, &st) == 0)
        RC_PUSH(a, *v, ((input_file){what, name, path, st.st_dev, st.st_ino}));
}

static void add_inputs(rc_arena *a, input_vec *v, const char *const *paths, size_t n,
                       const char *what)
{
    for (size_t i = 0; paths && i < n; i++)
        add_input(a, v, paths[i], what, NULL);
}

/* Every file the build reads. */
static void collect_inputs(rc_arena *a, const rc_config *cfg, unsigned want, input_vec *in)
{
    add_input(a, in, cfg->path, "the configuration file", NULL);
    for (size_t i = 0; i < cfg->nsources; i++)
        add_input(a, in, cfg->sources[i].path, "the CSV file of source", cfg->sources[i].name.s);
    const rc_document_cfg *dc = &cfg->document;
    add_inputs(a, in, dc->front_path, dc->front.n, "a Markdown file of the report");
    add_inputs(a, in, dc->chapter_path, dc->chapters.n, "a Markdown file of the report");
    add_inputs(a, in, dc->back_path, dc->back.n, "a Markdown file of the report");
    add_inputs(a, in, dc->annex_path, dc->annexes.n, "a Markdown file of the report");
    for (size_t i = 0; i < cfg->ntables; i++)
        add_input(a, in, cfg->tables[i].path, "the file of table", cfg->tables[i].name.s);
    for (size_t i = 0; i < cfg->nboxes; i++)
        add_input(a, in, cfg->boxes[i].path, "the file of box", cfg->boxes[i].name.s);
    if (want & RC_OUT_PDF) {
        add_inputs(a, in, cfg->style.font_path, RC_FONT_COUNT, "a font file");
        if (cfg->style.hyphenate)
            add_input(a, in, cfg->style.hyphenation, "the hyphenation dictionary", NULL);
    }
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
                              const rc_doc *doc, unsigned want, rc_diag *d, const char *dir,
                              bool created)
{

    pending out[4];
    size_t nout = 0;
    rc_status st = RC_OK;
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
    if (want & RC_OUT_PDF) {
        pdf_target = rc_path_join(a, dir, cfg->output.pdf.s);
        pdf_diag = rc_diag_new();
        job = (typeset_job){rc_arena_new(), cfg, doc, pdf_diag, rc_out_tmpname(a, pdf_target),
                            RC_OK,          0};
        threaded = pthread_create(&thread, NULL, typeset_thread, &job) == 0;
        if (!threaded) typeset_thread(&job);
    }
    if (want & RC_OUT_TEX) {
        const char *target = rc_path_join(a, dir, cfg->output.tex.s);
        const char *tmp = rc_out_tmpname(a, target);
        st = rc_latex_write(a, doc, tmp, rest_diag);
        if (st == RC_OK) out[nout++] = (pending){tmp, target, "tex"};
    }
    if (st == RC_OK && (want & RC_OUT_XLSX)) {
        const char *target = rc_path_join(a, dir, cfg->output.data_xlsx.s);
        const char *tmp = rc_out_tmpname(a, target);
        st = rc_xlsx_write_data(a, doc, tmp, epoch, rest_diag);
        if (st == RC_OK) {
            out[nout++] = (pending){tmp, target, "xlsx"};
            target = rc_path_join(a, dir, cfg->output.figures_xlsx.s);
            tmp = rc_out_tmpname(a, target);
            st = rc_xlsx_write_figures(a, doc, tmp, epoch, rest_diag);
            if (st == RC_OK) out[nout++] = (pending){tmp, target, "xlsx"};
        }
    }
    size_t pages = 0;
    if (want & RC_OUT_PDF) {
        if (threaded) pthread_join(thread, NULL);
        rc_diag_append(d, pdf_diag);
        rc_diag_free(pdf_diag);
        rc_arena_free(job.a);
        pages = job.pages;
        if (job.st == RC_OK) {
            /* The PDF goes first in the list, as it is the main output. */
            memmove(out + 1, out, nout * sizeof out[0]);
            out[0] = (pending){job.tmp, pdf_target, "pdf"};
            nout++;
        } else if (st == RC_OK) {
            st = job.st;
        }
    }
    rc_diag_append(d, rest_diag);
    rc_diag_free(rest_diag);
    if (st == RC_OK && rc_diag_errors(d)) st = RC_ERR_DATA;

    if (st != RC_OK) {
        for (size_t i = 0; i < nout; i++)
            rc_out_discard(out[i].tmp);
        rc_out_workdir_remove();
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
            if (strcmp(out[i].what, "pdf") == 0)
                fprintf(f, "wrote %s (%s, %zu pages)\n", display_path(a, out[i].target),
                        human_size(a, out[i].target), pages);
            else
                fprintf(f, "wrote %s (%s)\n", display_path(a, out[i].target),
                        human_size(a, out[i].target));
        }
    }
    return RC_OK;
}

static rc_status write_outputs(rc_arena *a, const rc_options *o, const rc_config *cfg,
                               const rc_doc *doc, unsigned want, rc_diag *d)
{
    const char *dir = o->outdir ? o->outdir : cfg->output.dir;
    /* -o DIR is reported as the command line's, not as the INI key's */
    rc_loc dloc = o->outdir                 ? (rc_loc){0}
                  : cfg->output.directory.s ? cfg->output.directory.loc
                                            : cfg->output.loc;
    if (!check_targets(a, cfg, dir, want, d)) return RC_ERR_CONFIG;
    bool created = false;
    if (make_dirs(dir, &created) != 0) {
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
    rc_status st = write_locked(a, o, cfg, doc, want, d, dir, created);
    rc_out_workdir_remove();
    rc_out_unlock(lock);
    return st;
}

static rc_status run(rc_arena *a, const rc_options *o, rc_diag *d)
{
    double t0 = now_ms();
    if (o->command == RC_CMD_BUILD && !rc_build_epoch_valid()) {
        /* Reproducible builds: a malformed value is an error, not a silent
         * fallback to another date. */
        rc_diag_error(d, (rc_loc){0},
                      "SOURCE_DATE_EPOCH='%s' is not a whole number of seconds since "
                      "1970-01-01 (0 to 253402300799)",
                      getenv("SOURCE_DATE_EPOCH"));
        return RC_ERR_USAGE;
    }
    rc_config *cfg = NULL;
    rc_status st = rc_config_load(a, o->config, d, &cfg);
    /* Strict mode from either place, before any data is read; the
     * configuration's own warnings are promoted too. */
    if (o->strict || (cfg && cfg->report.strict)) rc_diag_set_strict(d);
    if (st != RC_OK) return st;
    if (rc_diag_errors(d)) return RC_ERR_CONFIG;

    unsigned want = 0;
    if (cfg->output.want_pdf) want |= RC_OUT_PDF;
    if (cfg->output.want_tex) want |= RC_OUT_TEX;
    if (cfg->output.want_xlsx) want |= RC_OUT_XLSX;
    if (o->only) want = o->only;

    /* Rows are not kept for the data workbook: it reads each source again
     * and writes rows as they come (xlsx_data.c), so memory stays bounded. */
    unsigned flags = 0;
    /* Source hashes are provenance for the workbooks' About sheet only. */
    if (o->command != RC_CMD_BUILD || !(want & RC_OUT_XLSX)) flags |= RC_DATA_NO_HASH;
    rc_data data;
    st = rc_data_build(a, cfg, flags, d, &data);
    if (st != RC_OK) return st;
    if (rc_diag_errors(d)) return RC_ERR_DATA;

    if (o->command == RC_CMD_METRICS) {
        print_metrics(o, &data);
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
        typeset_job job = {a, cfg, &doc, d, NULL, RC_OK, 0};
        typeset_thread(&job);
        st = job.st;
        return st;
    }

    st = write_outputs(a, o, cfg, &doc, want, d);
    if (st == RC_OK && !o->quiet) {
        FILE *f = o->out ? o->out : stdout;
        fprintf(f, "built in %.1f ms\n", now_ms() - t0);
    }
    return st;
}

rc_status rc_build(const rc_options *o, rc_diag *d)
{
    rc_arena *a = rc_arena_new();
    rc_status st = run(a, o, d);
    rc_arena_free(a);
    return st;
}
