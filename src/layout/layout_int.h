/* layout internals shared by layout.c (entry, tree walk, registry),
 * layout_blocks.c (paragraphs, headings, lists, footnotes),
 * layout_floats.c (figures, tables, boxes), layout_front.c (cover, imprint,
 * contents, lists of floats, back cover) and layout_pages.c (page builder).
 *
 * The tree is first turned into a flat vertical list of items (TeX's
 * vertical list, simplified): lines of paragraphs, spaces, unbreakable
 * units, floats and forced page breaks. Every item knows its height and
 * whether a page break may come before it; widow/orphan and keep-with-next
 * rules are encoded in those flags. The page builder then fills pages
 * greedily, backing up to the last legal break when an item overflows. */
#ifndef RC_LAYOUT_INT_H
#define RC_LAYOUT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc/layout.h"
#include "rc/linebreak.h"

/* Page geometry (points). Everything drawn stays at least 56 pt inside
 * the page edges. */
#define LO_LEFT 77.95                          /* 27.5 mm */
#define LO_WIDTH (RC_PAGE_WIDTH - 2 * LO_LEFT) /* 155 mm text width */
#define LO_BODY_TOP (RC_PAGE_HEIGHT - 88.0)    /* top of the first line box */
#define LO_BODY_BOTTOM 86.0
#define LO_BODY_H (LO_BODY_TOP - LO_BODY_BOTTOM)
#define LO_HEADER_BASE (RC_PAGE_HEIGHT - 68.0)
#define LO_FOOTER_BASE 64.0
#define LO_SAFE 56.0   /* the audit's inner margin */
#define LO_FN_SEP 11.0 /* space taken by the footnote rule */

typedef enum lo_kind {
    LO_LINE,   /* one line of a set paragraph (+ optional marker) */
    LO_SPACE,  /* vertical space, dropped at the top of a page */
    LO_UNIT,   /* unbreakable: kids stacked top to bottom, optional fill */
    LO_ROW,    /* a table row (cells side by side) */
    LO_RULE,   /* a horizontal rule at mid-height of the item */
    LO_CHART,  /* a figure's display list placed as a group */
    LO_TOC,    /* a contents / list-of entry, drawn once page labels are known */
    LO_CUSTOM, /* drawn by fn (cover, back cover) */
    LO_NEWPAGE /* forced page break with page settings */
} lo_kind;

typedef struct lo lo;
typedef struct lo_pg lo_pg;
typedef struct lo_item lo_item;

/* A piece of content that spans several items and is drawn per page once
 * the page is complete: the shading of a box split across pages, or the
 * bottom rule of a table split across pages. */
typedef enum lo_span_kind { LO_SPAN_FILL, LO_SPAN_BOTTOM_RULE } lo_span_kind;
typedef struct lo_span {
    lo_span_kind kind;
    rc_rgb colour;
    double x, w, pad, line_width;
} lo_span;

/* A footnote body, set once when first referenced. */
typedef struct lo_fn {
    const rc_node *def;
    int number;
    bool placed;   /* already on an emitted page */
    lo_item *unit; /* LO_UNIT at text width */
} lo_fn;

typedef struct lo_cell {
    const rc_para *para;
    rc_tag *tag;         /* TH or TD */
    size_t first, count; /* lines shown (count 0: all): slices of a tall row */
    double x, w;         /* text box inside the cell */
    double size, leading;
} lo_cell;

typedef struct lo_row {
    lo_cell *cells;
    size_t ncells;
    bool header, first_body, last;
    bool cont; /* a slice of a tall row that continues in the next one */
    double x, w, vpad;
} lo_row;

typedef struct lo_table {
    lo_item *head; /* header row items repeated on continuation pages */
    size_t nhead;
    double head_h;
} lo_table;

typedef struct lo_toc {
    const rc_para *para; /* title lines, set narrower than the full width */
    const char *number;  /* heading number / float label drawn in front, or NULL */
    rc_font_id font, num_font;
    double size, leading, x, tx; /* number at x, title at tx */
    const char *dest;
    rc_tag *tag; /* TOCI */
} lo_toc;

