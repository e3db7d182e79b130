/* config_check: what can be checked from the config alone once every section
 * is typed - references between sections (sources, fields, metrics,
 * aggregates), whether a field's type suits its use, defaults that depend on
 * a referenced field, and that every input file exists. Filters ('where',
 * 'of') are compiled by data.c, which knows the codes of the fields. */
#include "config_impl.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "rc/util.h"

static const rc_source_cfg *source_ref(rc_cfgi *p, rc_str ref)
{
    if (!ref.s || !ref.s[0]) return NULL;
    const rc_source_cfg *s = rc_config_source(p->c, ref.s);
    if (s) return s;
    const char **names = rc_arena_array(p->a, p->c->nsources + 1, sizeof *names);
    for (size_t i = 0; i < p->c->nsources; i++)
        names[i] = p->c->sources[i].name.s;
    const char *sug = rc_diag_suggest(ref.s, names, p->c->nsources);
    if (sug)
        rc_diag_error(p->d, ref.loc, "unknown source '%s'; did you mean '%s'?", ref.s, sug);
    else
        rc_diag_error(p->d, ref.loc, "unknown source '%s' (no [source %s] section)", ref.s, ref.s);
    return NULL;
}

static const rc_field_cfg *field_ref(rc_cfgi *p, const rc_source_cfg *src, rc_str ref)
{
    if (!src || !ref.s || !ref.s[0]) return NULL;
    const rc_field_cfg *f = rc_config_field(src, ref.s);
    if (f) return f;
    rc_diag_error(p->d, ref.loc, "unknown field '%s' in source '%s'%s", ref.s, src->name.s,
                  rc_config_field_hint(p->a, src, ref.s, false));
    return NULL;
}

static bool numeric(const rc_field_cfg *f)
{
    return f->type == RC_FIELD_INTEGER || f->type == RC_FIELD_NUMBER || f->type == RC_FIELD_LIKERT;
}

/* Reports a field whose type does not suit its use: "a sum needs ...". */
static void wrong_type(rc_cfgi *p, rc_loc loc, const rc_field_cfg *f, const char *use,
                       const char *needs)
{
    if (rc_cfgi_is_bad(p, f->loc)) return; /* its type was invalid and is reported */
    rc_diag_error(p->d, loc, "field '%s' is %s; %s needs %s", f->name.s,
                  rc_field_type_name(f->type), use, needs);
}

static void check_sources(rc_cfgi *p)
{
    for (size_t i = 0; i < p->c->nsources; i++) {
        rc_source_cfg *s = &p->c->sources[i];
        if (s->path) rc_cfgi_check_file(p, "CSV file", s->file.s, s->path, s->file.loc);
        if (s->nfields == 0)
            rc_diag_error(p->d, s->loc,
                          "source '%s' has no fields; declare them in [field %s.NAME] sections",
                          s->name.s, s->name.s);
        field_ref(p, s, s->key);
    }
}

static void check_metrics(rc_cfgi *p)
{
    static const char *const op_names[] = {"count",    "sum", "mean", "share",
                                           "distinct", "min", "max"};
    for (size_t i = 0; i < p->c->nmetrics; i++) {
        rc_metric_cfg *m = &p->c->metrics[i];
        const rc_source_cfg *src = source_ref(p, m->source);
        const rc_field_cfg *f = field_ref(p, src, m->field);
        bool needs_number = m->op == RC_METRIC_SUM || m->op == RC_METRIC_MEAN ||
                            m->op == RC_METRIC_MIN || m->op == RC_METRIC_MAX;
        if (f && needs_number && !numeric(f))
            wrong_type(p, m->field.loc, f, rc_arena_printf(p->a, "op = %s", op_names[m->op]),
                       "an integer, number or likert field");
        if (m->format.s) continue;
        /* The default format follows the op and, for sums and extremes, the field. */
        const char *fmt = "integer";
        switch (m->op) {
        case RC_METRIC_SHARE:
            fmt = "percent:1";
            break;
        case RC_METRIC_MEAN:
            fmt = "number:1";
            break;
        case RC_METRIC_SUM:
        case RC_METRIC_MIN:
        case RC_METRIC_MAX:
            fmt = f && f->type == RC_FIELD_NUMBER ? "auto" : "integer";
            break;
        default:
            break;
        }
        m->format.s = fmt;
    }
}

