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

void rc_chart_check_readable(const rc_chart *c, rc_diag *d)
{
    if (!c || !c->cfg) return;
    rc_loc at = c->cfg->type_loc.line ? c->cfg->type_loc : c->cfg->loc;
    const char *type = rc_chart_type_name(c->type);
    switch (c->type) {
    case RC_CHART_TILES:
        if (c->ntiles > MAX_TILES)
            rc_diag_warning(d, at,
                            "figure '%s' has %zu tiles; more than %d cannot be read at a glance: "
                            "keep the key few, or list the numbers in a table",
                            name_of(c), c->ntiles, MAX_TILES);
        return;
    case RC_CHART_PAIRINGS:
        if (c->nlinks > MAX_LINKS)
            rc_diag_warning(d, at,
                            "figure '%s' draws %zu pairing lines; more than %d cannot be followed: "
                            "list the pairings in a table (an aggregate of kind rows)",
                            name_of(c), c->nlinks, MAX_LINKS);
        return;
    default:
        break;
    }
    for (size_t p = 0; p < c->npanels; p++) {
        const rc_chart_panel *pn = &c->panels[p];
        size_t n = pn->ncat, bars = pn->ncat * (pn->nseries ? pn->nseries : 1);
        const char *what = NULL;
        size_t count = 0;
        int limit = 0;
        if ((c->type == RC_CHART_BAR || c->type == RC_CHART_HBAR) && n > MAX_BARS)
            what = "categories", count = n, limit = MAX_BARS;
        else if ((c->type == RC_CHART_GROUPED || c->type == RC_CHART_STACKED) &&
                 bars > MAX_GROUP_BARS)
            what = "bars", count = bars, limit = MAX_GROUP_BARS;
        else if (c->type == RC_CHART_LIKERT && n > MAX_LIKERT)
            what = "items", count = n, limit = MAX_LIKERT;
        else if ((c->type == RC_CHART_PIE || c->type == RC_CHART_DOUGHNUT) && n > MAX_SLICES)
            what = "slices", count = n, limit = MAX_SLICES;
        if (!what) continue;
        const char *advice =
            c->type == RC_CHART_PIE || c->type == RC_CHART_DOUGHNUT
                ? "use type = hbar, or group the small codes"
                : "show the aggregate as a table, keep the top categories (order = count "
                  "and a 'where' filter), or split the figure";
        rc_diag_warning(d, at, "figure '%s' (%s) has %zu %s%s%s; more than %d cannot be read: %s",
                        name_of(c), type, count, what, c->npanels > 1 ? " in panel " : "",
                        c->npanels > 1 ? (pn->title ? pn->title : "?") : "", limit, advice);
    }
}
