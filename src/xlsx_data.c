/* xlsx_data: the data workbook: one sheet per source holding every kept row
 * as typed cells, and a Fields sheet documenting each column.
 *
 * Column layout of a source sheet, field by field in declared order:
 *   text                 the text
 *   integer/number       the number
 *   likert               the answer as an integer (a number cell)
 *   category             the display label; when some code differs from its
 *                        label, a neighbouring "<field> (code)" column with
 *                        the raw code
 *   multi                the labels joined by "; ", then one 0/1 column per
 *                        declared option ("exchange: Workshops")
 * Missing values are empty cells (also in the 0/1 columns).
 *
 * Small sources become Excel tables (header styling, autofilter, banded
 * rows). A source over RC_XLSX_CONSTANT_MEMORY_ROWS rows switches the whole
 * workbook to libxlsxwriter's constant-memory mode, which streams rows to
 * disk in order and does not allow tables: those sheets get a styled header
 * row and an autofilter instead. More than RC_XLSX_ROWS_PER_SHEET rows
 * continue on "survey (2)", "survey (3)"... (docs/workbooks.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xlsx_int.h"

typedef enum col_kind { COL_TEXT, COL_NUM, COL_LABEL, COL_CODE, COL_MULTI, COL_OPTION } col_kind;

typedef struct dcol {
    const rc_field_cfg *f;
    col_kind kind;
    size_t opt; /* COL_OPTION: code index */
    const char *header;
    double width;
} dcol;

typedef struct dsheet {
    const rc_source_data *src;
    dcol *cols;
    size_t ncols;
    char *buf; /* multi labels are joined here (no allocation per cell) */
    size_t bufcap;
} dsheet;

static const char *code_label(const rc_code *c)
{
    return c->label && *c->label ? c->label : c->code;
}

static bool codes_differ(const rc_field_cfg *f)
{
    for (size_t i = 0; i < f->ncodes; i++)
        if (strcmp(code_label(&f->codes[i]), f->codes[i].code) != 0) return true;
    return false;
}

static bool header_used(const dsheet *s, size_t n, const char *h)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(s->cols[i].header, h) == 0) return true;
    return false;
}

/* Table headers must be unique (case-insensitively). */
static void add_col(rc_arena *a, dsheet *s, const rc_field_cfg *f, col_kind k, size_t opt,
                    const char *header)
{
    const char *h = header;
    for (unsigned n = 2; header_used(s, s->ncols, h); n++)
        h = rc_arena_printf(a, "%s (%u)", header, n);
    dcol *c = &s->cols[s->ncols++];
    c->f = f;
    c->kind = k;
    c->opt = opt;
    c->header = h;
    c->width = rc_xw_fit(6.0, h);
}

static void plan_columns(rc_xw *x, dsheet *s)
{
    const rc_source_cfg *src = s->src->cfg;
    size_t n = 0;
    for (size_t i = 0; i < src->nfields; i++) {
        const rc_field_cfg *f = &src->fields[i];
        n += 2;
        if (f->type == RC_FIELD_MULTI) n += f->ncodes;
    }
    s->cols = rc_arena_array(x->a, n ? n : 1, sizeof *s->cols);
    size_t cap = 1;
    for (size_t i = 0; i < src->nfields; i++) {
        const rc_field_cfg *f = &src->fields[i];
        const char *name = f->name.s ? f->name.s : "";
        switch (f->type) {
        case RC_FIELD_TEXT:
            add_col(x->a, s, f, COL_TEXT, 0, name);
            break;
        case RC_FIELD_INTEGER:
        case RC_FIELD_NUMBER:
        case RC_FIELD_LIKERT:
            add_col(x->a, s, f, COL_NUM, 0, name);
            break;
        case RC_FIELD_CATEGORY:
            add_col(x->a, s, f, COL_LABEL, 0, name);
            if (codes_differ(f))
                add_col(x->a, s, f, COL_CODE, 0,
                        rc_arena_printf(x->a, "%s (%s)", name, rc_xw_word(x->loc, RC_XW_CODE)));
            break;
        case RC_FIELD_MULTI: {
            add_col(x->a, s, f, COL_MULTI, 0, name);
            size_t need = 1;
            for (size_t k = 0; k < f->ncodes && k < 64; k++) {
                add_col(x->a, s, f, COL_OPTION, k,
                        rc_arena_printf(x->a, "%s: %s", name, code_label(&f->codes[k])));
                need += strlen(code_label(&f->codes[k])) + 2;
            }
            if (need > cap) cap = need;
            break;
        }
        }
    }
    s->bufcap = cap;
    s->buf = rc_arena_alloc(x->a, cap);
}

