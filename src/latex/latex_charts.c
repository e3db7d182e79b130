/* latex_charts: the chart model (chart.h) as pgfplots / TikZ. Every number
 * drawn and every label printed comes from the model: values as they are,
 * value labels from rc_chart_value_label, axis ticks from rc_chart_ticks,
 * pie angles from rc_chart_pie_angles, so the .tex shows what the PDF shows.
 *   bar, grouped, stacked  ybar / ybar stacked, one \addplot per series
 *   hbar, likert           xbar / xbar stacked (likert values are shares)
 *   pie, doughnut          TikZ arcs (pgfplots has no pie; no pgf-pie needed)
 *   tiles                  a TikZ grid of nodes
 *   pairings               TikZ: two columns of nodes joined by curves
 * Panels (several aggregates) are axes side by side in one tikzpicture. */
#include <math.h>
#include <string.h>

#include "latex_int.h"

#define PANEL_GAP 14.0

static const char *label(lx *x, const rc_chart *c, double v, int dec)
{
    char buf[64];
    rc_chart_value_label(c, v, dec, buf, sizeof buf);
    return rc_latex_escape(x->a, buf, strlen(buf));
}

static double luminance(rc_rgb c)
{
    return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

static rc_rgb mix_white(rc_rgb c, double t)
{
    return (rc_rgb){1 + (c.r - 1) * t, 1 + (c.g - 1) * t, 1 + (c.b - 1) * t};
}

/* Series colours: the palette, or for Likert levels a ramp from a light
 * tint to the first palette colour (as the PDF draws them). */
typedef struct scol {
    const char *name; /* xcolor expression */
    bool dark;        /* white text reads better on it */
} scol;

static scol series_colour(lx *x, const rc_chart *c, size_t s, size_t ns)
{
    if (c->type == RC_CHART_LIKERT) {
        double t = ns > 1 ? 0.15 + 0.85 * (double)s / (double)(ns - 1) : 1;
        int pct = (int)lround(t * 100);
        return (scol){rc_arena_printf(x->a, "%s!%d!white", lx_pal(x, 0), pct),
                      luminance(mix_white(lx_pal_rgb(x, 0), t)) < 0.5};
    }
    return (scol){lx_pal(x, s), luminance(lx_pal_rgb(x, s)) < 0.5};
}

/* Tick labels; \hspace{0pt} lets TeX hyphenate a long first word when the
 * label is set in a narrow text width. */
static void list_items(lx *x, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lx_puts(x, i ? ",{\\hspace{0pt}" : "{\\hspace{0pt}");
        lx_str(x, items[i]);
        lx_puts(x, "}");
    }
}

static void num_list(lx *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        lx_printf(x, i ? ",%zu" : "%zu", i);
}

/* A paragraph node of legend entries (swatch + text) that wraps itself. */
static void legend_entry(lx *x, const char *colour, bool line, const char *text, const char *value)
{
    if (line)
        lx_printf(x, "\\mbox{\\textcolor{%s}{\\rule[0.6ex]{10pt}{1.6pt}}~", colour);
    else
        lx_printf(x, "\\mbox{\\textcolor{%s}{\\rule{7pt}{7pt}}~", colour);
    lx_str(x, text ? text : "");
    if (value) {
        lx_puts(x, " (");
        lx_puts(x, value);
        lx_puts(x, ")");
    }
    lx_puts(x, "}\\hspace{8pt plus 2pt} ");
}

/* ---- bar family ------------------------------------------------------------- */

typedef struct bars {
    const rc_chart *c;
    bool horizontal, stacked, likert;
    double ticks[24];
    size_t nticks;
    int tick_dec;
    double vmax; /* value axis maximum */
    size_t ns;   /* series in the legend */
    size_t legend_panel;
} bars;

static void value_axis(lx *x, const bars *b)
{
    const char *v = b->horizontal ? "x" : "y";
    lx_printf(x, "  %smin=0, %smax=%g,\n  %stick={", v, v, b->vmax, v);
    for (size_t i = 0; i < b->nticks; i++)
        lx_printf(x, i ? ",%g" : "%g", b->ticks[i]);
    lx_printf(x, "},\n  %sticklabels={", v);
    for (size_t i = 0; i < b->nticks; i++) {
        lx_puts(x, i ? ",{" : "{");
        lx_puts(x, label(x, b->c, b->ticks[i], b->tick_dec));
        lx_puts(x, "}");
    }
    lx_printf(x, "},\n  %smajorgrids, grid style={rcgrey!25},\n", v);
}

