/* doc_aggref: placeholders that reach into an aggregate's cells, so a
 * chapter can quote a Likert block or a distribution without one [metric]
 * section per number:
 *   {{AGG[ROW].STAT}}        a row of the aggregate (its only column)
 *   {{AGG[ROW][COL].STAT}}   one cell
 * ROW and COL are codes as the aggregate names them: the code of a
 * category or multi field ("face-to-face", quoted with "..." when it holds
 * ']' or '.'), a Likert item's field name and a scale level ("5"), a group
 * of 'by' or "all". STAT, and what a share is a share of:
 *   count    the cell's count (default for distribution and likert cells)
 *   share    count / answered: for distribution, the rows of that group
 *            with an answer (multi: who chose at least one option); for a
 *            likert cell, the rows that answered that item
 *   total    distribution: that denominator for the column
 *   answered likert: rows that answered the item (missing answers and
 *            answers outside the scale excluded)
 *   top2     likert: share of answered in the two highest levels
 *   mean, median   likert: of the answered levels
 *   value    distinct and sum aggregates: the group's value (default)
 * Default formats: integer for counts, percent:1 for shares, number:1 for
 * means and medians, auto for sums. */
#include <stdio.h>
#include <string.h>

#include "doc_int.h"
#include "rc/data.h"

