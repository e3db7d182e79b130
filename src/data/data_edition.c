/* data_edition: the data of one edition from the data of the base
 * configuration, without reading or aggregating again. An edition differs
 * from the base configuration only in its texts (config_edition.c checks
 * that codes, items and columns are the same), so the numbers are shared
 * and only the labels are looked up again: code -> the edition's label,
 * field -> the edition's field label, "All" -> the edition's word.
 * Aggregates ordered by label are sorted again in the edition's words. */
#include <stdlib.h>
#include <string.h>

#include "data_int.h"
#include "rc/locale.h"

static const char *code_label(const rc_code *c)
{
    return c->label && *c->label ? c->label : c->code;
}

static const char *field_label(const rc_field_cfg *f)
{
    if (f->label.s) return f->label.s;
    return f->column.s ? f->column.s : f->name.s;
}

/* The edition's field for a field of the base configuration. */
static const rc_field_cfg *map_field(const rc_config *base, const rc_config *ec,
                                     const rc_field_cfg *f)
{
    if (!f || !f->source) return f;
    size_t si = (size_t)(f->source - base->sources);
    if (si >= ec->nsources || f->index >= ec->sources[si].nfields) return f;
    return &ec->sources[si].fields[f->index];
}

/* The edition's label of code (declared in the base field fb). */
static const char *relabel_code(const rc_field_cfg *fb, const rc_field_cfg *fe, const char *code,
                                const char *dflt)
{
    for (size_t k = 0; fb && fe && k < fb->ncodes && k < fe->ncodes; k++)
        if (strcmp(fb->codes[k].code, code) == 0) return code_label(&fe->codes[k]);
    return dflt;
}

/* A listing cell holds display text (data.h: category labels, multi labels
 * joined by "; "): the base labels are found again and replaced. */
static const char *relabel_cell(rc_arena *a, const rc_field_cfg *fb, const rc_field_cfg *fe,
                                const char *text)
{
    if (!fb || !fe || !text || !*text || fb->ncodes == 0) return text;
    if (fb->type == RC_FIELD_CATEGORY || fb->type == RC_FIELD_LIKERT) {
        for (size_t k = 0; k < fb->ncodes && k < fe->ncodes; k++)
            if (strcmp(code_label(&fb->codes[k]), text) == 0) return code_label(&fe->codes[k]);
        return text;
    }
    if (fb->type != RC_FIELD_MULTI) return text;
    const char *out = "";
    for (const char *p = text; *p;) {
        size_t best = 0, bk = 0;
        for (size_t k = 0; k < fb->ncodes && k < fe->ncodes; k++) {
            const char *l = code_label(&fb->codes[k]);
            size_t n = strlen(l);
            if (n > best && strncmp(p, l, n) == 0 &&
                (p[n] == '\0' || strncmp(p + n, "; ", 2) == 0)) {
                best = n;
                bk = k;
            }
        }
        if (!best) return text; /* not labels of this field: leave the cell alone */
        out = rc_arena_printf(a, "%s%s%s", out, *out ? "; " : "", code_label(&fe->codes[bk]));
        p += best;
        if (*p) p += 2;
    }
    return out;
}

typedef struct perm {
    size_t idx;
    const char *label;
} perm;