static void category_axis(lx *x, const bars *b, const rc_chart_panel *p, double slot, double labelw)
{
    const char *v = b->horizontal ? "y" : "x";
    lx_printf(x, "  %smin=-0.5, %smax=%g,\n  %stick={", v, v, (double)p->ncat - 0.5, v);
    num_list(x, p->ncat);
    lx_printf(x, "},\n  %sticklabels={", v);
    list_items(x, p->categories, p->ncat);
    lx_printf(x, "},\n  major %s tick style={draw=none},\n", v);
    if (b->horizontal)
        lx_printf(x, "  y dir=reverse, yticklabel style={text width=%.1fpt, align=right},\n",
                  labelw - 6);
    else if (slot < 44) /* narrow columns: slanted labels instead of wrapped ones */
        lx_puts(x, "  xticklabel style={rotate=40, anchor=north east, inner sep=1pt},\n");
    else
        lx_printf(x, "  xticklabel style={text width=%.1fpt, align=center},\n", slot - 4);
}

/* Value labels: pgfplots places them at the bar ends for plain bars; for
 * stacked segments they are nodes at each segment's middle. */
static void addplot(lx *x, const bars *b, const rc_chart_panel *p, size_t s, scol col)
{
    const rc_series *ser = &p->series[s];
    lx_printf(x, "\\addplot[fill=%s, draw=none", col.name);
    if (!b->stacked)
        lx_puts(x, ", point meta=explicit symbolic, nodes near coords={\\pgfplotspointmeta},"
                   " every node near coord/.append style={font=\\tiny\\bfseries, text=rcgrey}");
    lx_puts(x, "] coordinates {");
    for (size_t i = 0; i < p->ncat; i++) {
        double v = ser->values ? ser->values[i] : 0;
        if (!isfinite(v)) v = 0;
        if (b->horizontal)
            lx_printf(x, " (%g,%zu)", v, i);
        else
            lx_printf(x, " (%zu,%g)", i, v);
        if (!b->stacked) lx_printf(x, "[%s]", label(x, b->c, v, -1));
    }
    lx_puts(x, " };\n");
}

/* Stacked segments get their labels at their middles. pgfplots draws
 * stacked plots after the other commands of the axis, so a label node
 * inside the axis would vanish behind its bar: the axis only names the
 * points (rcl<panel>-<n>) and the nodes are drawn after \end{axis}. */
static void stack_points(lx *x, const bars *b, const rc_chart_panel *p, size_t k, bool nodes)
{
    size_t n = 0;
    for (size_t i = 0; i < p->ncat; i++) {
        double cum = 0;
        for (size_t s = 0; s < p->nseries; s++) {
            double v = p->series[s].values ? p->series[s].values[i] : 0;
            if (!isfinite(v) || v <= 0) continue;
            double mid = cum + v / 2;
            cum += v;
            if (v < 0.07 * b->vmax) /* too thin to hold a label */
                continue;
            if (nodes) {
                scol col = series_colour(x, b->c, s, p->nseries);
                lx_printf(x, "\\node[font=\\tiny\\bfseries, text=%s] at (rcl%zu-%zu) {%s};\n",
                          col.dark ? "white" : "black", k, n, label(x, b->c, v, -1));
            } else {
                lx_printf(x, "\\coordinate (rcl%zu-%zu) at (axis cs:%g,%g);\n", k, n,
                          b->horizontal ? mid : (double)i, b->horizontal ? (double)i : mid);
            }
            n++;
        }
    }
}

