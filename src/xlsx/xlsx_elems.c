/* xlsx_elems: the most common elements of a workbook's XML written by
 * reportc without the library's attribute lists.
 *
 * Why: libxlsxwriter 1.1.4 makes each attribute of an element with malloc
 * (a 4,168-byte struct xml_attribute, too big for glibc's per-thread
 * cache: some 400 instructions to make and free) and frees the list after
 * writing the tag. <row> (every row of a sheet), <col> (every column
 * width), <pageMargins> (six numbers, every sheet), <Relationship> (every
 * link between parts and every hyperlink) and the content types' <Default>
 * and <Override> were 3,300 of the 4,800 attributes of an edition's two
 * workbooks; writing them here took 2.7 M instructions off the 39.9 M of a
 * one-edition `--only xlsx` (callgrind). The shared strings' <si> (below)
 * took 0.7 M more.
 *
 * How: as xlsx_xml.c, reportc defines the library's exported functions
 * that write them (its worksheet.c: _write_row, _worksheet_write_col_info,
 * _worksheet_write_page_margins; relationships.c: _write_relationship;
 * content_types.c: _write_default, _write_override; shared_strings.c:
 * _write_si), called through its PLT. Each writes the same tag from the same fields, each value as
 * lxw_new_attribute_* (xlsx_xml.c) would hold it and escaped as
 * lxw_xml_empty_tag or lxw_xml_start_tag write it. The switch is
 * xlsx_xml.c's (rc_xlsx_own_xml): test_xlsx_xml writes workbooks both ways
 * and compares every member. */
#define _GNU_SOURCE /* fwrite_unlocked */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <ctype.h>
#include <xlsxwriter/chart.h>
#include <xlsxwriter/content_types.h>
#include <xlsxwriter/relationships.h>
#include <xlsxwriter/shared_strings.h>

#include "rc/numfmt.h"
#include "xlsx_int.h"
#include "xlsx_xmlw.h"

typedef void (*row_fn)(lxw_worksheet *, lxw_row *, char *);
typedef void (*col_fn)(lxw_worksheet *, lxw_col_options *);
typedef void (*sheet_fn)(lxw_worksheet *);
typedef int32_t (*xf_fn)(lxw_format *);
typedef void (*rel_fn)(lxw_relationships *, const char *, const char *, const char *);
typedef void (*ct_fn)(lxw_content_types *, const char *, const char *);
typedef void (*si_fn)(lxw_sst *, char *);
typedef void (*v_num_fn)(lxw_chart *, double);

