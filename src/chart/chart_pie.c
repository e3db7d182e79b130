/* chart_pie.c: pie and doughnut charts. Slices run clockwise from twelve
 * o'clock in category order; percentage labels sit inside a slice when they
 * fit and outside with a leader line otherwise (outside labels are pushed
 * apart vertically so they never overlap); a legend names the slices. */
#include <math.h>
#include <string.h>

#include "chart_render.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define HOLE 0.55  /* doughnut: inner radius / outer radius */
#define LEADER 7.0 /* radial length of a leader line */
#define FULL_EPS 1e-6

static double rad(double deg)
{
    return deg * M_PI / 180.0;
}

typedef RC_VEC(rc_path_seg) seg_vec;

static void seg(rc_arena *a, seg_vec *v, rc_path_op op, double px, double py)
{
    rc_path_seg s;
    memset(&s, 0, sizeof s);
    s.op = op;
    s.x = px;
    s.y = py;
    RC_PUSH(a, *v, s);
}

static void arc(rc_arena *a, seg_vec *v, double cx, double cy, double r, double a0, double a1,
                bool move)
{
    rc_path_seg tmp[8];
    size_t n = rc_path_arc(tmp, 8, cx, cy, r, a0, a1, move);
    for (size_t i = 0; i < n && i < 8; i++)
        RC_PUSH(a, *v, tmp[i]);
}

/* One slice (or the whole disc/ring when it is the only one). */
static void slice(rc_chart_ctx *x, double cx, double cy, double r, double rin, double a0,
                  double sweep, rc_rgb fill)
{
    seg_vec v = {0};
    bool full = sweep >= 360.0 - FULL_EPS;
    if (full) {
        /* A full circle, not a degenerate zero-length arc; a ring's hole
         * runs the other way so the nonzero fill rule leaves it empty. */
        arc(x->a, &v, cx, cy, r, 90, 90 - 360, true);
        seg(x->a, &v, RC_PATH_CLOSE, 0, 0);
        if (rin > 0) {
            arc(x->a, &v, cx, cy, rin, 90, 90 + 360, true);
            seg(x->a, &v, RC_PATH_CLOSE, 0, 0);
        }
        rc_rgb e;
        rc_draw_path(x->a, x->l, v.v, v.n, &fill, rc_chart_edge(x, fill, &e), RC_CHART_EDGE_W);
        return;
    }
    double a1 = a0 - sweep;
    if (rin > 0) {
        arc(x->a, &v, cx, cy, r, a0, a1, true);
        seg(x->a, &v, RC_PATH_LINE, cx + rin * cos(rad(a1)), cy + rin * sin(rad(a1)));
        arc(x->a, &v, cx, cy, rin, a1, a0, false);
    } else {
        seg(x->a, &v, RC_PATH_MOVE, cx, cy);
        seg(x->a, &v, RC_PATH_LINE, cx + r * cos(rad(a0)), cy + r * sin(rad(a0)));
        arc(x->a, &v, cx, cy, r, a0, a1, false);
    }
    seg(x->a, &v, RC_PATH_CLOSE, 0, 0);
    /* white separators between slices; a light slice is edged instead */
    rc_rgb e;
    const rc_rgb *edge = rc_chart_edge(x, fill, &e);
    rc_draw_path(x->a, x->l, v.v, v.n, &fill, edge ? edge : &x->white,
                 edge ? RC_CHART_EDGE_W : 0.8);
}

typedef struct outside {
    size_t i;
    double mid; /* mid angle, degrees */
    double y;   /* label centre after spreading */
    const char *text;
} outside;

/* Spreads labels (sorted top to bottom) at least pitch apart within
 * [lo, hi], moving as little as possible: push down, then back up. */
static void spread(outside *o, size_t n, double pitch, double lo, double hi)
{
    for (size_t i = 1; i < n; i++)
        if (o[i].y > o[i - 1].y - pitch) o[i].y = o[i - 1].y - pitch;
    if (n && o[n - 1].y < lo) {
        o[n - 1].y = lo;
        for (size_t i = n - 1; i > 0; i--)
            if (o[i - 1].y < o[i].y + pitch) o[i - 1].y = o[i].y + pitch;
    }
    (void)hi;
}

static void sort_by_y(outside *o, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        outside k = o[i];
        size_t j = i;
        while (j > 0 && o[j - 1].y < k.y) {
            o[j] = o[j - 1];
            j--;
        }
        o[j] = k;
    }
}