static void panel(lx *x, const bars *b, size_t k, double px, double pw, double ah)
{
    const rc_chart_panel *p = &b->c->panels[k];
    double labelw = b->horizontal ? fmin(0.32 * pw, 150.0) : 0;
    double aw = b->horizontal ? pw - labelw - 20 : pw - 26; /* room for the last tick label */
    if (aw < 40) aw = 40;
    double slot = p->ncat ? aw / (double)p->ncat : aw; /* along the category axis */
    double band = b->horizontal && p->ncat ? ah / (double)p->ncat : slot;
    double ns = p->nseries ? (double)p->nseries : 1;
    double bw = b->stacked ? 0.6 * band : 0.7 * band / ns;
    if (bw > 28) bw = 28;
    lx_printf(x,
              "\\begin{axis}[at={(%.1fpt,0pt)}, anchor=south west, scale only axis,\n"
              "  width=%.1fpt, height=%.1fpt, clip=false,\n",
              px + (b->horizontal ? labelw + 8 : 26), aw, ah);
    const char *kind = b->horizontal ? (b->stacked ? "xbar stacked" : "xbar=0pt")
                                     : (b->stacked ? "ybar stacked" : "ybar=0pt");
    lx_printf(x, "  %s, bar width=%.1fpt,\n", kind, bw);
    lx_puts(x, b->horizontal ? "  axis x line*=bottom, axis y line*=left,\n"
                             : "  axis x line*=bottom, axis y line*=left,\n");
    value_axis(x, b);
    category_axis(x, b, p, slot, labelw);
    if (p->title) {
        lx_puts(x, "  title={");
        lx_str(x, p->title);
        lx_puts(x, "},\n");
    }
    lx_puts(x, "]\n");
    for (size_t s = 0; s < p->nseries; s++)
        addplot(x, b, p, s, series_colour(x, b->c, s, p->nseries));
    if (b->stacked) stack_points(x, b, p, k, false);
    lx_puts(x, "\\end{axis}\n");
    if (b->stacked) stack_points(x, b, p, k, true);
}

static void bar_chart(lx *x, const rc_chart *c, double w, double h)
{
    bars b = {.c = c};
    b.likert = c->type == RC_CHART_LIKERT;
    b.horizontal = c->type == RC_CHART_HBAR || b.likert;
    b.stacked = c->type == RC_CHART_STACKED || b.likert;
    double vmax = b.likert ? 1.0 : rc_chart_value_max(c);
    if (!(vmax > 0) || !isfinite(vmax)) vmax = 1;
    if (c->percent && vmax > 0.999 && vmax < 1.001) vmax = 1;
    b.nticks = rc_chart_ticks(vmax, b.horizontal ? 4 : 5, b.ticks, 24);
    if (b.nticks < 2) {
        b.ticks[0] = 0;
        b.ticks[1] = vmax;
        b.nticks = 2;
    }
    b.vmax = b.ticks[b.nticks - 1] > vmax ? b.ticks[b.nticks - 1] : vmax;
    double step = b.ticks[1] - b.ticks[0];
    b.tick_dec = c->percent ? (step * 100 >= 1 - 1e-9 ? 0 : 1) : (step >= 1 ? 0 : -1);
    for (size_t p = 0; p < c->npanels; p++)
        if (c->panels[p].nseries > b.ns) {
            b.ns = c->panels[p].nseries;
            b.legend_panel = p;
        }
    bool any_title = c->npanels && c->panels[0].title;
    double legend_h = b.ns > 1 ? 14.0 * (double)((b.ns + 4) / 5) + 4 : 0;
    double ah = h - legend_h - (any_title ? 14 : 0) - (b.horizontal ? 18 : 30);
    if (ah < 40) ah = 40;
    double avail = w - PANEL_GAP * (double)(c->npanels ? c->npanels - 1 : 0);
    double weight = 0;
    for (size_t p = 0; p < c->npanels; p++)
        weight += b.horizontal ? 1 : (double)c->panels[p].ncat + 1;
    lx_puts(x, "\\begin{tikzpicture}\n");
    double px = 0;
    for (size_t p = 0; p < c->npanels; p++) {
        double share = b.horizontal ? 1 : (double)c->panels[p].ncat + 1;
        double pw = weight > 0 ? avail * share / weight : avail;
        panel(x, &b, p, px, pw, ah);
        px += pw + PANEL_GAP;
    }
    if (b.ns > 1) { /* one legend over all panels, above them */
        const rc_chart_panel *lp = &c->panels[b.legend_panel];
        lx_printf(x,
                  "\\node[anchor=south west, text width=%.1fpt, align=left, "
                  "font=\\scriptsize, inner sep=0pt] at (0pt,%.1fpt) {",
                  w, ah + (any_title ? 18 : 6));
        for (size_t s = 0; s < lp->nseries; s++)
            legend_entry(x, series_colour(x, c, s, lp->nseries).name, false, lp->series[s].label,
                         NULL);
        lx_puts(x, "};\n");
    }
    lx_puts(x, "\\end{tikzpicture}\n");
}

