/* chart.c: figure spec + data -> chart model (rc_chart). No drawing here:
 * the model is shared by the PDF renderer (chart_render.c and the renderers), the
 * LaTeX back end (pgfplots) and the figures workbook (native Excel charts),
 * so everything they need — categories in drawing order, series labels,
 * values, percent flag, tiles, pairing nodes and links, legend — is decided
 * once, here. Pairings diagrams are built in chart_pairs.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_model.h"
#include "rc/chart.h"

static const char *agg_title(const rc_agg *g)
{
    if (g->cfg && g->cfg->label.s && g->cfg->label.s[0]) return g->cfg->label.s;
    return g->name;
}

static const char *fig_name(const rc_figure_cfg *fig)
{
    return fig->name.s ? fig->name.s : "?";
}

static void unknown_agg(const rc_figure_cfg *fig, const rc_data *data, const rc_str *name,
                        rc_diag *d)
{
    const char *cands[256];
    size_t n = 0;
    for (size_t i = 0; i < data->naggs && n < 256; i++)
        if (data->aggs[i].name) cands[n++] = data->aggs[i].name;
    const char *sugg = rc_diag_suggest(name->s, cands, n);
    if (sugg)
        rc_diag_error(d, name->loc, "figure '%s': unknown aggregate '%s'; did you mean '%s'?",
                      fig_name(fig), name->s, sugg);
    else
        rc_diag_error(d, name->loc, "figure '%s': unknown aggregate '%s'", fig_name(fig), name->s);
}

static double finite0(double v)
{
    return isfinite(v) ? v : 0.0;
}

/* Share of cell (r, col) of a distribution/distinct/sum aggregate: the
 * aggregate's own share when it has one, else value / column total. */
static double cell_share(const rc_agg *g, size_t r, size_t col)
{
    size_t i = rc_agg_at(g, r, col);
    if (g->share) return finite0(g->share[i]);
    double tot = 0;
    if (g->total)
        tot = g->total[col];
    else
        for (size_t k = 0; k < g->nrows; k++)
            tot += finite0(g->value[rc_agg_at(g, k, col)]);
    return tot > 0 ? finite0(g->value[i]) / tot : 0.0;
}

static const char **row_labels(rc_arena *a, const rc_agg *g)
{
    const char **cats = rc_arena_array(a, g->nrows ? g->nrows : 1, sizeof *cats);
    for (size_t r = 0; r < g->nrows; r++) {
        const char *s = g->row_label ? g->row_label[r] : NULL;
        if (!s && g->row_code) s = g->row_code[r];
        cats[r] = s ? s : "";
    }
    return cats;
}

static const char *col_label(const rc_agg *g, size_t col)
{
    const char *s = g->col_label ? g->col_label[col] : NULL;
    if (!s && g->col_code) s = g->col_code[col];
    return s ? s : "";
}

/* Likert items must share one scale, otherwise "share of level 4" means
 * different things on different bars. */
static bool likert_scales_agree(const rc_figure_cfg *fig, const rc_agg *g, const rc_str *name,
                                rc_diag *d)
{
    if (!g->fields || g->nfields < 2) return true;
    const rc_field_cfg *f0 = g->fields[0];
    for (size_t i = 1; i < g->nfields; i++) {
        const rc_field_cfg *f = g->fields[i];
        if (!f0 || !f) continue;
        if (f->scale_min != f0->scale_min || f->scale_max != f0->scale_max) {
            rc_diag_error(d, name->loc,
                          "figure '%s': likert items '%s' (%d..%d) and '%s' (%d..%d) of "
                          "aggregate '%s' have different scales",
                          fig_name(fig), f0->name.s ? f0->name.s : "?", f0->scale_min,
                          f0->scale_max, f->name.s ? f->name.s : "?", f->scale_min, f->scale_max,
                          name->s);
            return false;
        }
    }
    return true;
}

static void unsuitable(const rc_figure_cfg *fig, const rc_agg *g, const rc_str *name,
                       const char *why, rc_diag *d)
{
    rc_diag_error(d, name->loc, "figure '%s' of type %s cannot show %s aggregate '%s'%s%s",
                  fig_name(fig), rc_chart_type_name(fig->type), rc_agg_kind_name(g->kind), name->s,
                  why ? ": " : "", why ? why : "");
}