static struct {
    row_fn row;
    col_fn col;
    sheet_fn margins;
    rel_fn relationship;
    ct_fn ct_default, ct_override;
    si_fn si;
    v_num_fn v_num;
    xf_fn xf_index; /* not interposed: the library's, always */
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void find_lib(void)
{
    RC_XW_FIND_REAL("_write_row", lib.row);
    RC_XW_FIND_REAL("_worksheet_write_col_info", lib.col);
    RC_XW_FIND_REAL("_worksheet_write_page_margins", lib.margins);
    RC_XW_FIND_REAL("_write_relationship", lib.relationship);
    RC_XW_FIND_REAL("_write_default", lib.ct_default);
    RC_XW_FIND_REAL("_write_override", lib.ct_override);
    RC_XW_FIND_REAL("_write_si", lib.si);
    RC_XW_FIND_REAL("_chart_write_v_num", lib.v_num);
    RC_XW_FIND_REAL("lxw_format_get_xf_index", lib.xf_index);
}

static _Atomic size_t written; /* elements written here */

size_t rc_xlsx_own_xml_elements(void)
{
    return atomic_load(&written);
}

/* The library's function f when this thread asked for it (and it exists). */
#define LIB(f) (rc_xw_xml_lib() && (pthread_once(&lib_once, find_lib), lib.f))

void _write_row(lxw_worksheet *self, lxw_row *row, char *spans);
void _worksheet_write_col_info(lxw_worksheet *self, lxw_col_options *options);
void _worksheet_write_page_margins(lxw_worksheet *self);

static void attr_str(FILE *f, const char *key, const char *value)
{
    char v[LXW_MAX_ATTRIBUTE_LENGTH];
    if (strnlen(value, LXW_MAX_ATTRIBUTE_LENGTH) >= LXW_MAX_ATTRIBUTE_LENGTH - 1) {
        copy_field(v, value); /* cut as the library's field cuts it */
        value = v;
    }
    putc_unlocked(' ', f);
    puts_(f, key);
    puts_(f, "=\"");
    rc_xw_xml_escaped(f, value, true);
    putc_unlocked('"', f);
}

static void attr_int(FILE *f, const char *key, uint32_t value)
{
    char b[24];
    putc_unlocked(' ', f);
    puts_(f, key);
    puts_(f, "=\"");
    puts_(f, int_text(b, (int32_t)value)); /* as lxw_new_attribute_int */
    putc_unlocked('"', f);
}

/* A value without a character to escape (a constant, digits). */
static void attr_raw(FILE *f, const char *key, const char *value)
{
    putc_unlocked(' ', f);
    puts_(f, key);
    puts_(f, "=\"");
    puts_(f, value);
    putc_unlocked('"', f);
}

/* The last numbers printed on this thread: the margins of every sheet are
 * the same six, and columns share widths; rc_fmt_g takes some 760
 * instructions a number. */
#define DBL_MEMO 16
static _Thread_local struct {
    uint64_t bits;
    bool set;
    char text[LXW_ATTR_32];
} dbl_memo[DBL_MEMO];

static void attr_dbl(FILE *f, const char *key, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    size_t h = (size_t)((bits * 0x9E3779B97F4A7C15u) >> 60) % DBL_MEMO;
    if (!dbl_memo[h].set || dbl_memo[h].bits != bits) {
        char num[RC_FMT_CAP];
        rc_fmt_g(value, 16, true, num);
        size_t n = strnlen(num, LXW_ATTR_32 - 1); /* as lxw_new_attribute_dbl */
        memcpy(dbl_memo[h].text, num, n);
        dbl_memo[h].text[n] = 0;
        dbl_memo[h].bits = bits;
        dbl_memo[h].set = true;
    }
    attr_raw(f, key, dbl_memo[h].text);
}

static void start(FILE *f, const char *tag)
{
    atomic_fetch_add_explicit(&written, 1, memory_order_relaxed);
    rc_xw_xml_start(f, tag);
}

static int32_t xf_index(lxw_format *format)
{
    pthread_once(&lib_once, find_lib);
    return lib.xf_index ? lib.xf_index(format) : 0;
}

void _write_row(lxw_worksheet *self, lxw_row *row, char *spans)
{
    if (LIB(row)) {
        lib.row(self, row, spans);
        return;
    }
    FILE *f = self->file;
    int32_t xf = row->format ? xf_index(row->format) : 0;
    double height = row->height_changed ? row->height : self->default_row_height;
    start(f, "row");
    attr_int(f, "r", row->row_num + 1);
    if (spans) attr_str(f, "spans", spans);
    if (xf) attr_int(f, "s", (uint32_t)xf);
    if (row->format) attr_raw(f, "customFormat", "1");
    if (height != LXW_DEF_ROW_HEIGHT) attr_dbl(f, "ht", height);
    if (row->hidden) attr_raw(f, "hidden", "1");
    if (height != LXW_DEF_ROW_HEIGHT) attr_raw(f, "customHeight", "1");
    if (row->level) attr_int(f, "outlineLevel", row->level);
    if (row->collapsed) attr_raw(f, "collapsed", "1");
    if (self->excel_version == 2010) attr_raw(f, "x14ac:dyDescent", "0.25");
    if (!row->data_changed)
        puts_(f, "/>");
    else
        putc_unlocked('>', f);
}

void _worksheet_write_col_info(lxw_worksheet *self, lxw_col_options *options)
{
    if (LIB(col)) {
        lib.col(self, options);
        return;
    }
    FILE *f = self->file;
    double width = options->width;
    bool custom = true;
    int32_t xf = options->format ? xf_index(options->format) : 0;
    const double max_digit_width = 7.0, padding = 5.0; /* Calibri 11 */
    if (width == LXW_DEF_COL_WIDTH) {
        if (options->hidden)
            width = 0;
        else
            custom = false;
    }
    /* the library's rounding to whole pixels, casts and all */
    if (width > 0) {
        if (width < 1)
            width = (uint16_t)(((uint16_t)(width * (max_digit_width + padding) + 0.5)) /
                               max_digit_width * 256.0) /
                    256.0;
        else
            width = (uint16_t)(((uint16_t)(width * max_digit_width + 0.5) + padding) /
                               max_digit_width * 256.0) /
                    256.0;
    }
    start(f, "col");
    attr_int(f, "min", 1u + options->firstcol);
    attr_int(f, "max", 1u + options->lastcol);
    attr_dbl(f, "width", width);
    if (xf) attr_int(f, "style", (uint32_t)xf);
    if (options->hidden) attr_raw(f, "hidden", "1");
    if (custom) attr_raw(f, "customWidth", "1");
    if (options->level) attr_int(f, "outlineLevel", options->level);
    if (options->collapsed) attr_raw(f, "collapsed", "1");
    puts_(f, "/>");
}

void _worksheet_write_page_margins(lxw_worksheet *self)
{
    if (LIB(margins)) {
        lib.margins(self);
        return;
    }
    FILE *f = self->file;
    start(f, "pageMargins");
    attr_dbl(f, "left", self->margin_left);
    attr_dbl(f, "right", self->margin_right);
    attr_dbl(f, "top", self->margin_top);
    attr_dbl(f, "bottom", self->margin_bottom);
    attr_dbl(f, "header", self->margin_header);
    attr_dbl(f, "footer", self->margin_footer);
    puts_(f, "/>");
}

void _write_relationship(lxw_relationships *self, const char *type, const char *target,
                         const char *target_mode);
void _write_default(lxw_content_types *self, const char *ext, const char *type);
void _write_override(lxw_content_types *self, const char *part_name, const char *type);

void _write_relationship(lxw_relationships *self, const char *type, const char *target,
                         const char *target_mode)
{
    if (LIB(relationship)) {
        lib.relationship(self, type, target, target_mode);
        return;
    }
    FILE *f = self->file;
    char id[LXW_ATTR_32];
    self->rel_id++;
    memcpy(id, "rId", 3);
    int_text(id + 3, (int32_t)self->rel_id); /* "rId%d" */
    start(f, "Relationship");
    attr_raw(f, "Id", id);
    attr_str(f, "Type", type);
    attr_str(f, "Target", target);
    if (target_mode) attr_str(f, "TargetMode", target_mode);
    puts_(f, "/>");
}

static void content_type(FILE *f, const char *tag, const char *key, const char *value,
                         const char *type)
{
    start(f, tag);
    attr_str(f, key, value);
    attr_str(f, "ContentType", type);
    puts_(f, "/>");
}

void _write_default(lxw_content_types *self, const char *ext, const char *type)
{
    if (LIB(ct_default)) {
        lib.ct_default(self, ext, type);
        return;
    }
    content_type(self->file, "Default", "Extension", ext, type);
}

void _write_override(lxw_content_types *self, const char *part_name, const char *type)
{
    if (LIB(ct_override)) {
        lib.ct_override(self, part_name, type);
        return;
    }
    content_type(self->file, "Override", "PartName", part_name, type);
}

/* ---- the shared strings ----
 *
 * <si><t>text</t></si> for every string of the table, as the library's
 * shared_strings.c (_write_si, _write_t) writes it: the text with its
 * control characters as _xHHHH_ (lxw_escape_control_characters: its test
 * for them, lxw_has_control_characters, reads past the end of every string
 * and so says yes to all, and each string was copied, 500 instructions a
 * string), then & < > escaped; xml:space="preserve" when the escaped text
 * begins or ends with a space (isspace, as the library asks). Here the text
 * is escaped both ways in one pass, without a copy. */

void _write_si(lxw_sst *self, char *string);

/* A control character Excel wants as _xHHHH_ (as xlsx_xml.c's ctl_char). */
static bool control(unsigned char c)
{
    return c >= 1 && c < 32 && c != 9 && c != 10;
}

void _write_si(lxw_sst *self, char *string)
{
    if (LIB(si)) {
        lib.si(self, string);
        return;
    }
    FILE *f = self->file;
    size_t n = strlen(string);
    /* the escaped text's first and last characters: '_' for a control
     * character's _x00HH_ */
    unsigned char first = (unsigned char)string[0], last = n ? (unsigned char)string[n - 1] : 0;
    bool preserve = isspace(control(first) ? '_' : first) || isspace(control(last) ? '_' : last);
    rc_xw_xml_start(f, "si");
    putc_unlocked('>', f);
    start(f, "t");
    if (preserve) attr_raw(f, "xml:space", "preserve");
    putc_unlocked('>', f);
    static const char hex[] = "0123456789ABCDEF";
    const char *run = string;
    for (const char *p = string;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c > '>' || (c >= 32 && c != '&' && c != '<' && c != '>') || c == 9 || c == 10) continue;
        put(f, run, (size_t)(p - run));
        run = p + 1;
        if (!c) break;
        if (c == '&')
            puts_(f, "&amp;");
        else if (c == '<')
            puts_(f, "&lt;");
        else if (c == '>')
            puts_(f, "&gt;");
        else {
            char e[7] = {'_', 'x', '0', '0', hex[c >> 4], hex[c & 15], '_'};
            put(f, e, sizeof e);
        }
    }
    puts_(f, "</t></si>");
}

/* ---- a number of a chart's data cache ----
 *
 * <c:v>%.16G</c:v> for every point of every series (chart.c's
 * _chart_write_v_num: lxw_sprintf_dbl, the library's snprintf into 32
 * bytes, then lxw_xml_data_element): 2,500 instructions a number through
 * snprintf, 111 numbers an edition. rc_fmt_g prints the same bytes, as for
 * lxw_new_attribute_dbl (xlsx_xml.c). */

void _chart_write_v_num(lxw_chart *self, double number);

void _chart_write_v_num(lxw_chart *self, double number)
{
    if (LIB(v_num)) {
        lib.v_num(self, number);
        return;
    }
    FILE *f = self->file;
    char num[RC_FMT_CAP];
    rc_fmt_g(number, 16, true, num);
    num[strnlen(num, LXW_ATTR_32 - 1)] = 0;
    start(f, "c:v");
    putc_unlocked('>', f);
    rc_xw_xml_escaped(f, num, false);
    puts_(f, "</c:v>");
}
