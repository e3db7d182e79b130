/* chart_bar.c: bar-type charts — vertical bars (bar, grouped, stacked) and
 * horizontal bars (hbar, likert) — with a value axis from zero with round
 * ticks, light gridlines, value labels, wrapped category labels, panels side
 * by side and a legend when there is more than one series.
 *
 * Layout is measured, not guessed: the label column / label band is sized
 * from the wrapped labels, tick counts from the space their labels need, and
 * font sizes shrink (never below RC_CHART_MIN_PT) before anything overlaps. */
#include <math.h>
#include <string.h>

#include "chart_render.h"

#define PANEL_GAP 14.0
#define MAX_TICKS 12

typedef struct bars {
    rc_chart_ctx *x;
    bool horizontal, stacked, likert;
    double vmax;
    const rc_rgb *colours; /* per series */
    double label_cap;      /* largest category label size (common to panels) */
    bool measure;          /* lay out only, to find each panel's label size */
} bars;

static double panel_title(const bars *b, const rc_chart_panel *p, double px, double ytop, double pw,
                          bool draw)
{
    if (!p->title || !p->title[0] || b->x->c->npanels < 2) return 0;
    rc_chart_text t = rc_chart_fit(b->x, RC_FONT_BOLD, RC_CHART_LABEL_PT, 6.5, p->title, pw, 2);
    if (draw) rc_chart_text_draw(b->x, RC_FONT_BOLD, &t, px + pw / 2, ytop, 0, b->x->ink);
    return rc_chart_text_height(b->x, RC_FONT_BOLD, &t) + 4;
}

/* Ticks whose labels, laid along an axis of length len, keep at least their
 * own extent plus a gap apart (extent = width for a horizontal axis, line
 * height for a vertical one). */
static size_t axis_ticks(const bars *b, double len, double *ticks, double *label_w)
{
    rc_chart_ctx *x = b->x;
    const double sz = RC_CHART_TICK_PT;
    size_t n = 0;
    for (size_t m = 8; m >= 1; m--) {
        n = rc_chart_ticks(b->vmax, m, ticks, MAX_TICKS);
        int dec = rc_chart_tick_decimals(n > 1 ? ticks[1] - ticks[0] : 1, x->c->percent);
        double mw = 0;
        for (size_t i = 0; i < n; i++) {
            double tw = rc_chart_tws(x, RC_FONT_REGULAR, rc_chart_fmt(x, ticks[i], dec), sz);
            if (tw > mw) mw = tw;
        }
        *label_w = mw;
        double extent = b->horizontal ? mw + 8 : rc_chart_lh(x, RC_FONT_REGULAR, sz) * 2.5;
        if (n < 2 || len / (double)(n - 1) >= extent || m == 1) break;
    }
    return n;
}

static void tick_labels(const bars *b, const double *ticks, size_t n, double x0, double y0,
                        double len)
{
    rc_chart_ctx *x = b->x;
    double tmax = ticks[n - 1];
    int dec = rc_chart_tick_decimals(n > 1 ? ticks[1] - ticks[0] : 1, x->c->percent);
    for (size_t i = 0; i < n; i++) {
        double at = tmax > 0 ? ticks[i] / tmax * len : 0;
        const char *s = rc_chart_fmt(x, ticks[i], dec);
        if (b->horizontal) {
            double lh = rc_chart_lh(x, RC_FONT_REGULAR, RC_CHART_TICK_PT);
            rc_chart_label(x, RC_FONT_REGULAR, RC_CHART_TICK_PT, s, x0 + at, y0 - 3 - lh / 2, 0,
                           x->ink);
        } else {
            rc_chart_label(x, RC_FONT_REGULAR, RC_CHART_TICK_PT, s, x0 - 4, y0 + at, 1, x->ink);
        }
    }
}

