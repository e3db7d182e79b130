/* latex_int.h: what the latex*.c files share and nobody else sees.
 *   latex.c         the walk (blocks, inlines, headings, footnotes),
 *                   rc_latex_emit / rc_latex_write
 *   latex_text.c    the output buffer, lx_printf, escaping
 *   latex_front.c   preamble, cover, imprint, lists, back cover
 *   latex_float.c   figures, tables (longtable / tabularx), boxes (tcolorbox)
 *   latex_charts.c  rc_chart -> pgfplots / TikZ
 * Output goes to one FILE * (gathered in lx's buffer first, latex_text.c);
 * write errors are noticed once at the end (ferror), so the emitters do not
 * check every write. Emitters write through lx_puts / lx_printf / lx_text,
 * never to the FILE itself. */
#ifndef RC_LATEX_INT_H
#define RC_LATEX_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "rc/chart.h"
#include "rc/latex.h"

/* Environments nested deeper than this (lists, quotes) are flattened:
 * LaTeX stops at six levels ("Too deeply nested"). */
#define LX_MAX_NEST 4

typedef struct lx {
    rc_arena *a;
    FILE *out;
    const rc_doc *doc;
    const rc_config *cfg;
    const rc_locale *loc;
    int nest;                        /* open list/quote environments */
    int defer;                       /* > 0: footnotes become marks, texts come later */
    bool repeat;                     /* emitting a repeated table head: marks only */
    bool in_box;                     /* inside a tcolorbox: no floats, no longtable */
    bool main_started;               /* \pagenumbering{arabic} done */
    bool annex_started;              /* \appendix done */
    RC_VEC(const rc_node *) pending; /* deferred footnote definitions */
    /* the output gathered before it goes to out (latex_text.c: lx_out); buf NULL:
     * straight to out; grow: no out, the buffer holds the whole file */
    char *buf;
    size_t n, cap;
    bool grow, nomem;
    rc_strbuf esc; /* lx_text's escaped text, reused */
} lx;

/* latex_text.c */
/* n bytes of the .tex (gathered in x->buf: latex_text.c says why). */
void lx_out(lx *x, const char *s, size_t n);
/* Gives what x->buf holds to x->out (not when x->grow). */
void lx_flush(lx *x);
/* Room for n more bytes in a growing buffer; false (x->nomem) if none. */
bool lx_reserve(lx *x, size_t n);
void lx_puts(lx *x, const char *s);
void lx_printf(lx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Escaped text (rc_latex_escape rules). */
void lx_text(lx *x, const char *s, size_t len);
void lx_str(lx *x, const char *s);
/* A string for PDF metadata: specials escaped, UTF-8 kept (no ligature
 * dashes: \pdfstringdef does not make them). */
void lx_meta(lx *x, const char *s);
/* A label / anchor name: characters outside [A-Za-z0-9:._-] become '-'. */
void lx_label(lx *x, const char *id);

/* latex.c */
void lx_inlines(lx *x, const rc_node *first);
void lx_blocks(lx *x, const rc_node *first);
/* Emits \footnotetext for every deferred footnote (after a box, table,
 * heading) when no deferral is active any more. */
void lx_flush_notes(lx *x);
const char *lx_word(const lx *x, rc_word w);
/* Colour name of palette entry i ("rcpal2"); wraps around. */
const char *lx_pal(const lx *x, size_t i);
size_t lx_npal(const lx *x);

/* latex_front.c */
/* RGB of palette entry i (the config's palette or the default one). */
rc_rgb lx_pal_rgb(const lx *x, size_t i);
void lx_preamble(lx *x);
void lx_cover(lx *x, const rc_node *n);
void lx_imprint(lx *x, const rc_node *n);
void lx_toc(lx *x, const rc_node *n);
void lx_list_of(lx *x, const rc_node *n);
void lx_back_cover(lx *x, const rc_node *n);

/* latex_float.c */
void lx_figure(lx *x, const rc_node *n);
void lx_table(lx *x, const rc_node *n);
void lx_box(lx *x, const rc_node *n);

/* latex_charts.c: the chart as a tikzpicture of width w points. */
void lx_chart(lx *x, const rc_chart *c, double w);

#endif