/* ---- pie and doughnut ---------------------------------------------------------- */

static void pie_panel(lx *x, const rc_chart *c, size_t k, double px, double pw, double h)
{
    const rc_chart_panel *p = &c->panels[k];
    bool ring = c->type == RC_CHART_DOUGHNUT;
    double top = p->title ? 14 : 0;
    double r = fmin(0.42 * pw, h - top) / 2 - 4;
    if (r < 20) r = 20;
    double cx = px + r + 4, cy = (h - top) / 2, ri = ring ? 0.55 * r : 0;
    if (p->title) {
        lx_printf(x,
                  "\\node[anchor=south west, font=\\footnotesize\\bfseries] at (%.1fpt,%.1fpt) {",
                  px, h - top);
        lx_str(x, p->title);
        lx_puts(x, "};\n");
    }
    size_t n = p->ncat;
    double *start = rc_arena_array(x->a, n + 1, sizeof *start);
    double *sweep = rc_arena_array(x->a, n + 1, sizeof *sweep);
    n = rc_chart_pie_angles(c, k, start, sweep, n);
    const double *v = p->nseries ? p->series[0].values : NULL;
    for (size_t i = 0; i < n; i++) {
        if (!(sweep[i] > 0.05)) continue;
        const char *col = lx_pal(x, i);
        double a0 = start[i], a1 = start[i] - sweep[i];
        if (sweep[i] >= 359.95) {
            if (ring)
                lx_printf(x,
                          "\\fill[%s, even odd rule] (%.2fpt,%.2fpt) circle (%.2fpt) "
                          "(%.2fpt,%.2fpt) circle (%.2fpt);\n",
                          col, cx, cy, r, cx, cy, ri);
            else
                lx_printf(x, "\\fill[%s] (%.2fpt,%.2fpt) circle (%.2fpt);\n", col, cx, cy, r);
        } else if (ring) {
            lx_printf(x,
                      "\\filldraw[fill=%s, draw=white, line width=0.8pt] "
                      "([shift={(%.2fpt,%.2fpt)}]%.3f:%.2fpt) "
                      "arc[start angle=%.3f, end angle=%.3f, radius=%.2fpt] -- "
                      "([shift={(%.2fpt,%.2fpt)}]%.3f:%.2fpt) "
                      "arc[start angle=%.3f, end angle=%.3f, radius=%.2fpt] -- cycle;\n",
                      col, cx, cy, a0, r, a0, a1, r, cx, cy, a1, ri, a1, a0, ri);
        } else {
            lx_printf(x,
                      "\\filldraw[fill=%s, draw=white, line width=0.8pt] (%.2fpt,%.2fpt) -- "
                      "++(%.3f:%.2fpt) arc[start angle=%.3f, end angle=%.3f, radius=%.2fpt] "
                      "-- cycle;\n",
                      col, cx, cy, a0, r, a0, a1, r);
        }
        if (sweep[i] >= 18 && v) {
            double mid = (a0 + a1) / 2, rr = ring ? (r + ri) / 2 : 0.64 * r;
            lx_printf(x,
                      "\\node[font=\\scriptsize\\bfseries, text=%s] at "
                      "([shift={(%.2fpt,%.2fpt)}]%.3f:%.2fpt) {%s};\n",
                      luminance(lx_pal_rgb(x, i)) < 0.5 ? "white" : "black", cx, cy, mid, rr,
                      label(x, c, v[i], -1));
        }
    }
    double lx0 = cx + r + 14, lw = px + pw - lx0;
    if (lw < 60) lw = 60;
    lx_printf(x,
              "\\node[anchor=west, text width=%.1fpt, align=left, font=\\scriptsize] at "
              "(%.1fpt,%.1fpt) {",
              lw, lx0, cy);
    for (size_t i = 0; i < p->ncat; i++) {
        lx_printf(x, "\\textcolor{%s}{\\rule{7pt}{7pt}}~", lx_pal(x, i));
        lx_str(x, p->categories[i]);
        if (v) lx_printf(x, " (%s)", label(x, c, v[i], -1));
        lx_puts(x, i + 1 < p->ncat ? "\\\\[1pt]\n" : "");
    }
    lx_puts(x, "};\n");
}

