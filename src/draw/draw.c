/* draw: display-list appenders (all storage in the build arena) and the
 * circular-arc approximation shared by charts and decorations. */
#include "rc/draw.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

rc_draw_list *rc_draw_new(rc_arena *a)
{
    return rc_arena_alloc(a, sizeof(rc_draw_list));
}

/* Appends a zeroed op of the given kind and returns it. The pointer stays
 * valid until the next append to the same list (the vector may move). */
static rc_draw_op *push(rc_arena *a, rc_draw_list *l, rc_draw_kind kind)
{
    assert(l != NULL);
    rc_draw_op op;
    memset(&op, 0, sizeof op);
    op.kind = (uint8_t)kind;
    op.tag = l->tag;
    RC_PUSH(a, l->ops, op);
    return &l->ops.v[l->ops.n - 1];
}

rc_draw_op *rc_draw_text_ref(rc_arena *a, rc_draw_list *l, rc_font_id font, double size, double x,
                             double y, const char *text, size_t len, rc_rgb colour)
{
    assert(len <= UINT32_MAX);
    rc_draw_op *op = push(a, l, RC_DRAW_TEXT);
    op->font = (uint8_t)font;
    op->size = size;
    op->x = x;
    op->y = y;
    op->text = text ? text : "";
    op->len = text ? (uint32_t)len : 0;
    op->fill = true;
    op->fill_rgb = colour;
    return op;
}

rc_draw_op *rc_draw_text(rc_arena *a, rc_draw_list *l, rc_font_id font, double size, double x,
                         double y, const char *text, size_t len, rc_rgb colour)
{
    const char *t = text && len ? rc_arena_strndup(a, text, len) : "";
    return rc_draw_text_ref(a, l, font, size, x, y, t, text ? len : 0, colour);
}

rc_draw_op *rc_draw_word(rc_arena *a, rc_draw_list *l, rc_font_id font, double size, double x,
                         double y, const char *text, size_t len, bool space, rc_rgb colour)
{
    if (!space) return rc_draw_text_ref(a, l, font, size, x, y, text, len, colour);
    /* one copy with the space (a printf and a second copy cost 1,400
     * instructions a word) */
    char *t = rc_arena_strndup(a, text ? text : "", text ? len + 1 : 1);
    t[text ? len : 0] = ' ';
    return rc_draw_text_ref(a, l, font, size, x, y, t, text ? len + 1 : 1, colour);
}

/* Fill and/or stroke of a shape: NULL colours mean "not painted that way". */
static void set_paint(rc_draw_op *op, const rc_rgb *fill, const rc_rgb *stroke, double line_width)
{
    if (fill) {
        op->fill = true;
        op->fill_rgb = *fill;
    }
    if (stroke) {
        op->stroke = true;
        op->stroke_rgb = *stroke;
    }
    op->line_width = line_width;
}

/* An operation placed at (x, y) with a second pair: the other end (x2, y2)
 * of a LINE, the size (w, h) of a RECT or LINK. */
static rc_draw_op *push_at(rc_arena *a, rc_draw_list *l, rc_draw_kind kind, double x, double y,
                           double u, double v)
{
    rc_draw_op *op = push(a, l, kind);
    op->x = x;
    op->y = y;
    if (kind == RC_DRAW_LINE) {
        op->x2 = u;
        op->y2 = v;
    } else {
        op->w = u;
        op->h = v;
    }
    return op;
}

rc_draw_op *rc_draw_rect(rc_arena *a, rc_draw_list *l, double x, double y, double w, double h,
                         const rc_rgb *fill, const rc_rgb *stroke, double line_width)
{
    rc_draw_op *op = push_at(a, l, RC_DRAW_RECT, x, y, w, h);
    set_paint(op, fill, stroke, line_width);
    return op;
}

rc_draw_op *rc_draw_line(rc_arena *a, rc_draw_list *l, double x, double y, double x2, double y2,
                         rc_rgb colour, double line_width)
{
    rc_draw_op *op = push_at(a, l, RC_DRAW_LINE, x, y, x2, y2);
    set_paint(op, NULL, &colour, line_width);
    return op;
}

