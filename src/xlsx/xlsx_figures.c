/* xlsx_figures: one sheet per figure and per declared table of the figures
 * workbook, laid out as the Analysis Function's spreadsheet guidance asks:
 * A1 holds "Figure 6: caption", A2 the source line and the numbers of its
 * notes (the Notes sheet holds them), and from A3 down, with no blank row or
 * column, one Excel table named for the figure ("motivation"): the numbers
 * exactly as the chart model draws them (categories x series; shares in
 * percent format), next to them the counts behind shares (or the shares
 * behind counts) taken from the same aggregate. A chart of several panels is
 * one table with the panel in its first column. Headers say what and in
 * which unit ("Share of respondents (%)", xlsx_heads.c). A native Excel chart of the same kind,
 * whose series point at those cells, sits beside the table, one per panel: bar -> column, hbar ->
 * bar, grouped -> clustered column, stacked -> stacked column, likert -> 100 % stacked bar, pie ->
 * pie, doughnut -> doughnut; tiles -> a table of the key figures; pairings -> the list of pairings.
 * No number is recomputed here: chart values come from rc_chart, the others
 * from the rc_agg the panel was built from. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/chart.h"
#include "xlsx_int.h"

#define CHART_ROWS 16u /* rows a default-sized chart covers */

typedef struct fsheet {
    rc_xw *x;
    lxw_worksheet *ws;
    const char *name;
    const rc_doc *doc;
    double w[64]; /* column widths (characters) */
    size_t ncolw;
    const char *head[64]; /* the table's header row */
    uint32_t nhead;
    uint32_t hrow;       /* the table's header row index */
    const char *counted; /* what the numbers count ("Respondents"), or NULL */
} fsheet;

/* A header cell of the table (the table itself rewrites it unique). */
static void put_head(fsheet *s, uint32_t r, uint32_t c, const char *t);

static void widen(fsheet *s, uint32_t c, const char *t, double min)
{
    if (c >= sizeof s->w / sizeof s->w[0]) return;
    if (c >= s->ncolw) s->ncolw = c + 1;
    if (s->w[c] < min) s->w[c] = min;
    s->w[c] = rc_xw_fit(s->w[c], t);
}

static void put_str(fsheet *s, uint32_t r, uint32_t c, const char *t, lxw_format *f)
{
    rc_xw_str(s->x, s->ws, r, c, t, f);
    widen(s, c, t, 8.0);
}

static void put_num(fsheet *s, uint32_t r, uint32_t c, double v, lxw_format *f)
{
    rc_xw_num(s->x, s->ws, r, c, v, f);
    widen(s, c, "", 9.0);
}

static const char *word(const fsheet *s, rc_word w)
{
    return rc_locale_word(s->x->loc, w);
}

static void put_head(fsheet *s, uint32_t r, uint32_t c, const char *t)
{
    put_str(s, r, c, t, s->x->header);
    if (c < sizeof s->head / sizeof s->head[0]) {
        s->head[c] = t;
        if (c + 1 > s->nhead) s->nhead = c + 1;
    }
}

/* "Budget (number)", "Share (%)": a declared table's header and its unit. */
static const char *with_unit(const fsheet *s, const char *what, bool percent)
{
    return rc_arena_printf(s->x->a, "%s (%s)", what,
                           rc_xw_word(s->x, percent ? RC_XW_UNIT_PERCENT : RC_XW_UNIT_NUMBER));
}

static lxw_color_t palette(const rc_doc *doc, size_t i)
{
    const rc_style_cfg *st = doc->cfg ? &doc->cfg->style : NULL;
    static const lxw_color_t def[] = {0x004494, 0xFFD617, 0x7FA1C9, 0xBFD0E4,
                                      0xFFE879, 0x404040, 0x467A39, 0xA6A6A6};
    if (!st || st->npalette == 0) return def[i % (sizeof def / sizeof def[0])];
    rc_rgb c = st->palette[i % st->npalette];
    unsigned r = (unsigned)lround(c.r * 255), g = (unsigned)lround(c.g * 255),
             b = (unsigned)lround(c.b * 255);
    return (lxw_color_t)(r << 16 | g << 8 | b);
}

