/* aggregate: metric and aggregate accumulators. rc_accs_new checks what each
 * metric and aggregate refers to and compiles its filters; rc_accs_rows is
 * called once per batch of typed rows: each filter is evaluated over the
 * batch into a bit set, then the matching rows only add to counters, sums,
 * bit sets and hash sets. agg_result.c turns the accumulators into the
 * rc_metric_value and rc_agg matrices documented in data.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg_int.h"

static const char *type_name(rc_field_type t)
{
    static const char *const names[] = {"category", "multi", "likert", "integer", "number", "text"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static bool is_numeric(const rc_field_cfg *f)
{
    return f->type == RC_FIELD_LIKERT || f->type == RC_FIELD_INTEGER || f->type == RC_FIELD_NUMBER;
}

static bool is_coded(const rc_field_cfg *f)
{
    return f->type == RC_FIELD_CATEGORY || f->type == RC_FIELD_MULTI || f->type == RC_FIELD_LIKERT;
}

static size_t code_count(const rc_field_cfg *f)
{
    if (f->type == RC_FIELD_LIKERT) {
        size_t levels = (size_t)(f->scale_max - f->scale_min + 1);
        return f->ncodes > levels ? f->ncodes : levels;
    }
    return f->ncodes;
}

/* Finds source `name` (reported at loc when unknown). */
static long find_source(const rc_config *cfg, const rc_str *name, rc_loc owner, const char *what,
                        rc_diag *d, rc_arena *a)
{
    if (!name->s) {
        rc_diag_error(d, owner, "%s needs a 'source'", what);
        return -1;
    }
    for (size_t i = 0; i < cfg->nsources; i++)
        if (strcmp(cfg->sources[i].name.s, name->s) == 0) return (long)i;
    const char **c = rc_arena_array(a, cfg->nsources + 1, sizeof *c);
    for (size_t i = 0; i < cfg->nsources; i++)
        c[i] = cfg->sources[i].name.s;
    const char *sug = rc_diag_suggest(name->s, c, cfg->nsources);
    if (sug)
        rc_diag_error(d, name->loc, "unknown source '%s' (did you mean '%s'?)", name->s, sug);
    else
        rc_diag_error(d, name->loc, "unknown source '%s'", name->s);
    return -1;
}

static const rc_field_cfg *find_field(const rc_source_cfg *src, const rc_str *name, rc_diag *d,
                                      rc_arena *a)
{
    for (size_t i = 0; i < src->nfields; i++)
        if (strcmp(src->fields[i].name.s, name->s) == 0) return &src->fields[i];
    const char **c = rc_arena_array(a, src->nfields + 1, sizeof *c);
    for (size_t i = 0; i < src->nfields; i++)
        c[i] = src->fields[i].name.s;
    const char *sug = rc_diag_suggest(name->s, c, src->nfields);
    if (sug)
        rc_diag_error(d, name->loc, "unknown field '%s' in source '%s' (did you mean '%s'?)",
                      name->s, src->name.s, sug);
    else
        rc_diag_error(d, name->loc, "unknown field '%s' in source '%s'", name->s, src->name.s);
    return NULL;
}

static void distinct_init(distinct *ds, rc_arena *a, const rc_field_cfg *f)
{
    memset(ds, 0, sizeof *ds);
    rc_strset_init(&ds->set, a);
    if (is_coded(f)) {
        ds->nwords = (code_count(f) + 63) / 64;
        ds->bits = rc_arena_array(a, ds->nwords ? ds->nwords : 1, sizeof *ds->bits);
    }
}

static void distinct_add(distinct *ds, const rc_field_cfg *f, const rc_value *v)
{
    switch (f->type) {
    case RC_FIELD_CATEGORY:
    case RC_FIELD_LIKERT:
        if (v->code >= 0 && (size_t)v->code < ds->nwords * 64)
            ds->bits[v->code / 64] |= (uint64_t)1 << (v->code % 64);
        break;
    case RC_FIELD_MULTI:
        ds->bits[0] |= v->mask;
        break;
    case RC_FIELD_INTEGER:
    case RC_FIELD_NUMBER: {
        double x = v->num == 0 ? 0 : v->num; /* -0 and 0 are one value */
        char k[sizeof x];
        memcpy(k, &x, sizeof x);
        rc_strset_add(&ds->set, k, sizeof k, 0, NULL);
        break;
    }
    case RC_FIELD_TEXT:
        rc_strset_add(&ds->set, v->text, strlen(v->text), 0, NULL);
        break;
    }
}