static void check_aggregates(rc_cfgi *p)
{
    for (size_t i = 0; i < p->c->naggregates; i++) {
        rc_aggregate_cfg *g = &p->c->aggregates[i];
        const rc_source_cfg *src = source_ref(p, g->source);
        if (!src || rc_cfgi_is_bad(p, g->loc)) continue;
        const char *use = rc_arena_printf(p->a, "a %s aggregate", rc_agg_kind_name(g->kind));
        const rc_field_cfg *by = field_ref(p, src, g->by);
        if (by && by->type != RC_FIELD_CATEGORY && g->kind != RC_AGG_ROWS)
            wrong_type(p, g->by.loc, by, "'by'", "a category field");
        switch (g->kind) {
        case RC_AGG_DISTRIBUTION:
        case RC_AGG_DISTINCT:
        case RC_AGG_SUM: {
            const rc_field_cfg *f = field_ref(p, src, g->field);
            if (!f) break;
            if (g->kind == RC_AGG_DISTRIBUTION && f->type != RC_FIELD_CATEGORY &&
                f->type != RC_FIELD_MULTI)
                wrong_type(p, g->field.loc, f, use, "a category or multi field");
            if (g->kind == RC_AGG_SUM && !numeric(f))
                wrong_type(p, g->field.loc, f, use, "an integer, number or likert field");
            break;
        }
        case RC_AGG_LIKERT:
        case RC_AGG_ROWS: {
            const rc_field_cfg *first = NULL;
            for (size_t j = 0; j < g->fields.n; j++) {
                const rc_field_cfg *f = field_ref(p, src, g->fields.v[j]);
                if (!f || g->kind == RC_AGG_ROWS) continue;
                if (f->type != RC_FIELD_LIKERT) {
                    wrong_type(p, g->fields.v[j].loc, f, use, "likert fields");
                    continue;
                }
                if (!first) {
                    first = f;
                } else if (f->scale_min != first->scale_min || f->scale_max != first->scale_max) {
                    rc_diag_error(p->d, g->fields.v[j].loc,
                                  "field '%s' has the scale %d..%d but '%s' has %d..%d; a likert "
                                  "aggregate needs one scale",
                                  f->name.s, f->scale_min, f->scale_max, first->name.s,
                                  first->scale_min, first->scale_max);
                }
            }
            break;
        }
        }
    }
}

static const char **metric_names(rc_cfgi *p)
{
    const char **names = rc_arena_array(p->a, p->c->nmetrics + 1, sizeof *names);
    for (size_t i = 0; i < p->c->nmetrics; i++)
        names[i] = p->c->metrics[i].name.s;
    return names;
}

static const char **aggregate_names(rc_cfgi *p)
{
    const char **names = rc_arena_array(p->a, p->c->naggregates + 1, sizeof *names);
    for (size_t i = 0; i < p->c->naggregates; i++)
        names[i] = p->c->aggregates[i].name.s;
    return names;
}

static const rc_aggregate_cfg *aggregate_ref(rc_cfgi *p, rc_str ref)
{
    if (!ref.s || !ref.s[0]) return NULL;
    const rc_aggregate_cfg *g = rc_config_aggregate(p->c, ref.s);
    if (g) return g;
    const char *sug = rc_diag_suggest(ref.s, aggregate_names(p), p->c->naggregates);
    if (sug)
        rc_diag_error(p->d, ref.loc, "unknown aggregate '%s'; did you mean '%s'?", ref.s, sug);
    else
        rc_diag_error(p->d, ref.loc, "unknown aggregate '%s' (no [aggregate %s] section)", ref.s,
                      ref.s);
    return NULL;
}

/* items = METRIC: Label | METRIC: Label */
static void check_tiles(rc_cfgi *p, const rc_figure_cfg *f)
{
    for (size_t i = 0; i < f->items.n; i++) {
        const char *it = f->items.v[i].s, *colon = strchr(it, ':');
        size_t n = colon ? (size_t)(colon - it) : strlen(it);
        while (n > 0 && (it[n - 1] == ' ' || it[n - 1] == '\t'))
            n--;
        char *name = rc_arena_strndup(p->a, it, n);
        if (!name[0]) {
            rc_diag_error(p->d, f->items.v[i].loc, "missing metric name before ':' in 'items'");
            continue;
        }
        if (rc_config_metric(p->c, name)) continue;
        const char *sug = rc_diag_suggest(name, metric_names(p), p->c->nmetrics);
        if (sug)
            rc_diag_error(p->d, f->items.v[i].loc, "unknown metric '%s'; did you mean '%s'?", name,
                          sug);
        else
            rc_diag_error(p->d, f->items.v[i].loc, "unknown metric '%s' (no [metric %s] section)",
                          name, name);
    }
}

