/* chart_pairs.c: the pairings diagram's model (two columns of regions
 * grouped by country, one link per pairing coloured by theme) and its height;
 * chart_pairs_draw.c draws it.
 *
 * The model reads the rows of the source named by the figure's 'data' key:
 * the source's kept rows (rc_data_build keeps them when asked or when a rows
 * aggregate needs them) or, failing that, a 'rows' aggregate of that source
 * listing the needed fields. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_model.h"

enum { ROLE_LEFT, ROLE_LGROUP, ROLE_RIGHT, ROLE_RGROUP, ROLE_COLOR, NROLES };

typedef struct role {
    const rc_str *key;
    const rc_field_cfg *f; /* NULL when the key is absent (optional roles) */
    size_t col;            /* column in the row table used */
} role;

/* The display text of a typed cell (category label, first mentioned code of
 * a multi field, else the raw text); NULL when missing. */
static const char *cell_text(const rc_field_cfg *f, const rc_value *v)
{
    if (v->missing) return NULL;
    if (f->type == RC_FIELD_CATEGORY && v->code >= 0 && (size_t)v->code < f->ncodes)
        return f->codes[v->code].label ? f->codes[v->code].label : f->codes[v->code].code;
    if (f->type == RC_FIELD_MULTI && v->mask) {
        for (size_t i = 0; i < f->ncodes && i < 64; i++)
            if (v->mask & ((uint64_t)1 << i))
                return f->codes[i].label ? f->codes[i].label : f->codes[i].code;
    }
    return v->text && v->text[0] ? v->text : NULL;
}

/* Declared position of a label among a category field's codes (orders the
 * country groups and the legend as the config declares them). */
static size_t declared_rank(const rc_field_cfg *f, const char *label)
{
    if (!f || (f->type != RC_FIELD_CATEGORY && f->type != RC_FIELD_MULTI)) return SIZE_MAX;
    for (size_t i = 0; i < f->ncodes; i++)
        if ((f->codes[i].label && strcmp(f->codes[i].label, label) == 0) ||
            (f->codes[i].code && strcmp(f->codes[i].code, label) == 0))
            return i;
    return SIZE_MAX;
}

typedef struct keyed {
    const char *s;
    size_t rank;  /* declared rank, or SIZE_MAX */
    size_t first; /* first appearance */
} keyed;

typedef RC_VEC(keyed) keyed_vec;

/* Index of s in v, adding it when new. */
static size_t intern(rc_arena *a, keyed_vec *v, const char *s, const rc_field_cfg *f)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i].s, s) == 0) return i;
    keyed k = {s, declared_rank(f, s), v->n};
    RC_PUSH(a, *v, k);
    return v->n - 1;
}

static bool keyed_before(const keyed *x, const keyed *y)
{
    if (x->rank != y->rank) return x->rank < y->rank;
    return x->first < y->first;
}

typedef struct node {
    const char *label;
    size_t group; /* index into the group list, SIZE_MAX = none */
    size_t first;
    double bary; /* right nodes: mean position of linked left nodes */
} node;

typedef RC_VEC(node) node_vec;

static size_t intern_node(rc_arena *a, node_vec *v, const char *label, size_t group)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].group == group && strcmp(v->v[i].label, label) == 0) return i;
    node n = {label, group, v->n, 0};
    RC_PUSH(a, *v, n);
    return v->n - 1;
}

/* perm: an order of nodes by (group order, key); insertion sort (tens of
 * nodes) keeps it stable. */
static void order_nodes(const node_vec *nodes, const keyed_vec *groups, bool by_bary, size_t *perm)
{
    for (size_t i = 0; i < nodes->n; i++)
        perm[i] = i;
    for (size_t i = 1; i < nodes->n; i++) {
        size_t k = perm[i];
        size_t j = i;
        while (j > 0) {
            const node *p = &nodes->v[perm[j - 1]], *q = &nodes->v[k];
            bool before;
            size_t gp = p->group == SIZE_MAX ? 0 : p->group;
            size_t gq = q->group == SIZE_MAX ? 0 : q->group;
            if (p->group != q->group && groups->n > 0 && p->group != SIZE_MAX &&
                q->group != SIZE_MAX)
                before = keyed_before(&groups->v[gq], &groups->v[gp]);
            else if (by_bary && q->bary != p->bary)
                before = q->bary < p->bary;
            else
                before = q->first < p->first;
            if (!before) break;
            perm[j] = perm[j - 1];
            j--;
        }
        perm[j] = k;
    }
}