double rc_distinct_count(const distinct *ds)
{
    size_t n = ds->set.n;
    for (size_t i = 0; i < ds->nwords; i++)
        n += (size_t)__builtin_popcountll(ds->bits[i]);
    return (double)n;
}

static const rc_filter *compile(rc_arena *a, const rc_source_cfg *src, const rc_str *expr,
                                rc_diag *d, bool *ok)
{
    if (!expr->s) return NULL;
    const rc_filter *f = rc_filter_compile(a, src, expr->s, expr->loc, d);
    if (!f) *ok = false;
    return f;
}

static const char *const op_names[] = {"count", "sum", "mean", "share", "distinct", "min", "max"};

static void setup_metric(rc_accs *acc, const rc_config *cfg, macc *m, rc_diag *d)
{
    const rc_metric_cfg *mc = m->cfg;
    rc_arena *a = acc->a;
    const char *what = rc_arena_printf(a, "metric '%s'", mc->name.s);
    long si = find_source(cfg, &mc->source, mc->loc, what, d, a);
    if (si < 0) return;
    const rc_source_cfg *src = &cfg->sources[si];
    m->src = (size_t)si;
    bool ok = true;
    const char *op = (unsigned)mc->op < 7 ? op_names[mc->op] : "?";
    bool needs_field = mc->op != RC_METRIC_COUNT && mc->op != RC_METRIC_SHARE;
    if (mc->field.s) {
        m->field = find_field(src, &mc->field, d, a);
        if (!m->field) ok = false;
    } else if (needs_field) {
        rc_diag_error(d, mc->loc, "metric '%s' with op = %s needs a 'field'", mc->name.s, op);
        ok = false;
    }
    if (m->field && needs_field && mc->op != RC_METRIC_DISTINCT && !is_numeric(m->field)) {
        rc_diag_error(d, mc->field.loc,
                      "op = %s needs a likert, integer or number field; '%s' is a %s field", op,
                      m->field->name.s, type_name(m->field->type));
        ok = false;
    }
    m->where = compile(a, src, &mc->where, d, &ok);
    m->of = compile(a, src, &mc->of, d, &ok);
    if (m->field) distinct_init(&m->dist, a, m->field);
    m->min = INFINITY;
    m->max = -INFINITY;
    m->ok = ok;
}

static bool check_by(gacc *g, const rc_source_cfg *src, rc_diag *d, rc_arena *a)
{
    const rc_aggregate_cfg *ac = g->cfg;
    if (!ac->by.s) return true;
    g->by = find_field(src, &ac->by, d, a);
    if (!g->by) return false;
    if (g->by->type != RC_FIELD_CATEGORY) {
        rc_diag_error(d, ac->by.loc, "'by' needs a category field; '%s' is a %s field",
                      g->by->name.s, type_name(g->by->type));
        g->by = NULL;
        return false;
    }
    return true;
}

static bool need_field(gacc *g, const rc_source_cfg *src, rc_diag *d, rc_arena *a)
{
    const rc_aggregate_cfg *ac = g->cfg;
    if (!ac->field.s) {
        rc_diag_error(d, ac->loc, "aggregate '%s' needs a 'field'", ac->name.s);
        return false;
    }
    g->field = find_field(src, &ac->field, d, a);
    return g->field != NULL;
}

static bool setup_likert(gacc *g, const rc_source_cfg *src, rc_diag *d, rc_arena *a)
{
    const rc_aggregate_cfg *ac = g->cfg;
    if (!ac->fields.n) {
        rc_diag_error(d, ac->loc, "likert aggregate '%s' needs 'fields'", ac->name.s);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < ac->fields.n; i++) {
        const rc_field_cfg *f = find_field(src, &ac->fields.v[i], d, a);
        if (!f) {
            ok = false;
            continue;
        }
        if (f->type != RC_FIELD_LIKERT) {
            rc_diag_error(d, ac->fields.v[i].loc, "'%s' is a %s field, not likert", f->name.s,
                          type_name(f->type));
            ok = false;
        } else if (g->nfields && (f->scale_min != g->fields[0]->scale_min ||
                                  f->scale_max != g->fields[0]->scale_max)) {
            rc_diag_error(d, ac->fields.v[i].loc,
                          "'%s' has the scale %d..%d but '%s' has %d..%d; the items of a likert "
                          "aggregate share one scale",
                          f->name.s, f->scale_min, f->scale_max, g->fields[0]->name.s,
                          g->fields[0]->scale_min, g->fields[0]->scale_max);
            ok = false;
        }
        if (ok) g->fields[g->nfields++] = f;
    }
    if (!ok) return false;
    int range = g->fields[0]->scale_max - g->fields[0]->scale_min + 1;
    if (range < 2 || range > 101) {
        rc_diag_error(d, ac->fields.v[0].loc, "likert scale %d..%d is not usable",
                      g->fields[0]->scale_min, g->fields[0]->scale_max);
        return false;
    }
    g->nlevels = (size_t)range;
    g->counts = rc_arena_array(a, g->nfields * g->nlevels, sizeof *g->counts);
    g->totals = rc_arena_array(a, g->nfields, sizeof *g->totals);
    g->sums = rc_arena_array(a, g->nfields, sizeof *g->sums);
    return true;
}

