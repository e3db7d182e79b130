/* xlsx_about: the figures workbook as a whole: a Contents sheet linking to
 * one sheet per figure and declared table (xlsx_figures.c), a Metrics sheet
 * with every named metric, and an About sheet with the provenance an analyst
 * can cite: report title, generation time (the build epoch, ISO 8601 UTC),
 * reportc version, the SHA-256 of every input file and a citation line. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rc/date.h"
#include "rc/util.h"
#include "xlsx_int.h"

static const char *word(const rc_xw *x, rc_word w)
{
    return rc_locale_word(x->loc, w);
}

static const char *float_label(rc_xw *x, const rc_float_ref *f, bool figure)
{
    const char *num = f->number ? f->number : (f->node && f->node->number ? f->node->number : "");
    return rc_arena_printf(x->a, "%s %s", word(x, figure ? RC_W_FIGURE : RC_W_TABLE), num);
}

void rc_xlsx_contents_sheet(rc_xw *x, lxw_worksheet *ws, const rc_doc *doc,
                            const char *const *fig_sheets, const char *const *tab_sheets)
{
    rc_xw_str(x, ws, 0, 0, word(x, RC_W_CONTENTS), x->title);
    const char *head[] = {word(x, RC_W_NUMBER), word(x, RC_W_TITLE), word(x, RC_W_SHEET)};
    double w[3];
    for (uint32_t j = 0; j < 3; j++) {
        rc_xw_str(x, ws, 2, j, head[j], x->header);
        w[j] = rc_xw_fit(10.0, head[j]);
    }
    uint32_t r = 3;
    for (int pass = 0; pass < 2; pass++) {
        bool fig = pass == 0;
        size_t n = fig ? doc->figures.n : doc->tables.n;
        for (size_t i = 0; i < n; i++, r++) {
            const rc_float_ref *f = fig ? &doc->figures.v[i] : &doc->tables.v[i];
            const char *sheet = fig ? fig_sheets[i] : tab_sheets[i];
            const char *label = float_label(x, f, fig);
            const char *cap = f->caption ? f->caption : "";
            rc_xw_str(x, ws, r, 0, label, NULL);
            rc_xw_str(x, ws, r, 1, cap, x->wrap);
            /* Sheet names never contain an apostrophe at either end, and an
             * inner one is doubled inside the quotes. */
            char *q = rc_arena_alloc(x->a, 2 * strlen(sheet) + 1);
            size_t k = 0;
            for (const char *p = sheet; *p; p++) {
                q[k++] = *p;
                if (*p == '\'') q[k++] = '\'';
            }
            rc_xw_link(x, ws, r, 2, rc_arena_printf(x->a, "internal:'%s'!A1", q), sheet);
            w[0] = rc_xw_fit(w[0], label);
            w[1] = rc_xw_fit(w[1], cap);
            w[2] = rc_xw_fit(w[2], sheet);
        }
    }
    for (uint32_t j = 0; j < 3; j++)
        rc_xw_width(x, ws, j, w[j]);
}

void rc_xlsx_metrics_sheet(rc_xw *x, const rc_doc *doc)
{
    lxw_worksheet *ws = rc_xw_sheet(x, word(x, RC_W_METRICS), NULL);
    if (!ws) return;
    const char *head[] = {word(x, RC_W_METRIC), word(x, RC_W_VALUE), word(x, RC_W_LABEL),
                          word(x, RC_W_FORMAT)};
    double w[4];
    for (uint32_t j = 0; j < 4; j++) {
        rc_xw_str(x, ws, 0, j, head[j], x->header);
        w[j] = rc_xw_fit(10.0, head[j]);
    }
    const rc_data *data = doc->data;
    uint32_t r = 1;
    for (size_t i = 0; data && i < data->nmetrics; i++, r++) {
        const rc_metric_value *m = &data->metrics[i];
        const char *spec = m->cfg && m->cfg->format.s ? m->cfg->format.s : "";
        const char *label = m->cfg && m->cfg->label.s ? m->cfg->label.s : "";
        rc_xw_str(x, ws, r, 0, m->name, NULL);
        rc_xw_num(x, ws, r, 1, m->value, rc_xw_format_for(x, spec, m->integral));
        rc_xw_str(x, ws, r, 2, label, NULL);
        rc_xw_str(x, ws, r, 3, spec, NULL);
        w[0] = rc_xw_fit(w[0], m->name);
        w[2] = rc_xw_fit(w[2], label);
        w[3] = rc_xw_fit(w[3], spec);
    }
    for (uint32_t j = 0; j < 4; j++)
        rc_xw_width(x, ws, j, w[j]);
    worksheet_freeze_panes(ws, 1, 0);
    rc_xw_check(x, worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, 3), "an autofilter");
}