typedef struct lo_newpage {
    int restart;         /* -1 keep numbering; else rc_page_style restarted at 1 */
    bool opening;        /* first page shows no running header */
    bool header, footer; /* continuation pages show header / footer */
    bool full;           /* the page is a full-page design (no header/footer at all) */
    const char *running; /* running-header title from here on (NULL: keep) */
    bool share;          /* no break when the part up to the next one fits below */
} lo_newpage;

typedef void (*lo_draw_fn)(lo *L, lo_pg *pg, const lo_item *it, double top);

struct lo_item {
    lo_kind kind;
    bool brk;      /* a page break may come before this item */
    bool is_float; /* may be deferred to the top of a later page */
    double h;      /* height */
    double x, w;
    /* LO_LINE */
    const rc_para *para;
    size_t line;
    double base;      /* baseline below the item top */
    const char *mark; /* marker text drawn on this line (bullet, number) */
    double mark_x, mark_size, mark_rise;
    rc_font_id mark_font;
    rc_rgb mark_colour;
    /* LO_UNIT */
    lo_item *kids;
    size_t nkids;
    bool filled;
    rc_rgb fill;
    /* LO_RULE */
    rc_rgb colour;
    double line_width;
    /* LO_CHART */
    const rc_draw_list *group;
    const rc_node *figure; /* the FIGURE node the chart belongs to */
    /* others */
    const lo_row *row;
    const lo_toc *toc;
    const lo_newpage *np;
    lo_draw_fn fn;
    const char *dest;    /* named destination at the item top */
    const char *outline; /* outline title when the item starts an outline entry */
    int outline_level;
    lo_span *span;
    const lo_table *table;
    bool table_head;
    lo_fn **fns; /* footnotes referenced inside this item */
    size_t nfns;
    /* structure: the element of the item's content (NULL: artifact; units
     * leave it to their kids) and of its marker (NULL: the same) */
    rc_tag *tag, *mark_tag;
};

typedef RC_VEC(lo_item) lo_items;

/* Style derived from the config once. */
typedef struct lo_style {
    double size, leading, parskip;
    rc_rgb blue, yellow, mid, tint, pale, grey, text, white, rule;
    bool hyphenate;
} lo_style;

typedef struct lo_dest {
    const char *id;
    size_t page;
} lo_dest;

typedef struct lo_fixup {
    const lo_item *it;
    size_t page;
    double top;
} lo_fixup;

struct lo_ref {
    const char *anchor;
    lo_fn *fn;
};

/* Builder state: where items go, pending vertical space, keep flag. */
typedef struct lo_out {
    lo_items *items;
    double pending;
    bool keep;
    /* footnote references collected while building the current paragraph:
     * the run anchor tells on which line each one landed */
    RC_VEC(struct lo_ref) refs;
} lo_out;