static const rc_field_cfg *find_field(rc_arena *a, const rc_source_cfg *src, const rc_str *key,
                                      const rc_figure_cfg *fig, bool required, bool *ok, rc_diag *d)
{
    if (!key->s || !key->s[0]) {
        if (required) {
            rc_diag_error(d, fig->loc, "pairings figure '%s' needs 'left' and 'right' fields",
                          fig->name.s ? fig->name.s : "?");
            *ok = false;
        }
        return NULL;
    }
    const rc_field_cfg *f = rc_config_field(src, key->s);
    if (f) return f;
    rc_diag_error(d, key->loc, "unknown field '%s' in source '%s'%s", key->s, src->name.s,
                  rc_config_field_hint(a, src, key->s, false));
    *ok = false;
    return NULL;
}

/* pos[perm[i]] = i: where each item went in the order perm. */
static size_t *positions(rc_arena *a, const size_t *perm, size_t n)
{
    size_t *pos = rc_arena_array(a, n + 1, sizeof *pos);
    for (size_t i = 0; i < n; i++)
        pos[perm[i]] = i;
    return pos;
}

/* One column of the diagram: its nodes in the order perm, with their groups. */
static rc_pair_node *column(rc_arena *a, const node_vec *ns, const keyed_vec *groups,
                            const size_t *perm)
{
    rc_pair_node *out = rc_arena_array(a, ns->n + 1, sizeof *out);
    for (size_t i = 0; i < ns->n; i++) {
        const node *n = &ns->v[perm[i]];
        out[i].label = n->label;
        out[i].group = n->group == SIZE_MAX ? NULL : groups->v[n->group].s;
    }
    return out;
}

/* A rows aggregate of the source listing every field we need, if any. */
static const rc_agg *rows_agg(const rc_data *data, const char *source, role *roles)
{
    for (size_t i = 0; i < data->naggs; i++) {
        const rc_agg *g = &data->aggs[i];
        if (g->kind != RC_AGG_ROWS || !g->cell || !g->cfg || !g->cfg->source.s ||
            strcmp(g->cfg->source.s, source) != 0)
            continue;
        bool all = true;
        size_t cols[NROLES] = {0};
        for (size_t r = 0; r < NROLES && all; r++) {
            if (!roles[r].f) continue;
            bool found = false;
            for (size_t k = 0; k < g->nfields && k < g->ncols; k++)
                if (g->fields[k] == roles[r].f ||
                    (g->fields[k] && strcmp(g->fields[k]->name.s, roles[r].f->name.s) == 0)) {
                    cols[r] = k;
                    found = true;
                    break;
                }
            all = found;
        }
        if (all) {
            for (size_t r = 0; r < NROLES; r++)
                roles[r].col = cols[r];
            return g;
        }
    }
    return NULL;
}

