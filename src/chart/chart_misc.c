/* chart_misc.c: key-figure tiles — a grid of rounded blue tiles, each with
 * a big number (Lato Light) and a short wrapped label. */
#include <math.h>
#include <string.h>

#include "chart_render.h"

#define TILE_GAP 8.0
#define TILE_PAD 7.0
#define TILE_RADIUS 5.0

static rc_path_seg pseg(rc_path_op op, double x1, double y1, double x2, double y2, double x,
                        double y)
{
    rc_path_seg s = {op, x1, y1, x2, y2, x, y};
    return s;
}

/* Rounded rectangle: four lines and four quarter-circle Béziers
 * (k = 0.5523, the usual 4/3 (sqrt 2 - 1) approximation). */
static void rounded_rect(rc_chart_ctx *x, double rx, double ry, double w, double h, double r,
                         rc_rgb fill)
{
    if (r > w / 2) r = w / 2;
    if (r > h / 2) r = h / 2;
    double k = 0.5523 * r;
    rc_path_seg s[10];
    size_t n = 0;
    s[n++] = pseg(RC_PATH_MOVE, 0, 0, 0, 0, rx + r, ry);
    s[n++] = pseg(RC_PATH_LINE, 0, 0, 0, 0, rx + w - r, ry);
    s[n++] = pseg(RC_PATH_CURVE, rx + w - r + k, ry, rx + w, ry + r - k, rx + w, ry + r);
    s[n++] = pseg(RC_PATH_LINE, 0, 0, 0, 0, rx + w, ry + h - r);
    s[n++] =
        pseg(RC_PATH_CURVE, rx + w, ry + h - r + k, rx + w - r + k, ry + h, rx + w - r, ry + h);
    s[n++] = pseg(RC_PATH_LINE, 0, 0, 0, 0, rx + r, ry + h);
    s[n++] = pseg(RC_PATH_CURVE, rx + r - k, ry + h, rx, ry + h - r + k, rx, ry + h - r);
    s[n++] = pseg(RC_PATH_LINE, 0, 0, 0, 0, rx, ry + r);
    s[n++] = pseg(RC_PATH_CURVE, rx, ry + r - k, rx + r - k, ry, rx + r, ry);
    s[n++] = pseg(RC_PATH_CLOSE, 0, 0, 0, 0, 0, 0);
    rc_draw_path(x->a, x->l, s, n, &fill, NULL, 0);
}

static void tile(rc_chart_ctx *x, const rc_tile *t, double tx, double ty, double tw, double th)
{
    rc_rgb fill = x->pal[0];
    rc_rgb ink = rc_chart_text_on(x, fill);
    rounded_rect(x, tx, ty, tw, th, TILE_RADIUS, fill);
    double inner = tw - 2 * TILE_PAD;
    if (inner < 4) return;
    /* The label first (up to three lines, shrinking to 6.5 pt), then the
     * number as large as the rest of the tile allows (up to 26 pt). */
    rc_chart_text lab =
        rc_chart_fit(x, RC_FONT_REGULAR, RC_CHART_LABEL_PT, 6.5, t->label, inner, 3);
    double room = th - 2 * TILE_PAD * 0.6 - rc_chart_text_height(x, RC_FONT_REGULAR, &lab) - 2;
    double ns = 26;
    while (ns > 8 && (rc_chart_tws(x, RC_FONT_LIGHT, t->value, ns) > inner ||
                      rc_chart_lh(x, RC_FONT_LIGHT, ns) > room))
        ns -= 1;
    double nh = rc_chart_lh(x, RC_FONT_LIGHT, ns);
    double lhgt = rc_chart_text_height(x, RC_FONT_REGULAR, &lab);
    double block = nh + 2 + lhgt;
    double top = ty + th / 2 + block / 2;
    rc_chart_text num = {NULL, 0, ns, 0};
    rc_chart_span sp = {t->value, strlen(t->value)};
    num.lines = &sp;
    num.n = 1;
    rc_chart_text_draw(x, RC_FONT_LIGHT, &num, tx + tw / 2, top, 0, ink);
    rc_chart_text_draw(x, RC_FONT_REGULAR, &lab, tx + tw / 2, top - nh - 2, 0, ink);
}

void rc_chart_draw_tiles(rc_chart_ctx *x, double w, double h)
{
    const rc_chart *c = x->c;
    size_t n = c->ntiles;
    if (n == 0) return;
    size_t cols = n <= 4 ? n : 3;
    size_t rows = (n + cols - 1) / cols;
    double tw = (w - TILE_GAP * (double)(cols - 1)) / (double)cols;
    double th = (h - TILE_GAP * (double)(rows - 1)) / (double)rows;
    for (size_t i = 0; i < n; i++) {
        size_t row = i / cols, col = i % cols;
        size_t in_row = row + 1 == rows ? n - row * cols : cols;
        /* A short last row is centred under the others. */
        double off = (w - ((double)in_row * tw + (double)(in_row - 1) * TILE_GAP)) / 2;
        double tx = off + (double)col * (tw + TILE_GAP);
        double ty = h - (double)(row + 1) * th - (double)row * TILE_GAP;
        tile(x, &c->tiles[i], tx, ty, tw, th);
    }
}