static void pie_chart(lx *x, const rc_chart *c, double w, double h)
{
    lx_puts(x, "\\begin{tikzpicture}\n");
    lx_printf(x, "\\useasboundingbox (0,0) rectangle (%.1fpt,%.1fpt);\n", w, h);
    size_t np = c->npanels ? c->npanels : 1;
    double pw = (w - PANEL_GAP * (double)(np - 1)) / (double)np;
    for (size_t k = 0; k < c->npanels; k++)
        pie_panel(x, c, k, (double)k * (pw + PANEL_GAP), pw, h);
    lx_puts(x, "\\end{tikzpicture}\n");
}

/* ---- tiles ------------------------------------------------------------------- */

static void tiles(lx *x, const rc_chart *c, double w, double h)
{
    (void)h; /* tiles take the height they need */
    size_t cols = c->ntiles <= 4 ? c->ntiles : 3;
    if (!cols) return;
    const double gap = 8, th = 64;
    double tw = (w - gap * (double)(cols - 1)) / (double)cols;
    lx_puts(x, "\\begin{tikzpicture}\n");
    for (size_t i = 0; i < c->ntiles; i++) {
        size_t col = i % cols, row = i / cols;
        lx_printf(x,
                  "\\node[anchor=north west, fill=%s, text=white, inner sep=6pt, "
                  "minimum width=%.1fpt, minimum height=%.1fpt, text width=%.1fpt, "
                  "align=center] at (%.1fpt,%.1fpt) {{\\fontsize{20}{22}\\selectfont"
                  "\\bfseries ",
                  lx_pal(x, 0), tw, th, tw - 12, (double)col * (tw + gap),
                  -(double)row * (th + gap));
        lx_str(x, c->tiles[i].value);
        lx_puts(x, "}\\\\[3pt]{\\footnotesize ");
        lx_str(x, c->tiles[i].label);
        lx_puts(x, "}};\n");
    }
    lx_puts(x, "\\end{tikzpicture}\n");
}

/* ---- pairings ----------------------------------------------------------------- */

/* y position (from the top) of every node of one column; group headings
 * (countries) take a row of their own. Returns the number of rows. */
static size_t column_rows(const rc_pair_node *v, size_t n, size_t *row_of, size_t *heads)
{
    size_t rows = 0, nh = 0;
    for (size_t i = 0; i < n; i++) {
        const char *g = v[i].group;
        if (g && (i == 0 || !v[i - 1].group || strcmp(v[i - 1].group, g))) {
            heads[nh++] = rows;
            rows++;
        }
        row_of[i] = rows++;
    }
    return rows;
}

static void pair_column(lx *x, const rc_pair_node *v, size_t n, const size_t *row_of, double pitch,
                        double top, double ax, bool left)
{
    const char *anchor = left ? "east" : "west";
    for (size_t i = 0; i < n; i++) {
        double y = top - (double)row_of[i] * pitch;
        if (v[i].group && (i == 0 || !v[i - 1].group || strcmp(v[i - 1].group, v[i].group))) {
            lx_printf(x,
                      "\\node[anchor=%s, font=\\scriptsize\\bfseries, text=rcgrey] at "
                      "(%.1fpt,%.1fpt) {",
                      anchor, ax, y + pitch);
            lx_str(x, v[i].group);
            lx_puts(x, "};\n");
        }
        lx_printf(x, "\\node[anchor=%s, font=\\scriptsize, inner sep=2pt] at (%.1fpt,%.1fpt) {",
                  anchor, ax + (left ? -4 : 4), y);
        lx_str(x, v[i].label);
        lx_puts(x, "};\n");
        lx_printf(x, "\\fill[rcgrey] (%.1fpt,%.1fpt) circle (1.4pt);\n", ax, y);
    }
}

