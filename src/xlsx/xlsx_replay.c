/* xlsx_replay: a recording of xlsx_record.c made again, call by call, to
 * libxlsxwriter (xlsx_rec.h). Each argument is read back as the recorder
 * wrote it (texts copied into the workbook's arena with their NUL, the
 * options' structures rebuilt field by field, objects by the order the
 * library made them in, which is the recorder's), and each call's answer
 * is checked: one the library refuses, or a recording that does not read
 * back whole, fails the replay. */
#define RC_XW_LIB_NO_MACROS /* the calls go to rc_xw_lib by name */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rc/arena.h"
#include "xlsx_rec.h"

typedef struct play {
    const unsigned char *p, *end;
    bool bad; /* a recording that does not read back, or a call that failed */
    rc_xw *x;
    void **obj; /* the library's objects, by the recorder's numbers - 1 */
    size_t nobj, cap;
    lxw_format *url;
} play;

static void take(play *q, void *v, size_t n)
{
    if ((size_t)(q->end - q->p) < n) {
        q->bad = true;
        memset(v, 0, n);
        return;
    }
    memcpy(v, q->p, n);
    q->p += n;
}
static uint8_t g8(play *q)
{
    uint8_t v;
    take(q, &v, 1);
    return v;
}
static uint32_t g32(play *q)
{
    uint32_t v;
    take(q, &v, sizeof v);
    return v;
}
static int64_t g64(play *q)
{
    int64_t v;
    take(q, &v, sizeof v);
    return v;
}
static double gf(play *q)
{
    double v;
    take(q, &v, sizeof v);
    return v;
}
static char *gstr(play *q)
{
    uint32_t n = g32(q);
    if (n == UINT32_MAX || q->bad) return NULL;
    if ((size_t)(q->end - q->p) < n) {
        q->bad = true;
        return NULL;
    }
    char *s = rc_arena_strndup(q->x->a, (const char *)q->p, n);
    q->p += n;
    return s;
}
static void *gobj(play *q)
{
    uint32_t k = g32(q);
    if (k == 0) return NULL;
    if (k > q->nobj) {
        q->bad = true;
        return NULL;
    }
    return q->obj[k - 1];
}
/* An object the library made, numbered next; NULL fails the replay. */
static void *add(play *q, void *o)
{
    if (!o) q->bad = true;
    if (q->bad) return o;
    if (q->nobj == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        void **v = realloc(q->obj, cap * sizeof *v);
        if (!v) {
            q->bad = true;
            return o;
        }
        q->obj = v, q->cap = cap;
    }
    q->obj[q->nobj++] = o;
    return o;
}
static void check(play *q, lxw_error e)
{
    if (e != LXW_NO_ERROR) q->bad = true;
}
static lxw_chart_fill *gfill(play *q, lxw_chart_fill *f)
{
    if (!g8(q)) return NULL;
    f->color = g32(q), f->none = g8(q), f->transparency = g8(q);
    return f;
}

