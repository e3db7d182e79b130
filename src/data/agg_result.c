/* agg_result: accumulators -> rc_metric_value and the rc_agg matrices
 * documented in data.h (labels, order, shares, Likert statistics). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg_int.h"
#include "rc/locale.h"

static void metric_finish(const macc *m, rc_metric_value *out)
{
    const rc_metric_cfg *mc = m->cfg;
    out->cfg = mc;
    out->name = mc->name.s;
    out->value = NAN;
    if (!m->ok) return;
    bool intf =
        m->field && (m->field->type == RC_FIELD_INTEGER || m->field->type == RC_FIELD_LIKERT);
    switch (mc->op) {
    case RC_METRIC_COUNT:
        out->value = m->n;
        out->integral = true;
        break;
    case RC_METRIC_SUM:
        out->value = m->sum;
        out->integral = intf;
        break;
    case RC_METRIC_MEAN:
        out->value = m->n > 0 ? m->sum / m->n : NAN;
        break;
    case RC_METRIC_SHARE:
        out->value = m->den > 0 ? m->num / m->den : NAN;
        break;
    case RC_METRIC_DISTINCT:
        out->value = rc_distinct_count(&m->dist);
        out->integral = true;
        break;
    case RC_METRIC_MIN:
        out->value = m->n > 0 ? m->min : NAN;
        out->integral = intf;
        break;
    case RC_METRIC_MAX:
        out->value = m->n > 0 ? m->max : NAN;
        out->integral = intf;
        break;
    }
}

/* Sort keys for 'order': stable by construction (ties keep declared order). */
typedef struct sortkey {
    size_t idx;
    double v;
    const char *label;
} sortkey;