static int by_label(const void *pa, const void *pb)
{
    const perm *a = pa, *b = pb;
    int c = strcmp(a->label ? a->label : "", b->label ? b->label : "");
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

#define PERMUTE(arr, width)                                                                        \
    do {                                                                                           \
        if (o->arr) {                                                                              \
            __typeof__(o->arr[0]) *t = rc_arena_array(a, n * (width) + 1, sizeof *t);              \
            for (size_t r = 0; r < n; r++)                                                         \
                memcpy(t + r * (width), o->arr + k[r].idx * (width), (width) * sizeof *t);         \
            o->arr = t;                                                                            \
        }                                                                                          \
    } while (0)

/* order = label: rows sorted by the edition's labels (the first cell for a
 * listing), ties in the base order. */
static void sort_rows(rc_arena *a, rc_agg *o)
{
    size_t n = o->nrows;
    if (n < 2) return;
    perm *k = rc_arena_array(a, n, sizeof *k);
    for (size_t r = 0; r < n; r++) {
        k[r].idx = r;
        k[r].label = o->kind == RC_AGG_ROWS ? (o->ncols ? o->cell[rc_agg_at(o, r, 0)] : "")
                                            : o->row_label[r];
    }
    qsort(k, n, sizeof *k, by_label);
    size_t w = o->ncols;
    if (o->kind != RC_AGG_ROWS) PERMUTE(row_label, 1);
    PERMUTE(row_code, 1);
    PERMUTE(value, w);
    PERMUTE(share, w);
    PERMUTE(cell, w);
    PERMUTE(answered, 1);
    PERMUTE(mean, 1);
    PERMUTE(median, 1);
    PERMUTE(top2, 1);
    if (o->kind == RC_AGG_LIKERT) PERMUTE(fields, 1);
}
#undef PERMUTE

static void relabel_agg(rc_arena *a, const rc_config *base, const rc_config *ec,
                        const rc_locale *loc, const rc_agg *g, rc_agg *o)
{
    const char *all = rc_locale_word(loc, RC_W_ALL);
    o->field = map_field(base, ec, g->field);
    o->by = map_field(base, ec, g->by);
    if (g->fields) {
        const rc_field_cfg **fs = rc_arena_array(a, g->nfields + 1, sizeof *fs);
        for (size_t i = 0; i < g->nfields; i++)
            fs[i] = map_field(base, ec, g->fields[i]);
        o->fields = fs;
    }
    if (!g->row_label) return; /* not computed (reported by the data stage) */
    const char **rl = rc_arena_array(a, g->nrows + 1, sizeof *rl);
    const char **cl = rc_arena_array(a, g->ncols + 1, sizeof *cl);
    memcpy(rl, g->row_label, g->nrows * sizeof *rl);
    memcpy(cl, g->col_label, g->ncols * sizeof *cl);
    switch (g->kind) {
    case RC_AGG_DISTRIBUTION:
        for (size_t r = 0; r < g->nrows; r++)
            rl[r] = relabel_code(g->field, o->field, g->row_code[r], rl[r]);
        for (size_t c = 0; c < g->ncols; c++)
            cl[c] = g->by ? relabel_code(g->by, o->by, g->col_code[c], cl[c]) : all;
        break;
    case RC_AGG_LIKERT: {
        const rc_field_cfg *f0b = g->fields && g->nfields ? g->fields[0] : NULL;
        const rc_source_cfg *src = f0b ? &ec->sources[f0b->source - base->sources] : NULL;
        const rc_aggregate_cfg *ac = o->cfg;
        const rc_field_cfg *first =
            src && ac->fields.n ? rc_config_field(src, ac->fields.v[0].s) : NULL;
        const rc_field_cfg *firstb =
            first ? &base->sources[first->source - ec->sources].fields[first->index] : NULL;
        for (size_t r = 0; r < g->nrows; r++)
            rl[r] = o->fields[r] ? field_label(o->fields[r]) : rl[r];
        for (size_t c = 0; c < g->ncols; c++)
            cl[c] = relabel_code(firstb, first, g->col_code[c], cl[c]);
        break;
    }
    case RC_AGG_DISTINCT:
    case RC_AGG_SUM:
        for (size_t r = 0; r < g->nrows; r++)
            rl[r] = g->by ? relabel_code(g->by, o->by, g->row_code[r], rl[r]) : all;
        if (o->field) cl[0] = field_label(o->field);
        break;
    case RC_AGG_ROWS: {
        const char **cell = rc_arena_array(a, g->nrows * g->ncols + 1, sizeof *cell);
        for (size_t r = 0; r < g->nrows; r++)
            for (size_t c = 0; c < g->ncols; c++)
                cell[rc_agg_at(g, r, c)] =
                    relabel_cell(a, g->fields[c], o->fields[c], g->cell[rc_agg_at(g, r, c)]);
        o->cell = cell;
        for (size_t c = 0; c < g->ncols; c++)
            cl[c] = field_label(o->fields[c]);
        break;
    }
    }
    o->row_label = rl;
    o->col_label = cl;
    if (o->cfg->order.s && strcmp(o->cfg->order.s, "label") == 0) sort_rows(a, o);
}

rc_status rc_data_for_edition(rc_arena *a, const rc_data *base, const rc_config *ec, rc_data *out)
{
    const rc_config *bc = base->cfg;
    if (ec == bc) {
        *out = *base;
        return RC_OK;
    }
    if (ec->nsources != bc->nsources || ec->nmetrics != base->nmetrics ||
        ec->naggregates != base->naggs)
        return RC_ERR_CONFIG; /* config_edition.c guarantees the same shape */
    const rc_locale *loc = rc_locale_get(ec->report.language.s);
    *out = *base;
    out->cfg = ec;
    out->sources = rc_arena_array(a, base->nsources + 1, sizeof *out->sources);
    for (size_t i = 0; i < base->nsources; i++) {
        out->sources[i] = base->sources[i];
        out->sources[i].cfg = &ec->sources[i];
    }
    out->metrics = rc_arena_array(a, base->nmetrics + 1, sizeof *out->metrics);
    for (size_t i = 0; i < base->nmetrics; i++) {
        out->metrics[i] = base->metrics[i];
        out->metrics[i].cfg = &ec->metrics[i];
    }
    out->aggs = rc_arena_array(a, base->naggs + 1, sizeof *out->aggs);
    for (size_t i = 0; i < base->naggs; i++) {
        out->aggs[i] = base->aggs[i];
        out->aggs[i].cfg = &ec->aggregates[i];
        relabel_agg(a, bc, ec, loc, &base->aggs[i], &out->aggs[i]);
    }
    return RC_OK;
}
