/* doc_float: placing floats. A paragraph that is only ![](figure:NAME),
 * ![](table:NAME) or ![](box:NAME) becomes a FIGURE / TABLE / BOX node,
 * numbered in order of placement (figures, tables and boxes separately).
 * Tables come from a Markdown file holding one GFM table or are generated
 * from an aggregate:
 *   rows          header = field labels; one row per data row
 *   distribution  categories x (Count, Share) per group; with several groups
 *                 a first header row carries the group labels
 *   likert        items x levels (shares), then Answered and Mean
 *   distinct/sum  group label, value
 * 'columns' replaces the labels of the last header row. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "doc_int.h"
#include "rc/chart.h"
#include "rc/util.h"

/* ---- generated tables ---------------------------------------------------- */

static rc_node *add_row(rc_arena *a, rc_node *t, bool header, rc_loc loc)
{
    rc_node *r = rc_node_new(a, RC_NODE_TABLE_ROW, loc);
    r->header = header;
    rc_node_append(t, r);
    return r;
}

static void add_cell(rc_arena *a, rc_node *row, const char *text, rc_align al)
{
    rc_node *c = rc_node_new(a, RC_NODE_TABLE_CELL, row->loc);
    c->align = al;
    rc_node_append(row, c);
    if (text && *text) {
        rc_node *t = rc_node_new(a, RC_NODE_TEXT, row->loc);
        t->text = text;
        t->len = strlen(text);
        rc_node_append(c, t);
    }
}

static const char *fmt(rc_doc_state *st, double v, const char *spec)
{
    char buf[96];
    rc_format_value(st->loc, v, spec, buf, sizeof buf);
    return rc_arena_strdup(st->a, buf);
}

static const char *word(rc_doc_state *st, rc_word w)
{
    return rc_locale_word(st->loc, w);
}

static bool numeric_field(const rc_field_cfg *f)
{
    return f && (f->type == RC_FIELD_INTEGER || f->type == RC_FIELD_NUMBER);
}

static void agg_rows(rc_doc_state *st, const rc_agg *g, rc_node *t, rc_loc loc)
{
    rc_arena *a = st->a;
    rc_align *al = rc_arena_array(a, g->ncols + 1, sizeof *al);
    for (size_t c = 0; c < g->ncols; c++)
        al[c] = g->fields && c < g->nfields && numeric_field(g->fields[c]) ? RC_ALIGN_RIGHT
                                                                           : RC_ALIGN_LEFT;
    rc_node *h = add_row(a, t, true, loc);
    for (size_t c = 0; c < g->ncols; c++)
        add_cell(a, h, g->col_label ? g->col_label[c] : "", al[c]);
    for (size_t r = 0; r < g->nrows; r++) {
        rc_node *row = add_row(a, t, false, loc);
        for (size_t c = 0; c < g->ncols; c++)
            add_cell(a, row, g->cell ? g->cell[rc_agg_at(g, r, c)] : "", al[c]);
    }
    t->ncols = g->ncols;
}

static double share_of(const rc_agg *g, size_t r, size_t c)
{
    if (g->share) return g->share[rc_agg_at(g, r, c)];
    if (g->total && g->total[c] > 0) return g->value[rc_agg_at(g, r, c)] / g->total[c];
    return NAN;
}

/* A body row of aggregate g's table, opened by row r's label (dflt when
 * the aggregate has no row labels). */
static rc_node *labelled_row(rc_arena *a, const rc_agg *g, rc_node *t, size_t r, const char *dflt,
                             rc_loc loc)
{
    rc_node *row = add_row(a, t, false, loc);
    add_cell(a, row, g->row_label ? g->row_label[r] : dflt, RC_ALIGN_LEFT);
    return row;
}