static void setup_agg(rc_accs *acc, const rc_config *cfg, gacc *g, rc_diag *d)
{
    const rc_aggregate_cfg *ac = g->cfg;
    rc_arena *a = acc->a;
    const char *what = rc_arena_printf(a, "aggregate '%s'", ac->name.s);
    long si = find_source(cfg, &ac->source, ac->loc, what, d, a);
    if (si < 0) return;
    const rc_source_cfg *src = &cfg->sources[si];
    g->src = (size_t)si;
    bool ok = true;
    g->fields = rc_arena_array(a, ac->fields.n + 1, sizeof *g->fields);
    switch (ac->kind) {
    case RC_AGG_DISTRIBUTION:
        ok = need_field(g, src, d, a);
        if (ok && g->field->type != RC_FIELD_CATEGORY && g->field->type != RC_FIELD_MULTI) {
            rc_diag_error(d, ac->field.loc,
                          "a distribution needs a category or multi field; '%s' is a %s field",
                          g->field->name.s, type_name(g->field->type));
            ok = false;
        }
        ok = check_by(g, src, d, a) && ok;
        break;
    case RC_AGG_LIKERT:
        ok = setup_likert(g, src, d, a);
        break;
    case RC_AGG_DISTINCT:
        ok = need_field(g, src, d, a);
        ok = check_by(g, src, d, a) && ok;
        break;
    case RC_AGG_SUM:
        ok = need_field(g, src, d, a);
        if (ok && !is_numeric(g->field)) {
            rc_diag_error(d, ac->field.loc,
                          "a sum needs a likert, integer or number field; '%s' is a %s field",
                          g->field->name.s, type_name(g->field->type));
            ok = false;
        }
        ok = check_by(g, src, d, a) && ok;
        break;
    case RC_AGG_ROWS:
        if (ac->fields.n == 0) { /* all fields of the source */
            g->fields = rc_arena_array(a, src->nfields + 1, sizeof *g->fields);
            for (size_t k = 0; k < src->nfields; k++)
                g->fields[k] = &src->fields[k];
            g->nfields = src->nfields;
        } else {
            for (size_t i = 0; i < ac->fields.n; i++) {
                const rc_field_cfg *f = find_field(src, &ac->fields.v[i], d, a);
                if (f)
                    g->fields[g->nfields++] = f;
                else
                    ok = false;
            }
        }
        acc->wants_rows[si] = true;
        break;
    }
    if (ac->order.s && strcmp(ac->order.s, "declared") != 0 && strcmp(ac->order.s, "count") != 0 &&
        strcmp(ac->order.s, "label") != 0) {
        rc_diag_error(d, ac->order.loc, "unknown order '%s' (use declared, count or label)",
                      ac->order.s);
        ok = false;
    }
    g->where = compile(a, src, &ac->where, d, &ok);
    if (!ok) return;
    g->ngroups = g->by ? g->by->ncodes : 1;
    if (g->ngroups == 0) g->ngroups = 1;
    g->grouprows = rc_arena_array(a, g->ngroups, sizeof *g->grouprows);
    if (ac->kind == RC_AGG_DISTRIBUTION) {
        g->counts = rc_arena_array(a, g->field->ncodes * g->ngroups + 1, sizeof *g->counts);
        g->totals = rc_arena_array(a, g->ngroups, sizeof *g->totals);
    } else if (ac->kind == RC_AGG_DISTINCT) {
        g->dist = rc_arena_array(a, g->ngroups, sizeof *g->dist);
        for (size_t i = 0; i < g->ngroups; i++)
            distinct_init(&g->dist[i], a, g->field);
    } else if (ac->kind == RC_AGG_SUM) {
        g->sums = rc_arena_array(a, g->ngroups, sizeof *g->sums);
    }
    g->ok = true;
}