/* One panel from one aggregate; false after reporting why it cannot be. */
static bool build_panel(rc_arena *a, rc_chart *c, const rc_agg *g, const rc_str *name, bool share,
                        rc_diag *d, rc_chart_panel *p)
{
    const rc_figure_cfg *fig = c->cfg;
    rc_chart_type t = c->type;
    p->title = agg_title(g);
    p->agg = g;

    if (g->kind == RC_AGG_ROWS) {
        unsuitable(fig, g, name, "a listing has no numbers to draw", d);
        return false;
    }
    if (t == RC_CHART_LIKERT) {
        if (g->kind != RC_AGG_LIKERT) {
            unsuitable(fig, g, name, "likert charts need a likert aggregate", d);
            return false;
        }
        if (!likert_scales_agree(fig, g, name, d)) return false;
        /* Items are categories, scale levels are the stacked series. */
        p->ncat = g->nrows;
        p->categories = row_labels(a, g);
        p->nseries = g->ncols;
        p->series = rc_arena_array(a, g->ncols ? g->ncols : 1, sizeof *p->series);
        for (size_t s = 0; s < g->ncols; s++) {
            p->series[s].label = col_label(g, s);
            p->series[s].values = rc_arena_array(a, g->nrows ? g->nrows : 1, sizeof(double));
            for (size_t r = 0; r < g->nrows; r++) {
                size_t i = rc_agg_at(g, r, s);
                double v;
                if (g->share)
                    v = g->share[i];
                else {
                    double n = g->answered ? g->answered[r] : 0;
                    v = n > 0 ? g->value[i] / n : 0;
                }
                p->series[s].values[r] = finite0(v);
            }
        }
        return true;
    }
    if (g->kind == RC_AGG_LIKERT) {
        if (t != RC_CHART_BAR && t != RC_CHART_HBAR) {
            unsuitable(fig, g, name, "use type likert (or bar/hbar for the top-2 shares)", d);
            return false;
        }
        if (!g->top2) {
            unsuitable(fig, g, name, "the aggregate has no top-2 shares", d);
            return false;
        }
        /* A bar per item: the share rating one of the two highest levels. */
        p->ncat = g->nrows;
        p->categories = row_labels(a, g);
        p->nseries = 1;
        p->series = rc_arena_array(a, 1, sizeof *p->series);
        p->series[0].label = p->title;
        p->series[0].values = rc_arena_array(a, g->nrows ? g->nrows : 1, sizeof(double));
        for (size_t r = 0; r < g->nrows; r++)
            p->series[0].values[r] = finite0(g->top2[r]);
        c->percent = true;
        return true;
    }

    bool grouped = t == RC_CHART_GROUPED || t == RC_CHART_STACKED;
    bool pie = t == RC_CHART_PIE || t == RC_CHART_DOUGHNUT;
    if (grouped && (g->kind != RC_AGG_DISTRIBUTION || !g->by || g->ncols < 1)) {
        unsuitable(fig, g, name, "grouped and stacked bars need a distribution aggregate with 'by'",
                   d);
        return false;
    }
    if (pie && g->field && g->field->type == RC_FIELD_MULTI) {
        unsuitable(fig, g, name, "the shares of a multiple-answer field do not add up to a whole",
                   d);
        return false;
    }
    p->ncat = g->nrows;
    p->categories = row_labels(a, g);
    /* bar/hbar/pie draw the first (usually only, "All") column; bar/hbar on
     * an aggregate with groups draw one series per group like grouped. */
    size_t ns = pie ? 1 : (g->ncols ? g->ncols : 1);
    p->nseries = ns;
    p->series = rc_arena_array(a, ns, sizeof *p->series);
    for (size_t s = 0; s < ns; s++) {
        p->series[s].label = g->ncols > 1 || grouped ? col_label(g, s) : p->title;
        p->series[s].values = rc_arena_array(a, g->nrows ? g->nrows : 1, sizeof(double));
        double tot = 0;
        for (size_t r = 0; r < g->nrows && s < g->ncols; r++)
            tot += finite0(g->value[rc_agg_at(g, r, s)]);
        for (size_t r = 0; r < g->nrows && s < g->ncols; r++) {
            double v = finite0(g->value[rc_agg_at(g, r, s)]);
            if (pie)
                v = tot > 0 ? v / tot : 0; /* slices always make a whole */
            else if (share)
                v = cell_share(g, r, s);
            p->series[s].values[r] = v;
        }
    }
    return true;
}