static const char *multi_text(dsheet *s, const rc_field_cfg *f, uint64_t mask)
{
    char *b = s->buf;
    size_t n = 0;
    b[0] = 0;
    for (size_t i = 0; i < f->ncodes && i < 64; i++) {
        if (!(mask >> i & 1)) continue;
        const char *l = code_label(&f->codes[i]);
        size_t k = strlen(l);
        if (n + k + 3 > s->bufcap) break;
        if (n) {
            memcpy(b + n, "; ", 2);
            n += 2;
        }
        memcpy(b + n, l, k);
        n += k;
        b[n] = 0;
    }
    return b;
}

/* Text shown in a cell (for widths): NULL for number cells. */
static const char *cell_text(dsheet *s, const dcol *c, const rc_value *v)
{
    if (v->missing) return NULL;
    const rc_field_cfg *f = c->f;
    switch (c->kind) {
    case COL_TEXT:
        return v->text;
    case COL_LABEL:
        return v->code >= 0 && (size_t)v->code < f->ncodes ? code_label(&f->codes[v->code])
                                                           : v->text;
    case COL_CODE:
        return v->code >= 0 && (size_t)v->code < f->ncodes ? f->codes[v->code].code : v->text;
    case COL_MULTI:
        return multi_text(s, f, v->mask);
    case COL_NUM:
    case COL_OPTION:
        return NULL;
    }
    return NULL;
}

static void measure(dsheet *s)
{
    const rc_source_data *sd = s->src;
    size_t n = sd->nrows < RC_XLSX_WIDTH_SAMPLE ? sd->nrows : RC_XLSX_WIDTH_SAMPLE;
    for (size_t r = 0; r < n; r++) {
        const rc_value *row = sd->rows + r * sd->ncols;
        for (size_t i = 0; i < s->ncols; i++) {
            dcol *c = &s->cols[i];
            const rc_value *v = &row[c->f->index];
            if (c->kind == COL_NUM) {
                if (!v->missing) {
                    char b[32];
                    snprintf(b, sizeof b, "%.10g", v->num);
                    c->width = rc_xw_fit(c->width, b);
                }
                continue;
            }
            const char *t = cell_text(s, c, v);
            if (t && c->width < RC_XLSX_WIDTH_MAX) c->width = rc_xw_fit(c->width, t);
        }
    }
}

static void write_row(rc_xw *x, lxw_worksheet *ws, dsheet *s, uint32_t r, const rc_value *row)
{
    for (size_t i = 0; i < s->ncols; i++) {
        const dcol *c = &s->cols[i];
        const rc_value *v = &row[c->f->index];
        if (v->missing) continue;
        uint32_t col = (uint32_t)i;
        switch (c->kind) {
        case COL_NUM:
            rc_xw_num(x, ws, r, col, v->num, NULL);
            break;
        case COL_OPTION:
            rc_xw_num(x, ws, r, col, (double)(v->mask >> c->opt & 1), NULL);
            break;
        default:
            rc_xw_str(x, ws, r, col, cell_text(s, c, v), NULL);
            break;
        }
    }
}

