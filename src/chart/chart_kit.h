/* chart_kit.h: helpers shared by the chart renderers (chart_kit.c
 * implements them; chart_bar.c, chart_pie.c, chart_misc.c, chart_pairs_draw.c
 * use them). Internal to the chart stage.
 *
 * Every piece of text a renderer emits is measured with the real font
 * metrics first (rc_font_text_width), so placement decisions — wrapping,
 * shrinking, inside/outside labels — are made on the same widths the PDF
 * will show. */
#ifndef RC_CHART_KIT_H
#define RC_CHART_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include "chart_model.h"

typedef struct rc_chart_span {
    const char *s;
    size_t len;
} rc_chart_span;

/* A wrapped block of text: lines are spans into the original string. */
typedef struct rc_chart_text {
    rc_chart_span *lines;
    size_t n;
    double size; /* font size used */
    double w;    /* widest line, points */
} rc_chart_text;

typedef struct rc_chart_ctx {
    rc_arena *a;
    rc_draw_list *l;
    const rc_chart *c;
    const rc_fonts *fonts;
    rc_rgb pal[16];
    size_t npal;
    rc_rgb ink;  /* text and axes: palette grey */
    rc_rgb grid; /* light gridlines */
    rc_rgb white;
} rc_chart_ctx;

/* Metrics (fall back to rough estimates when a face is not loaded, so a
 * missing font never crashes a renderer). */
double rc_chart_tw(const rc_chart_ctx *x, rc_font_id f, const char *s, size_t len, double size);
double rc_chart_tws(const rc_chart_ctx *x, rc_font_id f, const char *s, double size);
double rc_chart_asc(const rc_chart_ctx *x, rc_font_id f, double size);
double rc_chart_desc(const rc_chart_ctx *x, rc_font_id f, double size); /* positive */
double rc_chart_lh(const rc_chart_ctx *x, rc_font_id f, double size);

/* Greedy wrap at spaces into lines no wider than maxw. A word wider than
 * maxw stays whole (and makes *overflow true) unless hard is set, in which
 * case it is broken between code points. */
rc_chart_text rc_chart_wrap(const rc_chart_ctx *x, rc_font_id f, double size, const char *s,
                            double maxw, bool hard, bool *overflow);
/* The largest size in [minsize, size] (0.5 pt steps) at which s wraps into at
 * most maxlines lines of width maxw without breaking words; at minsize words
 * are broken and lines beyond maxlines are kept (the caller sized the box). */
rc_chart_text rc_chart_fit(const rc_chart_ctx *x, rc_font_id f, double size, double minsize,
                           const char *s, double maxw, size_t maxlines);
/* Same for several labels sharing one size (axis labels look alike). */
double rc_chart_fit_all(const rc_chart_ctx *x, rc_font_id f, double size, double minsize,
                        const char *const *s, size_t n, double maxw, size_t maxlines);
double rc_chart_text_height(const rc_chart_ctx *x, rc_font_id f, const rc_chart_text *t);
/* Draws a block with its first line's ascent at ytop; align -1 left of ax,
 * 0 centred on ax, 1 right-aligned at ax. */
void rc_chart_text_draw(const rc_chart_ctx *x, rc_font_id f, const rc_chart_text *t, double ax,
                        double ytop, int align, rc_rgb col);
/* One line, vertically centred on yc. */
void rc_chart_label(const rc_chart_ctx *x, rc_font_id f, double size, const char *s, double ax,
                    double yc, int align, rc_rgb col);

/* Value label text for the chart (locale number or percentage). */
const char *rc_chart_fmt(const rc_chart_ctx *x, double v, int decimals);
/* Decimals needed to label ticks of this step without repeating labels. */
int rc_chart_tick_decimals(double step, bool percent);

rc_rgb rc_chart_series_colour(const rc_chart_ctx *x, size_t i);
/* Dash length for line series i (0 = solid): with the colour it makes each
 * of up to 3 x palette-size line series unique, so lines differ by more than
 * colour alone. */
double rc_chart_dash(const rc_chart_ctx *x, size_t i);
/* Dark or white text on a fill, whichever reads better. */
rc_rgb rc_chart_text_on(const rc_chart_ctx *x, rc_rgb fill);
rc_rgb rc_chart_mix(rc_rgb a, rc_rgb b, double t);

/* Contrast (WCAG 2.1 success criterion 1.4.11): every mark that carries
 * meaning shows at least 3:1 against the white page. Light palette colours
 * (the EU yellow, pale tints) keep their fill and get an edge of the same
 * hue darkened to 3:1; lines are drawn in that darkened colour. */
#define RC_CHART_MIN_CONTRAST 3.0
#define RC_CHART_EDGE_W 0.6
/* WCAG contrast ratio of two colours (1 to 21). */
double rc_chart_contrast(rc_rgb a, rc_rgb b);
/* c, or c darkened towards black just enough for ratio against bg. */
rc_rgb rc_chart_contrasting(rc_rgb c, rc_rgb bg, double ratio);
/* NULL when fill itself has 3:1 on white, else *out set to the edge colour
 * to stroke it with (RC_CHART_EDGE_W wide), and out returned. */
const rc_rgb *rc_chart_edge(const rc_chart_ctx *x, rc_rgb fill, rc_rgb *out);

/* Legend: swatch + label per entry. Flowing (entries side by side, wrapped
 * onto rows) or one entry per row when column is set. Returns the height;
 * draws only when draw is set. line_swatch draws a short line instead of a
 * square (pairings). */
double rc_chart_legend(const rc_chart_ctx *x, const char *const *labels, const rc_rgb *colours,
                       size_t n, double x0, double ytop, double w, bool column, bool line_swatch,
                       bool draw);

#endif