static void gridlines(const bars *b, const double *ticks, size_t n, double x0, double y0,
                      double len, double across)
{
    rc_chart_ctx *x = b->x;
    double tmax = ticks[n - 1];
    for (size_t i = 1; i < n; i++) {
        double at = tmax > 0 ? ticks[i] / tmax * len : 0;
        if (b->horizontal)
            rc_draw_line(x->a, x->l, x0 + at, y0, x0 + at, y0 + across, x->grid, 0.4);
        else
            rc_draw_line(x->a, x->l, x0, y0 + at, x0 + across, y0 + at, x->grid, 0.4);
    }
}

/* Common size for value labels so that each fits in room points. */
static double value_size(const bars *b, const rc_chart_panel *p, double room)
{
    rc_chart_ctx *x = b->x;
    for (double sz = RC_CHART_VALUE_PT; sz > RC_CHART_MIN_PT; sz -= 0.5) {
        bool fits = true;
        for (size_t s = 0; s < p->nseries && fits; s++)
            for (size_t i = 0; i < p->ncat && fits; i++) {
                const char *t = rc_chart_fmt(x, p->series[s].values[i], -1);
                fits = rc_chart_tws(x, RC_FONT_BOLD, t, sz) <= room;
            }
        if (fits) return sz;
    }
    return RC_CHART_MIN_PT;
}

/* A segment label inside a stacked segment when it fits with a margin. */
/* Whether a segment's value label fits inside it. */
static bool segment_fits(const bars *b, double v, double sw, double sh, double size)
{
    const char *t = rc_chart_fmt(b->x, v, -1);
    return rc_chart_tws(b->x, RC_FONT_BOLD, t, size) + 3 <= sw &&
           rc_chart_lh(b->x, RC_FONT_BOLD, size) + 1 <= sh;
}

/* The value label inside its segment; false (nothing drawn) when it does
 * not fit there. */
static bool segment_label(const bars *b, double v, rc_rgb fill, double sx, double sy, double sw,
                          double sh, double size)
{
    rc_chart_ctx *x = b->x;
    if (v <= 0 || !segment_fits(b, v, sw, sh, size)) return false;
    rc_chart_label(x, RC_FONT_BOLD, size, rc_chart_fmt(x, v, -1), sx + sw / 2, sy + sh / 2, 0,
                   rc_chart_text_on(x, fill));
    return true;
}

/* Labels of the segments of one horizontal stacked bar too narrow to hold
 * them (a 3 % sliver): above the bar, each joined to its segment by a
 * short leader, moved right as little as needed not to overlap. */
static void sliver_labels(const bars *b, const double *cx, const double *v, size_t n, double top,
                          double size)
{
    rc_chart_ctx *x = b->x;
    double th = rc_chart_lh(x, RC_FONT_BOLD, size), right = -1e9;
    for (size_t k = 0; k < n; k++) {
        const char *t = rc_chart_fmt(x, v[k], -1);
        double tw = rc_chart_tws(x, RC_FONT_BOLD, t, size);
        double lx = cx[k] - tw / 2;
        if (lx < right + 3) lx = right + 3;
        double yc = top + 2.5 + th / 2;
        rc_draw_line(x->a, x->l, cx[k], top, lx + tw / 2, top + 2.5, x->ink, 0.5);
        rc_chart_label(x, RC_FONT_BOLD, size, t, lx, yc, -1, x->ink);
        right = lx + tw;
    }
}

/* Labels of the segments of one vertical stacked bar too short to hold
 * them: right of the bar, each joined to the middle of its segment by a
 * short leader, moved up as little as needed not to overlap (cy[] bottom
 * to top). */
static void sliver_labels_v(const bars *b, const double *cy, const double *v, size_t n,
                            double right, double size)
{
    rc_chart_ctx *x = b->x;
    double th = rc_chart_lh(x, RC_FONT_BOLD, size), below = -1e9;
    for (size_t k = 0; k < n; k++) {
        double ly = cy[k];
        if (ly - th / 2 < below + 0.5) ly = below + 0.5 + th / 2;
        rc_draw_line(x->a, x->l, right, cy[k], right + 3.5, ly, x->ink, 0.5);
        rc_chart_label(x, RC_FONT_BOLD, size, rc_chart_fmt(x, v[k], -1), right + 4.5, ly, -1,
                       x->ink);
        below = ly + th / 2;
    }
}