/* One sheet holding rows [first, first + n) of the source. */
static void write_chunk(rc_xw *x, dsheet *s, const char *want, size_t first, size_t n, bool cm)
{
    lxw_worksheet *ws = rc_xw_sheet(x, want, NULL);
    if (!ws) return;
    for (size_t i = 0; i < s->ncols; i++)
        rc_xw_width(x, ws, (uint32_t)i, s->cols[i].width);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_col_t last_col = (lxw_col_t)(s->ncols - 1);
    lxw_row_t last_row = (lxw_row_t)(n ? n : 1);
    if (cm) {
        for (size_t i = 0; i < s->ncols; i++)
            rc_xw_str(x, ws, 0, (uint32_t)i, s->cols[i].header, x->header);
        rc_xw_check(x, worksheet_autofilter(ws, 0, 0, last_row, last_col), "an autofilter");
    } else {
        lxw_table_column **tc = rc_arena_array(x->a, s->ncols + 1, sizeof *tc);
        for (size_t i = 0; i < s->ncols; i++) {
            tc[i] = rc_arena_alloc(x->a, sizeof **tc);
            tc[i]->header = (char *)s->cols[i].header;
            tc[i]->header_format = x->header;
        }
        lxw_table_options opt;
        memset(&opt, 0, sizeof opt);
        opt.style_type = LXW_TABLE_STYLE_TYPE_LIGHT;
        opt.style_type_number = 9;
        opt.columns = tc;
        rc_xw_check(x, worksheet_add_table(ws, 0, 0, last_row, last_col, &opt), "a table");
    }
    const rc_source_data *sd = s->src;
    for (size_t r = 0; r < n && x->err == LXW_NO_ERROR; r++)
        write_row(x, ws, s, (uint32_t)(r + 1), sd->rows + (first + r) * sd->ncols);
}

/* ---- Fields sheet ------------------------------------------------------------- */

static const char *codes_text(rc_arena *a, const rc_field_cfg *f, const dcol *c)
{
    if (c->kind == COL_OPTION)
        return rc_arena_printf(a, "%s: %s", f->codes[c->opt].code, code_label(&f->codes[c->opt]));
    char *s = "";
    if (f->type == RC_FIELD_LIKERT && !f->ncodes)
        return rc_arena_printf(a, "%d..%d", f->scale_min, f->scale_max);
    for (size_t i = 0; i < f->ncodes; i++)
        s = rc_arena_printf(a, "%s%s%s: %s", s, i ? " | " : "", f->codes[i].code,
                            code_label(&f->codes[i]));
    return s;
}

static const char *missing_text(rc_arena *a, const rc_field_cfg *f)
{
    const rc_strlist *m = f->missing.n ? &f->missing
                          : f->source  ? &f->source->missing
                                       : &f->missing;
    char *s = "";
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].s) s = rc_arena_printf(a, "%s%s%s", s, *s ? " | " : "", m->v[i].s);
    return s;
}

static void fields_sheet(rc_xw *x, dsheet *sheets, size_t n)
{
    lxw_worksheet *ws = rc_xw_sheet(x, rc_locale_word(x->loc, RC_W_FIELDS), NULL);
    if (!ws) return;
    const char *head[] = {rc_locale_word(x->loc, RC_W_SOURCE), rc_locale_word(x->loc, RC_W_FIELD),
                          rc_xw_word(x->loc, RC_XW_COLUMN),    rc_xw_word(x->loc, RC_XW_LABEL),
                          rc_locale_word(x->loc, RC_W_TYPE),   rc_locale_word(x->loc, RC_W_CODES),
                          rc_locale_word(x->loc, RC_W_MISSING)};
    enum { NH = sizeof head / sizeof head[0] };
    double w[NH];
    for (size_t i = 0; i < NH; i++) {
        rc_xw_str(x, ws, 0, (uint32_t)i, head[i], x->header);
        w[i] = rc_xw_fit(8.0, head[i]);
    }
    uint32_t r = 1;
    for (size_t k = 0; k < n; k++) {
        const dsheet *s = &sheets[k];
        for (size_t i = 0; i < s->ncols; i++, r++) {
            const dcol *c = &s->cols[i];
            const char *v[NH] = {s->src->cfg->name.s,
                                 c->f->name.s,
                                 c->header,
                                 c->f->label.s,
                                 rc_field_type_name(c->f->type),
                                 codes_text(x->a, c->f, c),
                                 missing_text(x->a, c->f)};
            for (size_t j = 0; j < NH; j++) {
                rc_xw_str(x, ws, r, (uint32_t)j, v[j], j >= 5 ? x->wrap : NULL);
                w[j] = rc_xw_fit(w[j], v[j]);
            }
        }
    }
    for (size_t i = 0; i < NH; i++)
        rc_xw_width(x, ws, (uint32_t)i, w[i]);
    worksheet_freeze_panes(ws, 1, 0);
    rc_xw_check(x, worksheet_autofilter(ws, 0, 0, r > 1 ? r - 1 : 1, NH - 1), "an autofilter");
}