struct lo {
    rc_arena *a;
    /* The working records no page refers to once drawn: the vertical
     * lists, the styled runs and the set paragraphs (lines and fragments,
     * 46 MB at 1,000 pages). One arena per top-level part (struct
     * lo_chunk), freed as soon as the pagination has passed the part, so
     * a long document never holds them all (text the pages show stays in
     * a). */
    rc_arena *tmp;
    const rc_doc *doc;
    const rc_config *cfg;
    const rc_locale *loc;
    const rc_fonts *fonts;
    const rc_hyph *hyph;
    rc_hyph_exc *hexc;    /* built-in + [style] hyphenation_exceptions */
    rc_hyph_memo *hmemo;  /* the points of the words hyphenated so far */
    rc_style_set *styles; /* the paragraphs' fragment styles, each once (in tmp) */
    rc_diag *d;
    lo_style st;
    lo_out out;
    lo_items items;    /* the main vertical list */
    lo_fn **fn_by_num; /* footnote number -> body (1-based) */
    size_t nfn;
    unsigned fnref_seq;
    bool main_started, roman_started;
    int fn_depth;
    rc_loc cur_loc;                      /* source of the text being collected */
    bool cur_exact;                      /* cur_loc is the first byte of that text */
    RC_VEC(uint32_t) missing;            /* code points already reported missing */
    uint64_t ascii_ok[RC_FONT_COUNT][2]; /* check_glyphs: ASCII codes known to have a glyph */
    /* check_glyphs: U+0080..U+017F (Latin-1, Latin Extended-A: the accented
     * letters of es and pt) looked up, and found to pass */
    uint64_t latin_seen[RC_FONT_COUNT][4], latin_ok[RC_FONT_COUNT][4];
    /* marker (bullet, item number, footnote number) for the next line set */
    struct lo_mark {
        const char *text;
        double x, size, rise;
        rc_font_id font;
        rc_rgb colour;
        rc_tag *tag; /* Lbl of a list item; NULL: the paragraph's own */
    } mark;
    /* structure tree (rc/tag.h): the container new elements go into, an
     * element made in advance for the next paragraph (a heading, caption)
     * or NULL for a P, the last heading level (headings never skip a
     * level), footnote elements waiting for the paragraph that cites them,
     * and a depth > 0 while repeated table headers are drawn (artifacts) */
    rc_tags *tags;
    rc_tag *tag, *leaf;
    int hlevel;
    RC_VEC(rc_tag *) notes;
    int artifact;
    /* page builder results */
    rc_layout *res;
    RC_VEC(lo_dest) dests;
    uint32_t *dest_tab; /* open-addressing index into dests (1 + index, 0 = empty) */
    size_t dest_cap;    /* slots in dest_tab, a power of two */
    RC_VEC(lo_fixup) fixups;
    /* pagination page by page (rc_layout_next): its state, the pages
     * complete and not yet returned (ready[ready_at..]), and whether the
     * last page is done */
    struct lo_pag *pag;
    RC_VEC(size_t) ready;
    size_t ready_at;
    bool paginated;
    /* the walk over the top-level parts, one part at a time, ahead of the
     * pagination (rc_layout_next): the next part, and the working memory
     * of each part walked (tmp while it is walked; freed once the
     * pagination has passed it), keep: what lives to the end (the main
     * vertical list, styles, footnotes, the pagination's state) */
    const rc_node *walk_next;
    rc_arena *keep;
    RC_VEC(struct lo_chunk) chunks;
    size_t chunks_freed;
    /* the main list's page-break items (a part starts), for the look-ahead */
    RC_VEC(size_t) breaks;
    size_t breaks_at; /* the first one after the pagination's position */
    /* the height of the main list's items from h_at on (walked, not placed) */
    double h_ahead;
    size_t h_at;
    /* the main list's pages given back to the system so far: those before
     * byte dropped of the vector at dropped_v (layout.c, drop_passed) */
    const void *dropped_v;
    size_t dropped;
    /* charts in arenas of their own (rc_layout.release_figures), in the
     * order drawn, each freed once its page is handed back; the pages
     * handed back so far (those of ready[0..handed_at)) */
    RC_VEC(struct lo_figa) figa;
    size_t figa_at;
    RC_VEC(bool) handed;
    size_t handed_at;
};

/* A chart drawn in an arena of its own, and the page it is placed on
 * (SIZE_MAX until placed). */
struct lo_figa {
    const rc_draw_list *g;
    rc_arena *a;
    size_t page;
    size_t fig; /* its entry in res->figures (SIZE_MAX: not placed yet) */
};

/* The working memory of one top-level part: its arena and its items
 * [first, end) of the main list; kept: it holds the contents or a list of
 * figures, drawn at the end. */
struct lo_chunk {
    rc_arena *a;
    size_t first, end;
    bool kept;
};

struct lo_spanx {
    lo_span *s;
    double top, bottom;
};

/* Page under construction. */
struct lo_pg {
    rc_draw_list *bg, *fg;
    size_t index;
    RC_VEC(lo_fn *) fns;
    RC_VEC(struct lo_spanx) spans;
};