static void agg_distribution(rc_doc_state *st, const rc_agg *g, rc_node *t, rc_loc loc)
{
    rc_arena *a = st->a;
    const char *flabel = g->field && g->field->label.s ? g->field->label.s : "";
    if (g->ncols > 1) {
        rc_node *h = add_row(a, t, true, loc);
        add_cell(a, h, "", RC_ALIGN_LEFT);
        for (size_t c = 0; c < g->ncols; c++) {
            add_cell(a, h, g->col_label ? g->col_label[c] : "", RC_ALIGN_RIGHT);
            add_cell(a, h, "", RC_ALIGN_RIGHT);
        }
    }
    rc_node *h = add_row(a, t, true, loc);
    add_cell(a, h, flabel, RC_ALIGN_LEFT);
    for (size_t c = 0; c < g->ncols; c++) {
        add_cell(a, h, word(st, RC_W_COUNT), RC_ALIGN_RIGHT);
        add_cell(a, h, word(st, RC_W_SHARE), RC_ALIGN_RIGHT);
    }
    for (size_t r = 0; r < g->nrows; r++) {
        rc_node *row = labelled_row(a, g, t, r, "", loc);
        for (size_t c = 0; c < g->ncols; c++) {
            add_cell(a, row, fmt(st, g->value[rc_agg_at(g, r, c)], "integer"), RC_ALIGN_RIGHT);
            add_cell(a, row, fmt(st, share_of(g, r, c), "percent"), RC_ALIGN_RIGHT);
        }
    }
    t->ncols = 1 + 2 * g->ncols;
}

static void agg_likert(rc_doc_state *st, const rc_agg *g, rc_node *t, rc_loc loc)
{
    rc_arena *a = st->a;
    rc_node *h = add_row(a, t, true, loc);
    add_cell(a, h, "", RC_ALIGN_LEFT);
    for (size_t c = 0; c < g->ncols; c++)
        add_cell(a, h, g->col_label ? g->col_label[c] : "", RC_ALIGN_RIGHT);
    add_cell(a, h, word(st, RC_W_ANSWERED), RC_ALIGN_RIGHT);
    add_cell(a, h, word(st, RC_W_MEAN), RC_ALIGN_RIGHT);
    for (size_t r = 0; r < g->nrows; r++) {
        rc_node *row = labelled_row(a, g, t, r, "", loc);
        for (size_t c = 0; c < g->ncols; c++) {
            double sh = g->share ? g->share[rc_agg_at(g, r, c)]
                        : g->answered && g->answered[r] > 0
                            ? g->value[rc_agg_at(g, r, c)] / g->answered[r]
                            : NAN;
            add_cell(a, row, fmt(st, sh, "percent"), RC_ALIGN_RIGHT);
        }
        add_cell(a, row, fmt(st, g->answered ? g->answered[r] : NAN, "integer"), RC_ALIGN_RIGHT);
        add_cell(a, row, fmt(st, g->mean ? g->mean[r] : NAN, "number:2"), RC_ALIGN_RIGHT);
    }
    t->ncols = g->ncols + 3;
}

static void agg_value(rc_doc_state *st, const rc_agg *g, rc_node *t, rc_loc loc)
{
    rc_arena *a = st->a;
    rc_node *h = add_row(a, t, true, loc);
    add_cell(a, h, g->by && g->by->label.s ? g->by->label.s : "", RC_ALIGN_LEFT);
    add_cell(a, h, g->cfg && g->cfg->label.s ? g->cfg->label.s : word(st, RC_W_VALUE),
             RC_ALIGN_RIGHT);
    for (size_t r = 0; r < g->nrows; r++) {
        rc_node *row = labelled_row(a, g, t, r, word(st, RC_W_ALL), loc);
        add_cell(a, row, g->ncols ? fmt(st, g->value[rc_agg_at(g, r, 0)], "auto") : "",
                 RC_ALIGN_RIGHT);
    }
    t->ncols = 2;
}

static const rc_agg *find_agg(const rc_data *data, const char *name)
{
    for (size_t i = 0; data && name && i < data->naggs; i++)
        if (data->aggs[i].name && !strcmp(data->aggs[i].name, name)) return &data->aggs[i];
    return NULL;
}