static bool want_share(const rc_figure_cfg *fig, rc_diag *d, bool *ok)
{
    *ok = true;
    bool def =
        fig->type == RC_CHART_PIE || fig->type == RC_CHART_DOUGHNUT || fig->type == RC_CHART_LIKERT;
    if (!fig->value.s || !fig->value.s[0]) return def;
    if (strcmp(fig->value.s, "share") == 0) return true;
    if (strcmp(fig->value.s, "count") == 0) {
        if (def) {
            rc_diag_warning(d, fig->value.loc,
                            "figure '%s': a %s chart always shows shares; 'value = count' "
                            "is ignored",
                            fig_name(fig), rc_chart_type_name(fig->type));
            return true;
        }
        return false;
    }
    rc_diag_error(d, fig->value.loc, "figure '%s': unknown value '%s' (expected count or share)",
                  fig_name(fig), fig->value.s);
    *ok = false;
    return def;
}

static const char *trim_dup(rc_arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return rc_arena_strndup(a, s, n);
}

static const char *default_format(const rc_metric_value *m)
{
    if (m->cfg && m->cfg->format.s && m->cfg->format.s[0]) return m->cfg->format.s;
    if (m->cfg && m->cfg->op == RC_METRIC_SHARE) return "percent:1";
    if (m->cfg && m->cfg->op == RC_METRIC_MEAN) return "number:1";
    return m->integral ? "integer" : "auto";
}

/* Tiles: each item "metric: label" becomes a big formatted number. */
static rc_chart *build_tiles(rc_arena *a, rc_chart *c, const rc_data *data, rc_diag *d)
{
    const rc_figure_cfg *fig = c->cfg;
    if (fig->items.n == 0) {
        rc_diag_error(d, fig->loc, "figure '%s' of type tiles needs 'items' (metric: label | ...)",
                      fig_name(fig));
        return NULL;
    }
    c->tiles = rc_arena_array(a, fig->items.n, sizeof *c->tiles);
    bool ok = true;
    for (size_t i = 0; i < fig->items.n; i++) {
        const rc_str *it = &fig->items.v[i];
        const char *s = it->s ? it->s : "";
        const char *colon = strchr(s, ':');
        size_t mlen = colon ? (size_t)(colon - s) : strlen(s);
        const char *mname = trim_dup(a, s, mlen);
        const rc_metric_value *m = rc_data_metric(data, mname);
        if (!m) {
            const char *cands[256];
            size_t n = 0;
            for (size_t k = 0; k < data->nmetrics && n < 256; k++)
                if (data->metrics[k].name) cands[n++] = data->metrics[k].name;
            const char *sugg = rc_diag_suggest(mname, cands, n);
            size_t off = (size_t)(strstr(s, mname) ? strstr(s, mname) - s : 0);
            rc_loc at = rc_loc_offset(it->loc, off);
            if (sugg)
                rc_diag_error(d, at, "figure '%s': unknown metric '%s'; did you mean '%s'?",
                              fig_name(fig), mname, sugg);
            else
                rc_diag_error(d, at, "figure '%s': unknown metric '%s'", fig_name(fig), mname);
            ok = false;
            continue;
        }
        const char *label = colon ? trim_dup(a, colon + 1, strlen(colon + 1)) : "";
        if (!label[0]) label = m->cfg && m->cfg->label.s ? m->cfg->label.s : m->name;
        char buf[64];
        size_t n = 0;
        if (isfinite(m->value) && c->locale) {
            n = rc_format_value(c->locale, m->value, default_format(m), buf, sizeof buf);
            if (n == 0) n = rc_format_value(c->locale, m->value, "auto", buf, sizeof buf);
        } else if (isfinite(m->value)) {
            n = (size_t)snprintf(buf, sizeof buf, "%g", m->value);
        }
        c->tiles[c->ntiles].value = n ? rc_arena_strdup(a, buf) : "\xe2\x80\x93"; /* en dash */
        c->tiles[c->ntiles].label = label;
        c->ntiles++;
    }
    return ok ? c : NULL;
}

