/* xlsx_record: the recorder of a workbook's calls to libxlsxwriter
 * (xlsx_rec.h, xlsx_memo.c says what for). Each call is written down, its
 * number then every argument by value: texts as their bytes (a length,
 * UINT32_MAX for NULL), numbers as their bits (-0 and a NaN's payload
 * included), integers at a fixed width, the options' structures field by
 * field (a byte saying whether the pointer was NULL, then the fields; the
 * arrays of table columns and chart points element by element), and
 * libxlsxwriter's objects (workbook, sheets, formats, charts, their axes
 * and series) by the order the recorder made them in. The recorder makes
 * nothing of the library's: its objects are blocks of its own (a chart
 * with its two axes, the only fields the writer reads) and every call
 * succeeds. xlsx_replay.c reads the recording back in the same order.
 * Where the header of libxlsxwriter defines other fields than those
 * recorded, the build stops (ENDS_AT). */
#define RC_XW_LIB_NO_MACROS /* the recorder defines the table's members */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_rec.h"

/* The structures read field by field: a libxlsxwriter with other fields
 * (another header) stops the build here rather than record too little. */
#define END_OF(T, last) (offsetof(T, last) + sizeof(((T *)0)->last))
#define ENDS_AT(T, last)                                                                           \
    _Static_assert(sizeof(T) == (END_OF(T, last) + alignof(T) - 1) / alignof(T) * alignof(T),      \
                   #T " has other fields than xlsx_record.c records")
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

static _Thread_local rc_xw_rec *cur;

rc_xw_rec *rc_xw_rec_use(rc_xw_rec *r)
{
    rc_xw_rec *was = cur;
    cur = r;
    return was;
}

/* ---- writing the recording down ---------------------------------------------- */

/* Room for n more bytes in r's buffer, which never grows past
 * RC_XW_REC_MAX; false (and the recording bad) when there is none. */
static bool grow(rc_xw_rec *r, size_t n)
{
    if (n > RC_XW_REC_MAX - r->n) {
        r->bad = true;
        return false;
    }
    size_t cap = r->cap ? r->cap : 16384;
    while (cap < r->n + n)
        cap *= 2;
    if (cap > RC_XW_REC_MAX) cap = RC_XW_REC_MAX;
    unsigned char *b = realloc(r->buf, cap);
    if (!b) {
        r->bad = true;
        return false;
    }
    r->buf = b, r->cap = cap;
    return true;
}

/* Inline: most calls put a byte or a number (the sample's data workbook
 * makes 7,559 string cells of seven puts each), and a call of its own
 * with a library memcpy per put made a string cell cost ~470
 * instructions. */
static inline void put(const void *p, size_t n)
{
    rc_xw_rec *r = cur;
    if (r->bad || (n > r->cap - r->n && !grow(r, n))) return;
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

static size_t slot_of(const rc_xw_rec *r, const void *p)
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
    rc_xw_rec *r = cur;
    if (!p) {
        u32(0);
        return;
    }
    if (p == r->lastp[0] || p == r->lastp[1]) {
        u32(r->lastn[p == r->lastp[0] ? 0 : 1]);
        return;
    }
    size_t k = r->kcap ? slot_of(r, p) : 0;
    if (!r->kcap || !r->key[k]) {
        r->bad = true; /* not one the recorder made */
        return;
    }
    r->lastp[1] = r->lastp[0], r->lastn[1] = r->lastn[0];
    r->lastp[0] = p, r->lastn[0] = r->num[k];
    u32(r->num[k]);
}

static bool remember(rc_xw_rec *r, const void *p)
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
        rc_xw_rec t = *r;
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
    rc_xw_rec *r = cur;
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
    op(RC_XW_OP_chart_add_series), obj(chart), str(categories), str(values);
    return made(16);
}
static void r_chart_axis_major_gridlines_set_visible(lxw_chart_axis *axis, uint8_t visible)
{
    op(RC_XW_OP_chart_axis_major_gridlines_set_visible), obj(axis), u8(visible);
}
static void r_chart_axis_set_crossing_max(lxw_chart_axis *axis)
{
    op(RC_XW_OP_chart_axis_set_crossing_max), obj(axis);
}
static void r_chart_axis_set_num_format(lxw_chart_axis *axis, const char *num_format)
{
    op(RC_XW_OP_chart_axis_set_num_format), obj(axis), str(num_format);
}
static void r_chart_axis_set_reverse(lxw_chart_axis *axis)
{
    op(RC_XW_OP_chart_axis_set_reverse), obj(axis);
}
static void r_chart_legend_set_position(lxw_chart *chart, uint8_t position)
{
    op(RC_XW_OP_chart_legend_set_position), obj(chart), u8(position);
}
static void range(const char *sheet, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2)
{
    str(sheet), u32(r1), u32(c1), u32(r2), u32(c2);
}
static void r_chart_series_set_categories(lxw_chart_series *series, const char *sheetname,
                                          lxw_row_t first_row, lxw_col_t first_col,
                                          lxw_row_t last_row, lxw_col_t last_col)
{
    op(RC_XW_OP_chart_series_set_categories), obj(series);
    range(sheetname, first_row, first_col, last_row, last_col);
}
static void r_chart_series_set_fill(lxw_chart_series *series, lxw_chart_fill *fill)
{
    op(RC_XW_OP_chart_series_set_fill), obj(series), fill_of(fill);
}
static void r_chart_series_set_labels(lxw_chart_series *series)
{
    op(RC_XW_OP_chart_series_set_labels), obj(series);
}
static void r_chart_series_set_labels_num_format(lxw_chart_series *series, const char *num_format)
{
    op(RC_XW_OP_chart_series_set_labels_num_format), obj(series), str(num_format);
}
static void r_chart_series_set_name_range(lxw_chart_series *series, const char *sheetname,
                                          lxw_row_t row, lxw_col_t col)
{
    op(RC_XW_OP_chart_series_set_name_range), obj(series), str(sheetname), u32(row), u32(col);
}
static lxw_error r_chart_series_set_points(lxw_chart_series *series, lxw_chart_point *points[])
{
    op(RC_XW_OP_chart_series_set_points), obj(series), u8(points != NULL);
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
    return LXW_NO_ERROR;
}
static void r_chart_series_set_values(lxw_chart_series *series, const char *sheetname,
                                      lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row,
                                      lxw_col_t last_col)
{
    op(RC_XW_OP_chart_series_set_values), obj(series);
    range(sheetname, first_row, first_col, last_row, last_col);
}
static void r_chart_title_off(lxw_chart *chart)
{
    op(RC_XW_OP_chart_title_off), obj(chart);
}
static void r_chart_title_set_name(lxw_chart *chart, const char *name)
{
    op(RC_XW_OP_chart_title_set_name), obj(chart), str(name);
}
static void r_chart_title_set_name_font(lxw_chart *chart, lxw_chart_font *font)
{
    op(RC_XW_OP_chart_title_set_name_font), obj(chart), u8(font != NULL);
    if (font) {
        str(font->name), f64(font->size), u8(font->bold), u8(font->italic), u8(font->underline);
        i64(font->rotation), u32(font->color), u8(font->pitch_family), u8(font->charset);
        i64(font->baseline);
    }
}
static void r_format_set_align(lxw_format *format, uint8_t alignment)
{
    op(RC_XW_OP_format_set_align), obj(format), u8(alignment);
}
static void r_format_set_bg_color(lxw_format *format, lxw_color_t color)
{
    op(RC_XW_OP_format_set_bg_color), obj(format), u32(color);
}
static void r_format_set_bold(lxw_format *format)
{
    op(RC_XW_OP_format_set_bold), obj(format);
}
static void r_format_set_bottom(lxw_format *format, uint8_t style)
{
    op(RC_XW_OP_format_set_bottom), obj(format), u8(style);
}
static void r_format_set_font_size(lxw_format *format, double size)
{
    op(RC_XW_OP_format_set_font_size), obj(format), f64(size);
}
static void r_format_set_italic(lxw_format *format)
{
    op(RC_XW_OP_format_set_italic), obj(format);
}
static void r_format_set_num_format(lxw_format *format, const char *num_format)
{
    op(RC_XW_OP_format_set_num_format), obj(format), str(num_format);
}
static void r_format_set_text_wrap(lxw_format *format)
{
    op(RC_XW_OP_format_set_text_wrap), obj(format);
}
static char *r_lxw_strerror(lxw_error error_num)
{
    (void)error_num; /* for messages only: a recording with an error is not used */
    return (char *)"(recorded)";
}
static lxw_chart *r_workbook_add_chart(lxw_workbook *workbook, uint8_t chart_type)
{
    op(RC_XW_OP_workbook_add_chart), obj(workbook), u8(chart_type);
    /* the writer sets its axes' properties (the only fields it reads) */
    lxw_chart *c = made(sizeof *c);
    if (c) c->x_axis = made(16), c->y_axis = made(16);
    return c;
}
static lxw_format *r_workbook_add_format(lxw_workbook *workbook)
{
    op(RC_XW_OP_workbook_add_format), obj(workbook);
    return made(16);
}
static lxw_worksheet *r_workbook_add_worksheet(lxw_workbook *workbook, const char *sheetname)
{
    op(RC_XW_OP_workbook_add_worksheet), obj(workbook), str(sheetname);
    return made(16); /* (never looked into) */
}
static lxw_error r_workbook_close(lxw_workbook *workbook)
{
    (void)workbook; /* rc_xw_write never closes a workbook it only records */
    cur->bad = true;
    return LXW_NO_ERROR;
}
static lxw_format *r_workbook_get_default_url_format(lxw_workbook *workbook)
{
    op(RC_XW_OP_workbook_get_default_url_format), obj(workbook);
    if (!cur->url) cur->url = made(16);
    return cur->url;
}
static lxw_workbook *r_workbook_new_opt(const char *filename, lxw_workbook_options *options)
{
    /* (filename and tmpdir say where it is written, not what) */
    op(RC_XW_OP_workbook_new_opt), u8(options != NULL);
    if (options) u8(options->constant_memory), u8(options->use_zip64);
    (void)filename;
    return made(16);
}
static lxw_error r_workbook_set_properties(lxw_workbook *workbook, lxw_doc_properties *p)
{
    op(RC_XW_OP_workbook_set_properties), obj(workbook), u8(p != NULL);
    if (!p) return LXW_NO_ERROR;
    str(p->title), str(p->subject), str(p->author), str(p->manager), str(p->company);
    str(p->category), str(p->keywords), str(p->comments), str(p->status), str(p->hyperlink_base);
    i64((int64_t)p->created);
    return LXW_NO_ERROR;
}
static lxw_error r_workbook_validate_sheet_name(lxw_workbook *workbook, const char *sheetname)
{
    /* recorded: success; the library's answer comes when the calls are
     * made (a name it refuses fails the replay, and the writer runs again
     * for real, reporting it) */
    op(RC_XW_OP_workbook_validate_sheet_name), obj(workbook), str(sheetname);
    return LXW_NO_ERROR;
}
static void r_worksheet_activate(lxw_worksheet *worksheet)
{
    op(RC_XW_OP_worksheet_activate), obj(worksheet);
}
static lxw_error r_worksheet_add_table(lxw_worksheet *worksheet, lxw_row_t first_row,
                                       lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col,
                                       lxw_table_options *o)
{
    op(RC_XW_OP_worksheet_add_table), obj(worksheet);
    range(NULL, first_row, first_col, last_row, last_col);
    u8(o != NULL);
    if (!o) return LXW_NO_ERROR;
    str(o->name), u8(o->no_header_row), u8(o->no_autofilter), u8(o->no_banded_rows);
    u8(o->banded_columns), u8(o->first_column), u8(o->last_column), u8(o->style_type);
    u8(o->style_type_number), u8(o->total_row), u8(o->columns != NULL);
    for (size_t i = 0; o->columns && o->columns[i]; i++) {
        const lxw_table_column *c = o->columns[i];
        u8(1), str(c->header), str(c->formula), str(c->total_string), u8(c->total_function);
        obj(c->header_format), obj(c->format), f64(c->total_value);
    }
    u8(0);
    return LXW_NO_ERROR;
}
static lxw_error r_worksheet_autofilter(lxw_worksheet *worksheet, lxw_row_t first_row,
                                        lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col)
{
    op(RC_XW_OP_worksheet_autofilter), obj(worksheet);
    range(NULL, first_row, first_col, last_row, last_col);
    return LXW_NO_ERROR;
}
static void r_worksheet_fit_to_pages(lxw_worksheet *worksheet, uint16_t width, uint16_t height)
{
    op(RC_XW_OP_worksheet_fit_to_pages), obj(worksheet), u32(width), u32(height);
}
static void r_worksheet_freeze_panes(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col)
{
    op(RC_XW_OP_worksheet_freeze_panes), obj(worksheet), u32(row), u32(col);
}
static lxw_error r_worksheet_insert_chart_opt(lxw_worksheet *worksheet, lxw_row_t row,
                                              lxw_col_t col, lxw_chart *chart, lxw_chart_options *o)
{
    op(RC_XW_OP_worksheet_insert_chart_opt), obj(worksheet), u32(row), u32(col), obj(chart);
    u8(o != NULL);
    if (!o) return LXW_NO_ERROR;
    i64(o->x_offset), i64(o->y_offset), f64(o->x_scale), f64(o->y_scale);
    u8(o->object_position), str(o->description), u8(o->decorative);
    return LXW_NO_ERROR;
}
static lxw_error r_worksheet_repeat_rows(lxw_worksheet *worksheet, lxw_row_t first_row,
                                         lxw_row_t last_row)
{
    op(RC_XW_OP_worksheet_repeat_rows), obj(worksheet), u32(first_row), u32(last_row);
    return LXW_NO_ERROR;
}
static lxw_error r_worksheet_set_column(lxw_worksheet *worksheet, lxw_col_t first_col,
                                        lxw_col_t last_col, double width, lxw_format *format)
{
    op(RC_XW_OP_worksheet_set_column), obj(worksheet), u32(first_col), u32(last_col), f64(width);
    obj(format);
    return LXW_NO_ERROR;
}
static void r_worksheet_set_landscape(lxw_worksheet *worksheet)
{
    op(RC_XW_OP_worksheet_set_landscape), obj(worksheet);
}
static void r_worksheet_set_paper(lxw_worksheet *worksheet, uint8_t paper_type)
{
    op(RC_XW_OP_worksheet_set_paper), obj(worksheet), u8(paper_type);
}
static lxw_error r_worksheet_set_row(lxw_worksheet *worksheet, lxw_row_t row, double height,
                                     lxw_format *format)
{
    op(RC_XW_OP_worksheet_set_row), obj(worksheet), u32(row), f64(height), obj(format);
    return LXW_NO_ERROR;
}
static void r_worksheet_set_selection(lxw_worksheet *worksheet, lxw_row_t first_row,
                                      lxw_col_t first_col, lxw_row_t last_row, lxw_col_t last_col)
{
    op(RC_XW_OP_worksheet_set_selection), obj(worksheet);
    range(NULL, first_row, first_col, last_row, last_col);
}
static lxw_error r_worksheet_write_blank(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                         lxw_format *format)
{
    op(RC_XW_OP_worksheet_write_blank), obj(worksheet), u32(row), u32(col), obj(format);
    return LXW_NO_ERROR;
}
static lxw_error r_worksheet_write_number(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                          double number, lxw_format *format)
{
    op(RC_XW_OP_worksheet_write_number), obj(worksheet), u32(row), u32(col), f64(number),
        obj(format);
    return LXW_NO_ERROR;
}
static lxw_error r_worksheet_write_string(lxw_worksheet *worksheet, lxw_row_t row, lxw_col_t col,
                                          const char *string, lxw_format *format)
{
    op(RC_XW_OP_worksheet_write_string), obj(worksheet), u32(row), u32(col), str(string),
        obj(format);
    return LXW_NO_ERROR;
}
static lxw_error r_worksheet_write_url_opt(lxw_worksheet *worksheet, lxw_row_t row_num,
                                           lxw_col_t col_num, const char *url, lxw_format *format,
                                           const char *string, const char *tooltip)
{
    op(RC_XW_OP_worksheet_write_url_opt), obj(worksheet), u32(row_num), u32(col_num), str(url);
    obj(format), str(string), str(tooltip);
    return LXW_NO_ERROR;
}

/* Each member's type is the library function's: a recorder function of
 * another signature does not compile. */
const rc_xw_lib_table rc_xw_recorder = {
#define RC_XW_RECORDER(f) .f = r_##f,
    RC_XW_LIB_FUNCTIONS(RC_XW_RECORDER)
#undef RC_XW_RECORDER
};

void rc_xw_rec_drop_objects(rc_xw_rec *r)
{
    r->lastp[0] = r->lastp[1] = NULL; /* (their addresses may be made again) */
    for (size_t i = 0; i < r->nmade; i++)
        free(r->made[i]);
    r->nmade = 0;
}

void rc_xw_rec_free(rc_xw_rec *r)
{
    rc_xw_rec_drop_objects(r);
    free(r->made);
    free(r->key);
    free(r->num);
    free(r->buf);
    memset(r, 0, sizeof *r);
}