rc_accs *rc_accs_new(rc_arena *a, const rc_config *cfg, rc_diag *d, size_t *config_errors)
{
    size_t before = rc_diag_errors(d);
    rc_accs *acc = rc_arena_alloc(a, sizeof *acc);
    acc->a = a;
    acc->nsrc = cfg->nsources;
    acc->wants_rows = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->wants_rows);
    acc->ncols = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->ncols);
    for (size_t s = 0; s < acc->nsrc; s++)
        acc->ncols[s] = cfg->sources[s].nfields;
    acc->nm = cfg->nmetrics;
    acc->m = rc_arena_array(a, acc->nm + 1, sizeof *acc->m);
    for (size_t i = 0; i < acc->nm; i++) {
        acc->m[i].cfg = &cfg->metrics[i];
        setup_metric(acc, cfg, &acc->m[i], d);
    }
    acc->ng = cfg->naggregates;
    acc->g = rc_arena_array(a, acc->ng + 1, sizeof *acc->g);
    for (size_t i = 0; i < acc->ng; i++) {
        acc->g[i].cfg = &cfg->aggregates[i];
        setup_agg(acc, cfg, &acc->g[i], d);
    }
    acc->srcm = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->srcm);
    acc->srcnm = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->srcnm);
    acc->srcg = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->srcg);
    acc->srcng = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->srcng);
    for (size_t s = 0; s < acc->nsrc; s++) {
        acc->srcm[s] = rc_arena_array(a, acc->nm + 1, sizeof **acc->srcm);
        acc->srcg[s] = rc_arena_array(a, acc->ng + 1, sizeof **acc->srcg);
        for (size_t i = 0; i < acc->nm; i++)
            if (acc->m[i].ok && acc->m[i].src == s) acc->srcm[s][acc->srcnm[s]++] = i;
        for (size_t i = 0; i < acc->ng; i++)
            if (acc->g[i].ok && acc->g[i].src == s) acc->srcg[s][acc->srcng[s]++] = i;
    }
    *config_errors = rc_diag_errors(d) - before;
    return acc;
}

bool rc_accs_wants_rows(const rc_accs *acc, size_t src)
{
    return src < acc->nsrc && acc->wants_rows[src];
}

/* Set bits of a batch bit set, lowest first. */
#define FOR_BITS(bits, n, r)                                                                       \
    for (size_t w_ = 0; w_ < ((n) + 63) / 64; w_++)                                                \
        for (uint64_t m_ = (bits)[w_], r = 0;                                                      \
             m_ && ((r = w_ * 64 + (size_t)__builtin_ctzll(m_)), 1); m_ &= m_ - 1)

static size_t popcount(const uint64_t *bits, size_t n)
{
    size_t c = 0;
    for (size_t w = 0; w < (n + 63) / 64; w++)
        c += (size_t)__builtin_popcountll(bits[w]);
    return c;
}

static void metric_rows(macc *m, const rc_value *rows, size_t nc, size_t n)
{
    const rc_metric_cfg *mc = m->cfg;
    uint64_t where[RC_BATCH / 64];
    rc_filter_batch(m->where, rows, nc, n, where);
    if (mc->op == RC_METRIC_SHARE) {
        uint64_t of[RC_BATCH / 64];
        rc_filter_batch(m->of, rows, nc, n, of);
        for (size_t w = 0; w < (n + 63) / 64; w++)
            where[w] &= of[w];
        m->den += (double)popcount(of, n);
        m->num += (double)popcount(where, n);
        return;
    }
    if (mc->op == RC_METRIC_COUNT) {
        m->n += (double)popcount(where, n);
        return;
    }
    size_t fi = m->field->index;
    FOR_BITS(where, n, r)
    {
        const rc_value *v = &rows[r * nc + fi];
        if (v->missing) continue;
        if (mc->op == RC_METRIC_DISTINCT) {
            distinct_add(&m->dist, m->field, v);
            continue;
        }
        m->n++;
        m->sum += v->num;
        if (v->num < m->min) m->min = v->num;
        if (v->num > m->max) m->max = v->num;
    }
}