static uint8_t excel_type(rc_chart_type t)
{
    /* bar, grouped and any other: columns (0 in the table) */
    static const uint8_t types[RC_CHART_TYPE_COUNT] = {
        [RC_CHART_HBAR] = LXW_CHART_BAR,
        [RC_CHART_STACKED] = LXW_CHART_COLUMN_STACKED,
        [RC_CHART_LIKERT] = LXW_CHART_BAR_STACKED_PERCENT,
        [RC_CHART_PIE] = LXW_CHART_PIE,
        [RC_CHART_DOUGHNUT] = LXW_CHART_DOUGHNUT};
    uint8_t x = (unsigned)t < RC_CHART_TYPE_COUNT ? types[t] : 0;
    return x ? x : LXW_CHART_COLUMN;
}

static double share_at(const rc_agg *g, size_t r, size_t c)
{
    if (g->share) return g->share[rc_agg_at(g, r, c)];
    if (g->total && g->total[c] > 0) return g->value[rc_agg_at(g, r, c)] / g->total[c];
    return NAN;
}

/* Height of a panel's chart in rows: bars need room per category. */
static double chart_rows(const rc_chart *c, const rc_chart_panel *p)
{
    bool pie = c->type == RC_CHART_PIE || c->type == RC_CHART_DOUGHNUT;
    double rows = (double)CHART_ROWS;
    if (!pie) {
        bool horizontal = c->type == RC_CHART_HBAR || c->type == RC_CHART_LIKERT;
        double need = 6.0 + (double)p->ncat * (horizontal ? 1.6 : 0.8);
        if (need > rows) rows = need;
    }
    return rows;
}

/* The native chart for one panel whose rows are h+1..h+ncat of the table,
 * categories in column c0 and the drawn series in columns c0+1..c0+nseries;
 * placed at (at_row, col). */
static void panel_chart(fsheet *s, const rc_chart *c, const rc_chart_panel *p, uint32_t h,
                        uint32_t c0, uint32_t at_row, uint32_t col, const char *title)
{
    rc_xw *x = s->x;
    bool pie = c->type == RC_CHART_PIE || c->type == RC_CHART_DOUGHNUT;
    lxw_chart *ch = workbook_add_chart(x->wb, excel_type(c->type));
    if (!ch) {
        rc_xw_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart");
        return;
    }
    lxw_row_t r0 = h + 1, r1 = (lxw_row_t)(h + p->ncat);
    for (size_t k = 0; k < p->nseries; k++) {
        lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
        if (!se) {
            rc_xw_check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "a chart series");
            return;
        }
        lxw_col_t vc = (lxw_col_t)(c0 + 1 + k);
        chart_series_set_categories(se, s->name, r0, (lxw_col_t)c0, r1, (lxw_col_t)c0);
        chart_series_set_values(se, s->name, r0, vc, r1, vc);
        chart_series_set_name_range(se, s->name, s->hrow, vc);
        if (pie) {
            lxw_chart_point **pts = rc_arena_array(x->a, p->ncat + 1, sizeof *pts);
            for (size_t i = 0; i < p->ncat; i++) {
                pts[i] = rc_arena_alloc(x->a, sizeof **pts);
                pts[i]->fill = rc_arena_alloc(x->a, sizeof *pts[i]->fill);
                pts[i]->fill->color = palette(s->doc, i);
            }
            rc_xw_check(x, chart_series_set_points(se, pts), "chart colours");
            chart_series_set_labels(se);
            chart_series_set_labels_num_format(se, "0%");
        } else {
            lxw_chart_fill fill = {.color = palette(s->doc, k)};
            chart_series_set_fill(se, &fill);
            if (c->type != RC_CHART_LIKERT && c->type != RC_CHART_STACKED) {
                chart_series_set_labels(se);
                chart_series_set_labels_num_format(se, c->percent ? "0%" : "0");
            }
        }
    }
    if (title && *title)
        chart_title_set_name(ch, title);
    else
        chart_title_off(ch);
    lxw_chart_font tf = {.size = 11, .bold = LXW_TRUE};
    chart_title_set_name_font(ch, &tf);
    if (!pie) {
        bool horizontal = c->type == RC_CHART_HBAR || c->type == RC_CHART_LIKERT;
        /* libxlsxwriter swaps the axes of bar charts: there x_axis is the
         * horizontal value axis and y_axis the vertical category axis.
         * Reversing the category axis lists categories top-down as the PDF
         * does. */
        lxw_chart_axis *cat = horizontal ? ch->y_axis : ch->x_axis;
        lxw_chart_axis *val = horizontal ? ch->x_axis : ch->y_axis;
        if (horizontal) {
            chart_axis_set_reverse(cat);
            chart_axis_set_crossing_max(cat); /* keeps the value axis below */
        }
        if (c->percent) chart_axis_set_num_format(val, "0%");
        chart_axis_major_gridlines_set_visible(val, LXW_TRUE);
    }
    chart_legend_set_position(ch, p->nseries > 1 || pie ? LXW_CHART_LEGEND_BOTTOM
                                                        : LXW_CHART_LEGEND_NONE);
    double rows = chart_rows(c, p);
    lxw_chart_options o;
    memset(&o, 0, sizeof o);
    o.x_offset = 10;
    o.y_scale = rows / (double)CHART_ROWS;
    o.x_scale = 1.25;
    o.description = (char *)(title ? title : "");
    rc_xw_check(x, worksheet_insert_chart_opt(s->ws, at_row, (lxw_col_t)col, ch, &o), "a chart");
}

