/* xlsx_memo: a workbook whose calls to libxlsxwriter are those of the
 * last build's is written from the bytes that build made (issue 18).
 *
 * Why: the workbooks are most of what a full build does beyond the PDF.
 * In the sample's one-edition build libxlsxwriter's workbook_close was
 * 11.9 M instructions (the XML of every part, the zip) and loading the
 * library with libcrypto 3.1 M, on the worker the PDF's drawing thread
 * shares the two cores with: a full build took about 8 ms longer than
 * `--only pdf`. A rebuild after an edit of the prose, or of nothing,
 * makes the same workbooks again.
 *
 * How: rc_xw_write runs the workbook's writer twice at most. First with
 * the calling thread's calls going to the recorder below (rc_xw_calls,
 * xlsx_lib.h): each call is written down, its function and every argument
 * by value (texts as bytes, numbers as bits, the options' structures field
 * by field, libxlsxwriter's objects by the order the recorder made them
 * in), and nothing is made: no library, no file. The recording is the key
 * of the workbook's memo, CACHEDIR/workbooks/<output> (rc/zmemo.h: one
 * file per output, compared in full, its kept bytes checked). When the
 * memo holds the workbook made from the same recording, that file is
 * written and the library is not even loaded. Otherwise the writer runs
 * again, for real, and the workbook it makes is kept for the next build.
 *
 * Why that is the same workbook: libxlsxwriter's output is a function of
 * the calls it is given (and of its own code, reportc's interposed parts
 * and the creation time, which is a call's argument). The writer's calls
 * depend on the document only, and on the library's answers only when one
 * is an error; a recording with any error, warning or other report, with
 * an object the recorder did not make, or longer than REC_MAX, is not
 * used, and a workbook is kept only when the real run after a clean
 * recording ended well. The key also holds reportc's executable and
 * version (rc_zmemo_open_in), the library's version and the file the
 * environment would load it from (RC_XLSXWRITER_SO, LD_LIBRARY_PATH); the
 * kept workbook carries the path and signature (rc_zmemo_file_sig) of the
 * library file that made it, checked before it is used: an upgraded
 * library makes the workbook again. Tests that switch reportc's
 * interposed parts off (other bytes) get no memo.
 *
 * Not used for a workbook whose rows are streamed (constant-memory mode,
 * rows read again from their file): the caller says so (job->memo). */
#define _GNU_SOURCE         /* dladdr */
#define RC_XW_LIB_NO_MACROS /* the recorder defines the table's members */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/util.h"
#include "rc/zmemo.h"
#include "xlsx_int.h"

/* A recording longer than this is not used (the sample's figures workbook
 * is about 40 kB); with the workbook it must fit in one memo file. */
#define REC_MAX (RC_ZMEMO_MAX / 4)

/* The calls, numbered in the table's order. */
enum {
#define OP_ID(f) OP_##f,
    RC_XW_LIB_FUNCTIONS(OP_ID)
#undef OP_ID
};

/* The structures read field by field: a libxlsxwriter with other fields
 * (another header) stops the build here rather than record too little. */