static rc_chart *build(rc_arena *a, const rc_figure_cfg *fig, const rc_data *data,
                       const rc_locale *loc, rc_diag *d);

rc_chart *rc_chart_build(rc_arena *a, const rc_figure_cfg *fig, const rc_data *data,
                         const rc_locale *loc, rc_diag *d)
{
    rc_chart *c = build(a, fig, data, loc, d);
    rc_chart_check_readable(c, d); /* chart_read.c */
    return c;
}

static rc_chart *build(rc_arena *a, const rc_figure_cfg *fig, const rc_data *data,
                       const rc_locale *loc, rc_diag *d)
{
    rc_chart *c = rc_arena_alloc(a, sizeof *c);
    c->cfg = fig;
    c->type = fig->type;
    c->locale = loc;
    if (fig->type >= RC_CHART_TYPE_COUNT) {
        rc_diag_error(d, fig->type_loc, "figure '%s': unknown chart type", fig_name(fig));
        return NULL;
    }
    if (fig->type == RC_CHART_TILES) return build_tiles(a, c, data, d);
    if (fig->type == RC_CHART_PAIRINGS) return rc_chart_build_pairings(a, c, data, d);

    bool ok;
    bool share = want_share(fig, d, &ok);
    if (!ok) return NULL;
    c->percent = share;
    if (fig->aggregate.n == 0) {
        rc_diag_error(d, fig->loc, "figure '%s' of type %s needs an 'aggregate'", fig_name(fig),
                      rc_chart_type_name(fig->type));
        return NULL;
    }
    c->panels = rc_arena_array(a, fig->aggregate.n, sizeof *c->panels);
    for (size_t i = 0; i < fig->aggregate.n; i++) {
        const rc_str *name = &fig->aggregate.v[i];
        const rc_agg *g = name->s ? rc_data_agg(data, name->s) : NULL;
        if (!g) {
            unknown_agg(fig, data, name, d);
            ok = false;
            continue;
        }
        if (!build_panel(a, c, g, name, share, d, &c->panels[c->npanels])) {
            ok = false;
            continue;
        }
        c->npanels++;
    }
    if (!ok) return NULL;
    return c;
}

/* Round steps (Heckbert, "Nice numbers for graph labels", Graphics Gems
 * 1990, restricted to 1/2/5): the smallest step of the form m x 10^k with
 * m in {1, 2, 5} that covers max in at most max_ticks intervals. */
size_t rc_chart_ticks(double max, size_t max_ticks, double *ticks, size_t cap)
{
    if (cap == 0) return 0;
    if (max_ticks < 1) max_ticks = 1;
    if (!isfinite(max) || max <= 0) {
        ticks[0] = 0;
        if (cap > 1) ticks[1] = 1;
        return cap > 1 ? 2 : 1;
    }
    double raw = max / (double)max_ticks;
    double mag = pow(10.0, floor(log10(raw)));
    static const double ms[] = {1, 2, 5, 10, 20, 50, 100};
    double step = 0;
    size_t n = 0;
    for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
        step = ms[k] * mag;
        n = (size_t)ceil(max / step - 1e-9);
        if (n < 1) n = 1;
        if (n <= max_ticks && n + 1 <= cap) break;
    }
    if (n + 1 > cap) n = cap - 1;
    for (size_t i = 0; i <= n; i++) {
        /* i * m * 10^k computed so that 0.1-steps print as 0.3, not 0.30000000000000004 */
        double v = (double)i * step;
        double q = mag < 1 ? round(v / mag) * mag : v;
        ticks[i] = q;
    }
    return n + 1;
}

double rc_chart_value_max(const rc_chart *c)
{
    double mx = 0;
    bool stack = c->type == RC_CHART_STACKED || c->type == RC_CHART_LIKERT;
    for (size_t p = 0; p < c->npanels; p++) {
        const rc_chart_panel *pn = &c->panels[p];
        for (size_t i = 0; i < pn->ncat; i++) {
            double sum = 0;
            for (size_t s = 0; s < pn->nseries; s++) {
                double v = pn->series[s].values[i];
                if (v < 0) v = 0;
                if (stack)
                    sum += v;
                else if (v > sum)
                    sum = v;
            }
            if (sum > mx) mx = sum;
        }
    }
    return mx;
}

