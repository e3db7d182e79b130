/* xlsx_about: the figures workbook as a whole: a Cover sheet with the
 * provenance an analyst can cite (xlsx_sheets.c), a Contents sheet linking
 * to one sheet per figure and declared table (xlsx_figures.c), a Notes
 * sheet with the numbered source lines and notes those sheets refer to,
 * and a Metrics sheet with every named metric. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rc/data.h"
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
        rc_xw_str(x, ws, 1, j, head[j], x->header);
        w[j] = rc_xw_fit(10.0, head[j]);
    }
    uint32_t r = 2; /* the table right below the title: no blank row */
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
            rc_xw_link(x, ws, r, 2, rc_xw_sheet_link(x, sheet), sheet);
            w[0] = rc_xw_fit(w[0], label);
            w[1] = rc_xw_fit(w[1], cap);
            w[2] = rc_xw_fit(w[2], sheet);
        }
    }
    /* then the sheets that are not floats */
    const char *more[3][2] = {
        {rc_xw_word(x, RC_XW_NOTES), rc_xw_word(x, RC_XW_WHAT_NOTES)},
        {word(x, RC_W_METRICS), rc_xw_word(x, RC_XW_WHAT_METRICS)},
        {rc_xw_word(x, RC_XW_DATA_QUALITY), rc_xw_word(x, RC_XW_WHAT_QUALITY)}};
    /* the Data quality sheet exists when the report read data */
    size_t nmore = doc->data && doc->data->nsources ? 3 : 2;
    for (size_t i = 0; i < nmore; i++, r++) {
        rc_xw_str(x, ws, r, 0, more[i][0], NULL);
        rc_xw_str(x, ws, r, 1, more[i][1], x->wrap);
        rc_xw_link(x, ws, r, 2, rc_xw_sheet_link(x, more[i][0]), more[i][0]);
    }
    for (uint32_t j = 0; j < 3; j++)
        rc_xw_width(x, ws, j, w[j] > 80 ? 80 : w[j]);
    rc_xw_table(x, ws, 1, r > 2 ? r - 1 : 2, 3, head, "contents");
    rc_xw_print(x, ws, 1, w[0] + (w[1] > 80 ? 80 : w[1]) + w[2]);
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
        rc_xw_width(x, ws, j, w[j] > 80 ? 80 : w[j]);
    worksheet_freeze_panes(ws, 1, 0);
    rc_xw_table(x, ws, 0, r > 1 ? r - 1 : 1, 4, head, "metrics");
    rc_xw_print(x, ws, 0, w[0] + w[1] + (w[2] > 80 ? 80 : w[2]) + w[3]);
}

typedef struct figures_job {
    const rc_doc *doc;
    int64_t epoch;
} figures_job;

static rc_status fill_figures(rc_xw *x, void *arg)
{
    const figures_job *fj = arg;
    const rc_doc *doc = fj->doc;
    int64_t epoch = fj->epoch;
    rc_arena *a = x->a;
    rc_xw_properties(x, doc, epoch, NULL);
    /* Every sheet is created first so Cover and Contents come first and
     * Contents knows the (de-duplicated) names of the sheets it links to;
     * Notes is filled last, from the notes the float sheets numbered. */
    lxw_worksheet *cover = rc_xw_sheet(x, rc_xw_word(x, RC_XW_COVER), NULL);
    lxw_worksheet *contents = rc_xw_sheet(x, word(x, RC_W_CONTENTS), NULL);
    lxw_worksheet *notes = rc_xw_sheet(x, rc_xw_word(x, RC_XW_NOTES), NULL);
    size_t nf = doc->figures.n, nt = doc->tables.n;
    lxw_worksheet **fws = rc_arena_array(a, nf + 1, sizeof *fws);
    lxw_worksheet **tws = rc_arena_array(a, nt + 1, sizeof *tws);
    const char **fname = rc_arena_array(a, nf + 1, sizeof *fname);
    const char **tname = rc_arena_array(a, nt + 1, sizeof *tname);
    for (size_t i = 0; i < nf; i++)
        fws[i] = rc_xw_sheet(x, float_label(x, &doc->figures.v[i], true), &fname[i]);
    for (size_t i = 0; i < nt; i++)
        tws[i] = rc_xw_sheet(x, float_label(x, &doc->tables.v[i], false), &tname[i]);
    if (x->err == LXW_NO_ERROR) {
        rc_xlsx_cover_sheet(x, cover, doc, epoch, false);
        rc_xlsx_contents_sheet(x, contents, doc, fname, tname);
        for (size_t i = 0; i < nf && x->err == LXW_NO_ERROR; i++)
            rc_xlsx_float_sheet(x, fws[i], fname[i], doc, &doc->figures.v[i], true);
        for (size_t i = 0; i < nt && x->err == LXW_NO_ERROR; i++)
            rc_xlsx_float_sheet(x, tws[i], tname[i], doc, &doc->tables.v[i], false);
        rc_xlsx_metrics_sheet(x, doc);
        rc_xlsx_quality_sheet(x, doc); /* xlsx_quality.c */
        rc_xlsx_notes_sheet(x, notes);
    }
    if (cover) {
        worksheet_activate(cover);
        worksheet_set_selection(cover, 0, 0, 0, 0);
    }
    return RC_OK;
}

rc_status rc_xlsx_write_figures(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                                rc_diag *d)
{
    figures_job fj = {doc, epoch};
    rc_xw_job j = {
        .a = a, .doc = doc, .path = path, .memo = true, .d = d, .fill = fill_figures, .arg = &fj};
    return rc_xw_write(&j);
}