rc_draw_op *rc_draw_path(rc_arena *a, rc_draw_list *l, const rc_path_seg *segs, size_t n,
                         const rc_rgb *fill, const rc_rgb *stroke, double line_width)
{
    rc_path_seg *copy = NULL;
    if (n > 0) {
        copy = rc_arena_array(a, n, sizeof *copy);
        memcpy(copy, segs, n * sizeof *copy);
    }
    rc_draw_op *op = push(a, l, RC_DRAW_PATH);
    op->segs = copy;
    op->nsegs = n;
    set_paint(op, fill, stroke, line_width);
    return op;
}

rc_draw_op *rc_draw_link(rc_arena *a, rc_draw_list *l, double x, double y, double w, double h,
                         const char *dest, const char *uri)
{
    char *d = rc_arena_strdup(a, dest);
    char *u = rc_arena_strdup(a, uri);
    rc_draw_op *op = push_at(a, l, RC_DRAW_LINK, x, y, w, h);
    op->dest = d;
    op->uri = u;
    return op;
}

rc_draw_op *rc_draw_dest(rc_arena *a, rc_draw_list *l, double x, double y, const char *id)
{
    char *d = rc_arena_strdup(a, id);
    rc_draw_op *op = push(a, l, RC_DRAW_DEST);
    op->x = x;
    op->y = y;
    op->dest = d;
    return op;
}

rc_draw_op *rc_draw_group(rc_arena *a, rc_draw_list *l, double x, double y,
                          const rc_draw_list *inner)
{
    rc_draw_op *op = push(a, l, RC_DRAW_GROUP);
    op->x = x;
    op->y = y;
    op->group = inner;
    return op;
}

rc_draw_list *rc_draw_join(rc_arena *a, rc_draw_list *bg, rc_draw_list *fg)
{
    size_t n = bg->ops.n + fg->ops.n;
    if (n > bg->ops.cap) { /* exact: a finished page does not grow */
        /* raw: fg's ops fill all of the new part */
        bg->ops.v = rc_arena_grow_raw(a, bg->ops.v, bg->ops.n, n, sizeof *bg->ops.v);
        bg->ops.cap = n;
    }
    if (fg->ops.n) memcpy(bg->ops.v + bg->ops.n, fg->ops.v, fg->ops.n * sizeof *fg->ops.v);
    bg->ops.n = n;
    rc_draw_release(a, fg);
    return bg;
}

void rc_draw_release(rc_arena *a, rc_draw_list *l)
{
    if (!l) return;
    rc_arena_release(a, l->ops.v);
    l->ops.v = NULL;
    l->ops.n = l->ops.cap = 0;
}

/* Cubic Bézier approximation of a circular arc: each piece spans at most 90
 * degrees with control-point distance k = 4/3 tan(theta/4) (radial error
 * about 2.7e-4 r for a quarter circle). Returns the number of segments
 * needed; writes only as many as fit in cap. */
size_t rc_path_arc(rc_path_seg *out, size_t cap, double cx, double cy, double r, double a0,
                   double a1, bool move_first)
{
    double sweep = a1 - a0;
    size_t pieces = (size_t)ceil(fabs(sweep) / 90.0 - 1e-9);
    if (pieces == 0) pieces = 1;
    size_t need = pieces + (move_first ? 1 : 0);
    size_t k = 0;
    double t0 = a0 * M_PI / 180.0;
    double step = sweep * M_PI / 180.0 / (double)pieces;
    double kk = 4.0 / 3.0 * tan(step / 4.0);
    if (move_first && k < cap) {
        out[k] = (rc_path_seg){.op = RC_PATH_MOVE, .x = cx + r * cos(t0), .y = cy + r * sin(t0)};
        k++;
    }
    for (size_t i = 0; i < pieces && k < cap; i++) {
        double s = t0 + step * (double)i;
        double e = (i + 1 == pieces) ? a1 * M_PI / 180.0 : s + step;
        double cs = cos(s), ss = sin(s), ce = cos(e), se = sin(e);
        out[k++] = (rc_path_seg){
            .op = RC_PATH_CURVE,
            .x1 = cx + r * (cs - kk * ss),
            .y1 = cy + r * (ss + kk * cs),
            .x2 = cx + r * (ce + kk * se),
            .y2 = cy + r * (se - kk * ce),
            .x = cx + r * ce,
            .y = cy + r * se,
        };
    }
    return need;
}