/* ---- About ---------------------------------------------------------------------- */

static const char *iso_date(rc_arena *a, int64_t epoch)
{
    rc_date t = rc_date_from_epoch(epoch);
    return rc_arena_printf(a, "%04d-%02u-%02uT%02u:%02u:%02uZ", t.year, t.month, t.day, t.hour,
                           t.minute, t.second);
}

static void append(rc_arena *a, char **s, const char *sep, const char *part)
{
    if (!part || !*part) return;
    *s = rc_arena_printf(a, "%s%s%s", *s, **s ? sep : "", part);
}

/* "Authors, Title, EUR ..., Publisher, Place, Year, ISBN ..., doi:...". */
static const char *citation(rc_arena *a, const rc_report_cfg *r)
{
    char *auth = "";
    for (size_t i = 0; i < r->authors.n; i++)
        append(a, &auth, ", ", r->authors.v[i].s);
    char *s = "";
    append(a, &s, ", ", auth);
    append(a, &s, ", ", r->title.s);
    append(a, &s, ", ", r->eur.s);
    append(a, &s, ", ", r->publisher.s);
    append(a, &s, ", ", r->place.s);
    append(a, &s, ", ", r->year.s);
    if (r->isbn.s) append(a, &s, ", ", rc_arena_printf(a, "ISBN %s", r->isbn.s));
    if (r->doi.s) append(a, &s, ", ", rc_arena_printf(a, "doi:%s", r->doi.s));
    return *s ? rc_arena_printf(a, "%s.", s) : s;
}

typedef struct about {
    rc_xw *x;
    lxw_worksheet *ws;
    uint32_t row;
    double w[2];
} about;

static void pair(about *b, const char *k, const char *v, lxw_format *vf)
{
    rc_xw_str(b->x, b->ws, b->row, 0, k, b->x->bold);
    rc_xw_str(b->x, b->ws, b->row, 1, v, vf);
    b->w[0] = rc_xw_fit(b->w[0], k);
    b->w[1] = rc_xw_fit(b->w[1], v);
    b->row++;
}

static void input_file(about *b, const char *path, const char *known_sha)
{
    if (!path) return;
    char sha[65] = "";
    if (known_sha && known_sha[0])
        memcpy(sha, known_sha, 65);
    else if (rc_sha256_file(path, sha) != RC_OK) {
        rc_diag_warning(b->x->d, b->x->where,
                        "workbook '%s': cannot read input file '%s' for its SHA-256", b->x->path,
                        path);
        sha[0] = 0;
    }
    pair(b, path, sha, NULL);
}

static void md_files(about *b, const rc_strlist *l, const char **paths)
{
    for (size_t i = 0; paths && i < l->n; i++)
        input_file(b, paths[i], NULL);
}

