/* chart_pairs_draw.c: draws the pairings diagram (chart_pairs.c builds the
 * model): two columns of regions under their country headings, one curved
 * link per pairing, coloured and dashed by theme, and the legend. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_render.h"

static double column_width(const rc_chart_ctx *x, const rc_chart_prow *rows, size_t n, double size)
{
    double mw = 0;
    for (size_t i = 0; i < n; i++) {
        double tw =
            rc_chart_tws(x, rows[i].heading ? RC_FONT_BOLD : RC_FONT_REGULAR, rows[i].text, size);
        if (tw > mw) mw = tw;
    }
    return mw;
}

static void pair_link(rc_chart_ctx *x, double x1, double y1, double x2, double y2, rc_rgb col,
                      double dash)
{
    double dx = (x2 - x1) * 0.5;
    rc_path_seg s[2] = {{RC_PATH_MOVE, 0, 0, 0, 0, x1, y1},
                        {RC_PATH_CURVE, x1 + dx, y1, x2 - dx, y2, x2, y2}};
    /* Light tints (pale blue, pale yellow) are darkened to 3:1 on white
     * and drawn a little wider, so a thin dashed line stays visible. */
    double lum = 0.2126 * col.r + 0.7152 * col.g + 0.0722 * col.b;
    rc_rgb c = rc_chart_contrasting(col, x->white, RC_CHART_MIN_CONTRAST);
    rc_draw_op *op = rc_draw_path(x->a, x->l, s, 2, NULL, &c, lum > 0.6 ? 1.6 : 1.1);
    op->dash = dash;
}

static void end_dot(rc_chart_ctx *x, double cx, double cy)
{
    rc_path_seg s[6];
    size_t n = rc_path_arc(s, 5, cx, cy, 1.4, 0, 360, true);
    if (n > 5) n = 5;
    s[n++] = (rc_path_seg){RC_PATH_CLOSE, 0, 0, 0, 0, 0, 0};
    rc_draw_path(x->a, x->l, s, n, &x->ink, NULL, 0);
}

void rc_chart_draw_pairings(rc_chart_ctx *x, double w, double h)
{
    const rc_chart *c = x->c;
    rc_chart_prow *lrows = rc_arena_array(x->a, 2 * c->nleft + 1, sizeof *lrows);
    rc_chart_prow *rrows = rc_arena_array(x->a, 2 * c->nright + 1, sizeof *rrows);
    size_t *lat = rc_arena_array(x->a, c->nleft + 1, sizeof *lat);
    size_t *rat = rc_arena_array(x->a, c->nright + 1, sizeof *rat);
    size_t nl = rc_chart_pair_rows(c->left, c->nleft, lrows, lat);
    size_t nr = rc_chart_pair_rows(c->right, c->nright, rrows, rat);
    size_t nrows = nl > nr ? nl : nr;
    if (nrows == 0) return;

    /* Legend at the bottom, full width. */
    size_t nth = c->nlegend;
    rc_rgb *cols = rc_arena_array(x->a, nth + 1, sizeof *cols);
    for (size_t i = 0; i < nth; i++)
        cols[i] = rc_chart_series_colour(x, i);
    cols[nth] = rc_chart_mix(x->ink, x->white, 0.45); /* links without a theme */
    double legend_h = 0;
    if (nth > 0)
        legend_h = rc_chart_legend(x, c->legend, cols, nth, 0, 0, w, false, true, false) + 8;

    /* Column titles. */
    double ts = PAIR_TITLE_PT;
    double cap = w * 0.36;
    const char *lt = c->left_title ? c->left_title : "";
    const char *rt = c->right_title ? c->right_title : "";
    while (ts > RC_CHART_MIN_PT && (rc_chart_tws(x, RC_FONT_BOLD, lt, ts) > cap ||
                                    rc_chart_tws(x, RC_FONT_BOLD, rt, ts) > cap))
        ts -= 0.5;
    double title_h = rc_chart_lh(x, RC_FONT_BOLD, ts) + 6;

    /* Row pitch from the height left; the font follows when rows are tight. */
    double avail = h - title_h - legend_h - 4;
    double fs = PAIR_PT;
    double unit = rc_chart_lh(x, RC_FONT_REGULAR, 1.0);
    double pitch = avail / (double)nrows;
    if (pitch > fs * unit * PAIR_LEADING * 1.5) pitch = fs * unit * PAIR_LEADING * 1.5;
    if (pitch < fs * unit * 1.02) fs = pitch / (unit * 1.02);
    if (fs < RC_CHART_MIN_PT) fs = RC_CHART_MIN_PT;
    double lfs = fs, rfs = fs;
    double lw = column_width(x, lrows, nl, lfs), rw = column_width(x, rrows, nr, rfs);
    if (lw > cap) {
        lfs = fs * cap / lw > RC_CHART_MIN_PT ? fs * cap / lw : RC_CHART_MIN_PT;
        lw = column_width(x, lrows, nl, lfs);
    }
    if (rw > cap) {
        rfs = fs * cap / rw > RC_CHART_MIN_PT ? fs * cap / rw : RC_CHART_MIN_PT;
        rw = column_width(x, rrows, nr, rfs);
    }
    double tlw = rc_chart_tws(x, RC_FONT_BOLD, lt, ts), trw = rc_chart_tws(x, RC_FONT_BOLD, rt, ts);
    if (tlw > lw) lw = tlw;
    if (trw > rw) rw = trw;

    double top = h;
    rc_chart_label(x, RC_FONT_BOLD, ts, lt, lw, top - title_h / 2, 1, x->ink);
    rc_chart_label(x, RC_FONT_BOLD, ts, rt, w - rw, top - title_h / 2, -1, x->ink);
    double rows_top = top - title_h;
    double lx = lw + 4, rx = w - rw - 4;

    /* The legend right under the rows (they may not fill the height). */
    if (nth > 0)
        rc_chart_legend(x, c->legend, cols, nth, 0, rows_top - (double)nrows * pitch - 8, w, false,
                        true, true);
    for (size_t i = 0; i < c->nlinks; i++) {
        const rc_pair_link *k = &c->links[i];
        if (k->left >= c->nleft || k->right >= c->nright) continue;
        double y1 = rows_top - pitch * ((double)lat[k->left] + 0.5);
        double y2 = rows_top - pitch * ((double)rat[k->right] + 0.5);
        size_t ci = k->color < nth ? k->color : nth;
        pair_link(x, lx, y1, rx, y2, cols[ci], ci < nth ? rc_chart_dash(x, ci) : 0);
    }
    for (size_t i = 0; i < c->nleft; i++)
        end_dot(x, lx, rows_top - pitch * ((double)lat[i] + 0.5));
    for (size_t i = 0; i < c->nright; i++)
        end_dot(x, rx, rows_top - pitch * ((double)rat[i] + 0.5));
    for (size_t i = 0; i < nl; i++)
        rc_chart_label(x, lrows[i].heading ? RC_FONT_BOLD : RC_FONT_REGULAR, lfs, lrows[i].text, lw,
                       rows_top - pitch * ((double)i + 0.5), 1,
                       lrows[i].heading ? x->pal[0] : x->ink);
    for (size_t i = 0; i < nr; i++)
        rc_chart_label(x, rrows[i].heading ? RC_FONT_BOLD : RC_FONT_REGULAR, rfs, rrows[i].text,
                       w - rw, rows_top - pitch * ((double)i + 0.5), -1,
                       rrows[i].heading ? x->pal[0] : x->ink);
}