rc_chart *rc_chart_build_pairings(rc_arena *a, rc_chart *c, const rc_data *data, rc_diag *d)
{
    const rc_figure_cfg *fig = c->cfg;
    const char *fname = fig->name.s ? fig->name.s : "?";
    if (!fig->data.s || !fig->data.s[0]) {
        rc_diag_error(d, fig->loc, "pairings figure '%s' needs 'data' (the name of a source)",
                      fname);
        return NULL;
    }
    const rc_source_data *sd = rc_data_source(data, fig->data.s);
    if (!sd) {
        const char *cands[256];
        size_t n = 0;
        for (size_t i = 0; i < data->nsources && n < 256; i++)
            cands[n++] = data->sources[i].cfg->name.s;
        const char *sugg = rc_diag_suggest(fig->data.s, cands, n);
        if (sugg)
            rc_diag_error(d, fig->data.loc, "figure '%s': unknown source '%s'; did you mean '%s'?",
                          fname, fig->data.s, sugg);
        else
            rc_diag_error(d, fig->data.loc, "figure '%s': unknown source '%s'", fname, fig->data.s);
        return NULL;
    }
    const rc_source_cfg *src = sd->cfg;
    role roles[NROLES] = {{&fig->left, NULL, 0},
                          {&fig->left_group, NULL, 0},
                          {&fig->right, NULL, 0},
                          {&fig->right_group, NULL, 0},
                          {&fig->color, NULL, 0}};
    bool ok = true;
    for (size_t r = 0; r < NROLES; r++) {
        roles[r].f =
            find_field(a, src, roles[r].key, fig, r == ROLE_LEFT || r == ROLE_RIGHT, &ok, d);
        if (roles[r].f) roles[r].col = roles[r].f->index;
    }
    if (!ok) return NULL;

    const rc_agg *ra = NULL;
    size_t nrows = sd->nrows;
    if (!sd->rows) {
        ra = rows_agg(data, fig->data.s, roles);
        if (!ra) {
            rc_diag_error(d, fig->data.loc,
                          "pairings figure '%s' needs the rows of source '%s', which were not "
                          "kept (add a rows aggregate of that source listing its fields)",
                          fname, fig->data.s);
            return NULL;
        }
        nrows = ra->nrows;
    }

    c->left_title =
        roles[ROLE_LEFT].f->label.s ? roles[ROLE_LEFT].f->label.s : roles[ROLE_LEFT].f->name.s;
    c->right_title =
        roles[ROLE_RIGHT].f->label.s ? roles[ROLE_RIGHT].f->label.s : roles[ROLE_RIGHT].f->name.s;

    keyed_vec lgroups = {0}, rgroups = {0}, themes = {0};
    node_vec lnodes = {0}, rnodes = {0};
    typedef struct raw {
        size_t l, r, t;
    } raw;
    RC_VEC(raw) raws = {0};
    for (size_t i = 0; i < nrows; i++) {
        const char *t[NROLES] = {0};
        for (size_t r = 0; r < NROLES; r++) {
            if (!roles[r].f) continue;
            if (ra) {
                const char *s = ra->cell[rc_agg_at(ra, i, roles[r].col)];
                t[r] = s && s[0] ? s : NULL;
            } else {
                t[r] = cell_text(roles[r].f, &sd->rows[i * sd->ncols + roles[r].col]);
            }
        }
        if (!t[ROLE_LEFT] || !t[ROLE_RIGHT]) {
            rc_loc at = {src->path ? src->path : src->file.s,
                         sd->row_line && !ra ? sd->row_line[i] : 0, 0};
            rc_diag_warning(d, at, "figure '%s': pairing without %s region is not drawn", fname,
                            t[ROLE_LEFT] ? "a right" : "a left");
            continue;
        }
        size_t lg =
            t[ROLE_LGROUP] ? intern(a, &lgroups, t[ROLE_LGROUP], roles[ROLE_LGROUP].f) : SIZE_MAX;
        size_t rg =
            t[ROLE_RGROUP] ? intern(a, &rgroups, t[ROLE_RGROUP], roles[ROLE_RGROUP].f) : SIZE_MAX;
        raw rw = {
            intern_node(a, &lnodes, t[ROLE_LEFT], lg), intern_node(a, &rnodes, t[ROLE_RIGHT], rg),
            t[ROLE_COLOR] ? intern(a, &themes, t[ROLE_COLOR], roles[ROLE_COLOR].f) : SIZE_MAX};
        RC_PUSH(a, raws, rw);
    }

    /* Left column in group order; right column in group order, and inside a
     * group by the mean row of its partners so fewer links cross. */
    size_t *lperm = rc_arena_array(a, lnodes.n + 1, sizeof *lperm);
    order_nodes(&lnodes, &lgroups, false, lperm);
    size_t *lpos = positions(a, lperm, lnodes.n);
    double *cnt = rc_arena_array(a, rnodes.n + 1, sizeof *cnt);
    for (size_t i = 0; i < raws.n; i++) {
        rnodes.v[raws.v[i].r].bary += (double)lpos[raws.v[i].l];
        cnt[raws.v[i].r] += 1;
    }
    for (size_t i = 0; i < rnodes.n; i++)
        if (cnt[i] > 0) rnodes.v[i].bary /= cnt[i];
    size_t *rperm = rc_arena_array(a, rnodes.n + 1, sizeof *rperm);
    order_nodes(&rnodes, &rgroups, true, rperm);
    size_t *rpos = positions(a, rperm, rnodes.n);

    /* Legend in declared theme order. */
    size_t *tperm = rc_arena_array(a, themes.n + 1, sizeof *tperm);
    for (size_t i = 0; i < themes.n; i++) {
        size_t j = i;
        while (j > 0 && keyed_before(&themes.v[i], &themes.v[tperm[j - 1]])) {
            tperm[j] = tperm[j - 1];
            j--;
        }
        tperm[j] = i;
    }
    size_t *tpos = positions(a, tperm, themes.n);

    c->nleft = lnodes.n;
    c->left = column(a, &lnodes, &lgroups, lperm);
    c->nright = rnodes.n;
    c->right = column(a, &rnodes, &rgroups, rperm);
    c->nlegend = themes.n;
    c->legend = rc_arena_array(a, themes.n + 1, sizeof *c->legend);
    for (size_t i = 0; i < themes.n; i++)
        c->legend[i] = themes.v[tperm[i]].s;
    c->nlinks = raws.n;
    c->links = rc_arena_array(a, raws.n + 1, sizeof *c->links);
    for (size_t i = 0; i < raws.n; i++) {
        c->links[i].left = lpos[raws.v[i].l];
        c->links[i].right = rpos[raws.v[i].r];
        c->links[i].color = raws.v[i].t == SIZE_MAX ? themes.n : tpos[raws.v[i].t];
    }
    return c;
}