static void check_figures(rc_cfgi *p)
{
    for (size_t i = 0; i < p->c->nfigures; i++) {
        const rc_figure_cfg *f = &p->c->figures[i];
        if (rc_cfgi_is_bad(p, f->loc)) {
            /* Unknown type (reported): only check that the names exist. */
            for (size_t j = 0; j < f->aggregate.n; j++)
                aggregate_ref(p, f->aggregate.v[j]);
            continue;
        }
        if (f->type == RC_CHART_TILES) {
            check_tiles(p, f);
            continue;
        }
        if (f->type == RC_CHART_PAIRINGS) {
            const rc_source_cfg *src = source_ref(p, f->data);
            const rc_str *refs[] = {&f->left, &f->left_group, &f->right, &f->right_group,
                                    &f->color};
            for (size_t j = 0; j < sizeof refs / sizeof refs[0]; j++)
                field_ref(p, src, *refs[j]);
            continue;
        }
        for (size_t j = 0; j < f->aggregate.n; j++) {
            const rc_aggregate_cfg *g = aggregate_ref(p, f->aggregate.v[j]);
            if (!g || rc_cfgi_is_bad(p, g->loc)) continue;
            rc_loc loc = f->aggregate.v[j].loc;
            const char *tn = rc_chart_type_name(f->type);
            if (g->kind == RC_AGG_ROWS)
                rc_diag_error(p->d, loc,
                              "aggregate '%s' is a listing (kind = rows) and cannot be "
                              "drawn; use it in a [table]",
                              g->name.s);
            else if ((f->type == RC_CHART_LIKERT) != (g->kind == RC_AGG_LIKERT))
                rc_diag_error(p->d, loc, "a %s figure cannot draw aggregate '%s' (kind = %s); %s",
                              tn, g->name.s, rc_agg_kind_name(g->kind),
                              f->type == RC_CHART_LIKERT
                                  ? "it needs a likert aggregate"
                                  : "likert aggregates are drawn with type = likert");
            else if ((f->type == RC_CHART_GROUPED || f->type == RC_CHART_STACKED) && !g->by.s)
                rc_diag_error(p->d, loc,
                              "a %s figure needs groups, but aggregate '%s' has no "
                              "'by'",
                              tn, g->name.s);
        }
    }
}

static void check_files(rc_cfgi *p)
{
    rc_config *c = p->c;
    for (size_t i = 0; i < c->ntables; i++) {
        const rc_table_cfg *t = &c->tables[i];
        aggregate_ref(p, t->aggregate);
        if (t->path && !t->aggregate.s)
            rc_cfgi_check_file(p, "table file", t->file.s, t->path, t->file.loc);
    }
    for (size_t i = 0; i < c->nboxes; i++)
        if (c->boxes[i].path)
            rc_cfgi_check_file(p, "box file", c->boxes[i].file.s, c->boxes[i].path,
                               c->boxes[i].file.loc);
    const rc_document_cfg *d = &c->document;
    const struct {
        const char *what;
        const rc_strlist *l;
        const char *const *paths;
    } lists[] = {{"front matter file", &d->front, d->front_path},
                 {"chapter", &d->chapters, d->chapter_path},
                 {"back matter file", &d->back, d->back_path},
                 {"annex", &d->annexes, d->annex_path}};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++)
        for (size_t i = 0; i < lists[k].l->n; i++)
            rc_cfgi_check_file(p, lists[k].what, lists[k].l->v[i].s, lists[k].paths[i],
                               lists[k].l->v[i].loc);
    const rc_style_cfg *st = &c->style;
    for (int i = 0; i < 5; i++)
        if (st->font_path[i])
            rc_cfgi_check_file(p, "font file", rc_path_base(st->font_path[i]), st->font_path[i],
                               st->font_loc[i]);
    if (st->hyphenate && st->hyphenation)
        rc_cfgi_check_file(p, "hyphenation dictionary", rc_path_base(st->hyphenation),
                           st->hyphenation, st->hyphenation_loc);
    struct stat sb;
    const rc_output_cfg *o = &c->output;
    if (o->dir && stat(o->dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
        rc_diag_error(p->d, o->directory.loc,
                      "output directory '%s' exists and is not a directory (%s)", o->directory.s,
                      o->dir);
}

void rc_cfgi_check(rc_cfgi *p)
{
    check_sources(p);
    check_metrics(p);
    check_aggregates(p);
    check_figures(p);
    check_files(p);
}