/* Width a category label may take: its slot, or when staggered (every
 * other label on a second row) two slots — one and a half at the ends, which
 * have no neighbour on one side but must stay inside the plot. */
static double cat_width(size_t i, size_t n, double slot, bool stagger)
{
    if (!stagger) return slot - 4;
    if (i == 0 || i + 1 == n) return 1.5 * slot - 2;
    return 2 * slot - 4;
}

/* The largest size at which every category wraps into maxlines lines of
 * its width without breaking a word; *ok false when none does. */
static double cat_size_for(const bars *b, const rc_chart_panel *p, double slot, bool stagger,
                           size_t maxlines, bool *ok)
{
    const rc_chart_ctx *x = b->x;
    for (double sz = b->label_cap; sz >= RC_CHART_MIN_PT - 1e-9; sz -= 0.5) {
        bool fits = true;
        for (size_t i = 0; i < p->ncat && fits; i++) {
            bool over;
            rc_chart_text t = rc_chart_wrap(x, RC_FONT_REGULAR, sz, p->categories[i],
                                            cat_width(i, p->ncat, slot, stagger), false, &over);
            fits = !over && t.n <= maxlines;
        }
        if (fits) {
            *ok = true;
            return sz;
        }
    }
    *ok = false;
    return RC_CHART_MIN_PT;
}

/* Where one category's bars go. The value axis runs from base (y for
 * vertical bars, x for horizontal ones) at scale points per unit; across it,
 * series s starts at first + (s + skip) * step, and a stack at stack_at;
 * each bar is thick points wide (0.6 less when several stand side by side). */
typedef struct cat_axes {
    bool horiz;
    double base, scale, stack_at, first, skip, step, thick;
} cat_axes;

/* Draws category i's bars or stacked segments with their value labels. The
 * stacked segments too short for their label are returned (their middle on
 * the value axis in mid, their value in val) for the sliver labels; *total
 * is the category's sum. */
static size_t category_bars(const bars *b, const rc_chart_panel *p, size_t i, const cat_axes *g,
                            double vs, double vdesc, double *mid, double *val, double *total)
{
    rc_chart_ctx *x = b->x;
    size_t ns = p->nseries ? p->nseries : 1, nsl = 0;
    double acc = 0;
    for (size_t s = 0; s < p->nseries; s++) {
        double v = p->series[s].values[i];
        if (v < 0) v = 0;
        double across = b->stacked ? g->stack_at : g->first + ((double)s + g->skip) * g->step;
        double along = g->base + (b->stacked ? acc * g->scale : 0);
        double len = v * g->scale;
        double drawn = ns > 1 && !b->stacked ? g->thick - 0.6 : g->thick;
        double rx = g->horiz ? along : across, ry = g->horiz ? across : along;
        rc_rgb e;
        rc_draw_rect(x->a, x->l, rx, ry, g->horiz ? len : drawn, g->horiz ? drawn : len,
                     &b->colours[s], len > 0 ? rc_chart_edge(x, b->colours[s], &e) : NULL,
                     RC_CHART_EDGE_W);
        if (b->stacked) {
            if (!segment_label(b, v, b->colours[s], rx, ry, g->horiz ? len : g->thick,
                               g->horiz ? g->thick : len, vs) &&
                v > 0) {
                mid[nsl] = along + len / 2;
                val[nsl++] = v;
            }
        } else if (g->horiz) {
            rc_chart_label(x, RC_FONT_BOLD, vs, rc_chart_fmt(x, v, -1), along + len + 3,
                           across + drawn / 2, -1, x->ink);
        } else {
            const char *t = rc_chart_fmt(x, v, -1);
            double tw = rc_chart_tws(x, RC_FONT_BOLD, t, vs);
            rc_draw_text(x->a, x->l, RC_FONT_BOLD, vs, across + drawn / 2 - tw / 2,
                         along + len + 2 + vdesc, t, strlen(t), x->ink);
        }
        acc += v;
    }
    *total = acc;
    return nsl;
}