static void agg_row(rc_accs *acc, gacc *g, const rc_value *row, unsigned line)
{
    size_t grp = 0;
    if (g->by) {
        const rc_value *b = &row[g->by->index];
        if (b->missing || b->code < 0) return;
        grp = (size_t)b->code;
    }
    g->grouprows[grp]++;
    switch (g->cfg->kind) {
    case RC_AGG_DISTRIBUTION: {
        const rc_value *v = &row[g->field->index];
        if (v->missing) return;
        g->totals[grp]++;
        if (g->field->type == RC_FIELD_CATEGORY) {
            g->counts[(size_t)v->code * g->ngroups + grp]++;
        } else {
            for (uint64_t m = v->mask; m; m &= m - 1)
                g->counts[(size_t)__builtin_ctzll(m) * g->ngroups + grp]++;
        }
        return;
    }
    case RC_AGG_LIKERT:
        for (size_t i = 0; i < g->nfields; i++) {
            const rc_value *v = &row[g->fields[i]->index];
            if (v->missing) continue;
            size_t lv = (size_t)v->code; /* the level: value - scale_min */
            g->counts[i * g->nlevels + lv]++;
            g->totals[i]++;
            g->sums[i] += v->num;
        }
        return;
    case RC_AGG_DISTINCT: {
        const rc_value *v = &row[g->field->index];
        if (!v->missing) distinct_add(&g->dist[grp], g->field, v);
        return;
    }
    case RC_AGG_SUM: {
        const rc_value *v = &row[g->field->index];
        if (!v->missing) g->sums[grp] += v->num;
        return;
    }
    case RC_AGG_ROWS: {
        const char **cells = rc_arena_array(acc->a, g->nfields + 1, sizeof *cells);
        double *nums = rc_arena_array(acc->a, g->nfields + 1, sizeof *nums);
        for (size_t i = 0; i < g->nfields; i++) {
            const rc_value *v = &row[g->fields[i]->index];
            cells[i] = rc_value_display(acc->a, g->fields[i], v);
            nums[i] = v->missing ? NAN : v->num;
        }
        RC_PUSH(acc->a, g->cells, cells);
        RC_PUSH(acc->a, g->nums, nums);
        RC_PUSH(acc->a, g->lines, line);
        return;
    }
    }
}

/* The two hottest kinds without a per-row dispatch: an ungrouped category
 * distribution and a Likert block, column by column over the matching rows. */
static bool agg_rows_fast(gacc *g, const rc_value *rows, size_t nc, const uint64_t *where, size_t n)
{
    if (g->cfg->kind == RC_AGG_LIKERT) {
        for (size_t i = 0; i < g->nfields; i++) {
            const rc_value *col = rows + g->fields[i]->index;
            double *counts = g->counts + i * g->nlevels, answered = 0, sum = 0;
            FOR_BITS(where, n, r)
            {
                const rc_value *v = col + r * nc;
                if (v->missing) continue;
                counts[v->code]++; /* the level: value - scale_min */
                answered++;
                sum += v->num;
            }
            g->totals[i] += answered;
            g->sums[i] += sum;
        }
        g->grouprows[0] += (double)popcount(where, n);
        return true;
    }
    if (g->cfg->kind == RC_AGG_DISTRIBUTION && !g->by && g->field->type == RC_FIELD_CATEGORY) {
        const rc_value *col = rows + g->field->index;
        double answered = 0;
        FOR_BITS(where, n, r)
        {
            const rc_value *v = col + r * nc;
            if (v->missing) continue;
            g->counts[v->code]++;
            answered++;
        }
        g->totals[0] += answered;
        g->grouprows[0] += (double)popcount(where, n);
        return true;
    }
    return false;
}

void rc_accs_rows(rc_accs *acc, size_t src, const rc_value *rows, const unsigned *lines, size_t n)
{
    size_t nc = acc->ncols[src];
    const size_t *mi = acc->srcm[src];
    for (size_t i = 0, k = acc->srcnm[src]; i < k; i++)
        metric_rows(&acc->m[mi[i]], rows, nc, n);
    const size_t *gi = acc->srcg[src];
    for (size_t i = 0, k = acc->srcng[src]; i < k; i++) {
        gacc *g = &acc->g[gi[i]];
        uint64_t where[RC_BATCH / 64];
        rc_filter_batch(g->where, rows, nc, n, where);
        if (agg_rows_fast(g, rows, nc, where, n)) continue;
        FOR_BITS(where, n, r)
        agg_row(acc, g, rows + r * nc, lines[r]);
    }
}
