/* chart_read: charts that cannot be read. A bar chart of 300 categories or
 * 200 tiles is drawn (every number still reaches the workbook) but nobody
 * can read it; the figure gets a warning saying so and what to do instead
 * (a table, the top few categories, another chart type). The limits are
 * what fits the text width at the smallest label size (RC_CHART_MIN_PT):
 * about 40 bars down an A4 text area, 12 tiles, 8 pie slices. */
#include <stdio.h>

#include "chart_model.h"

#define MAX_BARS 40        /* bar, hbar: categories per panel */
#define MAX_GROUP_BARS 120 /* grouped, stacked: categories x series per panel */
#define MAX_LIKERT 30      /* likert: items per panel */
#define MAX_SLICES 8       /* pie, doughnut */
#define MAX_TILES 12
#define MAX_LINKS 300 /* pairings: lines */

static const char *name_of(const rc_chart *c)
{
    return c->cfg && c->cfg->name.s ? c->cfg->name.s : "?";
}

#define TABLE_ADVICE                                                                               \
    "show the aggregate as a table, keep the top categories (order = count and a 'where' "         \
    "filter), or split the figure"
#define PIE_ADVICE "use type = hbar, or group the small codes"

/* Per chart type: the most elements one can read, what they are called, and
 * what to do instead. Bars, items and slices are counted per panel (grouped
 * and stacked bars as categories x series); tiles and lines per figure. */
static const struct rule {
    int max;
    const char *what, *verb, *cannot, *advice;
} rules[RC_CHART_TYPE_COUNT] = {
    [RC_CHART_BAR] = {MAX_BARS, "categories", "has", "read", TABLE_ADVICE},
    [RC_CHART_HBAR] = {MAX_BARS, "categories", "has", "read", TABLE_ADVICE},
    [RC_CHART_GROUPED] = {MAX_GROUP_BARS, "bars", "has", "read", TABLE_ADVICE},
    [RC_CHART_STACKED] = {MAX_GROUP_BARS, "bars", "has", "read", TABLE_ADVICE},
    [RC_CHART_LIKERT] = {MAX_LIKERT, "items", "has", "read", TABLE_ADVICE},
    [RC_CHART_PIE] = {MAX_SLICES, "slices", "has", "read", PIE_ADVICE},
    [RC_CHART_DOUGHNUT] = {MAX_SLICES, "slices", "has", "read", PIE_ADVICE},
    [RC_CHART_TILES] = {MAX_TILES, "tiles", "has", "read at a glance",
                        "keep the key few, or list the numbers in a table"},
    [RC_CHART_PAIRINGS] = {MAX_LINKS, "pairing lines", "draws", "followed",
                           "list the pairings in a table (an aggregate of kind rows)"},
};

void rc_chart_check_readable(const rc_chart *c, rc_diag *d)
{
    if (!c || !c->cfg || (unsigned)c->type >= RC_CHART_TYPE_COUNT) return;
    const struct rule *r = &rules[c->type];
    if (!r->max) return;
    rc_loc at = c->cfg->type_loc.line ? c->cfg->type_loc : c->cfg->loc;
    if (c->type == RC_CHART_TILES || c->type == RC_CHART_PAIRINGS) {
        size_t n = c->type == RC_CHART_TILES ? c->ntiles : c->nlinks;
        if (n > (size_t)r->max)
            rc_diag_warning(d, at, "figure '%s' %s %zu %s; more than %d cannot be %s: %s",
                            name_of(c), r->verb, n, r->what, r->max, r->cannot, r->advice);
        return;
    }
    bool by_bar = c->type == RC_CHART_GROUPED || c->type == RC_CHART_STACKED;
    for (size_t p = 0; p < c->npanels; p++) {
        const rc_chart_panel *pn = &c->panels[p];
        size_t n = by_bar ? pn->ncat * (pn->nseries ? pn->nseries : 1) : pn->ncat;
        if (n <= (size_t)r->max) continue;
        rc_diag_warning(
            d, at, "figure '%s' (%s) %s %zu %s%s%s; more than %d cannot be %s: %s", name_of(c),
            rc_chart_type_name(c->type), r->verb, n, r->what, c->npanels > 1 ? " in panel " : "",
            c->npanels > 1 ? (pn->title ? pn->title : "?") : "", r->max, r->cannot, r->advice);
    }
}