void rc_xlsx_about_sheet(rc_xw *x, const rc_doc *doc, int64_t epoch)
{
    lxw_worksheet *ws = rc_xw_sheet(x, word(x, RC_W_ABOUT), NULL);
    if (!ws) return;
    const rc_config *cfg = doc->cfg;
    about b = {.x = x, .ws = ws, .row = 2, .w = {16.0, 20.0}};
    const char *title = cfg && cfg->report.title.s ? cfg->report.title.s : "";
    rc_xw_str(x, ws, 0, 0, title, x->title);
    pair(&b, word(x, RC_W_TITLE), title, NULL);
    if (cfg && cfg->report.subtitle.s) pair(&b, "", cfg->report.subtitle.s, NULL);
    pair(&b, word(x, RC_W_GENERATED), iso_date(x->a, epoch), NULL);
    pair(&b, word(x, RC_W_VERSION), "reportc " RC_VERSION, NULL);
    if (cfg) pair(&b, word(x, RC_W_HOW_TO_CITE), citation(x->a, &cfg->report), NULL);
    b.row++;
    rc_xw_str(x, ws, b.row++, 0, word(x, RC_W_INPUT_FILES), x->title);
    rc_xw_str(x, ws, b.row, 0, word(x, RC_W_PATH), x->header);
    rc_xw_str(x, ws, b.row++, 1, word(x, RC_W_SHA256), x->header);
    if (cfg) {
        input_file(&b, cfg->path, NULL);
        for (size_t i = 0; i < cfg->nsources; i++) {
            const rc_source_data *sd =
                doc->data && i < doc->data->nsources ? &doc->data->sources[i] : NULL;
            input_file(&b, cfg->sources[i].path, sd ? sd->sha256 : NULL);
        }
        const rc_document_cfg *dc = &cfg->document;
        md_files(&b, &dc->front, dc->front_path);
        md_files(&b, &dc->chapters, dc->chapter_path);
        md_files(&b, &dc->back, dc->back_path);
        md_files(&b, &dc->annexes, dc->annex_path);
        for (size_t i = 0; i < cfg->ntables; i++)
            if (cfg->tables[i].path) input_file(&b, cfg->tables[i].path, NULL);
        for (size_t i = 0; i < cfg->nboxes; i++)
            input_file(&b, cfg->boxes[i].path, NULL);
    }
    rc_xw_width(x, ws, 0, b.w[0]);
    rc_xw_width(x, ws, 1, b.w[1] < 66.0 ? 66.0 : b.w[1]);
}

rc_status rc_xlsx_write_figures(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                                rc_diag *d)
{
    rc_xw x;
    rc_status st = rc_xw_open(&x, a, doc, path, false, false, d);
    if (st != RC_OK) return st;
    rc_xw_properties(&x, doc, epoch, NULL);
    /* Every sheet is created first so Contents comes first and knows the
     * (de-duplicated) names of the sheets it links to. */
    lxw_worksheet *contents = rc_xw_sheet(&x, word(&x, RC_W_CONTENTS), NULL);
    size_t nf = doc->figures.n, nt = doc->tables.n;
    lxw_worksheet **fws = rc_arena_array(a, nf + 1, sizeof *fws);
    lxw_worksheet **tws = rc_arena_array(a, nt + 1, sizeof *tws);
    const char **fname = rc_arena_array(a, nf + 1, sizeof *fname);
    const char **tname = rc_arena_array(a, nt + 1, sizeof *tname);
    for (size_t i = 0; i < nf; i++)
        fws[i] = rc_xw_sheet(&x, float_label(&x, &doc->figures.v[i], true), &fname[i]);
    for (size_t i = 0; i < nt; i++)
        tws[i] = rc_xw_sheet(&x, float_label(&x, &doc->tables.v[i], false), &tname[i]);
    if (x.err == LXW_NO_ERROR) {
        rc_xlsx_contents_sheet(&x, contents, doc, fname, tname);
        for (size_t i = 0; i < nf && x.err == LXW_NO_ERROR; i++)
            rc_xlsx_float_sheet(&x, fws[i], fname[i], doc, &doc->figures.v[i], true);
        for (size_t i = 0; i < nt && x.err == LXW_NO_ERROR; i++)
            rc_xlsx_float_sheet(&x, tws[i], tname[i], doc, &doc->tables.v[i], false);
        rc_xlsx_metrics_sheet(&x, doc);
        rc_xlsx_quality_sheet(&x, doc); /* xlsx_quality.c */
        rc_xlsx_about_sheet(&x, doc, epoch);
    }
    if (contents) {
        worksheet_activate(contents);
        worksheet_set_selection(contents, 0, 0, 0, 0);
    }
    return rc_xw_close(&x);
}
