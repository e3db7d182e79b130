/* chart_model.h: internal to the chart stage. What the model side (chart.c,
 * chart_pairs.c) shares: the text sizes every chart uses (the model estimates
 * heights with them before any font is measured) and the pairings model.
 * The chart stage's files depend one way: chart_model.h <- chart_kit.h
 * (measured text, legends) <- chart_render.h (the renderers) <- chart_render.c.
 * The rest of the program sees only include/rc/chart.h. */
#ifndef RC_CHART_MODEL_H
#define RC_CHART_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/chart.h"

#define RC_CHART_LABEL_PT 8.0  /* category / item labels */
#define RC_CHART_VALUE_PT 7.5  /* value labels (bold) */
#define RC_CHART_TICK_PT 7.0   /* axis tick labels */
#define RC_CHART_LEGEND_PT 7.5 /* legend entries */
#define RC_CHART_MIN_PT 5.0    /* never shrink text below this */

#define PAIR_PT 7.5       /* pairings: region labels and country headings */
#define PAIR_TITLE_PT 8.0 /* pairings: column titles */
#define PAIR_LEADING 1.12 /* pairings: row pitch / text line height */

/* Warns when a built chart cannot be read (chart_read.c). */
void rc_chart_check_readable(const rc_chart *c, rc_diag *d);

/* Pairings model (chart_pairs.c); c->cfg, c->type and c->locale are set. */
rc_chart *rc_chart_build_pairings(rc_arena *a, rc_chart *c, const rc_data *data, rc_diag *d);
double rc_chart_pairings_height(const rc_chart *c, double w);

/* One row of a pairings column: a country heading or a region. */
typedef struct rc_chart_prow {
    const char *text;
    bool heading;
} rc_chart_prow;

/* Rows of one column: a heading whenever the group changes, then the node.
 * rows may be NULL (count only); node_row receives each node's row. */
size_t rc_chart_pair_rows(const rc_pair_node *nodes, size_t n, rc_chart_prow *rows,
                          size_t *node_row);

#endif