/* Returns the category label size used. */
static double vertical_panel(const bars *b, const rc_chart_panel *p, double px, double py,
                             double pw, double ph, double *axis_w)
{
    rc_chart_ctx *x = b->x;
    double top = py + ph - panel_title(b, p, px, py + ph, pw, !b->measure);
    double ticks[MAX_TICKS];
    double vl_h = rc_chart_lh(x, RC_FONT_BOLD, RC_CHART_VALUE_PT) + 3;
    size_t nt = rc_chart_ticks(b->vmax, 5, ticks, MAX_TICKS);
    double tick_w = 0, x0 = px, plot_w = pw, plot_h = 0, y0 = py, cat_size = RC_CHART_LABEL_PT;
    double slot = 0, band = 0;
    bool stagger = false;
    for (int pass = 0; pass < 3; pass++) {
        double prev_w = tick_w;
        if (pass > 0 && plot_h > 0)
            nt = axis_ticks(b, plot_h, ticks, &tick_w);
        else
            (void)axis_ticks(b, ph * 0.6, ticks, &tick_w);
        x0 = px + tick_w + 6;
        plot_w = px + pw - x0;
        slot = p->ncat ? plot_w / (double)p->ncat : plot_w;
        /* Labels under their bars; when even the smallest size would break
         * words, every other label drops to a second row with twice the
         * width. */
        bool ok;
        stagger = false;
        cat_size = cat_size_for(b, p, slot, false, 3, &ok);
        if (!ok && p->ncat > 2) {
            bool ok2;
            double sz2 = cat_size_for(b, p, slot, true, 2, &ok2);
            if (ok2) {
                stagger = true;
                cat_size = sz2;
            }
        }
        size_t lines = 1;
        for (size_t i = 0; i < p->ncat; i++) {
            rc_chart_text t = rc_chart_wrap(x, RC_FONT_REGULAR, cat_size, p->categories[i],
                                            cat_width(i, p->ncat, slot, stagger), true, NULL);
            if (t.n > lines) lines = t.n;
        }
        band = (double)lines * rc_chart_lh(x, RC_FONT_REGULAR, cat_size);
        y0 = py + band * (stagger ? 2 : 1) + 4;
        plot_h = top - vl_h - y0;
        if (pass > 0 && prev_w == tick_w) break;
    }
    *axis_w = x0 - px;
    if (plot_h <= 1 || p->ncat == 0 || b->measure) return cat_size;
    nt = axis_ticks(b, plot_h, ticks, &tick_w);
    double tmax = ticks[nt - 1];
    double scale = tmax > 0 ? plot_h / tmax : 0;
    gridlines(b, ticks, nt, x0, y0, plot_h, plot_w);
    tick_labels(b, ticks, nt, x0, y0, plot_h);

    size_t ns = p->nseries ? p->nseries : 1;
    double gw = slot * (b->stacked || ns == 1 ? 0.62 : 0.8);
    double cap = b->stacked || ns == 1 ? 40 : 40 * (double)ns;
    if (gw > cap) gw = cap;
    double bw = b->stacked ? gw : gw / (double)ns;
    double vs = value_size(b, p, b->stacked ? bw - 2 : ns == 1 ? slot - 2 : bw - 0.5);
    /* stacked: segments too short for their value (a 3 % sliver) are
     * labelled right of the bar; the bar narrows and moves left within its
     * slot to leave that room */
    double sliver_size = RC_CHART_MIN_PT, sliver_w = 0;
    for (size_t i = 0; b->stacked && i < p->ncat; i++)
        for (size_t s = 0; s < p->nseries; s++) {
            double v = p->series[s].values[i];
            if (v > 0 && !segment_fits(b, v, bw, v * scale, vs)) {
                double tw = rc_chart_tws(x, RC_FONT_BOLD, rc_chart_fmt(x, v, -1), sliver_size);
                if (tw + 6 > sliver_w) sliver_w = tw + 6;
            }
        }
    if (sliver_w > 0) {
        if (gw > slot - sliver_w - 2) gw = fmax(slot - sliver_w - 2, 0.3 * slot);
        bw = gw;
        vs = value_size(b, p, bw - 2);
    }
    double vdesc = rc_chart_desc(x, RC_FONT_BOLD, vs);
    double *scy = rc_arena_array(x->a, p->nseries + 1, sizeof *scy);
    double *sv = rc_arena_array(x->a, p->nseries + 1, sizeof *sv);
    for (size_t i = 0; i < p->ncat; i++) {
        double gx = x0 + slot * ((double)i + 0.5) - (gw + sliver_w) / 2;
        double acc = 0;
        cat_axes g = {false, y0, scale, gx, gx, 0, bw, bw};
        size_t nsl = category_bars(b, p, i, &g, vs, vdesc, scy, sv, &acc);
        if (nsl) sliver_labels_v(b, scy, sv, nsl, gx + gw, sliver_size);
        if (b->stacked && !x->c->percent && p->nseries > 1) {
            const char *t = rc_chart_fmt(x, acc, -1);
            double tw = rc_chart_tws(x, RC_FONT_BOLD, t, vs);
            rc_draw_text(x->a, x->l, RC_FONT_BOLD, vs, gx + gw / 2 - tw / 2,
                         y0 + acc * scale + 2 + vdesc, t, strlen(t), x->ink);
        }
        rc_chart_text t = rc_chart_wrap(x, RC_FONT_REGULAR, cat_size, p->categories[i],
                                        cat_width(i, p->ncat, slot, stagger), true, NULL);
        double ltop = y0 - 3 - (stagger && i % 2 ? band : 0);
        double lc = x0 + slot * ((double)i + 0.5);
        if (lc - t.w / 2 < x0) lc = x0 + t.w / 2;
        if (lc + t.w / 2 > x0 + plot_w) lc = x0 + plot_w - t.w / 2;
        rc_chart_text_draw(x, RC_FONT_REGULAR, &t, lc, ltop, 0, x->ink);
    }
    rc_draw_line(x->a, x->l, x0, y0, x0 + plot_w, y0, x->ink, 0.6);
    return cat_size;
}