/* layout.c */
const char *lo_word(const lo *L, rc_word w);
void lo_push(lo *L, lo_item it);
void lo_space(lo *L, double h);
void lo_keep(lo *L);
lo_out lo_sub_begin(lo *L, lo_items *into);
void lo_sub_end(lo *L, lo_out saved);
void lo_register_dest(lo *L, const char *id, size_t page);
const char *lo_dest_label(const lo *L, const char *id);
double lo_text_width(const lo *L, rc_font_id f, double size, const char *s, size_t len);
double lo_base(double size, double leading);
lo_item lo_unit_of(lo *L, lo_items *kids, double x, double w);
/* A new element of the given type in the current container. */
rc_tag *lo_tag(lo *L, rc_tag_type type);
/* A heading element for a document level, clamped so levels never skip. */
rc_tag *lo_heading_tag(lo *L, int level);

/* layout_blocks.c */
typedef struct lo_ctx {
    double x, w; /* left edge and width of the text block */
    bool units;  /* paragraphs become single unbreakable units */
    bool italic; /* base style italic (block quotes) */
    double size, leading, parskip;
    rc_rgb colour;
    lo_span *span; /* span stamped on pushed items */
} lo_ctx;

typedef RC_VEC(rc_run) lo_runs;
typedef struct lo_ist { /* inline style while collecting runs */
    bool bold, italic, light;
    double size;
    rc_rgb colour;
    const char *link_dest, *link_uri;
} lo_ist;

void lo_runs_inline(lo *L, lo_runs *r, const rc_node *first, lo_ist st);
void lo_run_text(lo *L, lo_runs *r, const char *s, size_t len, lo_ist st, bool nobreak);
rc_para *lo_set(lo *L, const lo_runs *r, double width, double leading, rc_para_align al, bool hyph);
rc_font_id lo_font(const lo *L, lo_ist st);
/* Pushes the lines of p (or one unit holding them when ctx->units); the
 * pending marker goes on the first line, dest on the first item. */
void lo_emit_para(lo *L, const lo_ctx *c, const rc_para *p, double x, double leading, double size,
                  const char *dest);
lo_ist lo_ist_of(const lo_ctx *c);
void lo_add_fn(lo *L, lo_item *it, lo_fn *fn);
void lo_blocks(lo *L, const lo_ctx *c, const rc_node *first);
void lo_block(lo *L, const lo_ctx *c, const rc_node *n);
void lo_heading(lo *L, const lo_ctx *c, const rc_node *h);
/* A chapter-style title (level 1, contents, lists); dest and outline optional. */
void lo_chapter_title(lo *L, const char *number, const lo_runs *title, const char *dest,
                      const char *outline);
lo_ctx lo_body_ctx(const lo *L);

/* layout_floats.c */
void lo_figure(lo *L, const lo_ctx *c, const rc_node *n);
void lo_table_block(lo *L, const lo_ctx *c, const rc_node *n);
void lo_box(lo *L, const lo_ctx *c, const rc_node *n);

/* layout_front.c */
void lo_cover(lo *L);
void lo_imprint(lo *L);
void lo_back_cover(lo *L);
void lo_contents(lo *L);
void lo_list_of(lo *L, const rc_node *n);
void lo_draw_toc(lo *L, const lo_item *it, size_t page, double top);

/* layout_pages.c */
/* Starts the pagination of L->items; each step makes at most one page
 * (queued in L->ready unless contents are drawn on it at the end) and is
 * false once nothing is left. */
void lo_paginate_begin(lo *L);
bool lo_paginate_step(lo *L);
/* The first item of the main list not yet placed, and whether no float
 * and no footnote waits for a later page. */
size_t lo_paginate_pos(const lo *L);
bool lo_paginate_idle(const lo *L);
void lo_draw_item(lo *L, lo_pg *pg, const lo_item *it, double top);
/* A figure's chart drawn w x h (rc_chart_draw): in the build arena, or in
 * an arena of its own freed once its page is written (release_figures). */
const rc_draw_list *lo_draw_chart(lo *L, const struct rc_chart *chart, double w, double h);
/* Frees the charts of the pages handed back so far (all: everything). */
void lo_free_charts(lo *L, bool everything);

/* layout_labels.c: s cut with an ellipsis to fit maxw; a page's label
 * ("12", "iv", "" for unnumbered pages). */
const char *lo_fit_text(lo *L, rc_font_id f, double size, const char *s, double maxw);
const char *lo_page_label(lo *L, rc_page_style st, int n);

#endif
