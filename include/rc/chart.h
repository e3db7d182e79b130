/* chart: figure spec + aggregate -> chart model (categories, series, values,
 * labels, axis ticks) and chart model -> display list. The model is what the
 * PDF, the LaTeX (pgfplots) and the workbook (native Excel charts) back ends
 * all draw, so every figure shows the same numbers everywhere. No libharu. */
#ifndef RC_CHART_H
#define RC_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/data.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/locale.h"

typedef struct rc_series {
    const char *label; /* legend label (group, scale level, ...) */
    double *values;    /* one per category; counts or shares (0..1) */
} rc_series;

typedef struct rc_tile {
    const char *value; /* formatted number, e.g. "20", "312" */
    const char *label; /* "EU–Latin American pairings" */
} rc_tile;

typedef struct rc_pair_link {
    size_t left, right; /* indices into left/right node arrays */
    size_t color;       /* index into legend (theme); == nlegend: no theme */
} rc_pair_link;

typedef struct rc_pair_node {
    const char *label; /* region */
    const char *group; /* country */
} rc_pair_node;

/* One panel (a chart may have several side by side, one per aggregate). */
typedef struct rc_chart_panel {
    const char *title;       /* panel title (aggregate label) or NULL */
    const char **categories; /* category labels, in drawing order */
    size_t ncat;
    rc_series *series; /* nseries >= 1 */
    size_t nseries;
    const rc_agg *agg; /* where the numbers came from */
} rc_chart_panel;

typedef struct rc_chart {
    const rc_figure_cfg *cfg;
    rc_chart_type type;
    bool percent; /* values are shares, axis in % */
    rc_chart_panel *panels;
    size_t npanels;
    rc_tile *tiles; /* TILES */
    size_t ntiles;
    rc_pair_node *left, *right; /* PAIRINGS */
    size_t nleft, nright;
    rc_pair_link *links;
    size_t nlinks;
    const char **legend; /* PAIRINGS: colour legend (themes) */
    size_t nlegend;
    const char *left_title; /* PAIRINGS: column headings (field labels) */
    const char *right_title;
    const rc_locale *locale;
} rc_chart;

/* Builds the model for a figure from the data; reports problems (unknown
 * aggregate, aggregate kind unsuitable for the chart type) at the figure's
 * keys and returns NULL. A pairings figure reads the rows of the source
 * named by its 'data' key: they must have been kept (RC_DATA_KEEP_ROWS), or
 * a rows aggregate of that source must list the fields the figure uses. */
rc_chart *rc_chart_build(rc_arena *a, const rc_figure_cfg *fig, const rc_data *data,
                         const rc_locale *loc, rc_diag *d);

/* Round axis ticks covering [0, max]: step is 1, 2 or 5 x 10^k, at most
 * max_ticks intervals. Returns the number of ticks written (including 0). */
size_t rc_chart_ticks(double max, size_t max_ticks, double *ticks, size_t cap);

/* Renders the chart into a display list of width w and height h points
 * (origin lower-left). Text uses the given fonts; colours come from the
 * style palette. Labels are placed so they do not overlap. */
rc_draw_list *rc_chart_draw(rc_arena *a, const rc_chart *c, const rc_style_cfg *style,
                            const rc_fonts *fonts, double w, double h);

/* Natural height in points for a chart at width w (from the figure's height
 * setting or a default per type). */
double rc_chart_height(const rc_chart *c, double w);

/* The text of a value label exactly as the chart prints it ("47%", "15"),
 * so other back ends can label the same numbers the same way. decimals < 0:
 * 0 for percentages, as needed for counts. Returns the length. */
size_t rc_chart_value_label(const rc_chart *c, double v, int decimals, char *buf, size_t n);

/* Pie/doughnut slice geometry of a panel, in degrees: slice i starts at
 * start[i] (90 = twelve o'clock) and runs clockwise over sweep[i] >= 0.
 * Returns the number of slices (= ncat of the panel), writing at most cap. */
size_t rc_chart_pie_angles(const rc_chart *c, size_t panel, double *start, double *sweep,
                           size_t cap);

/* Largest value drawn on the value axis of bar-type charts (the sum of a
 * stack for stacked/likert charts), over all panels. */
double rc_chart_value_max(const rc_chart *c);

/* The families of chart types that a back end draws alike: bars (bar, hbar,
 * grouped, stacked, likert), pies (pie, doughnut), key-figure tiles, the
 * pairings diagram. Each back end dispatches on this, so a new chart type is
 * added to its family once. */
typedef enum rc_chart_family {
    RC_FAMILY_BARS,
    RC_FAMILY_PIE,
    RC_FAMILY_TILES,
    RC_FAMILY_PAIRINGS,
    RC_FAMILY_NONE
} rc_chart_family;
rc_chart_family rc_chart_family_of(rc_chart_type t);

/* Alternative text for the chart in the language of loc (English when
 * NULL or unsupported): its kind, the caption and its numbers as the chart
 * prints them, cut after 40 values with a pointer to the figures workbook.
 * c may be NULL (then only kind and caption). Allocated in a. */
const char *rc_chart_alt(rc_arena *a, const rc_chart *c, const rc_locale *loc, const char *caption);

#endif