static void table_from_agg(rc_doc_state *st, const rc_table_cfg *tc, rc_node *t)
{
    const rc_data *data = st->doc->data;
    const rc_agg *g = find_agg(data, tc->aggregate.s);
    if (!g) {
        const char *sug = NULL;
        if (data && data->naggs) {
            const char **c = rc_arena_array(st->a, data->naggs, sizeof *c);
            for (size_t i = 0; i < data->naggs; i++)
                c[i] = data->aggs[i].name;
            sug = rc_diag_suggest(tc->aggregate.s, c, data->naggs);
        }
        if (sug)
            rc_diag_error(st->d, tc->aggregate.loc,
                          "table '%s': unknown aggregate '%s'; did you mean '%s'?", tc->name.s,
                          tc->aggregate.s, sug);
        else
            rc_diag_error(st->d, tc->aggregate.loc, "table '%s': unknown aggregate '%s'",
                          tc->name.s, tc->aggregate.s);
        return;
    }
    rc_loc loc = tc->aggregate.loc;
    /* each kind's table */
    static void (*const fill[RC_AGG_ROWS + 1])(rc_doc_state *, const rc_agg *, rc_node *,
                                               rc_loc) = {[RC_AGG_ROWS] = agg_rows,
                                                          [RC_AGG_DISTRIBUTION] = agg_distribution,
                                                          [RC_AGG_LIKERT] = agg_likert,
                                                          [RC_AGG_DISTINCT] = agg_value,
                                                          [RC_AGG_SUM] = agg_value};
    if ((unsigned)g->kind <= RC_AGG_ROWS) fill[g->kind](st, g, t, loc);
}

/* ---- the data-quality table of a source ----------------------------------- */

/* One row per field: answered, missing (empty or a missing code), and the
 * values read as missing because they could not be used, by reason; the
 * four numbers of a row add up to the source's rows (data.h). The English
 * headers can be replaced with 'columns'. */
static void table_from_quality(rc_doc_state *st, const rc_table_cfg *tc, rc_node *t)
{
    const rc_data *data = st->doc->data;
    const rc_source_data *sd = data ? rc_data_source(data, tc->quality.s) : NULL;
    if (!sd || !sd->quality) {
        rc_diag_error(st->d, tc->quality.loc, "table '%s': unknown source '%s'", tc->name.s,
                      tc->quality.s);
        return;
    }
    rc_arena *a = st->a;
    rc_loc loc = tc->quality.loc;
    static const char *const head[] = {"Field", "Answered", "Missing", "Code not declared",
                                       "Outside the scale"};
    rc_node *h = add_row(a, t, true, loc);
    for (size_t i = 0; i < 5; i++)
        add_cell(a, h, head[i], i ? RC_ALIGN_RIGHT : RC_ALIGN_LEFT);
    for (size_t k = 0; k < sd->ncols; k++) {
        const rc_field_cfg *f = &sd->cfg->fields[k];
        const rc_field_quality *q = &sd->quality[k];
        rc_node *row = add_row(a, t, false, loc);
        add_cell(a, row, f->label.s ? f->label.s : f->name.s, RC_ALIGN_LEFT);
        add_cell(a, row, fmt(st, (double)q->answered, "integer"), RC_ALIGN_RIGHT);
        add_cell(a, row, fmt(st, (double)q->missing, "integer"), RC_ALIGN_RIGHT);
        add_cell(a, row, fmt(st, (double)q->dropped[RC_DROP_UNDECLARED], "integer"),
                 RC_ALIGN_RIGHT);
        add_cell(a, row, fmt(st, (double)q->dropped[RC_DROP_OUT_OF_SCALE], "integer"),
                 RC_ALIGN_RIGHT);
    }
    t->ncols = 5;
}

/* ---- tables and boxes from files ------------------------------------------ */