/* ---- measuring (no fonts) ---------------------------------------------- */

/* Rows of one column: a heading whenever the group changes, then the node.
 * rows may be NULL (count only); node_row receives each node's row. */
size_t rc_chart_pair_rows(const rc_pair_node *nodes, size_t n, rc_chart_prow *rows,
                          size_t *node_row)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *g = nodes[i].group;
        if (g && (i == 0 || !nodes[i - 1].group || strcmp(nodes[i - 1].group, g) != 0)) {
            if (rows) rows[k] = (rc_chart_prow){g, true};
            k++;
        }
        if (node_row) node_row[i] = k;
        if (rows) rows[k] = (rc_chart_prow){nodes[i].label, false};
        k++;
    }
    return k;
}

/* Rough line count of the flowing legend without fonts (rc_chart_height has
 * no fonts); it errs on the generous side, and the renderer adapts the row
 * pitch to the height it is given. */
static double legend_estimate(const rc_chart *c, double w)
{
    if (c->nlegend == 0) return 0;
    double cx = 0, rows = 1;
    for (size_t i = 0; i < c->nlegend; i++) {
        double iw = 14 + 3 + 0.55 * RC_CHART_LEGEND_PT * (double)strlen(c->legend[i]);
        if (cx > 0 && cx + iw > w) {
            rows += 1;
            cx = 0;
        }
        cx += iw + 10;
    }
    return rows * (1.2 * RC_CHART_LEGEND_PT + 3) + 8;
}

double rc_chart_pairings_height(const rc_chart *c, double w)
{
    size_t nl = rc_chart_pair_rows(c->left, c->nleft, NULL, NULL);
    size_t nr = rc_chart_pair_rows(c->right, c->nright, NULL, NULL);
    size_t n = nl > nr ? nl : nr;
    double pitch = 1.2 * PAIR_PT * PAIR_LEADING;
    double title = 1.2 * PAIR_TITLE_PT + 6;
    return title + (double)n * pitch + 4 + legend_estimate(c, w);
}