size_t rc_chart_value_label(const rc_chart *c, double v, int decimals, char *buf, size_t n)
{
    if (n == 0) return 0;
    if (c->percent) {
        int dec = decimals < 0 ? 0 : decimals;
        if (c->locale) return rc_format_percent(c->locale, v, dec, buf, n);
        int k = snprintf(buf, n, "%.*f%%", dec, v * 100);
        return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
    }
    if (c->locale) return rc_format_number(c->locale, v, decimals, buf, n);
    int k = decimals < 0 ? snprintf(buf, n, "%g", v) : snprintf(buf, n, "%.*f", decimals, v);
    return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
}

size_t rc_chart_pie_angles(const rc_chart *c, size_t panel, double *start, double *sweep,
                           size_t cap)
{
    if (panel >= c->npanels || c->panels[panel].nseries == 0) return 0;
    const rc_chart_panel *p = &c->panels[panel];
    const double *v = p->series[0].values;
    double tot = 0;
    for (size_t i = 0; i < p->ncat; i++)
        tot += v[i] > 0 ? v[i] : 0;
    double at = 90;
    for (size_t i = 0; i < p->ncat; i++) {
        double sw = tot > 0 && v[i] > 0 ? v[i] / tot * 360.0 : 0;
        if (i < cap) {
            start[i] = at;
            sweep[i] = sw;
        }
        at -= sw;
    }
    return p->ncat;
}

static double mm(double v)
{
    return v * 72.0 / 25.4;
}

double rc_chart_height(const rc_chart *c, double w)
{
    if (c->cfg && c->cfg->height_mm > 0) return mm(c->cfg->height_mm);
    size_t ncat = 0, nser = 1;
    for (size_t p = 0; p < c->npanels; p++) {
        if (c->panels[p].ncat > ncat) ncat = c->panels[p].ncat;
        if (c->panels[p].nseries > nser) nser = c->panels[p].nseries;
    }
    double legend = nser > 1 ? 14.0 * (double)((nser + 3) / 4) + 6 : 0;
    double title = c->npanels > 0 && c->panels[0].title ? 14 : 0;
    double h;
    switch (c->type) {
    case RC_CHART_BAR:
    case RC_CHART_GROUPED:
    case RC_CHART_STACKED:
        h = w * 0.5 + legend;
        if (h < 150) h = 150;
        if (h > 300) h = 300;
        return h;
    case RC_CHART_HBAR: {
        double pitch = c->type == RC_CHART_HBAR && nser > 1 ? 10.0 * (double)nser + 8 : 22;
        return title + (double)ncat * pitch + 22 + legend;
    }
    case RC_CHART_LIKERT:
        return title + (double)ncat * 24 + 22 + 14.0 * (double)((nser + 4) / 5) + 6;
    case RC_CHART_PIE:
    case RC_CHART_DOUGHNUT: {
        h = w * (c->npanels > 1 ? 0.5 : 0.42) + title;
        if (h < 150) h = 150;
        if (h > 260) h = 260;
        return h;
    }
    case RC_CHART_TILES: {
        size_t cols = c->ntiles <= 4 ? c->ntiles : 3;
        if (cols == 0) cols = 1;
        size_t rows = (c->ntiles + cols - 1) / cols;
        return (double)rows * 78.0;
    }
    case RC_CHART_PAIRINGS:
        return rc_chart_pairings_height(c, w);
    case RC_CHART_TYPE_COUNT:
        break;
    }
    return w * 0.5;
}

rc_chart_family rc_chart_family_of(rc_chart_type t)
{
    switch (t) {
    case RC_CHART_BAR:
    case RC_CHART_HBAR:
    case RC_CHART_GROUPED:
    case RC_CHART_STACKED:
    case RC_CHART_LIKERT:
        return RC_FAMILY_BARS;
    case RC_CHART_PIE:
    case RC_CHART_DOUGHNUT:
        return RC_FAMILY_PIE;
    case RC_CHART_TILES:
        return RC_FAMILY_TILES;
    case RC_CHART_PAIRINGS:
        return RC_FAMILY_PAIRINGS;
    case RC_CHART_TYPE_COUNT:
        break;
    }
    return RC_FAMILY_NONE;
}