/* One call; the arguments read as the recorder wrote them. */
static void play_one(play *q, unsigned id)
{
    rc_xw *x = q->x;
    switch (id) {
    case RC_XW_OP_chart_add_series: {
        lxw_chart *c = gobj(q);
        char *cats = gstr(q), *vals = gstr(q);
        if (!q->bad) add(q, rc_xw_lib.chart_add_series(c, cats, vals));
        break;
    }
    case RC_XW_OP_chart_axis_major_gridlines_set_visible: {
        lxw_chart_axis *a = gobj(q);
        uint8_t v = g8(q);
        if (!q->bad) rc_xw_lib.chart_axis_major_gridlines_set_visible(a, v);
        break;
    }
    case RC_XW_OP_chart_axis_set_crossing_max: {
        lxw_chart_axis *a = gobj(q);
        if (!q->bad) rc_xw_lib.chart_axis_set_crossing_max(a);
        break;
    }
    case RC_XW_OP_chart_axis_set_num_format: {
        lxw_chart_axis *a = gobj(q);
        char *f = gstr(q);
        if (!q->bad) rc_xw_lib.chart_axis_set_num_format(a, f);
        break;
    }
    case RC_XW_OP_chart_axis_set_reverse: {
        lxw_chart_axis *a = gobj(q);
        if (!q->bad) rc_xw_lib.chart_axis_set_reverse(a);
        break;
    }
    case RC_XW_OP_chart_legend_set_position: {
        lxw_chart *c = gobj(q);
        uint8_t v = g8(q);
        if (!q->bad) rc_xw_lib.chart_legend_set_position(c, v);
        break;
    }
    case RC_XW_OP_chart_series_set_categories:
    case RC_XW_OP_chart_series_set_values: {
        lxw_chart_series *s = gobj(q);
        char *sheet = gstr(q);
        uint32_t r1 = g32(q), c1 = g32(q), r2 = g32(q), c2 = g32(q);
        if (q->bad) break;
        (id == RC_XW_OP_chart_series_set_values ? rc_xw_lib.chart_series_set_values
                                                : rc_xw_lib.chart_series_set_categories)(
            s, sheet, r1, (lxw_col_t)c1, r2, (lxw_col_t)c2);
        break;
    }
    case RC_XW_OP_chart_series_set_fill: {
        lxw_chart_series *s = gobj(q);
        lxw_chart_fill f = {0};
        lxw_chart_fill *fp = gfill(q, &f);
        if (!q->bad) rc_xw_lib.chart_series_set_fill(s, fp);
        break;
    }
    case RC_XW_OP_chart_series_set_labels: {
        lxw_chart_series *s = gobj(q);
        if (!q->bad) rc_xw_lib.chart_series_set_labels(s);
        break;
    }
    case RC_XW_OP_chart_series_set_labels_num_format: {
        lxw_chart_series *s = gobj(q);
        char *f = gstr(q);
        if (!q->bad) rc_xw_lib.chart_series_set_labels_num_format(s, f);
        break;
    }
    case RC_XW_OP_chart_series_set_name_range: {
        lxw_chart_series *s = gobj(q);
        char *sheet = gstr(q);
        uint32_t r = g32(q), c = g32(q);
        if (!q->bad) rc_xw_lib.chart_series_set_name_range(s, sheet, r, (lxw_col_t)c);
        break;
    }
    case RC_XW_OP_chart_series_set_points: {
        lxw_chart_series *s = gobj(q);
        bool some = g8(q);
        RC_VEC(lxw_chart_point *) pts = {0};
        while (!q->bad && g8(q)) {
            lxw_chart_point *pt = rc_arena_alloc(x->a, sizeof *pt);
            memset(pt, 0, sizeof *pt);
            if (g8(q)) {
                lxw_chart_line *l = rc_arena_alloc(x->a, sizeof *l);
                memset(l, 0, sizeof *l);
                l->color = g32(q), l->none = g8(q), l->width = (float)gf(q);
                l->dash_type = g8(q), l->transparency = g8(q);
                pt->line = l;
            }
            lxw_chart_fill *f = rc_arena_alloc(x->a, sizeof *f);
            pt->fill = gfill(q, f);
            if (g8(q)) {
                lxw_chart_pattern *pa = rc_arena_alloc(x->a, sizeof *pa);
                pa->fg_color = g32(q), pa->bg_color = g32(q), pa->type = g8(q);
                pt->pattern = pa;
            }
            RC_PUSH(x->a, pts, pt);
        }
        RC_PUSH(x->a, pts, NULL);
        if (!q->bad) check(q, rc_xw_lib.chart_series_set_points(s, some ? pts.v : NULL));
        break;
    }
    case RC_XW_OP_chart_title_off: {
        lxw_chart *c = gobj(q);
        if (!q->bad) rc_xw_lib.chart_title_off(c);
        break;
    }
    case RC_XW_OP_chart_title_set_name: {
        lxw_chart *c = gobj(q);
        char *s = gstr(q);
        if (!q->bad) rc_xw_lib.chart_title_set_name(c, s);
        break;
    }
    case RC_XW_OP_chart_title_set_name_font: {
        lxw_chart *c = gobj(q);
        lxw_chart_font f = {0}, *fp = NULL;
        if (g8(q)) {
            f.name = gstr(q), f.size = gf(q), f.bold = g8(q), f.italic = g8(q);
            f.underline = g8(q), f.rotation = (int32_t)g64(q), f.color = g32(q);
            f.pitch_family = g8(q), f.charset = g8(q), f.baseline = (int8_t)g64(q);
            fp = &f;
        }
        if (!q->bad) rc_xw_lib.chart_title_set_name_font(c, fp);
        break;
    }
    case RC_XW_OP_format_set_align:
    case RC_XW_OP_format_set_bottom: {
        lxw_format *f = gobj(q);
        uint8_t v = g8(q);
        if (q->bad) break;
        (id == RC_XW_OP_format_set_align ? rc_xw_lib.format_set_align
                                         : rc_xw_lib.format_set_bottom)(f, v);
        break;
    }
    case RC_XW_OP_format_set_bg_color: {
        lxw_format *f = gobj(q);
        uint32_t v = g32(q);
        if (!q->bad) rc_xw_lib.format_set_bg_color(f, (lxw_color_t)v);
        break;
    }
    case RC_XW_OP_format_set_bold:
    case RC_XW_OP_format_set_italic:
    case RC_XW_OP_format_set_text_wrap: {
        lxw_format *f = gobj(q);
        if (q->bad) break;
        (id == RC_XW_OP_format_set_bold     ? rc_xw_lib.format_set_bold
         : id == RC_XW_OP_format_set_italic ? rc_xw_lib.format_set_italic
                                            : rc_xw_lib.format_set_text_wrap)(f);
        break;
    }
    case RC_XW_OP_format_set_font_size: {
        lxw_format *f = gobj(q);
        double v = gf(q);
        if (!q->bad) rc_xw_lib.format_set_font_size(f, v);
        break;
    }
    case RC_XW_OP_format_set_num_format: {
        lxw_format *f = gobj(q);
        char *s = gstr(q);
        if (!q->bad) rc_xw_lib.format_set_num_format(f, s);
        break;
    }
    case RC_XW_OP_workbook_add_chart: {
        lxw_workbook *w = gobj(q);
        uint8_t type = g8(q);
        if (q->bad) break;
        lxw_chart *c = add(q, rc_xw_lib.workbook_add_chart(w, type));
        if (c) add(q, c->x_axis), add(q, c->y_axis);
        break;
    }
    case RC_XW_OP_workbook_add_format: {
        lxw_workbook *w = gobj(q);
        if (!q->bad) add(q, rc_xw_lib.workbook_add_format(w));
        break;
    }
    case RC_XW_OP_workbook_add_worksheet: {
        lxw_workbook *w = gobj(q);
        char *s = gstr(q);
        if (!q->bad) add(q, rc_xw_lib.workbook_add_worksheet(w, s));
        break;
    }
    case RC_XW_OP_workbook_get_default_url_format: {
        lxw_workbook *w = gobj(q);
        if (q->bad) break;
        lxw_format *f = rc_xw_lib.workbook_get_default_url_format(w);
        if (!q->url) q->url = add(q, f); /* (numbered when first asked for) */
        break;
    }
    case RC_XW_OP_workbook_new_opt: {
        bool opts = g8(q);
        uint8_t cm = opts ? g8(q) : 0, zip64 = opts ? g8(q) : 0;
        /* (rc_xw_start makes it as rc_xw_open does: x's file and tmpdir) */
        if (q->bad || !opts || (bool)cm != x->cm || x->wb || !rc_xw_start(x, zip64)) q->bad = true;
        add(q, x->wb);
        break;
    }
    case RC_XW_OP_workbook_set_properties: {
        lxw_workbook *w = gobj(q);
        lxw_doc_properties p = {0}, *pp = NULL;
        if (g8(q)) {
            p.title = gstr(q), p.subject = gstr(q), p.author = gstr(q), p.manager = gstr(q);
            p.company = gstr(q), p.category = gstr(q), p.keywords = gstr(q);
            p.comments = gstr(q), p.status = gstr(q), p.hyperlink_base = gstr(q);
            p.created = (time_t)g64(q);
            pp = &p;
        }
        if (!q->bad) check(q, rc_xw_lib.workbook_set_properties(w, pp));
        break;
    }
    case RC_XW_OP_workbook_validate_sheet_name: {
        lxw_workbook *w = gobj(q);
        char *s = gstr(q);
        if (!q->bad) check(q, rc_xw_lib.workbook_validate_sheet_name(w, s));
        break;
    }
    case RC_XW_OP_worksheet_activate:
    case RC_XW_OP_worksheet_set_landscape: {
        lxw_worksheet *ws = gobj(q);
        if (q->bad) break;
        (id == RC_XW_OP_worksheet_activate ? rc_xw_lib.worksheet_activate
                                           : rc_xw_lib.worksheet_set_landscape)(ws);
        break;
    }
    case RC_XW_OP_worksheet_add_table: {
        lxw_worksheet *ws = gobj(q);
        (void)gstr(q); /* (range's sheet: none) */
        uint32_t r1 = g32(q), c1 = g32(q), r2 = g32(q), c2 = g32(q);
        lxw_table_options o = {0}, *op = NULL;
        if (g8(q)) {
            o.name = gstr(q), o.no_header_row = g8(q), o.no_autofilter = g8(q);
            o.no_banded_rows = g8(q), o.banded_columns = g8(q), o.first_column = g8(q);
            o.last_column = g8(q), o.style_type = g8(q), o.style_type_number = g8(q);
            o.total_row = g8(q);
            bool some = g8(q);
            RC_VEC(lxw_table_column *) cols = {0};
            while (!q->bad && g8(q)) {
                lxw_table_column *c = rc_arena_alloc(x->a, sizeof *c);
                c->header = gstr(q), c->formula = gstr(q), c->total_string = gstr(q);
                c->total_function = g8(q), c->header_format = gobj(q), c->format = gobj(q);
                c->total_value = gf(q);
                RC_PUSH(x->a, cols, c);
            }
            RC_PUSH(x->a, cols, NULL);
            o.columns = some ? cols.v : NULL;
            op = &o;
        }
        if (!q->bad)
            check(q, rc_xw_lib.worksheet_add_table(ws, r1, (lxw_col_t)c1, r2, (lxw_col_t)c2, op));
        break;
    }
    case RC_XW_OP_worksheet_autofilter:
    case RC_XW_OP_worksheet_set_selection: {
        lxw_worksheet *ws = gobj(q);
        (void)gstr(q);
        uint32_t r1 = g32(q), c1 = g32(q), r2 = g32(q), c2 = g32(q);
        if (q->bad) break;
        if (id == RC_XW_OP_worksheet_autofilter)
            check(q, rc_xw_lib.worksheet_autofilter(ws, r1, (lxw_col_t)c1, r2, (lxw_col_t)c2));
        else
            rc_xw_lib.worksheet_set_selection(ws, r1, (lxw_col_t)c1, r2, (lxw_col_t)c2);
        break;
    }
    case RC_XW_OP_worksheet_fit_to_pages: {
        lxw_worksheet *ws = gobj(q);
        uint32_t w = g32(q), h = g32(q);
        if (!q->bad) rc_xw_lib.worksheet_fit_to_pages(ws, (uint16_t)w, (uint16_t)h);
        break;
    }
    case RC_XW_OP_worksheet_freeze_panes: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q), c = g32(q);
        if (!q->bad) rc_xw_lib.worksheet_freeze_panes(ws, r, (lxw_col_t)c);
        break;
    }
    case RC_XW_OP_worksheet_insert_chart_opt: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q), c = g32(q);
        lxw_chart *ch = gobj(q);
        lxw_chart_options o = {0}, *op = NULL;
        if (g8(q)) {
            o.x_offset = (int32_t)g64(q), o.y_offset = (int32_t)g64(q), o.x_scale = gf(q);
            o.y_scale = gf(q), o.object_position = g8(q), o.description = gstr(q);
            o.decorative = g8(q);
            op = &o;
        }
        if (!q->bad) check(q, rc_xw_lib.worksheet_insert_chart_opt(ws, r, (lxw_col_t)c, ch, op));
        break;
    }
    case RC_XW_OP_worksheet_repeat_rows: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r1 = g32(q), r2 = g32(q);
        if (!q->bad) check(q, rc_xw_lib.worksheet_repeat_rows(ws, r1, r2));
        break;
    }
    case RC_XW_OP_worksheet_set_column: {
        lxw_worksheet *ws = gobj(q);
        uint32_t c1 = g32(q), c2 = g32(q);
        double w = gf(q);
        lxw_format *f = gobj(q);
        if (!q->bad)
            check(q, rc_xw_lib.worksheet_set_column(ws, (lxw_col_t)c1, (lxw_col_t)c2, w, f));
        break;
    }
    case RC_XW_OP_worksheet_set_paper: {
        lxw_worksheet *ws = gobj(q);
        uint8_t v = g8(q);
        if (!q->bad) rc_xw_lib.worksheet_set_paper(ws, v);
        break;
    }
    case RC_XW_OP_worksheet_set_row: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q);
        double h = gf(q);
        lxw_format *f = gobj(q);
        if (!q->bad) check(q, rc_xw_lib.worksheet_set_row(ws, r, h, f));
        break;
    }
    case RC_XW_OP_worksheet_write_blank: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q), c = g32(q);
        lxw_format *f = gobj(q);
        if (!q->bad) check(q, rc_xw_lib.worksheet_write_blank(ws, r, (lxw_col_t)c, f));
        break;
    }
    case RC_XW_OP_worksheet_write_number: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q), c = g32(q);
        double v = gf(q);
        lxw_format *f = gobj(q);
        if (!q->bad) check(q, rc_xw_lib.worksheet_write_number(ws, r, (lxw_col_t)c, v, f));
        break;
    }
    case RC_XW_OP_worksheet_write_string: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q), c = g32(q);
        char *s = gstr(q);
        lxw_format *f = gobj(q);
        if (!q->bad) check(q, rc_xw_lib.worksheet_write_string(ws, r, (lxw_col_t)c, s, f));
        break;
    }
    case RC_XW_OP_worksheet_write_url_opt: {
        lxw_worksheet *ws = gobj(q);
        uint32_t r = g32(q), c = g32(q);
        char *url = gstr(q);
        lxw_format *f = gobj(q);
        char *s = gstr(q), *tip = gstr(q);
        if (!q->bad)
            check(q, rc_xw_lib.worksheet_write_url_opt(ws, r, (lxw_col_t)c, url, f, s, tip));
        break;
    }
    default: /* lxw_strerror and workbook_close are never recorded */
        q->bad = true;
    }
}

bool rc_xw_replay(const unsigned char *buf, size_t n, rc_xw *x)
{
    play q = {.p = buf, .end = buf + n, .x = x};
    while (!q.bad && q.p < q.end)
        play_one(&q, g8(&q));
    free(q.obj);
    return !q.bad && x->wb;
}