static void pie_panel(rc_chart_ctx *x, const rc_chart_panel *p, size_t pi, double ax, double ay,
                      double aw, double ah, const rc_rgb *cols)
{
    const rc_chart *c = x->c;
    double vs = RC_CHART_VALUE_PT;
    double lh = rc_chart_lh(x, RC_FONT_BOLD, vs);
    double ol = rc_chart_tws(x, RC_FONT_BOLD, rc_chart_fmt(x, 1.0, -1), vs) + LEADER + 6;
    double r = (aw - 2 * ol) / 2;
    if ((ah - 2 * (lh + LEADER)) / 2 < r) r = (ah - 2 * (lh + LEADER)) / 2;
    if (r < 8) r = 8;
    double cx = ax + aw / 2, cy = ay + ah / 2;
    double rin = c->type == RC_CHART_DOUGHNUT ? r * HOLE : 0;
    size_t n = p->ncat;
    double *st = rc_arena_array(x->a, n + 1, sizeof *st);
    double *sw = rc_arena_array(x->a, n + 1, sizeof *sw);
    rc_chart_pie_angles(c, pi, st, sw, n);
    for (size_t i = 0; i < n; i++)
        if (sw[i] > 0) slice(x, cx, cy, r, rin, st[i], sw[i], cols[i]);

    outside *right = rc_arena_array(x->a, n + 1, sizeof *right);
    outside *left = rc_arena_array(x->a, n + 1, sizeof *left);
    size_t nr = 0, nl = 0;
    double rl = rin > 0 ? (r + rin) / 2 : r * 0.62;
    for (size_t i = 0; i < n; i++) {
        if (sw[i] <= 0) continue;
        double v = p->series[0].values[i];
        const char *t = rc_chart_fmt(x, v, -1);
        double tw = rc_chart_tws(x, RC_FONT_BOLD, t, vs);
        double mid = st[i] - sw[i] / 2;
        /* Inside when the label's box fits across the slice at radius rl
         * and within the ring's width. */
        double chord = sw[i] >= 180 ? 2 * rl : 2 * rl * sin(rad(sw[i] / 2));
        double depth = rin > 0 ? r - rin : r;
        if (chord >= hypot(tw, lh) + 2 && depth >= lh + 4 && (rin == 0 || r - rin >= tw * 0.8)) {
            double lx = cx + rl * cos(rad(mid)), ly = cy + rl * sin(rad(mid));
            rc_chart_label(x, RC_FONT_BOLD, vs, t, lx, ly, 0, rc_chart_text_on(x, cols[i]));
            continue;
        }
        outside o = {i, mid, cy + (r + LEADER) * sin(rad(mid)), t};
        if (cos(rad(mid)) >= 0)
            right[nr++] = o;
        else
            left[nl++] = o;
    }
    double pitch = lh + 1;
    sort_by_y(right, nr);
    sort_by_y(left, nl);
    spread(right, nr, pitch, ay + lh / 2, ay + ah - lh / 2);
    spread(left, nl, pitch, ay + lh / 2, ay + ah - lh / 2);
    for (int side = 0; side < 2; side++) {
        outside *o = side ? left : right;
        size_t no = side ? nl : nr;
        double dir = side ? -1 : 1;
        for (size_t k = 0; k < no; k++) {
            double ex = cx + r * cos(rad(o[k].mid)), ey = cy + r * sin(rad(o[k].mid));
            /* The elbow sits on the ring of radius r + LEADER at the label's
             * height (or further out when spreading moved the label off
             * it), so the label stays next to its slice: a small slice near
             * twelve o'clock gets a short leader, not one across the pie. */
            double kx = cx + (r + LEADER) * cos(rad(o[k].mid));
            double dy = o[k].y - cy, rr = r + LEADER;
            double ring = dy * dy < rr * rr ? cx + dir * sqrt(rr * rr - dy * dy) : cx;
            if (dir * (ring - kx) > 0) kx = ring;
            double tx = kx + dir * 4;
            rc_draw_line(x->a, x->l, ex, ey, kx, o[k].y, x->ink, 0.5);
            rc_draw_line(x->a, x->l, kx, o[k].y, tx, o[k].y, x->ink, 0.5);
            rc_chart_label(x, RC_FONT_BOLD, vs, o[k].text, tx + dir * 2, o[k].y, side ? 1 : -1,
                           x->ink);
        }
    }
}

void rc_chart_draw_pie(rc_chart_ctx *x, double w, double h)
{
    const rc_chart *c = x->c;
    size_t np = c->npanels;
    if (np == 0) return;
    double gap = 14;
    double pw = (w - gap * (double)(np - 1)) / (double)np;
    for (size_t pi = 0; pi < np; pi++) {
        const rc_chart_panel *p = &c->panels[pi];
        double px = (double)pi * (pw + gap);
        rc_rgb *cols = rc_arena_array(x->a, p->ncat + 1, sizeof *cols);
        for (size_t i = 0; i < p->ncat; i++)
            cols[i] = rc_chart_series_colour(x, i);
        double top = h;
        if (np > 1 && p->title && p->title[0]) {
            rc_chart_text t =
                rc_chart_fit(x, RC_FONT_BOLD, RC_CHART_LABEL_PT, 6.5, p->title, pw, 2);
            rc_chart_text_draw(x, RC_FONT_BOLD, &t, px + pw / 2, top, 0, x->ink);
            top -= rc_chart_text_height(x, RC_FONT_BOLD, &t) + 4;
        }
        if (np == 1) {
            /* Legend in a column on the right, vertically centred. */
            double widest = 0;
            for (size_t i = 0; i < p->ncat; i++) {
                double tw = rc_chart_tws(x, RC_FONT_REGULAR, p->categories[i], RC_CHART_LEGEND_PT);
                if (tw > widest) widest = tw;
            }
            double lw = widest + 0.8 * RC_CHART_LEGEND_PT + 3;
            if (lw > pw * 0.4) lw = pw * 0.4;
            double lh =
                rc_chart_legend(x, p->categories, cols, p->ncat, 0, 0, lw, true, false, false);
            double ly = top / 2 + lh / 2;
            if (ly > top) ly = top;
            rc_chart_legend(x, p->categories, cols, p->ncat, px + pw - lw, ly, lw, true, false,
                            true);
            pie_panel(x, p, pi, px, 0, pw - lw - 8, top, cols);
        } else {
            double lh =
                rc_chart_legend(x, p->categories, cols, p->ncat, 0, 0, pw, false, false, false);
            rc_chart_legend(x, p->categories, cols, p->ncat, px, lh, pw, false, false, true);
            pie_panel(x, p, pi, px, lh + 6, pw, top - lh - 6, cols);
        }
    }
}