/* Label column for horizontal bars: the narrowest width (from 36 % of the
 * panel up) at which every label wraps into the row pitch. */
static double hlabel_size(const bars *b, const rc_chart_panel *p, double pw, double pitch,
                          double *colw)
{
    rc_chart_ctx *x = b->x;
    static const double fracs[] = {0.36, 0.45, 0.55};
    double size = RC_CHART_MIN_PT;
    for (size_t k = 0; k < 3; k++) {
        double maxw = pw * fracs[k];
        *colw = maxw;
        bool done = false;
        for (double sz = b->label_cap; sz >= RC_CHART_MIN_PT - 1e-9 && !done; sz -= 0.5) {
            size_t maxlines = (size_t)floor(pitch / rc_chart_lh(x, RC_FONT_REGULAR, sz) + 1e-9);
            if (maxlines < 1) continue;
            bool fits = true;
            for (size_t i = 0; i < p->ncat && fits; i++) {
                bool over;
                rc_chart_text t =
                    rc_chart_wrap(x, RC_FONT_REGULAR, sz, p->categories[i], maxw, false, &over);
                fits = !over && t.n <= maxlines;
            }
            if (fits) {
                size = sz;
                done = true;
            }
        }
        if (done) break;
    }
    double widest = 0;
    for (size_t i = 0; i < p->ncat; i++) {
        rc_chart_text t =
            rc_chart_wrap(x, RC_FONT_REGULAR, size, p->categories[i], *colw, true, NULL);
        if (t.w > widest) widest = t.w;
    }
    *colw = widest;
    return size;
}