rc_status rc_xlsx_write_data(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                             rc_diag *d)
{
    return rc_xlsx_write_data_opt(a, doc, path, epoch, NULL, d);
}

rc_status rc_xlsx_write_data_opt(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                                 const rc_xlsx_data_opts *opts, rc_diag *d)
{
    size_t per = opts && opts->rows_per_sheet && opts->rows_per_sheet < RC_XLSX_ROWS_PER_SHEET
                     ? opts->rows_per_sheet
                     : RC_XLSX_ROWS_PER_SHEET;
    size_t cm_rows = opts && opts->constant_memory_rows ? opts->constant_memory_rows
                                                        : RC_XLSX_CONSTANT_MEMORY_ROWS;
    const rc_data *data = doc->data;
    if (!data || !doc->cfg) {
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write workbook '%s': no data", path);
        return RC_ERR_DATA;
    }
    bool cm = false;
    double cells = 0; /* cell estimate */
    for (size_t i = 0; i < data->nsources; i++) {
        const rc_source_data *sd = &data->sources[i];
        if (!sd->rows && sd->nrows) {
            rc_diag_error(d, sd->cfg->loc,
                          "source '%s': its rows were not kept, so the data workbook cannot "
                          "be written",
                          sd->cfg->name.s);
            return RC_ERR_DATA;
        }
        if (sd->nrows > cm_rows) cm = true;
        cells += (double)sd->nrows * (double)(sd->ncols + 8);
    }
    /* A streamed sheet can pass 4 GiB of XML (zip members need ZIP64 then);
     * it is only known at the end, so large workbooks always allow ZIP64. */
    bool zip64 = cm || cells > 5e7;
    rc_xw x;
    rc_status st = rc_xw_open(&x, a, doc, path, cm, zip64, d);
    if (st != RC_OK) return st;
    rc_xw_properties(&x, doc, epoch, NULL);
    dsheet *sheets = rc_arena_array(a, data->nsources ? data->nsources : 1, sizeof *sheets);
    for (size_t i = 0; i < data->nsources && x.err == LXW_NO_ERROR; i++) {
        sheets[i].src = &data->sources[i];
        plan_columns(&x, &sheets[i]);
        measure(&sheets[i]);
        const rc_source_data *sd = sheets[i].src;
        const char *name = sd->cfg->name.s ? sd->cfg->name.s : "data";
        size_t nsheets = sd->nrows ? (sd->nrows + per - 1) / per : 1;
        for (size_t k = 0; k < nsheets && x.err == LXW_NO_ERROR; k++) {
            size_t first = k * per;
            size_t n = sd->nrows - first < per ? sd->nrows - first : per;
            const char *want = k ? rc_arena_printf(a, "%s (%zu)", name, k + 1) : name;
            write_chunk(&x, &sheets[i], want, first, n, cm);
        }
    }
    if (x.err == LXW_NO_ERROR) fields_sheet(&x, sheets, data->nsources);
    return rc_xw_close(&x);
}