/* "Mean (1–5)": a Likert aggregate's mean is on its items' scale. */
static const char *mean_head(const fsheet *s, const rc_agg *g)
{
    int lo = 0, hi = 0;
    for (size_t k = 0; k < g->nfields; k++) {
        const rc_field_cfg *f = g->fields[k];
        if (!f) continue;
        if (k == 0 || f->scale_min < lo) lo = f->scale_min;
        if (k == 0 || f->scale_max > hi) hi = f->scale_max;
    }
    return lo < hi ? rc_arena_printf(s->x->a, "%s (%d–%d)", word(s, RC_W_MEAN), lo, hi)
                   : word(s, RC_W_MEAN);
}

static const char *category_header(const rc_chart_panel *p)
{
    const rc_agg *g = p->agg;
    if (g && g->kind == RC_AGG_DISTRIBUTION && g->field && g->field->label.s)
        return g->field->label.s;
    if (g && (g->kind == RC_AGG_DISTINCT || g->kind == RC_AGG_SUM) && g->by && g->by->label.s)
        return g->by->label.s;
    return p->title ? p->title : "";
}

/* One panel's rows of the figure's table: from row r (the header row is
 * s->hrow, written with the first panel), in columns c0.. (c0 = 1 when the
 * first column names the panel). Returns the row after the panel's last. */
