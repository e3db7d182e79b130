/* layout: document tree -> measured boxes -> lines (Knuth-Plass total-fit
 * line breaking with libhyphen hyphenation) -> pages (keep-with-next,
 * widows/orphans, floats kept whole, footnotes on their page, repeated table
 * headers) -> display lists. Contents and lists of figures/tables/boxes are
 * resolved in memory: page numbers come from the same run. No libharu. */
#ifndef RC_LAYOUT_H
#define RC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/diag.h"
#include "rc/doc.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/locale.h"
#include "rc/status.h"

#define RC_PAGE_WIDTH 595.276 /* A4 in points */
#define RC_PAGE_HEIGHT 841.890

typedef enum rc_page_style { RC_PAGE_ARABIC, RC_PAGE_ROMAN, RC_PAGE_NONE } rc_page_style;

typedef struct rc_page {
    rc_draw_list *content;
    rc_page_style style; /* numbering style of this page */
    int number;          /* printed number in its style (1-based) */
    const char *label;   /* printed label: "iv", "12", "" */
} rc_page;

/* A bookmark: one per heading in the contents, in order, with its level. */
typedef struct rc_outline_entry {
    const char *title;
    int level;   /* 1.. */
    size_t page; /* 0-based page index */
    double y;    /* top of the heading on that page */
    const char *dest;
} rc_outline_entry;

/* A figure's chart as placed: the very display list drawn on the page (the
 * SVG back end draws the same list; tests compare the two renderings over
 * this box). x, y is the lower-left corner on the page, in points. */
typedef struct rc_placed_figure {
    const rc_node *node; /* the FIGURE node */
    size_t page;         /* 0-based page index */
    double x, y, w, h;
    const rc_draw_list *list; /* NULL once freed (rc_layout.release_figures) */
} rc_placed_figure;

typedef struct rc_layout {
    RC_VEC(rc_page) pages;
    RC_VEC(rc_outline_entry) outline;
    RC_VEC(rc_placed_figure) figures; /* in page order */
    /* the logical structure in reading order; the pages' ops point into it */
    rc_tags *tags;
    /* Set by a caller that needs the pages only for rc_pdf_write: the
     * writer then gives each page's operations back to the arena as soon
     * as that page's content stream is written (rc_draw_release; pages are
     * empty afterwards, the figures' lists stay for the SVG back end). */
    bool release_pages;
    /* Set by a caller that draws each page it gets from rc_layout_next
     * before asking for the next one, and draws no figure again (no SVG):
     * each chart's display list is then drawn into an arena of its own and
     * freed as soon as the page that shows it has been handed back (the
     * next rc_layout_next), not kept to the end of the build; those
     * figures' list is NULL afterwards. Read from rc_layout_begin on
     * (which clears it): rc_layout_document ignores it. */
    bool release_figures;
    /* A layout made page by page (rc_layout_begin): the pagination still
     * under way; NULL once complete (rc_layout_document's result). */
    struct lo *run;
    /* Page by page: the most bytes of the layout's main list given back to
     * the system at once, as the pagination passed them (for tests and
     * benchmarks; 0 for a short document). */
    size_t dropped;
} rc_layout;

/* Hyphenation (libhyphen). NULL dictionary = no hyphenation. */
typedef struct rc_hyph rc_hyph;
rc_hyph *rc_hyph_load(const char *dic_path, rc_loc loc, rc_diag *d);
void rc_hyph_free(rc_hyph *h);
/* A hash of the dictionary's bytes and size: what h hyphenates by, for a
 * cache kept between runs (0: h is NULL or its file could not be read
 * again). */
uint64_t rc_hyph_digest(const rc_hyph *h);
/* Writes allowed break positions (byte offsets inside word where a hyphen may
 * be inserted) to pos; returns how many. word is UTF-8. */
size_t rc_hyph_points(const rc_hyph *h, const char *word, size_t len, size_t *pos, size_t cap);

/* A language's hyphenation rules on top of its dictionary (hyph_exc.c):
 * exceptions, TeX's \hyphenation (whole words with their break points,
 * "be-yond", overriding the dictionary for every letter run of a word that
 * matches, in any case), the shortest fragments a break may leave
 * (lefthyphenmin/righthyphenmin) and the cost of a hyphenated line
 * (\hyphenpenalty). Lives in the arena. */
typedef struct rc_hyph_exc rc_hyph_exc;
/* The built-in rules of language (ISO 639-1): en, es, pt; TeX's defaults
 * and no exceptions for other languages. */
rc_hyph_exc *rc_hyph_exc_new(rc_arena *a, const char *lang);
/* The language's \hyphenpenalty (and \exhyphenpenalty), for Knuth-Plass. */
double rc_hyph_exc_penalty(const rc_hyph_exc *e);
/* A digest of every rule of e (para_memo.c: a watcher's memo of set
 * paragraphs keys on the rules they were hyphenated with); 0 for NULL. */
uint64_t rc_hyph_exc_digest(const rc_hyph_exc *e);
/* Adds or replaces one word written with hyphens; false (nothing added) when
 * it is not letters separated by single hyphens (63 letters at most). */
bool rc_hyph_exc_add(rc_hyph_exc *e, const char *word, size_t len);
/* Replaces the points in pos[0..npos) (ascending byte offsets, as from
 * rc_hyph_points) inside each letter run of word that is an exception with
 * the exception's, and drops the others that leave a fragment shorter than
 * the language's minima; returns the new count (at most cap). */
size_t rc_hyph_exc_apply(const rc_hyph_exc *e, const char *word, size_t len, size_t *pos,
                         size_t npos, size_t cap);

rc_status rc_layout_document(rc_arena *a, const rc_doc *doc, const rc_fonts *fonts,
                             const rc_hyph *hyph, rc_diag *d, rc_layout *out);

/* The same page by page, so that a writer can take each page as soon as it
 * is complete and give its operations back (a 1,006-page report held 33 MB
 * of pages, 5,027 pages 165 MB, until the PDF was written). begin reads
 * the document and lays it out up to the pagination (out->run set, no
 * page yet); rc_layout_next paginates until a page is complete and
 * returns its index in *page, or false once every page has been returned
 * (the layout is then complete: pages, outline, figures). Pages come in
 * order, except the ones the contents and the lists of figures are drawn
 * on: their page numbers are known at the end, so they come last. end
 * frees the pagination's working memory whether or not every page was
 * taken (out->run is NULL afterwards); a layout not taken to the end is
 * incomplete. rc_layout_next takes the layout as const because a writer
 * that only reads a layout drives it: the pages it adds are the layout's
 * own (out is not a const object). */
rc_status rc_layout_begin(rc_arena *a, const rc_doc *doc, const rc_fonts *fonts,
                          const rc_hyph *hyph, rc_diag *d, rc_layout *out);
bool rc_layout_next(const rc_layout *lay, size_t *page);
void rc_layout_end(rc_layout *lay);

/* Text dump of pages (labels, every display-list op with coordinates to
 * 0.01 pt) and the outline, for golden tests and debugging. */
void rc_layout_dump(const rc_layout *l, FILE *out);

#endif
