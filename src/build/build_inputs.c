/* build_inputs: every file a build reads, walked once for two users: the
 * output checks (no output may replace an input, share a name or be a
 * directory) and the watcher's list of files to watch. */
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
    rc_file_set *set;
    rc_build_entries *seen;
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
    /* an entry another edition's check looked up a moment ago, in this
     * same check before anything is written, is not looked up again */
    const rc_build_entry *e = NULL;
    for (size_t i = 0; i < v->seen->n && !e; i++)
        if (strcmp(v->seen->v[i].path, path) == 0) e = &v->seen->v[i];
    if (!e) {
        struct stat st;
        bool found = lstat(path, &st) == 0;
        rc_build_entry x = {path, 0, 0, 0, found, found && S_ISREG(st.st_mode)};
        if (found) x.dev = st.st_dev, x.ino = st.st_ino, x.size = st.st_size;
        RC_PUSH(v->a, *v->seen, x);
        e = &v->seen->v[v->seen->n - 1];
    }
    if (e->found) RC_PUSH(v->a, *v->files, ((input_file){what, name, path, e->dev, e->ino}));
}

static void visit_watch(input_visitor *v, const char *path, const char *what, const char *name)
{
    (void)what;
    (void)name;
    rc_build_cache *c = v->cache;
    for (size_t i = 0; i < c->ninputs; i++) /* editions share the INI file, CSVs, fonts */
        if (strcmp(c->inputs[i], path) == 0) return;
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
    add_input(in, cfg->edition_path, "the language file", NULL);
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

static void collect_inputs(rc_arena *a, const rc_config *cfg, unsigned want, input_vec *in,
                           rc_build_entries *seen)
{
    input_visitor v = {visit_entry, a, in, NULL, NULL, seen};
    walk_inputs(&v, cfg, want);
}

/* Every output is a distinct file name, is not a directory, and is not one
 * of the build's own inputs (a PDF named 'report.ini' beside the INI file
 * would otherwise replace it). Reported at the output's key; exit 2. */
bool rc_build_check_targets(rc_arena *a, const rc_config *cfg, const char *dir, unsigned want,
                            rc_build_entries *seen, rc_diag *d)
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
         * the entry itself (a symbolic link is replaced, not followed). The
         * answer is kept: a target that did not exist needs no second name
         * before its rename (write_locked). */
        bool exists = lstat(target, &ts) == 0;
        rc_build_entry te = {target, 0, 0, 0, exists, exists && S_ISREG(ts.st_mode)};
        if (exists) te.dev = ts.st_dev, te.ino = ts.st_ino, te.size = ts.st_size;
        RC_PUSH(a, *seen, te); /* (the same answer for an input of that name) */
        if (!exists) continue; /* a new file: nothing to clash with */
        if (S_ISDIR(ts.st_mode)) {
            rc_diag_error(d, nm->loc, "output '%s' (key '%s') is a directory", target, outs[i].key);
            ok = false;
            continue;
        }
        if (!collected) {
            collect_inputs(a, cfg, want, &in, seen);
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

/* The watcher's list: every edition's inputs, and the language files the
 * INI file names even when one could not be read (its repair is an event). */
void rc_build_list_inputs(rc_build_cache *c)
{
    input_visitor v = {visit_watch, NULL, NULL, c, NULL, NULL};
    size_t ned = c->cfg->neditions ? c->cfg->neditions : 1;
    for (size_t e = 0; e < ned; e++) {
        const rc_config *ec = c->cfg->neditions ? c->cfg->editions[e] : c->cfg;
        if (ec) walk_inputs(&v, ec, RC_OUT_ALL);
    }
    rc_file_set files = {0};
    rc_build_edition_files(c->cfg, &files);
    for (size_t i = 0; i < files.n; i++)
        add_input(&v, files.path[i], NULL, NULL);
    rc_file_set_clear(&files);
}

static void visit_set(input_visitor *v, const char *path, const char *what, const char *name)
{
    (void)what;
    (void)name;
    rc_file_set_add(v->set, path);
}

void rc_build_edition_inputs(const rc_config *cfg, unsigned want, rc_file_set *s)
{
    input_visitor v = {visit_set, NULL, NULL, NULL, s, NULL};
    walk_inputs(&v, cfg, want);
}

void rc_build_edition_files(const rc_config *cfg, rc_file_set *s)
{
    rc_arena *a = rc_arena_new();
    const char *p;
    for (size_t i = 0; (p = rc_config_edition_file(a, cfg, i)) != NULL; i++)
        rc_file_set_add(s, p);
    rc_arena_free(a);
}
