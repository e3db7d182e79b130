/* aggregate: metric and aggregate accumulators. rc_accs_new checks what each
 * metric and aggregate refers to and compiles its filters into one filter
 * program per source; rc_accs_rows is called once per batch of typed rows
 * (stored by column, data_int.h): the program gives each filter's rows as a
 * bit set, and counts, distributions and Likert tables are popcounts of
 * those bit sets with the codes' bit sets (Likert sums are counts times
 * levels, exact in any order). Only numbers, texts and listings look at the
 * rows one by one. agg_result.c turns the accumulators into the
 * rc_metric_value and rc_agg matrices documented in data.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agg_int.h"

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
    rc_diag_error(d, name->loc, "unknown field '%s' in source '%s'%s", name->s, src->name.s,
                  rc_config_field_hint(a, src, name->s, true));
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
        n += rc_popcount64(ds->bits[i]);
    return (double)n;
}

static const rc_filter *compile(rc_arena *a, const rc_source_cfg *src, const rc_str *expr,
                                rc_diag *d, bool *ok)
{
    if (!expr->s) return NULL;
    const rc_filter *f = rc_filter_compile(a, src, expr, d);
    if (!f) *ok = false;
    return f;
}

/* The source a metric or aggregate (KIND 'NAME') reads, or NULL after an
 * error at its 'source' key. */
static const rc_source_cfg *source_of(rc_accs *acc, const rc_config *cfg, const char *kind,
                                      const rc_str *name, const rc_str *source, rc_loc loc,
                                      rc_diag *d)
{
    const char *what = rc_arena_printf(acc->a, "%s '%s'", kind, name->s);
    long si = find_source(cfg, source, loc, what, d, acc->a);
    return si < 0 ? NULL : &cfg->sources[si];
}

static const char *const op_names[] = {"count", "sum", "mean", "share", "distinct", "min", "max"};

static void setup_metric(rc_accs *acc, const rc_config *cfg, macc *m, rc_diag *d)
{
    const rc_metric_cfg *mc = m->cfg;
    rc_arena *a = acc->a;
    const rc_source_cfg *src = source_of(acc, cfg, "metric", &mc->name, &mc->source, mc->loc, d);
    if (!src) return;
    m->src = (size_t)(src - cfg->sources);
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
                      m->field->name.s, rc_field_type_name(m->field->type));
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
                      g->by->name.s, rc_field_type_name(g->by->type));
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
                          rc_field_type_name(f->type));
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

/* The field and 'by' of a distribution, distinct or sum aggregate, and
 * the field type its kind needs. */
static bool grouped_field(gacc *g, const rc_aggregate_cfg *ac, const rc_source_cfg *src, rc_diag *d,
                          rc_arena *a)
{
    bool ok = need_field(g, src, d, a);
    const char *needs = NULL;
    if (ok && ac->kind == RC_AGG_DISTRIBUTION && g->field->type != RC_FIELD_CATEGORY &&
        g->field->type != RC_FIELD_MULTI)
        needs = "a distribution needs a category or multi field";
    else if (ok && ac->kind == RC_AGG_SUM && !is_numeric(g->field))
        needs = "a sum needs a likert, integer or number field";
    if (needs) {
        rc_diag_error(d, ac->field.loc, "%s; '%s' is a %s field", needs, g->field->name.s,
                      rc_field_type_name(g->field->type));
        ok = false;
    }
    return check_by(g, src, d, a) && ok;
}