static uint32_t panel(fsheet *s, const rc_chart *c, size_t pi, uint32_t r, uint32_t c0)
{
    rc_xw *x = s->x;
    const rc_chart_panel *p = &c->panels[pi];
    const rc_agg *g = p->agg;
    bool pie = c->type == RC_CHART_PIE || c->type == RC_CHART_DOUGHNUT;
    bool head = pi == 0;
    uint32_t h = s->hrow;
    lxw_format *vf = c->percent ? x->pct0 : x->int0;
    if (head) {
        /* panels of different category fields share a neutral header */
        const char *ch = category_header(p);
        for (size_t q = 1; q < c->npanels; q++)
            if (strcmp(category_header(&c->panels[q]), ch) != 0) ch = rc_xw_word(x, RC_XW_CATEGORY);
        put_head(s, h, c0, ch);
        /* what the drawn numbers are: shares of, or counts of, what the
         * aggregate counts (xlsx_heads.c); a sum is of its field */
        const char *sum =
            g && g->kind == RC_AGG_SUM && g->field && g->field->label.s ? g->field->label.s : NULL;
        for (size_t k = 0; k < p->nseries; k++) {
            const char *detail = p->nseries == 1 ? NULL : p->series[k].label;
            put_head(s, h, (uint32_t)(c0 + 1 + k),
                     c->percent ? rc_xw_head_share(x, s->counted, detail)
                                : rc_xw_head_count(x, sum ? sum : s->counted, detail));
        }
    }
    for (size_t i = 0; i < p->ncat; i++) {
        if (c0) put_str(s, r + (uint32_t)i, 0, p->title ? p->title : "", NULL);
        put_str(s, r + (uint32_t)i, c0, p->categories[i], NULL);
        for (size_t k = 0; k < p->nseries; k++) {
            double v = p->series[k].values[i];
            lxw_format *f = vf;
            if (!c->percent && v != floor(v)) f = x->num2;
            put_num(s, r + (uint32_t)i, (uint32_t)(c0 + 1 + k), v, f);
        }
    }
    /* The other measure, from the same aggregate (same row order). */
    uint32_t col = (uint32_t)(c0 + 1 + p->nseries);
    if (g && g->kind == RC_AGG_DISTRIBUTION && g->nrows == p->ncat) {
        size_t ns = pie ? 1 : p->nseries;
        for (size_t k = 0; k < ns && k < g->ncols; k++, col++) {
            const char *detail = ns == 1 ? NULL : p->series[k].label;
            if (head)
                put_head(s, h, col,
                         c->percent ? rc_xw_head_count(x, s->counted, detail)
                                    : rc_xw_head_share(x, s->counted, detail));
            for (size_t i = 0; i < p->ncat; i++) {
                double v = c->percent ? g->value[rc_agg_at(g, i, k)] : share_at(g, i, k);
                put_num(s, r + (uint32_t)i, col, v, c->percent ? x->int0 : x->pct0);
            }
        }
    } else if (g && g->kind == RC_AGG_LIKERT && g->nrows == p->ncat) {
        if (c->type == RC_CHART_LIKERT) {
            for (size_t k = 0; k < g->ncols; k++, col++) {
                if (head)
                    put_head(s, h, col,
                             rc_xw_head_count(x, s->counted, g->col_label ? g->col_label[k] : ""));
                for (size_t i = 0; i < p->ncat; i++)
                    put_num(s, r + (uint32_t)i, col, g->value[rc_agg_at(g, i, k)], x->int0);
            }
        }
        const double *extra[] = {g->answered, g->mean};
        const char *eh[] = {rc_xw_head_answered(x, s->counted), mean_head(s, g)};
        for (size_t e = 0; e < 2; e++) {
            if (!extra[e]) continue;
            if (head) put_head(s, h, col, eh[e]);
            for (size_t i = 0; i < p->ncat; i++)
                put_num(s, r + (uint32_t)i, col, extra[e][i], e ? x->num2 : x->int0);
            col++;
        }
    }
    return r + (uint32_t)p->ncat;
}

/* The figure's panels as one table, then a chart per panel beside it. */
static uint32_t panels(fsheet *s, const rc_chart *c)
{
    uint32_t c0 = c->npanels > 1 ? 1 : 0;
    const rc_agg **aggs = rc_arena_array(s->x->a, c->npanels + 1, sizeof *aggs);
    for (size_t p = 0; p < c->npanels; p++)
        aggs[p] = c->panels[p].agg;
    s->counted = rc_xw_counted(s->x, aggs, c->npanels);
    if (c0) put_head(s, s->hrow, 0, rc_xw_word(s->x, RC_XW_GROUP));
    uint32_t r = s->hrow + 1;
    uint32_t *first = rc_arena_array(s->x->a, c->npanels + 1, sizeof *first);
    for (size_t p = 0; p < c->npanels; p++) {
        first[p] = r;
        r = panel(s, c, p, r, c0);
    }
    uint32_t ncols = s->nhead;
    rc_xw_table(s->x, s->ws, s->hrow, r - 1, ncols, s->head,
                c->cfg && c->cfg->name.s ? c->cfg->name.s : s->name);
    uint32_t at = 0;
    for (size_t p = 0; p < c->npanels; p++) {
        const rc_chart_panel *pp = &c->panels[p];
        const char *title = c->npanels > 1 && pp->title   ? pp->title
                            : c->cfg && c->cfg->caption.s ? c->cfg->caption.s
                                                          : NULL;
        if (pp->ncat == 0 || pp->nseries == 0) continue;
        /* the series of panel p start one row above its first: the chart
         * reads rows first[p]..first[p]+ncat-1 */
        panel_chart(s, c, pp, first[p] - 1, c0, at, ncols + 1, title);
        at += (uint32_t)ceil(chart_rows(c, pp)) + 1;
    }
    return r;
}

