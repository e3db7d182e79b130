/* xlsx_data: the data workbook: one sheet per source holding every row as
 * typed cells, and a Fields sheet documenting each column.
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
 * Memory: the data stage keeps a source's rows only when a rows aggregate
 * needs them. Otherwise the CSV file is read a second time and each row is
 * typed (rc_value_parse) and written as it comes; only the first rows are
 * held back to measure column widths. A source over
 * RC_XLSX_CONSTANT_MEMORY_ROWS rows or RC_XLSX_CONSTANT_MEMORY_CELLS cells
 * switches the whole workbook to libxlsxwriter's constant-memory mode, which streams rows to disk
 * in order and does not allow tables: those sheets get a styled header row and an autofilter
 * instead. Small sources become Excel tables (header styling, autofilter, banded rows). More than
 * RC_XLSX_ROWS_PER_SHEET rows continue on "survey (2)", "survey (3)"... (docs/workbooks.md). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rc/csv.h"
#include "rc/data.h"
#include "rc/numfmt.h"
#include "rc/util.h"
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
    RC_VEC(const char *) sheets; /* its sheets: "survey", "survey (2)", ... */
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

/* Columns of a source's sheet, as plan_columns lays them out (known before
 * the workbook is opened, to choose its mode). */
static size_t sheet_columns(const rc_source_cfg *src)
{
    size_t n = 0;
    for (size_t i = 0; i < src->nfields; i++) {
        const rc_field_cfg *f = &src->fields[i];
        n++;
        if (f->type == RC_FIELD_CATEGORY && codes_differ(f)) n++;
        if (f->type == RC_FIELD_MULTI) n += f->ncodes < 64 ? f->ncodes : 64;
    }
    return n;
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
    /* Headers are what a reader understands: the field's label and the
     * unit ("Contacts (number)", "Relevance (scale 1-5)"); the field's name,
     * what filters use, is on the Fields sheet beside each header. */
    const char *unit_n = rc_xw_word(x, RC_XW_UNIT_NUMBER);
    for (size_t i = 0; i < src->nfields; i++) {
        const rc_field_cfg *f = &src->fields[i];
        const char *name = f->label.s && *f->label.s ? f->label.s : f->name.s ? f->name.s : "";
        switch (f->type) {
        case RC_FIELD_TEXT:
            add_col(x->a, s, f, COL_TEXT, 0, name);
            break;
        case RC_FIELD_INTEGER:
        case RC_FIELD_NUMBER:
            add_col(x->a, s, f, COL_NUM, 0, rc_arena_printf(x->a, "%s (%s)", name, unit_n));
            break;
        case RC_FIELD_LIKERT:
            add_col(x->a, s, f, COL_NUM, 0,
                    rc_arena_printf(x->a, "%s (%d–%d)", name, f->scale_min, f->scale_max));
            break;
        case RC_FIELD_CATEGORY:
            add_col(x->a, s, f, COL_LABEL, 0, name);
            if (codes_differ(f))
                add_col(x->a, s, f, COL_CODE, 0,
                        rc_arena_printf(x->a, "%s (%s)", name, rc_locale_word(x->loc, RC_W_CODE)));
            break;
        case RC_FIELD_MULTI: {
            add_col(x->a, s, f, COL_MULTI, 0, name);
            size_t need = 1;
            for (size_t k = 0; k < f->ncodes && k < 64; k++) {
                add_col(x->a, s, f, COL_OPTION, k,
                        rc_arena_printf(x->a, "%s: %s (0/1)", name, code_label(&f->codes[k])));
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

/* ---- writing rows as they come -------------------------------------------------- */

/* Rows reach the sheets one at a time, in CSV order, from the kept rows or
 * from a second read of the CSV file. The first rows are held back (their
 * values and texts) until the column widths are measured on them; after
 * that each row is written as soon as it is typed, so memory does not grow
 * with the source (in constant-memory mode libxlsxwriter streams the rows to
 * its temporary file too). */
typedef struct feed {
    rc_xw *x;
    dsheet *s;
    size_t per;       /* data rows per sheet */
    bool cm;          /* constant-memory mode: autofilter, no table */
    const char *name; /* the source's sheet name ("survey") */
    size_t total;     /* rows of the source (counted by the data stage) */
    size_t done;      /* rows written */
    lxw_worksheet *ws;
    rc_value *head; /* the first rows, held back to measure widths */
    size_t nhead, headcap;
    rc_arena *head_a; /* texts of the held-back rows */
    bool started;
} feed;

/* Held-back rows: RC_XLSX_WIDTH_SAMPLE, fewer for very wide sources so the
 * sample stays under about 2^20 values (40 MB). */
static size_t head_rows(size_t ncols, size_t total)
{
    size_t cap = ((size_t)1 << 20) / (ncols ? ncols : 1);
    if (cap > RC_XLSX_WIDTH_SAMPLE) cap = RC_XLSX_WIDTH_SAMPLE;
    if (cap < 100) cap = 100;
    return cap < total ? cap : total;
}

static void measure(feed *fd)
{
    dsheet *s = fd->s;
    size_t nf = s->src->ncols;
    for (size_t r = 0; r < fd->nhead; r++) {
        const rc_value *row = fd->head + r * nf;
        for (size_t i = 0; i < s->ncols; i++) {
            dcol *c = &s->cols[i];
            const rc_value *v = &row[c->f->index];
            if (c->kind == COL_NUM) {
                if (!v->missing) {
                    char b[RC_FMT_CAP];
                    rc_fmt_g(v->num, 10, false, b);
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
    if (x->spool) { /* constant-memory mode: reportc writes the rows (xlsx_rows.c) */
        for (size_t i = 0; i < s->ncols; i++) {
            const dcol *c = &s->cols[i];
            const rc_value *v = &row[c->f->index];
            if (v->missing) continue;
            if (c->kind == COL_NUM)
                rc_xw_rows_num(x, r, (uint32_t)i, v->num);
            else if (c->kind == COL_OPTION)
                rc_xw_rows_num(x, r, (uint32_t)i, (double)(v->mask >> c->opt & 1));
            else
                rc_xw_rows_str(x, r, (uint32_t)i, cell_text(s, c, v));
        }
        return;
    }
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

/* Sheet k of the source, for rows [k * per, k * per + n): widths, frozen
 * header, then a table or (constant-memory mode) a header row and an
 * autofilter. Rows follow through write_row. */
static void begin_sheet(feed *fd, size_t k)
{
    rc_xw *x = fd->x;
    dsheet *s = fd->s;
    size_t first = k * fd->per;
    size_t n = fd->total - first < fd->per ? fd->total - first : fd->per;
    const char *want = k ? rc_arena_printf(x->a, "%s (%zu)", fd->name, k + 1) : fd->name;
    const char *used = NULL;
    lxw_worksheet *ws = fd->ws = rc_xw_sheet(x, want, &used);
    if (!ws) return;
    RC_PUSH(x->a, s->sheets, used);
    double total_width = 0;
    for (size_t i = 0; i < s->ncols; i++) {
        rc_xw_width(x, ws, (uint32_t)i, s->cols[i].width);
        total_width += s->cols[i].width;
    }
    worksheet_freeze_panes(ws, 1, 0);
    rc_xw_print(x, ws, 0, total_width);
    lxw_col_t last_col = (lxw_col_t)(s->ncols - 1);
    lxw_row_t last_row = (lxw_row_t)(n ? n : 1);
    if (fd->cm) {
        for (size_t i = 0; i < s->ncols; i++)
            rc_xw_str(x, ws, 0, (uint32_t)i, s->cols[i].header, x->header);
        rc_xw_check(x, worksheet_autofilter(ws, 0, 0, last_row, last_col), "an autofilter");
        if (x->spool) {
            rc_xw_rows_end(x); /* the previous sheet's rows */
            rc_xw_rows_begin(x, (unsigned)x->names.n, (uint32_t)s->ncols);
        }
        return;
    }
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
    opt.name = (char *)rc_xw_table_name(x, used); /* "survey", not "Table1" */
    rc_xw_check(x, worksheet_add_table(ws, 0, 0, last_row, last_col, &opt), "a table");
}

static void put_row(feed *fd, const rc_value *row)
{
    size_t r = fd->done % fd->per;
    if (r == 0 && fd->done) begin_sheet(fd, fd->done / fd->per);
    if (fd->x->err == LXW_NO_ERROR) write_row(fd->x, fd->ws, fd->s, (uint32_t)(r + 1), row);
    fd->done++;
    rc_xw_progress(fd->x, fd->name, fd->done, fd->total);
}

/* Measures the held-back rows, opens the first sheet and writes them. */
static void start(feed *fd)
{
    fd->started = true;
    measure(fd);
    begin_sheet(fd, 0);
    size_t nf = fd->s->src->ncols;
    for (size_t r = 0; r < fd->nhead && fd->x->err == LXW_NO_ERROR; r++)
        put_row(fd, fd->head + r * nf);
    fd->nhead = 0;
    fd->head = NULL;
    rc_arena_free(fd->head_a);
    fd->head_a = NULL;
}

static void feed_init(feed *fd, rc_xw *x, dsheet *s, size_t per, bool cm)
{
    memset(fd, 0, sizeof *fd);
    fd->x = x;
    fd->s = s;
    fd->per = per;
    fd->cm = cm;
    fd->name = s->src->cfg->name.s ? s->src->cfg->name.s : "data";
    fd->total = s->src->nrows;
    fd->headcap = head_rows(s->src->ncols, fd->total);
    /* The held-back rows live in their own arena, freed once written. */
    fd->head_a = rc_arena_new();
    fd->head = rc_arena_array(fd->head_a, fd->headcap ? fd->headcap : 1,
                              (s->src->ncols ? s->src->ncols : 1) * sizeof *fd->head);
}

/* The values of the next row are at fd->head + nhead * ncols (while rows are
 * held back) or in row (afterwards). */
static void feed_row(feed *fd, const rc_value *row)
{
    if (fd->started) {
        put_row(fd, row);
        return;
    }
    size_t nf = fd->s->src->ncols;
    if (row != fd->head + fd->nhead * nf) memcpy(fd->head + fd->nhead * nf, row, nf * sizeof *row);
    if (++fd->nhead == fd->headcap) start(fd);
}

static void feed_end(feed *fd)
{
    if (!fd->started) start(fd);
}

static void feed_free(feed *fd)
{
    if (fd->head_a) rc_arena_free(fd->head_a);
    fd->head_a = NULL;
    fd->head = NULL;
}

/* ---- the second read of a source's CSV file ---------------------------------------- */

#define BLOCK_ROWS 4096 /* rows typed into one scratch arena */

typedef struct reread {
    feed *fd;
    const rc_source_cfg *src;
    const char *file;
    size_t nf;
    size_t *csvcol; /* CSV column of each field */
    size_t width;   /* fields a record needs: 1 + the largest csvcol */
    size_t rec;     /* records seen */
    unsigned hdr;   /* 1-based header record */
    rc_value *row;  /* one row, once rows are no longer held back */
    rc_arena *blk;  /* texts of the rows of the current block */
    rc_diag *bd;    /* what typing them reports (already reported once) */
    size_t blk_rows;
    size_t bytes;    /* bytes read */
    const char *why; /* why the file is not the one the data stage read */
} reread;

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool same_header(const rc_csv_field *c, const char *want)
{
    size_t s = 0, n = c->len;
    while (s < n && blank(c->s[s]))
        s++;
    while (n > s && blank(c->s[n - 1]))
        n--;
    return strlen(want) == n - s && memcmp(c->s + s, want, n - s) == 0;
}

/* The column mapping of data.c: a field reads the first header cell equal
 * (after trimming blanks) to its column name. */
static bool map_columns(reread *rr, const rc_csv_field *fs, size_t n)
{
    for (size_t k = 0; k < rr->nf; k++) {
        const rc_field_cfg *f = &rr->src->fields[k];
        const char *col = f->column.s ? f->column.s : f->name.s;
        size_t i = 0;
        while (i < n && !same_header(&fs[i], col ? col : ""))
            i++;
        if (i == n) return false;
        rr->csvcol[k] = i;
        if (i + 1 > rr->width) rr->width = i + 1;
    }
    return true;
}

static void new_block(reread *rr)
{
    if (rr->blk) rc_arena_free(rr->blk);
    if (rr->bd) rc_diag_free(rr->bd);
    rr->blk = rc_arena_new();
    rr->bd = rc_diag_new();
    rr->blk_rows = 0;
    rr->fd->x->scratch = rr->blk;
}

static int on_record(void *user, const rc_csv_field *fs, size_t n, unsigned line)
{
    reread *rr = user;
    feed *fd = rr->fd;
    if (++rr->rec < rr->hdr) return 0;
    if (rr->rec == rr->hdr) {
        if (map_columns(rr, fs, n)) return 0;
        rr->why = "its header row differs";
        return 1;
    }
    if (fd->done + fd->nhead >= fd->total) {
        rr->why = "it has more rows than when it was read";
        return 1;
    }
    if (n < rr->width) { /* rc_csv_read reports ragged rows; never index past them */
        rr->why = "a row has fewer fields";
        return 1;
    }
    if (fd->started && rr->blk_rows >= BLOCK_ROWS) new_block(rr);
    rc_arena *a = fd->started ? rr->blk : fd->head_a;
    rc_value *row = fd->started ? rr->row : fd->head + fd->nhead * rr->nf;
    for (size_t k = 0; k < rr->nf; k++) {
        const rc_csv_field *c = &fs[rr->csvcol[k]];
        rc_loc loc = {rr->file, c->line ? c->line : line, c->col + c->quoted};
        if (!rc_value_parse(a, &rr->src->fields[k], c->s, c->len, loc, rr->bd, &row[k])) {
            rr->why = "a value no longer has its field's type";
            return 1;
        }
    }
    rr->blk_rows++;
    feed_row(fd, row);
    return fd->x->err == LXW_NO_ERROR ? 0 : 1;
}

static void count_bytes(void *ctx, const char *data, size_t n)
{
    (void)data;
    ((reread *)ctx)->bytes += n;
}

/* Streams the rows of a source whose rows were not kept from its CSV file,
 * typed again with rc_value_parse. The data stage reported every problem of
 * the file already, so what typing reports now goes to a scratch collector
 * and is dropped. A file that no longer has the rows the data stage counted
 * (it changed during the build) is an error: the workbook would not match
 * the PDF. */
static rc_status stream_source(feed *fd, const rc_config *cfg, rc_diag *d)
{
    rc_xw *x = fd->x;
    const rc_source_cfg *src = fd->s->src->cfg;
    reread rr;
    memset(&rr, 0, sizeof rr);
    rr.fd = fd;
    rr.src = src;
    rr.nf = src->nfields;
    rr.hdr = src->header_row ? src->header_row : 1;
    rr.file = src->path;
    if (!rr.file && src->file.s)
        rr.file = cfg->dir ? rc_path_join(x->a, cfg->dir, src->file.s) : src->file.s;
    if (!rr.file) rr.file = "";
    rr.csvcol = rc_arena_array(x->a, rr.nf ? rr.nf : 1, sizeof *rr.csvcol);
    rr.row = rc_arena_array(x->a, rr.nf ? rr.nf : 1, sizeof *rr.row);
    new_block(&rr);
    rc_diag *cd = rc_diag_new(); /* CSV problems were reported by the data stage */
    rc_csv_opts o = {.delimiter = src->delimiter ? src->delimiter : ',',
                     .file = rr.file,
                     .header_row = src->header_row,
                     .on_bytes = count_bytes,
                     .bytes_ctx = &rr};
    rc_status st = rc_csv_read(rr.file, &o, on_record, &rr, cd);
    if (x->err == LXW_NO_ERROR) {
        size_t rows = fd->done + fd->nhead;
        if (!rr.why && st == RC_OK && rows != fd->total)
            rr.why = "it has fewer rows than when it was read";
        if (!rr.why && st == RC_OK && rr.bytes != fd->s->src->bytes) rr.why = "its size differs";
        if (!rr.why && st != RC_OK)
            rr.why = st == RC_ERR_IO ? "it can no longer be read" : "it no longer parses";
        if (rr.why) {
            rc_diag_error(d, src->file.s ? src->file.loc : src->loc,
                          "cannot write workbook '%s': source '%s' changed while the report was "
                          "being built (%s); build again",
                          x->path, src->name.s, rr.why);
            x->abandoned = true;
        } else {
            feed_end(fd);
        }
    }
    rc_diag_free(cd);
    x->scratch = NULL;
    rc_arena_free(rr.blk);
    rc_diag_free(rr.bd);
    return x->abandoned ? (st == RC_ERR_IO ? RC_ERR_IO : RC_ERR_DATA) : RC_OK;
}

/* Rows kept by the data stage (a rows aggregate reads the source): no need
 * to read the file again. */
static void kept_source(feed *fd)
{
    const rc_source_data *sd = fd->s->src;
    for (size_t r = 0; r < sd->nrows && fd->x->err == LXW_NO_ERROR; r++)
        feed_row(fd, sd->rows + r * sd->ncols);
    if (fd->x->err == LXW_NO_ERROR) feed_end(fd);
}

/* ---- Fields sheet ------------------------------------------------------------- */

/* Lists joined with rc_strbuf, not by printing the list so far into a new
 * string for each item (quadratic; 0.4 M instructions of an edition's
 * Fields sheet). A NULL item reads "(null)", as printf's %s did. */
static void put_item(rc_strbuf *b, const char *sep, const char *s)
{
    if (sep) rc_strbuf_puts(b, sep);
    rc_strbuf_puts(b, s ? s : "(null)");
}

static const char *joined(rc_strbuf *b)
{
    return b->s ? b->s : "";
}

static const char *codes_text(rc_arena *a, const rc_field_cfg *f, const dcol *c)
{
    if (c->kind == COL_OPTION)
        return rc_arena_printf(a, "%s: %s", f->codes[c->opt].code, code_label(&f->codes[c->opt]));
    if (f->type == RC_FIELD_LIKERT && !f->ncodes)
        return rc_arena_printf(a, "%d..%d", f->scale_min, f->scale_max);
    rc_strbuf b = {.a = a};
    for (size_t i = 0; i < f->ncodes; i++) {
        put_item(&b, i ? " | " : NULL, f->codes[i].code);
        put_item(&b, ": ", code_label(&f->codes[i]));
    }
    return joined(&b);
}

static const char *missing_text(rc_arena *a, const rc_field_cfg *f)
{
    const rc_strlist *m = f->missing.n ? &f->missing
                          : f->source  ? &f->source->missing
                                       : &f->missing;
    rc_strbuf b = {.a = a};
    for (size_t i = 0; i < m->n; i++)
        if (m->v[i].s) put_item(&b, b.n ? " | " : NULL, m->v[i].s);
    return joined(&b);
}

/* The sheets holding a source, as they are named ("survey, survey (2)"). */
static const char *sheet_list(rc_arena *a, const dsheet *s)
{
    rc_strbuf b = {.a = a};
    for (size_t i = 0; i < s->sheets.n; i++)
        put_item(&b, i ? ", " : NULL, s->sheets.v[i]);
    return joined(&b);
}

/* One row per column of every source sheet: where it is (source and the
 * sheets holding it, continuation sheets of a split source included), what
 * it holds and how it was coded. */
static void fields_sheet(rc_xw *x, dsheet *sheets, size_t n)
{
    lxw_worksheet *ws = rc_xw_sheet(x, rc_locale_word(x->loc, RC_W_FIELDS), NULL);
    if (!ws) return;
    enum { NH = 8, WRAP_FROM = 6 };
    static const rc_word words[NH] = {RC_W_SOURCE, RC_W_SHEET, RC_W_FIELD, RC_W_COLUMN,
                                      RC_W_LABEL,  RC_W_TYPE,  RC_W_CODES, RC_W_MISSING};
    double w[NH];
    const char *head[NH];
    for (size_t i = 0; i < NH; i++) {
        const char *h = head[i] = rc_locale_word(x->loc, words[i]);
        rc_xw_str(x, ws, 0, (uint32_t)i, h, x->header);
        w[i] = rc_xw_fit(8.0, h);
    }
    uint32_t r = 1;
    for (size_t k = 0; k < n; k++) {
        const dsheet *s = &sheets[k];
        const char *in = sheet_list(x->a, s);
        for (size_t i = 0; i < s->ncols; i++, r++) {
            const dcol *c = &s->cols[i];
            const char *v[NH] = {s->src->cfg->name.s,
                                 in,
                                 c->f->name.s,
                                 c->header,
                                 c->f->label.s,
                                 rc_field_type_name(c->f->type),
                                 codes_text(x->a, c->f, c),
                                 missing_text(x->a, c->f)};
            for (size_t j = 0; j < NH; j++) {
                rc_xw_str(x, ws, r, (uint32_t)j, v[j], j >= WRAP_FROM ? x->wrap : NULL);
                w[j] = rc_xw_fit(w[j], v[j]);
            }
        }
    }
    double total = 0;
    for (size_t i = 0; i < NH; i++) {
        rc_xw_width(x, ws, (uint32_t)i, w[i]);
        total += w[i] > 60 ? 60 : w[i];
    }
    worksheet_freeze_panes(ws, 1, 0);
    rc_xw_table(x, ws, 0, r > 1 ? r - 1 : 1, NH, head, "fields"); /* autofilter in cm mode */
    rc_xw_print(x, ws, 0, total);
}

rc_status rc_xlsx_write_data(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                             rc_diag *d)
{
    return rc_xlsx_write_data_opt(a, doc, path, epoch, NULL, d);
}

typedef struct data_job {
    const rc_doc *doc;
    int64_t epoch;
    size_t per;
    bool rows_by_library;
} data_job;

/* A data workbook of at most this many cells (estimated) may come from the
 * last build's (xlsx_memo.c): about 25 bytes of recording a cell, and the
 * rows are recorded before either the kept file or the replay is written
 * (a source whose rows are not kept in memory is read again from its
 * file for it). */
#define MEMO_CELLS 20000.0

static rc_status fill_data(rc_xw *x, void *arg)
{
    const data_job *dj = arg;
    const rc_doc *doc = dj->doc;
    const rc_data *data = doc->data;
    rc_arena *a = x->a;
    rc_diag *d = x->d;
    int64_t epoch = dj->epoch;
    size_t per = dj->per;
    bool cm = x->cm;
    rc_status st = RC_OK;
    if (cm && !dj->rows_by_library && rc_xw_rows_open(x, x->tmpdir) != RC_OK) {
        rc_diag_error(d, x->where, "cannot write workbook '%s': a temporary file in '%s': %s",
                      x->path, x->tmpdir, strerror(errno));
        x->abandoned = true;
        return RC_ERR_IO;
    }
    rc_xw_properties(x, doc, epoch, NULL);
    /* Cover and Contents first (xlsx_sheets.c); Contents is filled at the
     * end, when the names of the source sheets are known. */
    lxw_worksheet *cover = rc_xw_sheet(x, rc_xw_word(x, RC_XW_COVER), NULL);
    lxw_worksheet *contents = rc_xw_sheet(x, rc_locale_word(x->loc, RC_W_CONTENTS), NULL);
    if (cover) {
        rc_xlsx_cover_sheet(x, cover, doc, epoch, true);
        worksheet_activate(cover);
        worksheet_set_selection(cover, 0, 0, 0, 0);
    }
    dsheet *sheets = rc_arena_array(a, data->nsources ? data->nsources : 1, sizeof *sheets);
    for (size_t i = 0; i < data->nsources && x->err == LXW_NO_ERROR && !x->abandoned; i++) {
        const rc_source_data *sd = &data->sources[i];
        sheets[i].src = sd;
        plan_columns(x, &sheets[i]);
        feed fd;
        feed_init(&fd, x, &sheets[i], per, cm);
        if (sd->rows || !sd->nrows)
            kept_source(&fd);
        else
            st = stream_source(&fd, doc->cfg, d);
        feed_free(&fd);
        rc_xw_rows_end(x);
    }
    if (x->err == LXW_NO_ERROR && !x->abandoned) fields_sheet(x, sheets, data->nsources);
    rc_xw_progress_end(x);
    if (x->err == LXW_NO_ERROR && !x->abandoned && contents && x->names.n > 2) {
        size_t n = x->names.n - 2;
        const char **what = rc_arena_array(a, n, sizeof *what);
        const char *fields = rc_locale_word(x->loc, RC_W_FIELDS);
        for (size_t i = 0; i < n; i++) {
            const char *nm = x->names.v[2 + i];
            what[i] = strcmp(nm, fields) == 0 ? rc_xw_word(x, RC_XW_WHAT_FIELDS) : NULL;
            /* a source's sheet: which source, its file and its rows */
            for (size_t k = 0; k < data->nsources && !what[i]; k++)
                for (size_t j = 0; j < sheets[k].sheets.n && !what[i]; j++)
                    if (strcmp(sheets[k].sheets.v[j], nm) == 0)
                        what[i] = rc_arena_printf(
                            a, "%s '%s' (%s, %zu %s)", rc_xw_word(x, RC_XW_WHAT_SOURCE),
                            data->sources[k].cfg->name.s, rc_path_base(data->sources[k].cfg->path),
                            data->sources[k].nrows, rc_xw_word(x, RC_XW_ROWS));
            if (!what[i]) what[i] = "";
        }
        rc_xlsx_contents_rows(x, contents, x->names.v + 2, what, n);
    }
    return st;
}

rc_status rc_xlsx_write_data_opt(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                                 const rc_xlsx_data_opts *opts, rc_diag *d)
{
    size_t per = opts && opts->rows_per_sheet && opts->rows_per_sheet < RC_XLSX_ROWS_PER_SHEET
                     ? opts->rows_per_sheet
                     : RC_XLSX_ROWS_PER_SHEET;
    size_t cm_rows = opts && opts->constant_memory_rows ? opts->constant_memory_rows
                                                        : RC_XLSX_CONSTANT_MEMORY_ROWS;
    size_t cm_cells = opts && opts->constant_memory_cells ? opts->constant_memory_cells
                                                          : RC_XLSX_CONSTANT_MEMORY_CELLS;
    const rc_data *data = doc->data;
    if (!data || !doc->cfg) {
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write workbook '%s': no data", path);
        return RC_ERR_DATA;
    }
    bool cm = false;
    double cells = 0; /* cell estimate */
    for (size_t i = 0; i < data->nsources; i++) {
        const rc_source_data *sd = &data->sources[i];
        /* libxlsxwriter holds every cell of a workbook not in constant-memory
         * mode (about 110 bytes each): wide sources switch earlier. */
        if (sd->nrows > cm_rows ||
            (double)sd->nrows * (double)sheet_columns(sd->cfg) > (double)cm_cells)
            cm = true;
        cells += (double)sd->nrows * (double)(sd->ncols + 8);
    }
    /* A streamed sheet can pass 4 GiB of XML (zip members need ZIP64 then);
     * it is only known at the end, so large workbooks always allow ZIP64. */
    bool zip64 = cm || cells > 5e7;
    data_job dj = {doc, epoch, per, opts && opts->rows_by_library};
    rc_xw_job j = {.a = a,
                   .doc = doc,
                   .path = path,
                   .constant_memory = cm,
                   .zip64 = zip64,
                   .memo = !cm && cells <= MEMO_CELLS,
                   .d = d,
                   .fill = fill_data,
                   .arg = &dj};
    return rc_xw_write(&j);
}