static char *read_md(rc_doc_state *st, const char *path, const rc_str *file, const char *what,
                     size_t *len)
{
    char *text = NULL;
    if (!path && file->s)
        path = rc_path_join(st->a, st->doc->cfg ? st->doc->cfg->dir : NULL, file->s);
    if (!path) {
        rc_diag_error(st->d, file->loc, "%s has no file", what);
        return NULL;
    }
    rc_status rs = rc_read_file(st->a, path, &text, len);
    if (rs != RC_OK) {
        rc_diag_error(st->d, file->loc, "cannot read %s file '%s': %s", what,
                      file->s ? file->s : path, rc_read_error(errno));
        if (rs == RC_ERR_LIMIT) st->limit_hit = true;
        return NULL;
    }
    return text;
}

static void table_from_file(rc_md *m, const rc_table_cfg *tc, rc_node *t)
{
    rc_doc_state *st = m->st;
    size_t len = 0;
    const char *path =
        tc->path ? tc->path
                 : rc_path_join(st->a, st->doc->cfg ? st->doc->cfg->dir : NULL, tc->file.s);
    char *text = read_md(st, path, &tc->file, "table", &len);
    if (!text) return;
    rc_md sub = {.st = st, .part = m->part, .mode = MD_TABLE, .in_note = true};
    cmark_node *root = rc_md_parse(&sub, path, text, len);
    if (!root) return;
    cmark_node *found = NULL;
    for (cmark_node *c = cmark_node_first_child(root); c; c = cmark_node_next(c)) {
        if (!rc_md_is(c, "table")) continue;
        if (found) {
            rc_diag_error(st->d, rc_md_loc(&sub, c, (rc_loc){path, 1, 1}),
                          "table file for '%s' holds more than one table", tc->name.s);
            break;
        }
        found = c;
    }
    if (!found)
        rc_diag_error(st->d, tc->file.loc, "table file '%s' holds no GFM table",
                      tc->file.s ? tc->file.s : path);
    else
        rc_md_table(&sub, found, t);
    rc_md_release(&sub, root);
}

static void apply_columns(rc_doc_state *st, const rc_table_cfg *tc, rc_node *t)
{
    if (!tc->columns.n) return;
    rc_node *h = NULL;
    for (rc_node *r = t->first; r; r = r->next)
        if (r->header) h = r;
    if (!h) return;
    size_t n = 0;
    for (rc_node *c = h->first; c; c = c->next)
        n++;
    if (n != tc->columns.n) {
        rc_diag_error(st->d, tc->columns.v[0].loc,
                      "table '%s': 'columns' lists %zu labels but the table has %zu columns",
                      tc->name.s, tc->columns.n, n);
        return;
    }
    size_t i = 0;
    for (rc_node *c = h->first; c; c = c->next, i++) {
        c->first = c->last = NULL;
        const rc_str *lab = &tc->columns.v[i];
        rc_node *tx = rc_node_new(st->a, RC_NODE_TEXT, lab->loc);
        tx->text = lab->s ? lab->s : "";
        tx->len = strlen(tx->text);
        rc_node_append(c, tx);
    }
}

/* 'widths' gives one number per column: a different count used to be
 * ignored silently (equal widths), so it is an error at the key. */
static void check_widths(rc_doc_state *st, const rc_table_cfg *tc, const rc_node *t)
{
    if (!tc->widths.n || !t->first) return;
    size_t n = 0;
    for (const rc_node *c = t->first->first; c; c = c->next)
        n++;
    if (n && n != tc->widths.n)
        rc_diag_error(st->d, tc->widths.v[0].loc,
                      "table '%s': 'widths' lists %zu widths but the table has %zu columns",
                      tc->name.s, tc->widths.n, n);
}

/* ---- placement --------------------------------------------------------------- */

static const char *const prefixes[K_COUNT] = {"figure:", "table:", "box:"};