static int by_value_desc(const void *pa, const void *pb)
{
    const sortkey *a = pa, *b = pb;
    if (a->v != b->v) return a->v > b->v ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int by_label(const void *pa, const void *pb)
{
    const sortkey *a = pa, *b = pb;
    int c = strcmp(a->label ? a->label : "", b->label ? b->label : "");
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Orders keys per the aggregate's 'order'. */
static void order_keys(const rc_aggregate_cfg *ac, sortkey *k, size_t n)
{
    if (!ac->order.s || strcmp(ac->order.s, "declared") == 0) return;
    qsort(k, n, sizeof *k, strcmp(ac->order.s, "count") == 0 ? by_value_desc : by_label);
}

static const char *label_of(const rc_code *c)
{
    return c->label && *c->label ? c->label : c->code;
}

static const char *all_word(const rc_config *cfg)
{
    const rc_locale *l = rc_locale_get(cfg->report.language.s ? cfg->report.language.s : "en");
    if (!l) l = rc_locale_get("en");
    const char *w = l ? rc_locale_word(l, RC_W_ALL) : NULL;
    return w && *w ? w : "All";
}

static const char *field_label(const rc_field_cfg *f)
{
    if (f->label.s) return f->label.s;
    return f->column.s ? f->column.s : f->name.s;
}

/* The groups of 'by' that have rows (or the single "All" group). */
static size_t groups(rc_arena *a, const rc_config *cfg, const gacc *g, size_t **idx,
                     const char ***label, const char ***code)
{
    size_t n = 0;
    *idx = rc_arena_array(a, g->ngroups, sizeof **idx);
    *label = rc_arena_array(a, g->ngroups, sizeof **label);
    *code = rc_arena_array(a, g->ngroups, sizeof **code);
    if (!g->by) {
        (*idx)[0] = 0;
        (*label)[0] = all_word(cfg);
        (*code)[0] = "all";
        return 1;
    }
    for (size_t i = 0; i < g->ngroups; i++)
        if (g->grouprows[i] > 0) {
            (*idx)[n] = i;
            (*label)[n] = label_of(&g->by->codes[i]);
            (*code)[n] = g->by->codes[i].code;
            n++;
        }
    return n;
}

static void finish_distribution(rc_arena *a, const rc_config *cfg, const gacc *g, rc_agg *o)
{
    size_t *gi;
    o->ncols = groups(a, cfg, g, &gi, &o->col_label, &o->col_code);
    size_t nc = g->field->ncodes;
    sortkey *k = rc_arena_array(a, nc + 1, sizeof *k);
    for (size_t r = 0; r < nc; r++) {
        k[r].idx = r;
        k[r].label = label_of(&g->field->codes[r]);
        for (size_t c = 0; c < o->ncols; c++)
            k[r].v += g->counts[r * g->ngroups + gi[c]];
    }
    order_keys(g->cfg, k, nc);
    o->nrows = nc;
    o->row_label = rc_arena_array(a, nc + 1, sizeof *o->row_label);
    o->row_code = rc_arena_array(a, nc + 1, sizeof *o->row_code);
    o->value = rc_arena_array(a, nc * o->ncols + 1, sizeof *o->value);
    o->share = rc_arena_array(a, nc * o->ncols + 1, sizeof *o->share);
    o->total = rc_arena_array(a, o->ncols + 1, sizeof *o->total);
    for (size_t c = 0; c < o->ncols; c++)
        o->total[c] = g->totals[gi[c]];
    for (size_t r = 0; r < nc; r++) {
        size_t src = k[r].idx;
        o->row_label[r] = k[r].label;
        o->row_code[r] = g->field->codes[src].code;
        for (size_t c = 0; c < o->ncols; c++) {
            double v = g->counts[src * g->ngroups + gi[c]];
            o->value[rc_agg_at(o, r, c)] = v;
            o->share[rc_agg_at(o, r, c)] = o->total[c] > 0 ? v / o->total[c] : 0;
        }
    }
}

static double median_of(const double *counts, size_t nlevels, double n, int min)
{
    if (n <= 0) return NAN;
    /* 0-based positions of the middle value(s) in sorted order */
    double k1 = floor((n - 1) / 2), k2 = floor(n / 2);
    double seen = 0, v1 = NAN, v2 = NAN;
    for (size_t l = 0; l < nlevels; l++) {
        double lo = seen, hi = seen + counts[l];
        if (isnan(v1) && k1 >= lo && k1 < hi) v1 = min + (double)l;
        if (isnan(v2) && k2 >= lo && k2 < hi) v2 = min + (double)l;
        seen = hi;
    }
    return (v1 + v2) / 2;
}

static void finish_likert(rc_arena *a, const rc_config *cfg, const gacc *g, rc_agg *o)
{
    (void)cfg;
    size_t ni = g->nfields, nl = g->nlevels;
    const rc_field_cfg *f0 = g->fields[0];
    o->nrows = ni;
    o->ncols = nl;
    o->fields = g->fields;
    o->nfields = ni;
    o->col_label = rc_arena_array(a, nl, sizeof *o->col_label);
    o->col_code = rc_arena_array(a, nl, sizeof *o->col_code);
    for (size_t l = 0; l < nl; l++) {
        const char *code = rc_arena_printf(a, "%d", f0->scale_min + (int)l);
        o->col_code[l] = code;
        o->col_label[l] = code;
        for (size_t c = 0; c < f0->ncodes; c++)
            if (strcmp(f0->codes[c].code, code) == 0) o->col_label[l] = label_of(&f0->codes[c]);
    }
    double *mean = rc_arena_array(a, ni, sizeof *mean);
    double *top2 = rc_arena_array(a, ni, sizeof *top2);
    sortkey *k = rc_arena_array(a, ni, sizeof *k);
    for (size_t i = 0; i < ni; i++) {
        const double *c = g->counts + i * nl;
        double n = g->totals[i];
        mean[i] = n > 0 ? g->sums[i] / n : NAN;
        top2[i] = n > 0 ? (c[nl - 1] + c[nl - 2]) / n : 0;
        k[i].idx = i;
        k[i].v = top2[i] + (isnan(mean[i]) ? 0 : mean[i] * 1e-6);
        k[i].label = field_label(g->fields[i]);
    }
    order_keys(g->cfg, k, ni);
    o->row_label = rc_arena_array(a, ni, sizeof *o->row_label);
    o->row_code = rc_arena_array(a, ni, sizeof *o->row_code);
    o->value = rc_arena_array(a, ni * nl, sizeof *o->value);
    o->share = rc_arena_array(a, ni * nl, sizeof *o->share);
    o->answered = rc_arena_array(a, ni, sizeof *o->answered);
    o->mean = rc_arena_array(a, ni, sizeof *o->mean);
    o->median = rc_arena_array(a, ni, sizeof *o->median);
    o->top2 = rc_arena_array(a, ni, sizeof *o->top2);
    const rc_field_cfg **fields = rc_arena_array(a, ni, sizeof *fields);
    for (size_t r = 0; r < ni; r++) {
        size_t i = k[r].idx;
        const double *c = g->counts + i * nl;
        double n = g->totals[i];
        fields[r] = g->fields[i];
        o->row_label[r] = k[r].label;
        o->row_code[r] = g->fields[i]->name.s;
        o->answered[r] = n;
        o->mean[r] = mean[i];
        o->median[r] = median_of(c, nl, n, f0->scale_min);
        o->top2[r] = top2[i];
        for (size_t l = 0; l < nl; l++) {
            o->value[rc_agg_at(o, r, l)] = c[l];
            o->share[rc_agg_at(o, r, l)] = n > 0 ? c[l] / n : 0;
        }
    }
    o->fields = fields;
}

/* distinct and sum: one value per group. */
static void finish_grouped(rc_arena *a, const rc_config *cfg, const gacc *g, rc_agg *o)
{
    size_t *gi;
    const char **lab, **code;
    size_t n = groups(a, cfg, g, &gi, &lab, &code);
    sortkey *k = rc_arena_array(a, n + 1, sizeof *k);
    for (size_t r = 0; r < n; r++) {
        k[r].idx = r;
        k[r].label = lab[r];
        k[r].v =
            g->cfg->kind == RC_AGG_DISTINCT ? rc_distinct_count(&g->dist[gi[r]]) : g->sums[gi[r]];
    }
    order_keys(g->cfg, k, n);
    o->nrows = n;
    o->ncols = 1;
    o->row_label = rc_arena_array(a, n + 1, sizeof *o->row_label);
    o->row_code = rc_arena_array(a, n + 1, sizeof *o->row_code);
    o->value = rc_arena_array(a, n + 1, sizeof *o->value);
    for (size_t r = 0; r < n; r++) {
        o->row_label[r] = lab[k[r].idx];
        o->row_code[r] = code[k[r].idx];
        o->value[r] = k[r].v;
    }
    o->col_label = rc_arena_array(a, 1, sizeof *o->col_label);
    o->col_code = rc_arena_array(a, 1, sizeof *o->col_code);
    o->col_label[0] = field_label(g->field);
    o->col_code[0] = g->field->name.s;
}

static void finish_rows(rc_arena *a, const rc_config *cfg, const gacc *g, rc_agg *o)
{
    (void)cfg;
    size_t n = g->cells.n, nf = g->nfields;
    sortkey *k = rc_arena_array(a, n + 1, sizeof *k);
    for (size_t r = 0; r < n; r++) {
        k[r].idx = r;
        k[r].label = nf ? g->cells.v[r][0] : "";
        k[r].v = (double)r;
    }
    if (g->cfg->order.s && strcmp(g->cfg->order.s, "label") == 0) qsort(k, n, sizeof *k, by_label);
    o->nrows = n;
    o->ncols = nf;
    o->fields = g->fields;
    o->nfields = nf;
    o->row_label = rc_arena_array(a, n + 1, sizeof *o->row_label);
    o->row_code = rc_arena_array(a, n + 1, sizeof *o->row_code);
    o->cell = rc_arena_array(a, n * nf + 1, sizeof *o->cell);
    o->value = rc_arena_array(a, n * nf + 1, sizeof *o->value);
    for (size_t r = 0; r < n; r++) {
        size_t i = k[r].idx;
        o->row_label[r] = rc_arena_printf(a, "%zu", r + 1);
        o->row_code[r] = rc_arena_printf(a, "%u", g->lines.v[i]);
        for (size_t c = 0; c < nf; c++) {
            o->cell[rc_agg_at(o, r, c)] = g->cells.v[i][c];
            o->value[rc_agg_at(o, r, c)] = g->nums.v[i][c];
        }
    }
    o->col_label = rc_arena_array(a, nf + 1, sizeof *o->col_label);
    o->col_code = rc_arena_array(a, nf + 1, sizeof *o->col_code);
    for (size_t c = 0; c < nf; c++) {
        o->col_label[c] = field_label(g->fields[c]);
        o->col_code[c] = g->fields[c]->name.s;
    }
}

/* Each kind's result from its accumulators. */
static void (*const finish[RC_AGG_ROWS + 1])(rc_arena *, const rc_config *, const gacc *,
                                             rc_agg *) = {
    [RC_AGG_DISTRIBUTION] = finish_distribution,
    [RC_AGG_LIKERT] = finish_likert,
    [RC_AGG_DISTINCT] = finish_grouped,
    [RC_AGG_SUM] = finish_grouped,
    [RC_AGG_ROWS] = finish_rows};

void rc_accs_finish(rc_accs *acc, const rc_config *cfg, rc_data *out)
{
    rc_arena *a = acc->a;
    out->nmetrics = acc->nm;
    out->metrics = rc_arena_array(a, acc->nm + 1, sizeof *out->metrics);
    for (size_t i = 0; i < acc->nm; i++)
        metric_finish(&acc->m[i], &out->metrics[i]);
    out->naggs = acc->ng;
    out->aggs = rc_arena_array(a, acc->ng + 1, sizeof *out->aggs);
    for (size_t i = 0; i < acc->ng; i++) {
        const gacc *g = &acc->g[i];
        rc_agg *o = &out->aggs[i];
        o->cfg = g->cfg;
        o->name = g->cfg->name.s;
        o->kind = g->cfg->kind;
        o->field = g->field;
        o->by = g->by;
        o->fields = g->fields;
        o->nfields = g->nfields;
        if (!g->ok) continue;
        if ((unsigned)g->cfg->kind <= RC_AGG_ROWS) finish[g->cfg->kind](a, cfg, g, o);
    }
}