static double horizontal_panel(const bars *b, const rc_chart_panel *p, double px, double py,
                               double pw, double ph)
{
    rc_chart_ctx *x = b->x;
    double top = py + ph - panel_title(b, p, px, py + ph, pw, !b->measure);
    double axis_h = rc_chart_lh(x, RC_FONT_REGULAR, RC_CHART_TICK_PT) + 5;
    double plot_top = top - 2, y0 = py + axis_h;
    double plot_h = plot_top - y0;
    if (plot_h <= 1 || p->ncat == 0) return b->label_cap;
    double pitch = plot_h / (double)p->ncat;
    double colw;
    double lsize = hlabel_size(b, p, pw, pitch, &colw);
    if (b->measure) return lsize;
    size_t ns = p->nseries ? p->nseries : 1;
    double bt = pitch * 0.68;
    if (bt > (b->stacked ? 16 : 12 * (double)ns)) bt = b->stacked ? 16 : 12 * (double)ns;
    double sub = b->stacked ? bt : bt / (double)ns;
    double vs = RC_CHART_VALUE_PT;
    /* stacked: room above the bars for the labels of slivers, if any */
    double sliver_size = RC_CHART_MIN_PT;
    double sliver_h = rc_chart_lh(x, RC_FONT_BOLD, sliver_size) + 3.5;
    bool slivers = false;
    double ratio = rc_chart_lh(x, RC_FONT_BOLD, 10) / 10;
    if (!b->stacked && vs * ratio > sub + 1.5) vs = (sub + 1.5) / ratio;
    if (vs < RC_CHART_MIN_PT) vs = RC_CHART_MIN_PT;
    double vl_w = 0;
    if (!b->stacked)
        for (size_t s = 0; s < p->nseries; s++)
            for (size_t i = 0; i < p->ncat; i++) {
                double tw =
                    rc_chart_tws(x, RC_FONT_BOLD, rc_chart_fmt(x, p->series[s].values[i], -1), vs);
                if (tw > vl_w) vl_w = tw;
            }
    double x0 = px + colw + 6;
    double tick_w = 0, ticks[MAX_TICKS];
    /* Room on the right for the last tick label's half and the value labels. */
    double right = vl_w + 4;
    double plot_w = px + pw - x0 - right;
    size_t nt = axis_ticks(b, plot_w, ticks, &tick_w);
    if (right < tick_w / 2) {
        right = tick_w / 2;
        plot_w = px + pw - x0 - right;
        nt = axis_ticks(b, plot_w, ticks, &tick_w);
    }
    if (plot_w <= 1) return lsize;
    double tmax = ticks[nt - 1];
    double scale = tmax > 0 ? plot_w / tmax : 0;
    for (size_t i = 0; b->stacked && i < p->ncat; i++)
        for (size_t s = 0; s < p->nseries; s++) {
            double v = p->series[s].values[i];
            if (v > 0 && !segment_fits(b, v, v * scale, bt, vs)) slivers = true;
        }
    if (slivers && bt > pitch - sliver_h) {
        bt = fmax(pitch - sliver_h, 0.45 * pitch);
        sub = bt;
    }
    double *scx = rc_arena_array(x->a, ns + 1, sizeof *scx);
    double *sv = rc_arena_array(x->a, ns + 1, sizeof *sv);
    gridlines(b, ticks, nt, x0, y0, plot_w, plot_h);
    tick_labels(b, ticks, nt, x0, y0, plot_w);
    /* with sliver labels every bar has the whole gap above it: the bars
     * move down to sit on the axis */
    double drop = slivers ? (pitch - bt) / 2 : 0;
    for (size_t i = 0; i < p->ncat; i++) {
        double yc = plot_top - pitch * ((double)i + 0.5) - drop;
        double acc = 0;
        cat_axes g = {true, x0, scale, yc - bt / 2, yc + bt / 2, 1, -sub, sub};
        size_t nsl = category_bars(b, p, i, &g, vs, 0, scx, sv, &acc);
        if (nsl) sliver_labels(b, scx, sv, nsl, yc + bt / 2, sliver_size);
        rc_chart_text t =
            rc_chart_wrap(x, RC_FONT_REGULAR, lsize, p->categories[i], colw + 0.01, true, NULL);
        double th = rc_chart_text_height(x, RC_FONT_REGULAR, &t);
        rc_chart_text_draw(x, RC_FONT_REGULAR, &t, x0 - 6, yc + th / 2, 1, x->ink);
    }
    rc_draw_line(x->a, x->l, x0, y0, x0, plot_top, x->ink, 0.6);
    return lsize;
}