/* One "[...]" key at *s: bare up to ']' or "..." with "" for a quote. */
static const char *key(rc_arena *a, const char **s, const char *end)
{
    const char *p = *s;
    if (p >= end || *p != '[') return NULL;
    p++;
    while (p < end && *p == ' ')
        p++;
    char *out = rc_arena_alloc(a, (size_t)(end - p) + 1), *w = out;
    if (p < end && *p == '"') {
        p++;
        for (;;) {
            if (p >= end) return NULL;
            if (*p == '"') {
                if (p + 1 < end && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            *w++ = *p++;
        }
        while (p < end && *p == ' ')
            p++;
        if (p >= end || *p != ']') return NULL;
    } else {
        const char *k = p;
        while (p < end && *p != ']')
            p++;
        if (p >= end) return NULL;
        const char *e = p;
        while (e > k && e[-1] == ' ')
            e--;
        memcpy(w, k, (size_t)(e - k));
        w += e - k;
    }
    *w = 0;
    *s = p + 1;
    return out;
}

static const char *codes_list(rc_arena *a, const char *const *codes, size_t n)
{
    const char *s = "";
    size_t shown = n < 8 ? n : 8;
    for (size_t i = 0; i < shown; i++)
        s = rc_arena_printf(a, "%s%s%s", s, i ? ", " : "", codes[i]);
    if (n > shown) s = rc_arena_printf(a, "%s, ... (%zu in all)", s, n);
    return s;
}

static bool find_code(const char *const *codes, size_t n, const char *k, size_t *at)
{
    for (size_t i = 0; i < n; i++)
        if (codes[i] && !strcmp(codes[i], k)) {
            *at = i;
            return true;
        }
    return false;
}

bool rc_doc_is_aggref(const char *name)
{
    return strchr(name, '[') != NULL;
}

bool rc_doc_aggref(rc_doc_state *st, const char *ref, rc_loc loc, double *value,
                   const char **dflt_format)
{
    const char *end = ref + strlen(ref);
    const char *br = strchr(ref, '[');
    char *name = rc_arena_strndup(st->a, ref, (size_t)(br - ref));
    for (size_t n = strlen(name); n && name[n - 1] == ' ';)
        name[--n] = 0;
    const rc_data *data = st->doc->data;
    const rc_agg *g = data ? rc_data_agg(data, name) : NULL;
    if (!g) {
        rc_diag_error(st->d, loc, "unknown aggregate '%s' in placeholder", name);
        return false;
    }
    const char *p = br;
    const char *rk = key(st->a, &p, end), *ck = NULL;
    if (rk && p < end && *p == '[') ck = key(st->a, &p, end);
    const char *stat = NULL;
    if (rk && p < end && *p == '.')
        stat = p + 1;
    else if (rk && p != end)
        rk = NULL;
    if (!rk || (stat && !*stat)) {
        rc_diag_error(st->d, loc,
                      "malformed aggregate placeholder '%s' (expected %s[ROW].STAT or "
                      "%s[ROW][COL].STAT)",
                      ref, name, name);
        return false;
    }
    if (g->kind == RC_AGG_ROWS) {
        rc_diag_error(st->d, loc,
                      "aggregate '%s' is a listing (kind = rows); it has no numbers "
                      "to quote",
                      name);
        return false;
    }
    size_t r, c = 0;
    if (!find_code(g->row_code, g->nrows, rk, &r)) {
        rc_diag_error(st->d, loc, "aggregate '%s' has no row '%s' (rows: %s)", name, rk,
                      codes_list(st->a, g->row_code, g->nrows));
        return false;
    }
    if (ck && !find_code(g->col_code, g->ncols, ck, &c)) {
        rc_diag_error(st->d, loc, "aggregate '%s' has no column '%s' (columns: %s)", name, ck,
                      codes_list(st->a, g->col_code, g->ncols));
        return false;
    }
    bool likert = g->kind == RC_AGG_LIKERT, dist = g->kind == RC_AGG_DISTRIBUTION;
    if (!ck && g->ncols > 1 && !likert) {
        rc_diag_error(st->d, loc,
                      "aggregate '%s' has %zu columns; name one: %s[%s][COL] "
                      "(columns: %s)",
                      name, g->ncols, name, rk, codes_list(st->a, g->col_code, g->ncols));
        return false;
    }
    if (!stat) stat = likert && !ck ? "top2" : (dist || likert) ? "count" : "value";
    /* row statistics of a likert item; cell statistics otherwise */
    const struct {
        const char *name;
        bool row; /* a likert row statistic (no column) */
        const char *fmt;
    } stats[] = {{"count", false, "integer"},   {"share", false, "percent:1"},
                 {"total", false, "integer"},   {"value", false, "auto"},
                 {"answered", true, "integer"}, {"top2", true, "percent:1"},
                 {"mean", true, "number:1"},    {"median", true, "number:1"}};
    size_t si = sizeof stats / sizeof stats[0];
    for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++)
        if (!strcmp(stats[i].name, stat)) si = i;
    const char *wrong = NULL;
    if (si == sizeof stats / sizeof stats[0])
        wrong = "unknown";
    else if (stats[si].row && !likert)
        wrong = "a likert statistic";
    else if (stats[si].row && ck)
        wrong = "a statistic of the whole item; leave out the column";
    else if (likert && !stats[si].row && !ck)
        wrong = "a statistic of one level; name it: [ITEM][LEVEL]";
    else if ((!strcmp(stat, "share") || !strcmp(stat, "count")) && !dist && !likert)
        wrong = "not available for this kind (use value)";
    else if (!strcmp(stat, "total") && !dist)
        wrong = "only for distribution aggregates";
    else if (!strcmp(stat, "value") && (dist || likert))
        wrong = "for distinct and sum aggregates (use count or share)";
    if (wrong) {
        rc_diag_error(st->d, loc,
                      "'%s' in '{{%s}}': %s (count, share, total, value, answered, "
                      "top2, mean, median)",
                      stat, ref, wrong);
        return false;
    }
    size_t at = rc_agg_at(g, r, c);
    double v = 0;
    switch (si) {
    case 0:
    case 3:
        v = g->value[at];
        break;
    case 1:
        v = g->share ? g->share[at] : 0;
        break;
    case 2:
        v = g->total ? g->total[c] : 0;
        break;
    case 4:
        v = g->answered[r];
        break;
    case 5:
        v = g->top2[r];
        break;
    case 6:
        v = g->mean[r];
        break;
    default:
        v = g->median[r];
        break;
    }
    *value = v;
    *dflt_format = si == 3 && g->kind == RC_AGG_DISTINCT ? "integer" : stats[si].fmt;
    return true;
}
