/* chart_render.h: the chart renderers, one per family of chart types, called
 * by rc_chart_draw (chart_render.c). Internal to the chart stage. */
#ifndef RC_CHART_RENDER_H
#define RC_CHART_RENDER_H

#include "chart_kit.h"

/* Renderers (each draws into x->l within the box w x h at the origin). */
void rc_chart_draw_bars(rc_chart_ctx *x, double w, double h);
void rc_chart_draw_pie(rc_chart_ctx *x, double w, double h);
void rc_chart_draw_tiles(rc_chart_ctx *x, double w, double h);
void rc_chart_draw_pairings(rc_chart_ctx *x, double w, double h);

#endif