/* Likert levels: a sequential blue ramp from a light tint to the palette's
 * first colour, so order reads as intensity. */
static void likert_colours(const rc_chart_ctx *x, size_t n, rc_rgb *out)
{
    for (size_t k = 0; k < n; k++) {
        double t = n > 1 ? 0.15 + 0.85 * (double)k / (double)(n - 1) : 1;
        out[k] = rc_chart_mix(x->white, x->pal[0], t);
    }
}

void rc_chart_draw_bars(rc_chart_ctx *x, double w, double h)
{
    const rc_chart *c = x->c;
    bars b;
    b.x = x;
    b.likert = c->type == RC_CHART_LIKERT;
    b.horizontal = c->type == RC_CHART_HBAR || b.likert;
    b.stacked = c->type == RC_CHART_STACKED || b.likert;
    b.vmax = b.likert ? 1.0 : rc_chart_value_max(c);
    if (c->percent && b.vmax > 0.999 && b.vmax < 1.001) b.vmax = 1.0;
    size_t ns = 0, legend_panel = 0;
    for (size_t p = 0; p < c->npanels; p++)
        if (c->panels[p].nseries > ns) {
            ns = c->panels[p].nseries;
            legend_panel = p;
        }
    rc_rgb *cols = rc_arena_array(x->a, ns ? ns : 1, sizeof *cols);
    if (b.likert)
        likert_colours(x, ns, cols);
    else
        for (size_t s = 0; s < ns; s++)
            cols[s] = rc_chart_series_colour(x, s);
    b.colours = cols;

    double legend_h = 0;
    if (ns > 1) {
        const char **labels = rc_arena_array(x->a, ns, sizeof *labels);
        for (size_t s = 0; s < ns; s++)
            labels[s] = c->panels[legend_panel].series[s].label;
        legend_h = rc_chart_legend(x, labels, cols, ns, 0, 0, w, false, false, false);
        rc_chart_legend(x, labels, cols, ns, 0, legend_h, w, false, false, true);
        legend_h += 8;
    }
    if (c->npanels == 0) return;
    /* Vertical panels first share the width in proportion to their bars
     * (plus one slot for the axis); measuring passes then find each
     * panel's axis width and the category label size, so that in the
     * drawing pass bars are equally wide and labels equally large in every
     * panel. */
    size_t np = c->npanels;
    double avail = w - PANEL_GAP * (double)(np - 1);
    double *pw = rc_arena_array(x->a, np, sizeof *pw);
    double *axis = rc_arena_array(x->a, np, sizeof *axis);
    double weight = 0, nbars = 0;
    for (size_t p = 0; p < np; p++) {
        weight += b.horizontal ? 1 : (double)c->panels[p].ncat + 1;
        nbars += (double)c->panels[p].ncat;
    }
    for (size_t p = 0; p < np; p++)
        pw[p] = avail * (b.horizontal ? 1 : (double)c->panels[p].ncat + 1) / weight;
    b.label_cap = RC_CHART_LABEL_PT;
    for (int pass = 0; pass < 3; pass++) {
        b.measure = pass < 2;
        if (b.measure && (np < 2 || (b.horizontal && pass == 1))) continue;
        double px = 0, common = b.label_cap;
        for (size_t p = 0; p < np; p++) {
            double sz = b.horizontal
                            ? horizontal_panel(&b, &c->panels[p], px, legend_h, pw[p], h - legend_h)
                            : vertical_panel(&b, &c->panels[p], px, legend_h, pw[p], h - legend_h,
                                             &axis[p]);
            if (sz < common) common = sz;
            px += pw[p] + PANEL_GAP;
        }
        b.label_cap = common;
        if (b.measure && !b.horizontal && nbars > 0) {
            double fixed = 0;
            for (size_t p = 0; p < np; p++)
                fixed += axis[p];
            double slot = (avail - fixed) / nbars;
            if (slot > 0)
                for (size_t p = 0; p < np; p++)
                    pw[p] = axis[p] + slot * (double)c->panels[p].ncat;
        }
    }
}