#define END_OF(T, last) (offsetof(T, last) + sizeof(((T *)0)->last))
#define ENDS_AT(T, last)                                                                           \
    _Static_assert(sizeof(T) == (END_OF(T, last) + alignof(T) - 1) / alignof(T) * alignof(T),      \
                   #T " has other fields than xlsx_memo.c records")
ENDS_AT(lxw_workbook_options, use_zip64);
ENDS_AT(lxw_doc_properties, created);
ENDS_AT(lxw_chart_fill, transparency);
ENDS_AT(lxw_chart_line, transparency);
ENDS_AT(lxw_chart_pattern, type);
ENDS_AT(lxw_chart_point, pattern);
ENDS_AT(lxw_chart_font, baseline);
ENDS_AT(lxw_table_options, columns);
ENDS_AT(lxw_table_column, total_value);
ENDS_AT(lxw_chart_options, decorative);

typedef struct rec {
    unsigned char *buf;
    size_t n, cap;
    bool bad; /* too long, no memory, an object not the recorder's */
    bool tee; /* each call is also made, to the library (rc_xw_lib) */
    /* the objects handed out (the recorder's or the library's), by
     * address: their numbers from 1, in the order they were made */
    const void **key;
    uint32_t *num;
    size_t kcap, nobj;
    void **made; /* to free */
    size_t nmade, mcap;
    lxw_format *url; /* workbook_get_default_url_format's (one per workbook) */
} rec;

static _Thread_local rec *cur;
static _Thread_local int last = -1;

int rc_xw_memo_last(void)
{
    return last;
}

/* ---- writing the recording down ---------------------------------------------- */

static void put(const void *p, size_t n)
{
    rec *r = cur;
    if (r->bad) return;
    if (n > REC_MAX - r->n) {
        r->bad = true;
        return;
    }
    if (r->n + n > r->cap) {
        size_t cap = r->cap ? r->cap : 16384;
        while (cap < r->n + n)
            cap *= 2;
        unsigned char *b = realloc(r->buf, cap);
        if (!b) {
            r->bad = true;
            return;
        }
        r->buf = b, r->cap = cap;
    }
    memcpy(r->buf + r->n, p, n);
    r->n += n;
}

static void u8(unsigned v)
{
    unsigned char b = (unsigned char)v;
    put(&b, 1);
}
static void u32(uint32_t v)
{
    put(&v, sizeof v);
}
static void i64(int64_t v)
{
    put(&v, sizeof v);
}
static void f64(double v) /* its bits: -0 and NaN's payload included */
{
    put(&v, sizeof v);
}
static void str(const char *s)
{
    if (!s) {
        u32(UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    if (n >= UINT32_MAX) {
        cur->bad = true;
        return;
    }
    u32((uint32_t)n);
    put(s, n);
}

static size_t slot_of(const rec *r, const void *p)
{
    uintptr_t h = (uintptr_t)p >> 4;
    size_t k = (size_t)(h * UINT64_C(0x9E3779B97F4A7C15) >> 20) & (r->kcap - 1);
    while (r->key[k] && r->key[k] != p)
        k = (k + 1) & (r->kcap - 1);
    return k;
}

/* An object by its number (0: NULL). */
static void obj(const void *p)
{
    rec *r = cur;
    if (!p) {
        u32(0);
        return;
    }
    size_t k = r->kcap ? slot_of(r, p) : 0;
    if (!r->kcap || !r->key[k]) {
        r->bad = true; /* not one the recorder made */
        return;
    }
    u32(r->num[k]);
}

static bool remember(rec *r, const void *p)
{
    if (2 * (r->nobj + 1) > r->kcap) {
        size_t cap = r->kcap ? 2 * r->kcap : 256;
        const void **key = calloc(cap, sizeof *key);
        uint32_t *num = calloc(cap, sizeof *num);
        if (!key || !num) {
            free(key);
            free(num);
            return false;
        }
        rec t = *r;
        t.key = key, t.num = num, t.kcap = cap;
        for (size_t i = 0; i < r->kcap; i++)
            if (r->key[i]) {
                size_t k = slot_of(&t, r->key[i]);
                key[k] = r->key[i], num[k] = r->num[i];
            }
        free(r->key);
        free(r->num);
        r->key = key, r->num = num, r->kcap = cap;
    }
    size_t k = slot_of(r, p);
    r->key[k] = p;
    r->num[k] = (uint32_t)++r->nobj;
    return true;
}

/* A new object of size bytes (zeroed), numbered. */
static void *made(size_t size)
{
    rec *r = cur;
    if (r->nmade == r->mcap) {
        size_t cap = r->mcap ? 2 * r->mcap : 64;
        void **m = realloc(r->made, cap * sizeof *m);
        if (!m) {
            r->bad = true;
            return NULL;
        }
        r->made = m, r->mcap = cap;
    }
    void *p = calloc(1, size);
    if (!p || !remember(r, p)) {
        free(p);
        r->bad = true;
        return NULL;
    }
    r->made[r->nmade++] = p;
    return p;
}

static void op(unsigned id)
{
    u8(id);
}

/* An object the library made (tee), numbered as the recorder numbers its. */
static void *known(void *p)
{
    rec *r = cur;
    if (p && !(r->kcap && r->key[slot_of(r, p)]) && !remember(r, p)) r->bad = true;
    return p;
}

/* What a call that can fail returns: the library's answer (tee), else
 * success. */
#define FWD(f, ...) (cur->tee ? rc_xw_lib.f(__VA_ARGS__) : LXW_NO_ERROR)

/* ---- the recorder's table: one function per call of RC_XW_LIB_FUNCTIONS ---- */

static void fill_of(const lxw_chart_fill *f)
{
    u8(f != NULL);
    if (!f) return;
    u32(f->color), u8(f->none), u8(f->transparency);
}

static lxw_chart_series *r_chart_add_series(lxw_chart *chart, const char *categories,
                                            const char *values)
{
    op(OP_chart_add_series), obj(chart), str(categories), str(values);
    if (cur->tee) return known(rc_xw_lib.chart_add_series(chart, categories, values));
    return made(16);
}
static void r_chart_axis_major_gridlines_set_visible(lxw_chart_axis *axis, uint8_t visible)
{
    op(OP_chart_axis_major_gridlines_set_visible), obj(axis), u8(visible);
    if (cur->tee) rc_xw_lib.chart_axis_major_gridlines_set_visible(axis, visible);
}
static void r_chart_axis_set_crossing_max(lxw_chart_axis *axis)
{
    op(OP_chart_axis_set_crossing_max), obj(axis);
    if (cur->tee) rc_xw_lib.chart_axis_set_crossing_max(axis);
}
static void r_chart_axis_set_num_format(lxw_chart_axis *axis, const char *num_format)
{
    op(OP_chart_axis_set_num_format), obj(axis), str(num_format);
    if (cur->tee) rc_xw_lib.chart_axis_set_num_format(axis, num_format);
}
static void r_chart_axis_set_reverse(lxw_chart_axis *axis)
{
    op(OP_chart_axis_set_reverse), obj(axis);
    if (cur->tee) rc_xw_lib.chart_axis_set_reverse(axis);
}
static void r_chart_legend_set_position(lxw_chart *chart, uint8_t position)
{
    op(OP_chart_legend_set_position), obj(chart), u8(position);
    if (cur->tee) rc_xw_lib.chart_legend_set_position(chart, position);
}
static void range(const char *sheet, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2)
{
    str(sheet), u32(r1), u32(c1), u32(r2), u32(c2);
}
static void r_chart_series_set_categories(lxw_chart_series *series, const char *sheetname,
                                          lxw_row_t first_row, lxw_col_t first_col,
                                          lxw_row_t last_row, lxw_col_t last_col)
{
    op(OP_chart_series_set_categories), obj(series);
    range(sheetname, first_row, first_col, last_row, last_col);
    if (cur->tee)
        rc_xw_lib.chart_series_set_categories(series, sheetname, first_row, first_col, last_row,
                                              last_col);
}
static void r_chart_series_set_fill(lxw_chart_series *series, lxw_chart_fill *fill)
{
    op(OP_chart_series_set_fill), obj(series), fill_of(fill);
    if (cur->tee) rc_xw_lib.chart_series_set_fill(series, fill);
}
static void r_chart_series_set_labels(lxw_chart_series *series)
{
    op(OP_chart_series_set_labels), obj(series);
    if (cur->tee) rc_xw_lib.chart_series_set_labels(series);
}
static void r_chart_series_set_labels_num_format(lxw_chart_series *series, const char *num_format)
{
    op(OP_chart_series_set_labels_num_format), obj(series), str(num_format);
    if (cur->tee) rc_xw_lib.chart_series_set_labels_num_format(series, num_format);
}
static void r_chart_series_set_name_range(lxw_chart_series *series, const char *sheetname,
                                          lxw_row_t row, lxw_col_t col)
{
    op(OP_chart_series_set_name_range), obj(series), str(sheetname), u32(row), u32(col);
    if (cur->tee) rc_xw_lib.chart_series_set_name_range(series, sheetname, row, col);
}
static lxw_error r_chart_series_set_points(lxw_chart_series *series, lxw_chart_point *points[])
{
    op(OP_chart_series_set_points), obj(series);
    for (size_t i = 0; points && points[i]; i++) {
        const lxw_chart_point *p = points[i];
        u8(1);
        u8(p->line != NULL);
        if (p->line) {
            const lxw_chart_line *l = p->line;
            u32(l->color), u8(l->none), f64(l->width), u8(l->dash_type), u8(l->transparency);
        }
        fill_of(p->fill);
        u8(p->pattern != NULL);
        if (p->pattern) u32(p->pattern->fg_color), u32(p->pattern->bg_color), u8(p->pattern->type);
    }
    u8(0);
    return FWD(chart_series_set_points, series, points);
}
static void r_chart_series_set_values(lxw_chart_series *series, const char *sheetname,
                                      lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row,
                                      lxw_col_t last_col)
{
    op(OP_chart_series_set_values), obj(series);
    range(sheetname, first_row, first_col, last_row, last_col);
    if (cur->tee)
        rc_xw_lib.chart_series_set_values(series, sheetname, first_row, first_col, last_row,
                                          last_col);
}
static void r_chart_title_off(lxw_chart *chart)
{
    op(OP_chart_title_off), obj(chart);
    if (cur->tee) rc_xw_lib.chart_title_off(chart);
}
static void r_chart_title_set_name(lxw_chart *chart, const char *name)
{
    op(OP_chart_title_set_name), obj(chart), str(name);
    if (cur->tee) rc_xw_lib.chart_title_set_name(chart, name);
}
static void r_chart_title_set_name_font(lxw_chart *chart, lxw_chart_font *font)
{
    op(OP_chart_title_set_name_font), obj(chart), u8(font != NULL);
    if (font) {
        str(font->name), f64(font->size), u8(font->bold), u8(font->italic), u8(font->underline);
        i64(font->rotation), u32(font->color), u8(font->pitch_family), u8(font->charset);
        i64(font->baseline);
    }
    if (cur->tee) rc_xw_lib.chart_title_set_name_font(chart, font);
}
static void r_format_set_align(lxw_format *format, uint8_t alignment)
{
    op(OP_format_set_align), obj(format), u8(alignment);
    if (cur->tee) rc_xw_lib.format_set_align(format, alignment);
}
static void r_format_set_bg_color(lxw_format *format, lxw_color_t color)
{
    op(OP_format_set_bg_color), obj(format), u32(color);
    if (cur->tee) rc_xw_lib.format_set_bg_color(format, color);
}
static void r_format_set_bold(lxw_format *format)
{
    op(OP_format_set_bold), obj(format);
    if (cur->tee) rc_xw_lib.format_set_bold(format);
}
static void r_format_set_bottom(lxw_format *format, uint8_t style)
{
    op(OP_format_set_bottom), obj(format), u8(style);
    if (cur->tee) rc_xw_lib.format_set_bottom(format, style);
}
static void r_format_set_font_size(lxw_format *format, double size)
{
    op(OP_format_set_font_size), obj(format), f64(size);
    if (cur->tee) rc_xw_lib.format_set_font_size(format, size);
}
static void r_format_set_italic(lxw_format *format)
{
    op(OP_format_set_italic), obj(format);
    if (cur->tee) rc_xw_lib.format_set_italic(format);
}
static void r_format_set_num_format(lxw_format *format, const char *num_format)
{
    op(OP_format_set_num_format), obj(format), str(num_format);
    if (cur->tee) rc_xw_lib.format_set_num_format(format, num_format);
}
static void r_format_set_text_wrap(lxw_format *format)
{
    op(OP_format_set_text_wrap), obj(format);
    if (cur->tee) rc_xw_lib.format_set_text_wrap(format);
}
static char *r_lxw_strerror(lxw_error error_num)
{
    /* for messages only: a recording with an error is not used */
    return cur->tee ? rc_xw_lib.lxw_strerror(error_num) : (char *)"(recorded)";
}
static lxw_chart *r_workbook_add_chart(lxw_workbook *workbook, uint8_t chart_type)
{
    op(OP_workbook_add_chart), obj(workbook), u8(chart_type);
    /* the writer sets its axes' properties (the only fields it reads) */
    if (cur->tee) {
        lxw_chart *c = known(rc_xw_lib.workbook_add_chart(workbook, chart_type));
        if (c) known(c->x_axis), known(c->y_axis);
        return c;
    }
    lxw_chart *c = made(sizeof *c);
    if (c) c->x_axis = made(16), c->y_axis = made(16);
    return c;
}
static lxw_format *r_workbook_add_format(lxw_workbook *workbook)
{
    op(OP_workbook_add_format), obj(workbook);
    return cur->tee ? known(rc_xw_lib.workbook_add_format(workbook)) : made(16);
}
static lxw_worksheet *r_workbook_add_worksheet(lxw_workbook *workbook, const char *sheetname)
{
    op(OP_workbook_add_worksheet), obj(workbook), str(sheetname);
    return cur->tee ? known(rc_xw_lib.workbook_add_worksheet(workbook, sheetname)) : made(16);
}
static lxw_error r_workbook_close(lxw_workbook *workbook)
{
    /* after the last call: not recorded (rc_xw_write never closes a
     * workbook that is only recorded) */
    if (!cur->tee) cur->bad = true;
    return FWD(workbook_close, workbook);
}
static lxw_format *r_workbook_get_default_url_format(lxw_workbook *workbook)
{
    op(OP_workbook_get_default_url_format), obj(workbook);
    if (cur->tee) return known(rc_xw_lib.workbook_get_default_url_format(workbook));
    if (!cur->url) cur->url = made(16);
    return cur->url;
}
static lxw_workbook *r_workbook_new_opt(const char *filename, lxw_workbook_options *options)
{
    /* (filename and tmpdir say where it is written, not what) */
    op(OP_workbook_new_opt), u8(options != NULL);
    if (options) u8(options->constant_memory), u8(options->use_zip64);
    return cur->tee ? known(rc_xw_lib.workbook_new_opt(filename, options)) : made(16);
}
static lxw_error r_workbook_set_properties(lxw_workbook *workbook, lxw_doc_properties *p)
{
    op(OP_workbook_set_properties), obj(workbook), u8(p != NULL);
    if (!p) return FWD(workbook_set_properties, workbook, p);
    str(p->title), str(p->subject), str(p->author), str(p->manager), str(p->company);
    str(p->category), str(p->keywords), str(p->comments), str(p->status), str(p->hyperlink_base);
    i64((int64_t)p->created);
    return FWD(workbook_set_properties, workbook, p);
}
static lxw_error r_workbook_validate_sheet_name(lxw_workbook *workbook, const char *sheetname)
{
    /* recorded: success; the library's answer comes in the real run (a
     * name it refuses fails the build, and nothing is kept) */
    op(OP_workbook_validate_sheet_name), obj(workbook), str(sheetname);
    return FWD(workbook_validate_sheet_name, workbook, sheetname);
}
static void r_worksheet_activate(lxw_worksheet *worksheet)
{
    op(OP_worksheet_activate), obj(worksheet);
    if (cur->tee) rc_xw_lib.worksheet_activate(worksheet);
}
static lxw_error r_worksheet_add_table(lxw_worksheet *worksheet, lxw_row_t first_row,
                                       lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col,
                                       lxw_table_options *o)
{
    op(OP_worksheet_add_table), obj(worksheet);
    range(NULL, first_row, first_col, last_row, last_col);
    u8(o != NULL);
    if (!o) return FWD(worksheet_add_table, worksheet, first_row, first_col, last_row, last_col, o);
    str(o->name), u8(o->no_header_row), u8(o->no_autofilter), u8(o->no_banded_rows);
    u8(o->banded_columns), u8(o->first_column), u8(o->last_column), u8(o->style_type);
    u8(o->style_type_number), u8(o->total_row);
    for (size_t i = 0; o->columns && o->columns[i]; i++) {
        const lxw_table_column *c = o->columns[i];
        u8(1), str(c->header), str(c->formula), str(c->total_string), u8(c->total_function);
        obj(c->header_format), obj(c->format), f64(c->total_value);
    }
    u8(0);
    return FWD(worksheet_add_table, worksheet, first_row, first_col, last_row, last_col, o);
}
static lxw_error r_worksheet_autofilter(lxw_worksheet *worksheet, lxw_row_t first_row,
                                        lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col)
{
    op(OP_worksheet_autofilter), obj(worksheet);
    range(NULL, first_row, first_col, last_row, last_col);
    return FWD(worksheet_autofilter, worksheet, first_row, first_col, last_row, last_col);
}
static void r_worksheet_fit_to_pages(lxw_worksheet *worksheet, uint16_t width, uint16_t height)
{
    op(OP_worksheet_fit_to_pages), obj(worksheet), u32(width), u32(height);
    if (cur->tee) rc_xw_lib.worksheet_fit_to_pages(worksheet, width, height);
}
static void r_worksheet_freeze_panes(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col)
{
    op(OP_worksheet_freeze_panes), obj(worksheet), u32(row), u32(col);
    if (cur->tee) rc_xw_lib.worksheet_freeze_panes(worksheet, row, col);
}
static lxw_error r_worksheet_insert_chart_opt(lxw_worksheet *worksheet, lxw_row_t row,
                                              lxw_col_t col, lxw_chart *chart, lxw_chart_options *o)
{
    op(OP_worksheet_insert_chart_opt), obj(worksheet), u32(row), u32(col), obj(chart);
    u8(o != NULL);
    if (!o) return FWD(worksheet_insert_chart_opt, worksheet, row, col, chart, o);
    i64(o->x_offset), i64(o->y_offset), f64(o->x_scale), f64(o->y_scale);
    u8(o->object_position), str(o->description), u8(o->decorative);
    return FWD(worksheet_insert_chart_opt, worksheet, row, col, chart, o);
}
static lxw_error r_worksheet_repeat_rows(lxw_worksheet *worksheet, lxw_row_t first_row,
                                         lxw_row_t last_row)
{
    op(OP_worksheet_repeat_rows), obj(worksheet), u32(first_row), u32(last_row);
    return FWD(worksheet_repeat_rows, worksheet, first_row, last_row);
}
static lxw_error r_worksheet_set_column(lxw_worksheet *worksheet, lxw_col_t first_col,
                                        lxw_col_t last_col, double width, lxw_format *format)
{
    op(OP_worksheet_set_column), obj(worksheet), u32(first_col), u32(last_col), f64(width);
    obj(format);
    return FWD(worksheet_set_column, worksheet, first_col, last_col, width, format);
}
static void r_worksheet_set_landscape(lxw_worksheet *worksheet)
{
    op(OP_worksheet_set_landscape), obj(worksheet);
    if (cur->tee) rc_xw_lib.worksheet_set_landscape(worksheet);
}
static void r_worksheet_set_paper(lxw_worksheet *worksheet, uint8_t paper_type)
{
    op(OP_worksheet_set_paper), obj(worksheet), u8(paper_type);
    if (cur->tee) rc_xw_lib.worksheet_set_paper(worksheet, paper_type);
}
static lxw_error r_worksheet_set_row(lxw_worksheet *worksheet, lxw_row_t row, double height,
                                     lxw_format *format)
{
    op(OP_worksheet_set_row), obj(worksheet), u32(row), f64(height), obj(format);
    return FWD(worksheet_set_row, worksheet, row, height, format);
}
static void r_worksheet_set_selection(lxw_worksheet *worksheet, lxw_row_t first_row,
                                      lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col)
{
    op(OP_worksheet_set_selection), obj(worksheet);
    range(NULL, first_row, first_col, last_row, last_col);
    if (cur->tee)
        rc_xw_lib.worksheet_set_selection(worksheet, first_row, first_col, last_row, last_col);
}
static lxw_error r_worksheet_write_blank(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                         lxw_format *format)
{
    op(OP_worksheet_write_blank), obj(worksheet), u32(row), u32(col), obj(format);
    return FWD(worksheet_write_blank, worksheet, row, col, format);
}
static lxw_error r_worksheet_write_number(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                          double number, lxw_format *format)
{
    op(OP_worksheet_write_number), obj(worksheet), u32(row), u32(col), f64(number), obj(format);
    return FWD(worksheet_write_number, worksheet, row, col, number, format);
}
static lxw_error r_worksheet_write_string(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                          const char *string, lxw_format *format)
{
    op(OP_worksheet_write_string), obj(worksheet), u32(row), u32(col), str(string), obj(format);
    return FWD(worksheet_write_string, worksheet, row, col, string, format);
}
static lxw_error r_worksheet_write_url_opt(lxw_worksheet *worksheet, lxw_row_t row_num,
                                           lxw_col_t col_num, const char *url, lxw_format *format,
                                           const char *string, const char *tooltip)
{
    op(OP_worksheet_write_url_opt), obj(worksheet), u32(row_num), u32(col_num), str(url);
    obj(format), str(string), str(tooltip);
    return FWD(worksheet_write_url_opt, worksheet, row_num, col_num, url, format, string, tooltip);
}

/* Each member's type is the library function's: a recorder function of
 * another signature does not compile. */
static const rc_xw_lib_table recorder = {
#define RC_XW_RECORDER(f) .f = r_##f,
    RC_XW_LIB_FUNCTIONS(RC_XW_RECORDER)
#undef RC_XW_RECORDER
};

/* ---- the memo ------------------------------------------------------------------ */

static void rec_free(rec *r)
{
    for (size_t i = 0; i < r->nmade; i++)
        free(r->made[i]);
    free(r->made);
    free(r->key);
    free(r->num);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* What the key says besides the recording: the library's version and the
 * file the environment would load. NULL: no memo (a test switched
 * reportc's interposed parts off, which makes other bytes). */
static const char *coder(char *out, size_t cap)
{
    bool on[4] = {rc_xlsx_memory_tmpfiles(true), rc_xlsx_libdeflate_members(true),
                  rc_xlsx_own_xml(true), rc_xlsx_cell_slab(true)};
    rc_xlsx_memory_tmpfiles(on[0]), rc_xlsx_libdeflate_members(on[1]);
    rc_xlsx_own_xml(on[2]), rc_xlsx_cell_slab(on[3]);
    if (!on[0] || !on[1] || !on[2] || !on[3] || rc_xw_deflate_cap_set()) return NULL;
    const char *ld = getenv("LD_LIBRARY_PATH");
    int n = snprintf(out, cap, "workbook/1 libxlsxwriter %s from %s LD_LIBRARY_PATH=%s",
                     LXW_VERSION, rc_xw_lib_file(), ld ? ld : "");
    return n > 0 && (size_t)n < cap ? out : NULL;
}

/* The kept value: the library file's path (NUL-terminated) and signature,
 * then the workbook. */
static const unsigned char *kept_file(const unsigned char *z, size_t zn, size_t *n)
{
    const unsigned char *nul = memchr(z, 0, zn);
    if (!nul || (size_t)(nul + 1 - z) + 8 > zn) return NULL;
    uint64_t sig;
    memcpy(&sig, nul + 1, 8);
    if (!sig || sig != rc_zmemo_file_sig((const char *)z)) return NULL;
    const unsigned char *f = nul + 1 + 8;
    *n = zn - (size_t)(f - z);
    return f;
}

/* Writes the kept workbook where the library would have written it
 * (rc_xw_open, rc_xw_close): the build's temporary, or a temporary of its
 * own renamed over the path. */
static rc_status write_kept(const rc_xw *x, const unsigned char *f, size_t n)
{
    bool direct;
    char *tmp = rc_out_tmpfor(x->a, x->file, &direct);
    int fd = -1;
    if (rc_tmp_begin()) {
        /* as fopen(3) makes it, as libxlsxwriter does */
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        rc_tmp_end();
    } else {
        errno = EINTR; /* the build is being stopped by a signal */
    }
    bool ok = fd >= 0 && rc_write_all(fd, f, n);
    int e = errno;
    if (fd >= 0 && close(fd) != 0 && ok) ok = false, e = errno;
    bool renamed = false; /* (a failed rename removes tmp itself) */
    if (ok && !direct) {
        renamed = true;
        if (rc_out_rename(tmp, x->file) != RC_OK) ok = false, e = errno;
    }
    if (!ok) {
        if (!renamed) rc_out_drop(tmp, direct); /* (a name only when not created) */
        rc_diag_error(x->d, x->where, "cannot write workbook '%s': %s", x->path, strerror(e));
        return RC_ERR_IO;
    }
    return RC_OK;
}

/* The workbook the real run wrote, with the library's file, kept for the
 * next build. */
static void keep(rc_zmemo *m, const rec *r, const rc_xw *x)
{
    Dl_info info;
    const void *addr;
    memcpy(&addr, &rc_xw_lib.workbook_close, sizeof addr);
    if (!addr || !dladdr(addr, &info) || !info.dli_fname) return;
    uint64_t sig = rc_zmemo_file_sig(info.dli_fname);
    char *data;
    size_t len;
    const char *file = x->direct ? x->tmp : x->file;
    if (!sig || rc_read_file(x->a, file, &data, &len) != RC_OK) return;
    size_t np = strlen(info.dli_fname) + 1, n = np + 8 + len;
    unsigned char *v = malloc(n);
    if (!v) return;
    memcpy(v, info.dli_fname, np);
    memcpy(v + np, &sig, 8);
    memcpy(v + np + 8, data, len);
    rc_zmemo_put(m, r->buf, r->n, v, n);
    free(v);
}

/* Runs the writer with the calling thread's calls going through the
 * recorder into r. */
static rc_status through(rec *r, rc_status (*run)(const rc_xw_job *, rc_xw *), const rc_xw_job *j,
                         rc_xw *x)
{
    rec *was_rec = cur;
    const rc_xw_lib_table *was = rc_xw_calls;
    cur = r, rc_xw_calls = &recorder;
    rc_status st = run(j, x);
    rc_xw_calls = was, cur = was_rec;
    return st;
}

static rc_status recorded(const rc_xw_job *j, rc_xw *x)
{
    rc_xw_open_recorded(x, j->a, j->doc, j->path, j->constant_memory, j->zip64, x->d);
    return j->fill(x, j->arg);
}

static rc_status made_for_real(const rc_xw_job *j, rc_xw *x)
{
    rc_status st = rc_xw_open(x, j->a, j->doc, j->path, j->constant_memory, j->zip64, j->d);
    if (st != RC_OK) return st;
    st = j->fill(x, j->arg);
    rc_status cst = rc_xw_close(x);
    return st != RC_OK ? st : cst;
}

rc_status rc_xw_write(const rc_xw_job *j)
{
    last = -1;
    char cd[4200];
    const char *c = j->memo && !j->constant_memory ? coder(cd, sizeof cd) : NULL;
    rc_zmemo *m = c ? rc_zmemo_open_in("workbooks", j->path, "xlsx", c, NULL) : NULL;
    rc_diag *dd = m ? rc_diag_new() : NULL;
    if (!dd) { /* no memo */
        rc_zmemo_close(m, false);
        rc_xw x;
        return made_for_real(j, &x);
    }
    /* The recording; its reports go to dd (there are none when it is used). */
    if (rc_diag_strict(j->d)) rc_diag_set_strict(dd);
    rec r1 = {0};
    rc_xw x = {.d = dd};
    rc_status st = through(&r1, recorded, j, &x);
    bool clean =
        st == RC_OK && x.err == LXW_NO_ERROR && !x.abandoned && !r1.bad && rc_diag_count(dd) == 0;
    rc_diag_free(dd);
    size_t zn = 0, n = 0;
    const unsigned char *z = clean ? rc_zmemo_get(m, r1.buf, r1.n, &zn) : NULL;
    const unsigned char *f = z ? kept_file(z, zn, &n) : NULL;
    if (f) {
        x.d = j->d;
        st = write_kept(&x, f, n);
        rc_zmemo_close(m, st == RC_OK);
        rec_free(&r1);
        last = 1;
        return st;
    }
    if (z) rc_zmemo_forget(m, r1.buf, r1.n); /* made by another library file */
    /* Made for real, its calls recorded again on the way to the library:
     * the workbook is kept only when they are the recorded ones. */
    rec r2 = {.tee = true};
    rc_xw y;
    st = clean ? through(&r2, made_for_real, j, &y) : made_for_real(j, &y);
    if (st == RC_OK && clean && !r2.bad && r2.n == r1.n && memcmp(r2.buf, r1.buf, r1.n) == 0)
        keep(m, &r1, &y);
    rc_zmemo_close(m, st == RC_OK);
    rec_free(&r1);
    rec_free(&r2);
    last = 0;
    return st;
}