static void setup_agg(rc_accs *acc, const rc_config *cfg, gacc *g, rc_diag *d)
{
    const rc_aggregate_cfg *ac = g->cfg;
    rc_arena *a = acc->a;
    const rc_source_cfg *src = source_of(acc, cfg, "aggregate", &ac->name, &ac->source, ac->loc, d);
    if (!src) return;
    size_t si = (size_t)(src - cfg->sources);
    g->src = si;
    bool ok = true;
    g->fields = rc_arena_array(a, ac->fields.n + 1, sizeof *g->fields);
    switch (ac->kind) {
    case RC_AGG_DISTRIBUTION:
    case RC_AGG_DISTINCT:
    case RC_AGG_SUM:
        ok = grouped_field(g, ac, src, d, a);
        break;
    case RC_AGG_LIKERT:
        ok = setup_likert(g, src, d, a);
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
    acc->prog = rc_arena_array(a, acc->nsrc + 1, sizeof *acc->prog);
    for (size_t s = 0; s < acc->nsrc; s++)
        acc->prog[s] = rc_fprog_new(a);
    for (size_t i = 0; i < acc->nm; i++)
        if (acc->m[i].ok) {
            acc->m[i].wslot = rc_fprog_add(acc->prog[acc->m[i].src], acc->m[i].where);
            acc->m[i].oslot = rc_fprog_add(acc->prog[acc->m[i].src], acc->m[i].of);
        }
    for (size_t i = 0; i < acc->ng; i++)
        if (acc->g[i].ok) acc->g[i].wslot = rc_fprog_add(acc->prog[acc->g[i].src], acc->g[i].where);
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

void rc_accs_text_cols(const rc_accs *acc, size_t src, bool *want)
{
    if (src >= acc->nsrc) return;
    rc_fprog_text_cols(acc->prog[src], want);
    for (size_t i = 0; i < acc->srcnm[src]; i++) {
        const macc *m = &acc->m[acc->srcm[src][i]];
        if (m->field && m->field->type == RC_FIELD_TEXT) want[m->field->index] = true;
    }
    for (size_t i = 0; i < acc->srcng[src]; i++) {
        const gacc *g = &acc->g[acc->srcg[src][i]];
        if (g->field && g->field->type == RC_FIELD_TEXT) want[g->field->index] = true;
    }
}

/* Set bits of a batch bit set, lowest first. */
#define FOR_BITS(bits, r)                                                                          \
    for (size_t w_ = 0; w_ < RC_BW; w_++)                                                          \
        for (uint64_t m_ = (bits)[w_], r = 0;                                                      \
             m_ && ((r = w_ * 64 + (size_t)__builtin_ctzll(m_)), 1); m_ &= m_ - 1)

static size_t popcount(const uint64_t *bits)
{
    size_t c = 0;
    for (size_t w = 0; w < RC_BW; w++)
        c += rc_popcount64(bits[w]);
    return c;
}

/* sel minus the rows where column c is missing. */
static void present(const uint64_t *sel, const rc_col *c, uint64_t *out)
{
    for (size_t w = 0; w < RC_BW; w++)
        out[w] = sel[w] & ~c->miss[w];
}

/* Distinct values of column c (field f) among the rows of sel. */
static void distinct_batch(distinct *ds, const rc_field_cfg *f, const rc_col *c,
                           const uint64_t *sel)
{
    if (c->nlevels) { /* coded: the codes present */
        for (size_t k = 0; k < c->nlevels && k < ds->nwords * 64; k++)
            if (rc_popcount_and(sel, c->bits + k * RC_BW))
                ds->bits[k / 64] |= (uint64_t)1 << (k % 64);
        return;
    }
    uint64_t p[RC_BW];
    present(sel, c, p);
    FOR_BITS(p, r)
    {
        rc_value v = {.num = c->num ? c->num[r] : 0, .text = c->text ? c->text[r] : ""};
        distinct_add(ds, f, &v);
    }
}

/* Count, sum, min and max of numeric column c (field f) over the rows of sel
 * with a value; Likert values are their levels, summed level by level (the
 * sums are of whole numbers, exact in any order). */
static void numeric_batch(const rc_field_cfg *f, const rc_col *c, const uint64_t *sel, double *n,
                          double *sum, double *min, double *max)
{
    if (f->type == RC_FIELD_LIKERT) {
        for (size_t k = 0; k < c->nlevels; k++) {
            size_t cnt = rc_popcount_and(sel, c->bits + k * RC_BW);
            if (!cnt) continue;
            double v = f->scale_min + (double)k;
            *n += (double)cnt;
            *sum += (double)cnt * v;
            if (v < *min) *min = v;
            if (v > *max) *max = v;
        }
        return;
    }
    uint64_t p[RC_BW];
    present(sel, c, p);
    FOR_BITS(p, r)
    {
        double v = c->num[r];
        *n += 1;
        *sum += v;
        if (v < *min) *min = v;
        if (v > *max) *max = v;
    }
}

static void metric_batch(macc *m, const rc_fprog *prog, const rc_batch *b)
{
    const rc_metric_cfg *mc = m->cfg;
    const uint64_t *where = rc_fprog_bits(prog, m->wslot);
    if (mc->op == RC_METRIC_SHARE) {
        const uint64_t *of = rc_fprog_bits(prog, m->oslot);
        m->den += (double)popcount(of);
        m->num += (double)rc_popcount_and(where, of);
        return;
    }
    if (mc->op == RC_METRIC_COUNT) {
        m->n += (double)popcount(where);
        return;
    }
    const rc_col *c = &b->cols[m->field->index];
    if (mc->op == RC_METRIC_DISTINCT) {
        distinct_batch(&m->dist, m->field, c, where);
        return;
    }
    numeric_batch(m->field, c, where, &m->n, &m->sum, &m->min, &m->max);
}

/* One group's rows (sel) of an aggregate. */
static void agg_group(gacc *g, const rc_batch *b, const uint64_t *sel, size_t grp)
{
    g->grouprows[grp] += (double)popcount(sel);
    switch (g->cfg->kind) {
    case RC_AGG_DISTRIBUTION: {
        const rc_col *c = &b->cols[g->field->index];
        uint64_t p[RC_BW];
        present(sel, c, p);
        g->totals[grp] += (double)popcount(p);
        for (size_t k = 0; k < c->nlevels; k++)
            g->counts[k * g->ngroups + grp] += (double)rc_popcount_and(p, c->bits + k * RC_BW);
        return;
    }
    case RC_AGG_LIKERT:
        for (size_t i = 0; i < g->nfields; i++) {
            const rc_col *c = &b->cols[g->fields[i]->index];
            size_t nl = c->nlevels < g->nlevels ? c->nlevels : g->nlevels;
            double *counts = g->counts + i * g->nlevels;
            for (size_t k = 0; k < nl; k++) {
                size_t cnt = rc_popcount_and(sel, c->bits + k * RC_BW);
                if (!cnt) continue;
                counts[k] += (double)cnt; /* the level: value - scale_min */
                g->totals[i] += (double)cnt;
                g->sums[i] += (double)cnt * (g->fields[i]->scale_min + (double)k);
            }
        }
        return;
    case RC_AGG_DISTINCT:
        distinct_batch(&g->dist[grp], g->field, &b->cols[g->field->index], sel);
        return;
    case RC_AGG_SUM: {
        double n = 0, mn = INFINITY, mx = -INFINITY;
        numeric_batch(g->field, &b->cols[g->field->index], sel, &n, &g->sums[grp], &mn, &mx);
        return;
    }
    case RC_AGG_ROWS:
        return;
    }
}

/* A listing's rows: the display texts of the matching rows (which are kept). */
static void agg_listing(rc_accs *acc, gacc *g, const rc_batch *b, const uint64_t *where)
{
    size_t nc = b->ncols;
    FOR_BITS(where, r)
    {
        const rc_value *row = b->rows + r * nc;
        const char **cells = rc_arena_array(acc->a, g->nfields + 1, sizeof *cells);
        double *nums = rc_arena_array(acc->a, g->nfields + 1, sizeof *nums);
        for (size_t i = 0; i < g->nfields; i++) {
            const rc_value *v = &row[g->fields[i]->index];
            cells[i] = rc_value_display(acc->a, g->fields[i], v);
            nums[i] = v->missing ? NAN : v->num;
        }
        RC_PUSH(acc->a, g->cells, cells);
        RC_PUSH(acc->a, g->nums, nums);
        RC_PUSH(acc->a, g->lines, b->lines[r]);
    }
    g->grouprows[0] += (double)popcount(where);
}

void rc_accs_rows(rc_accs *acc, size_t src, const rc_batch *b)
{
    rc_fprog *prog = acc->prog[src];
    rc_fprog_run(prog, b);
    const size_t *mi = acc->srcm[src];
    for (size_t i = 0, k = acc->srcnm[src]; i < k; i++)
        metric_batch(&acc->m[mi[i]], prog, b);
    const size_t *gi = acc->srcg[src];
    for (size_t i = 0, k = acc->srcng[src]; i < k; i++) {
        gacc *g = &acc->g[gi[i]];
        const uint64_t *where = rc_fprog_bits(prog, g->wslot);
        if (g->cfg->kind == RC_AGG_ROWS) {
            if (b->rows) agg_listing(acc, g, b, where);
            continue;
        }
        if (!g->by) {
            agg_group(g, b, where, 0);
            continue;
        }
        /* rows whose 'by' value is missing belong to no group */
        const rc_col *by = &b->cols[g->by->index];
        for (size_t grp = 0; grp < g->ngroups && grp < by->nlevels; grp++) {
            uint64_t sel[RC_BW];
            for (size_t w = 0; w < RC_BW; w++)
                sel[w] = where[w] & by->bits[grp * RC_BW + w];
            agg_group(g, b, sel, grp);
        }
    }
}