bool rc_doc_place(rc_md *m, cmark_node *cm, rc_node *parent)
{
    cmark_node *img = cmark_node_first_child(cm);
    if (!img || cmark_node_next(img) || cmark_node_get_type(img) != CMARK_NODE_IMAGE) return false;
    const char *url = cmark_node_get_url(img);
    int kind = -1;
    for (int k = 0; k < K_COUNT && url; k++)
        if (!strncmp(url, prefixes[k], strlen(prefixes[k]))) kind = k;
    if (kind < 0) return false;
    rc_doc_state *st = m->st;
    rc_arena *a = st->a;
    rc_loc loc = rc_md_loc(m, img, rc_md_loc(m, cm, parent->loc));
    const char *name = url + strlen(prefixes[kind]);
    const char *kn = rc_doc_kind_name(kind);
    size_t ix;
    if (!rc_doc_find_float(st, kind, name, &ix)) {
        const rc_config *c = st->doc->cfg;
        size_t n = st->ndeclared[kind];
        const char **cands = rc_arena_array(a, n + 1, sizeof *cands);
        for (size_t i = 0; c && i < n; i++)
            cands[i] = kind == K_FIGURE  ? c->figures[i].name.s
                       : kind == K_TABLE ? c->tables[i].name.s
                                         : c->boxes[i].name.s;
        const char *sug = rc_diag_suggest(name, cands, n);
        if (sug)
            rc_diag_error(st->d, loc, "unknown %s '%s'; did you mean '%s'?", kn, name, sug);
        else
            rc_diag_error(st->d, loc, "unknown %s '%s' (declare it in a [%s %s] section)", kn, name,
                          kn, name);
        return true;
    }
    const rc_node *prev = st->placed[kind][ix];
    if (prev) {
        rc_diag_error(st->d, loc, "%s '%s' is already placed at %s:%u", kn, name,
                      prev->loc.file ? prev->loc.file : "?", prev->loc.line);
        return true;
    }
    static const rc_node_type types[K_COUNT] = {RC_NODE_FIGURE, RC_NODE_TABLE, RC_NODE_BOX};
    rc_node *n = rc_node_new(a, types[kind], loc);
    n->part = m->part;
    n->number = rc_arena_printf(a, "%d", ++st->nfloat[kind]);
    n->id = rc_arena_printf(a, "%s:%s", kn, name);
    st->placed[kind][ix] = n;
    rc_node_append(parent, n);
    const rc_config *cfg = st->doc->cfg;
    if (kind == K_FIGURE) {
        const rc_figure_cfg *fc = &cfg->figures[ix];
        n->figure = fc;
        n->caption = rc_doc_expand_plain(st, &fc->caption);
        n->source_line = rc_doc_expand_plain(st, &fc->source_line);
        n->note = rc_doc_expand_plain(st, &fc->note);
        if (st->doc->data) n->chart = rc_chart_build(a, fc, st->doc->data, st->loc, st->d);
        rc_float_ref r = {n, n->number, n->caption, n->id};
        RC_PUSH(a, st->doc->figures, r);
    } else if (kind == K_TABLE) {
        const rc_table_cfg *tc = &cfg->tables[ix];
        n->table = tc;
        n->caption = rc_doc_expand_plain(st, &tc->caption);
        n->source_line = rc_doc_expand_plain(st, &tc->source_line);
        n->note = rc_doc_expand_plain(st, &tc->note);
        rc_float_ref r = {n, n->number, n->caption, n->id};
        RC_PUSH(a, st->doc->tables, r);
        if (tc->quality.s)
            table_from_quality(st, tc, n);
        else if (tc->aggregate.s)
            table_from_agg(st, tc, n);
        else if (tc->file.s || tc->path)
            table_from_file(m, tc, n);
        else
            rc_diag_error(st->d, tc->loc, "table '%s' needs 'aggregate' or 'file'", name);
        apply_columns(st, tc, n);
        check_widths(st, tc, n);
    } else {
        const rc_box_cfg *bc = &cfg->boxes[ix];
        n->box = bc;
        n->caption = rc_doc_expand_plain(st, &bc->title);
        rc_float_ref r = {n, n->number, n->caption, n->id};
        RC_PUSH(a, st->doc->boxes, r);
        size_t len = 0;
        const char *path = bc->path ? bc->path : rc_path_join(a, cfg->dir, bc->file.s);
        char *text = read_md(st, path, &bc->file, "box", &len);
        if (text) rc_md_into(st, path, text, len, MD_BOX, n, loc);
    }
    return true;
}