static uint32_t tiles(fsheet *s, const rc_chart *c, uint32_t row)
{
    rc_xw *x = s->x;
    const rc_figure_cfg *fig = c->cfg;
    put_head(s, row, 0, rc_locale_word(x->loc, RC_W_LABEL));
    put_head(s, row, 1, word(s, RC_W_VALUE));
    put_head(s, row, 2, word(s, RC_W_METRIC));
    /* the values are of different metrics: each row says its unit */
    put_head(s, row, 3, rc_xw_word(x, RC_XW_UNIT));
    for (size_t i = 0; i < c->ntiles; i++) {
        uint32_t r = row + 1 + (uint32_t)i;
        put_str(s, r, 0, c->tiles[i].label, NULL);
        const char *item = fig && i < fig->items.n && fig->items.v[i].s ? fig->items.v[i].s : "";
        const char *colon = strchr(item, ':');
        size_t n = colon ? (size_t)(colon - item) : strlen(item);
        while (n && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            n--;
        while (n && (*item == ' ' || *item == '\t'))
            item++, n--;
        const char *name = rc_arena_strndup(x->a, item, n);
        const rc_metric_value *m = s->doc->data ? rc_data_metric(s->doc->data, name) : NULL;
        if (m && isfinite(m->value)) {
            const char *spec = m->cfg && m->cfg->format.s ? m->cfg->format.s : NULL;
            put_num(s, r, 1, m->value, rc_xw_format_for(x, spec, m->integral));
            bool pct = spec && strncmp(spec, "percent", 7) == 0;
            put_str(s, r, 3, rc_xw_word(x, pct ? RC_XW_UNIT_PERCENT : RC_XW_UNIT_NUMBER), NULL);
        } else {
            put_str(s, r, 1, c->tiles[i].value, NULL); /* as the PDF shows it */
        }
        put_str(s, r, 2, name, NULL);
    }
    rc_xw_table(x, s->ws, row, row + (uint32_t)c->ntiles, 4, s->head,
                fig && fig->name.s ? fig->name.s : s->name);
    return row + 1 + (uint32_t)c->ntiles;
}

static const char *field_label(const rc_doc *doc, const rc_str *src, const rc_str *field)
{
    if (!field->s) return "";
    const rc_source_cfg *sc = doc->cfg && src->s ? rc_config_source(doc->cfg, src->s) : NULL;
    const rc_field_cfg *f = sc ? rc_config_field(sc, field->s) : NULL;
    return f && f->label.s ? f->label.s : field->s;
}

static uint32_t pairings(fsheet *s, const rc_chart *c, uint32_t row)
{
    rc_xw *x = s->x;
    const rc_figure_cfg *fig = c->cfg;
    const char *head[5] = {
        c->left_title ? c->left_title : "", field_label(s->doc, &fig->data, &fig->left_group),
        c->right_title ? c->right_title : "", field_label(s->doc, &fig->data, &fig->right_group),
        field_label(s->doc, &fig->data, &fig->color)};
    uint32_t nh = fig->color.s ? 5 : 4;
    for (uint32_t j = 0; j < nh; j++)
        put_head(s, row, j, head[j]);
    for (size_t i = 0; i < c->nlinks; i++) {
        const rc_pair_link *l = &c->links[i];
        uint32_t r = row + 1 + (uint32_t)i;
        const rc_pair_node *L = l->left < c->nleft ? &c->left[l->left] : NULL;
        const rc_pair_node *R = l->right < c->nright ? &c->right[l->right] : NULL;
        put_str(s, r, 0, L ? L->label : "", NULL);
        put_str(s, r, 1, L ? L->group : "", NULL);
        put_str(s, r, 2, R ? R->label : "", NULL);
        put_str(s, r, 3, R ? R->group : "", NULL);
        if (nh == 5) put_str(s, r, 4, l->color < c->nlegend ? c->legend[l->color] : "", NULL);
    }
    /* Repeated headers ("Country") are made unique, as tables require. */
    rc_xw_table(x, s->ws, row, row + (uint32_t)(c->nlinks ? c->nlinks : 1), nh, s->head,
                fig->name.s ? fig->name.s : s->name);
    return row + 1 + (uint32_t)c->nlinks;
}

/* ---- declared tables --------------------------------------------------------- */

static const rc_agg *table_agg(const rc_doc *doc, const rc_node *n)
{
    if (!n->table || !n->table->aggregate.s || !doc->data) return NULL;
    return rc_data_agg(doc->data, n->table->aggregate.s);
}

/* Cell j of data row r of a table generated from g, as a number when the
 * table shows one (same layout as doc_float.c). */
static void agg_cell(fsheet *s, const rc_agg *g, size_t r, uint32_t row, uint32_t j,
                     const char *text)
{
    rc_xw *x = s->x;
    if (j == 0 && g->kind != RC_AGG_ROWS) {
        put_str(s, row, j, text, NULL);
        return;
    }
    switch (g->kind) {
    case RC_AGG_DISTRIBUTION: {
        size_t c = (j - 1) / 2;
        if (r < g->nrows && c < g->ncols) {
            if ((j - 1) % 2 == 0)
                put_num(s, row, j, g->value[rc_agg_at(g, r, c)], x->int0);
            else
                put_num(s, row, j, share_at(g, r, c), x->pct0);
            return;
        }
        break;
    }
    case RC_AGG_LIKERT:
        if (r < g->nrows && j - 1 < g->ncols) {
            size_t i = rc_agg_at(g, r, j - 1);
            double v = g->share                            ? g->share[i]
                       : g->answered && g->answered[r] > 0 ? g->value[i] / g->answered[r]
                                                           : NAN;
            put_num(s, row, j, v, x->pct0);
            return;
        }
        if (r < g->nrows && j - 1 == g->ncols && g->answered) {
            put_num(s, row, j, g->answered[r], x->int0);
            return;
        }
        if (r < g->nrows && j - 1 == g->ncols + 1 && g->mean) {
            put_num(s, row, j, g->mean[r], x->num2);
            return;
        }
        break;
    case RC_AGG_DISTINCT:
    case RC_AGG_SUM:
        if (r < g->nrows && j == 1 && g->ncols) {
            put_num(s, row, j, g->value[rc_agg_at(g, r, 0)], NULL);
            return;
        }
        break;
    case RC_AGG_ROWS:
        if (j < g->nfields && g->fields[j] &&
            (g->fields[j]->type == RC_FIELD_INTEGER || g->fields[j]->type == RC_FIELD_NUMBER ||
             g->fields[j]->type == RC_FIELD_LIKERT) &&
            text && *text) {
            char *end;
            double v = strtod(text, &end);
            if (*end == 0) {
                put_num(s, row, j, v, NULL);
                return;
            }
        }
        break;
    }
    put_str(s, row, j, text, x->wrap);
}

/* A number as a Markdown table writes it in the edition's language
 * ("1,234.5", "10 000", "87,5", "-3"): true with its value; false for any
 * other text. */
static bool md_number(const rc_locale *loc, const char *s, double *v)
{
    const char *dec = loc && loc->decimal ? loc->decimal : ".";
    const char *th = loc && loc->thousands ? loc->thousands : ",";
    char buf[64];
    size_t n = 0;
    bool digit = false;
    while (*s == ' ')
        s++;
    if (*s == '-' || *s == '+' || strncmp(s, "\u2212", 3) == 0) { /* U+2212 minus */
        buf[n++] = *s == '+' ? '+' : '-';
        s += *s == '-' || *s == '+' ? 1 : 3;
    }
    while (*s && n + 2 < sizeof buf) {
        if (*s >= '0' && *s <= '9') {
            buf[n++] = *s++;
            digit = true;
        } else if (*dec && strncmp(s, dec, strlen(dec)) == 0) {
            buf[n++] = '.';
            s += strlen(dec);
        } else if (*th && strncmp(s, th, strlen(th)) == 0 && digit) {
            s += strlen(th);
        } else if (strncmp(s, "\u00a0", 2) == 0 || strncmp(s, "\u202f", 3) == 0 ||
                   (*s == ' ' && s[1] >= '0' && s[1] <= '9')) { /* grouping spaces */
            s += *s == ' ' ? 1 : (unsigned char)*s == 0xC2 ? 2 : 3;
        } else {
            break;
        }
    }
    while (*s == ' ')
        s++;
    if (*s || !digit) return false;
    buf[n] = 0;
    char *end;
    *v = strtod(buf, &end);
    return *end == 0;
}

/* Does a header give its unit, as "Budget (EUR million)" or "Share (%)"? */
static bool has_unit(const char *h)
{
    size_t n = strlen(h);
    return n > 2 && h[n - 1] == ')' && strchr(h, '(') != NULL;
}

/* The workbook header of column j of a table made from g: what the
 * column's cells hold and their unit, from the aggregate (the PDF's header
 * rows are made for the page: a distribution by group prints the group
 * over a "Count | Share" row). A listing's (RC_AGG_ROWS) columns are the
 * fields' labels ("Latin American country", "EU Member State", where the
 * PDF's narrower columns may both say "Country"); counts and shares say
 * what they count, as the figures do (xlsx_heads.c): "Respondents: España
 * (number)", "Share of respondents: España (%)". */
static const char *agg_head(fsheet *s, const rc_agg *g, uint32_t j, const char *text)
{
    rc_xw *x = s->x;
    if (g->kind == RC_AGG_ROWS) {
        const rc_field_cfg *f = j < g->nfields ? g->fields[j] : NULL;
        if (!f) return text;
        const char *label = f->label.s && *f->label.s ? f->label.s : f->name.s ? f->name.s : text;
        if (f->type == RC_FIELD_INTEGER || f->type == RC_FIELD_NUMBER)
            return with_unit(s, label, false);
        if (f->type == RC_FIELD_LIKERT)
            return rc_arena_printf(x->a, "%s (%d–%d)", label, f->scale_min, f->scale_max);
        return label;
    }
    const char *counted = rc_xw_counted(x, &g, 1);
    const char *flabel =
        g->field && g->field->label.s && *g->field->label.s ? g->field->label.s : NULL;
    switch (g->kind) {
    case RC_AGG_DISTRIBUTION: {
        if (j == 0) return flabel ? flabel : text;
        size_t c = (j - 1) / 2;
        const char *detail = g->ncols > 1 && g->col_label && c < g->ncols ? g->col_label[c] : NULL;
        return (j - 1) % 2 == 0 ? rc_xw_head_count(x, counted, detail)
                                : rc_xw_head_share(x, counted, detail);
    }
    case RC_AGG_LIKERT:
        if (j == 0) {
            const char *l = g->cfg && g->cfg->label.s && *g->cfg->label.s ? g->cfg->label.s : text;
            return l && *l ? l : rc_xw_word(x, RC_XW_CATEGORY);
        }
        return j - 1 < g->ncols
                   ? rc_xw_head_share(x, counted, g->col_label ? g->col_label[j - 1] : text)
               : j - 1 == g->ncols ? rc_xw_head_answered(x, counted)
                                   : mean_head(s, g);
    case RC_AGG_DISTINCT:
        return j == 1 ? rc_xw_head_count(x, counted, NULL) : text;
    case RC_AGG_SUM:
        return j == 1 ? rc_xw_head_count(x, flabel, NULL) : text;
    default:
        return text;
    }
}

/* Columns of a Markdown table whose every body cell is a number (bit j),
 * among its first 64; *years: those of four-digit whole numbers only (a
 * year says its unit). */
static uint64_t numeric_columns(fsheet *s, const rc_node *t, uint64_t *years)
{
    uint64_t num = ~(uint64_t)0, seen = 0;
    *years = ~(uint64_t)0;
    for (const rc_node *r = t->first; r; r = r->next) {
        if (r->type != RC_NODE_TABLE_ROW || r->header) continue;
        uint32_t j = 0;
        for (const rc_node *c = r->first; c && j < 64; c = c->next, j++) {
            double v;
            seen |= (uint64_t)1 << j;
            const char *text = rc_node_plain_text(s->x->a, c);
            if (!md_number(s->x->loc, text, &v)) num &= ~((uint64_t)1 << j);
            if (strlen(text) != 4 || strspn(text, "0123456789") != 4) *years &= ~((uint64_t)1 << j);
        }
    }
    return num & seen;
}

/* The declared table as one Excel table: its first header row is the
 * table's header (a second header row, as in the SWOT table, stays a row of
 * the table). Headers say what and in which unit: a generated table's from
 * its aggregate; a Markdown table's as written, its numbers written as
 * numbers, and a warning when a column of numbers has a header without a
 * unit ("Budget" -> "Budget (EUR million)"). */
static uint32_t table_rows(fsheet *s, const rc_node *t, uint32_t row)
{
    rc_xw *x = s->x;
    const rc_agg *g = table_agg(s->doc, t);
    uint64_t years = 0, num = g ? 0 : numeric_columns(s, t, &years);
    size_t dr = 0;
    uint32_t first = row, ncols = 0;
    bool have_head = false;
    for (const rc_node *r = t->first; r; r = r->next) {
        if (r->type != RC_NODE_TABLE_ROW) continue;
        uint32_t j = 0;
        bool head = r->header && !have_head && row == first;
        if (g && r->header && !head) continue; /* the workbook's header says it all */
        for (const rc_node *c = r->first; c; c = c->next, j++) {
            const char *text = rc_node_plain_text(x->a, c);
            bool numeric = j < 64 && (num >> j & 1);
            double v;
            if (head && g) {
                put_head(s, row, j, agg_head(s, g, j, text));
            } else if (head) {
                put_head(s, row, j, text);
                if (numeric && !(years >> j & 1) && !has_unit(text) && t->table)
                    rc_diag_warning(x->d,
                                    c->loc.file        ? c->loc
                                    : t->table->file.s ? t->table->file.loc
                                                       : t->table->loc,
                                    "table '%s': column '%s' holds numbers but its header gives "
                                    "no unit; write it in parentheses, e.g. '%s (%%)' or '%s "
                                    "(EUR million)'",
                                    t->table->name.s ? t->table->name.s : "", text, text, text);
            } else if (r->header) {
                put_str(s, row, j, text, x->bold);
            } else if (g) {
                agg_cell(s, g, dr, row, j, text);
            } else if (numeric && md_number(x->loc, text, &v)) {
                put_num(s, row, j, v, NULL);
            } else {
                put_str(s, row, j, text, x->wrap);
            }
        }
        if (j > ncols) ncols = j;
        have_head = have_head || head;
        if (!r->header) dr++;
        row++;
    }
    if (have_head && ncols)
        rc_xw_table(x, s->ws, first, row - 1, ncols, s->head,
                    t->table && t->table->name.s ? t->table->name.s : s->name);
    return row;
}

void rc_xlsx_float_sheet(rc_xw *x, lxw_worksheet *ws, const char *sheet, const rc_doc *doc,
                         const rc_float_ref *f, bool figure)
{
    fsheet s = {.x = x, .ws = ws, .name = sheet, .doc = doc};
    const rc_node *n = f->node;
    const char *num = f->number ? f->number : (n && n->number ? n->number : "");
    const char *cap = f->caption ? f->caption : (n && n->caption ? n->caption : "");
    const char *head =
        rc_arena_printf(x->a, "%s %s: %s", word(&s, figure ? RC_W_FIGURE : RC_W_TABLE), num, cap);
    rc_xw_str(x, ws, 0, 0, head, x->title);
    /* A2: the source line and the note, each a numbered note of the Notes
     * sheet; the table follows at once. */
    uint32_t row = 1;
    const char *line = "";
    if (n && n->source_line && *n->source_line) {
        const char *src = rc_arena_printf(x->a, "%s: %s", word(&s, RC_W_SOURCE), n->source_line);
        line = rc_arena_printf(x->a, "%s [%s %d]", src, rc_xw_word(x, RC_XW_NOTE_REF),
                               rc_xw_note(x, src, sheet));
    }
    if (n && n->note && *n->note) {
        const char *nt = rc_arena_printf(x->a, "%s: %s", word(&s, RC_W_NOTE), n->note);
        line =
            rc_arena_printf(x->a, "%s%s%s: [%s %d]", line, *line ? "; " : "", word(&s, RC_W_NOTE),
                            rc_xw_word(x, RC_XW_NOTE_REF), rc_xw_note(x, nt, sheet));
    }
    if (*line) rc_xw_str(x, ws, row++, 0, line, x->small);
    s.hrow = row;
    const rc_chart *c = n ? n->chart : NULL;
    if (figure && c) {
        if (c->type == RC_CHART_TILES)
            row = tiles(&s, c, row);
        else if (c->type == RC_CHART_PAIRINGS)
            row = pairings(&s, c, row);
        else
            row = panels(&s, c);
    } else if (!figure && n) {
        row = table_rows(&s, n, row);
    }
    double total = 0;
    for (size_t i = 0; i < s.ncolw; i++) {
        double w = s.w[i] > 60 ? 60 : s.w[i];
        rc_xw_width(x, ws, (uint32_t)i, w);
        total += w;
    }
    rc_xw_print(x, ws, (int)s.hrow, total);
}