static void pairings(lx *x, const rc_chart *c, double w, double h)
{
    size_t *rl = rc_arena_array(x->a, c->nleft + 1, sizeof *rl);
    size_t *rr = rc_arena_array(x->a, c->nright + 1, sizeof *rr);
    size_t *hl = rc_arena_array(x->a, c->nleft + 1, sizeof *hl);
    size_t *hr = rc_arena_array(x->a, c->nright + 1, sizeof *hr);
    size_t nl = column_rows(c->left, c->nleft, rl, hl);
    size_t nr = column_rows(c->right, c->nright, rr, hr);
    size_t rows = nl > nr ? nl : nr;
    double legend_h = c->nlegend ? 12.0 * (double)((c->nlegend + 2) / 3) + 8 : 0;
    double titles = c->left_title || c->right_title ? 16 : 0;
    double avail = h - legend_h - titles;
    double pitch = rows ? avail / (double)rows : 10;
    if (pitch > 16) pitch = 16;
    if (pitch < 8) pitch = 8;
    double colw = 0.30 * w, xl = colw, xr = w - colw;
    double top = legend_h + (double)rows * pitch;
    /* each column is centred vertically in the rows of the taller one */
    double topl = top - (double)(rows - nl) * pitch / 2;
    double topr = top - (double)(rows - nr) * pitch / 2;
    lx_puts(x, "\\begin{tikzpicture}\n");
    if (titles > 0) {
        lx_printf(x,
                  "\\node[anchor=south east, font=\\footnotesize\\bfseries] at (%.1fpt,%.1fpt) {",
                  xl, top + 4);
        lx_str(x, c->left_title ? c->left_title : "");
        lx_printf(x,
                  "};\n\\node[anchor=south west, font=\\footnotesize\\bfseries] at "
                  "(%.1fpt,%.1fpt) {",
                  xr, top + 4);
        lx_str(x, c->right_title ? c->right_title : "");
        lx_puts(x, "};\n");
    }
    for (size_t i = 0; i < c->nlinks; i++) {
        const rc_pair_link *k = &c->links[i];
        if (k->left >= c->nleft || k->right >= c->nright) continue;
        double y0 = topl - (double)rl[k->left] * pitch, y1 = topr - (double)rr[k->right] * pitch;
        const char *col = k->color < c->nlegend ? lx_pal(x, k->color) : "rcgrey!60";
        lx_printf(x,
                  "\\draw[%s, line width=1pt] (%.1fpt,%.1fpt) .. controls (%.1fpt,%.1fpt) "
                  "and (%.1fpt,%.1fpt) .. (%.1fpt,%.1fpt);\n",
                  col, xl, y0, (xl + xr) / 2, y0, (xl + xr) / 2, y1, xr, y1);
    }
    pair_column(x, c->left, c->nleft, rl, pitch, topl, xl, true);
    pair_column(x, c->right, c->nright, rr, pitch, topr, xr, false);
    if (c->nlegend) {
        lx_printf(x,
                  "\\node[anchor=south west, text width=%.1fpt, align=left, "
                  "font=\\scriptsize, inner sep=0pt] at (0pt,0pt) {",
                  w);
        for (size_t i = 0; i < c->nlegend; i++)
            legend_entry(x, lx_pal(x, i), true, c->legend[i], NULL);
        lx_puts(x, "};\n");
    }
    lx_puts(x, "\\end{tikzpicture}\n");
}

/* ---- entry --------------------------------------------------------------------- */

void lx_chart(lx *x, const rc_chart *c, double w)
{
    double h = rc_chart_height(c, w);
    if (!(h > 0) || !isfinite(h)) h = 150;
    /* each family's picture */
    static void (*const draw[RC_FAMILY_NONE])(lx *, const rc_chart *, double,
                                              double) = {[RC_FAMILY_BARS] = bar_chart,
                                                         [RC_FAMILY_PIE] = pie_chart,
                                                         [RC_FAMILY_TILES] = tiles,
                                                         [RC_FAMILY_PAIRINGS] = pairings};
    rc_chart_family f = rc_chart_family_of(c->type);
    if (f < RC_FAMILY_NONE) draw[f](x, c, w, h);
}
