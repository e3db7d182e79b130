/* linebreak: setting one paragraph. Styled runs -> boxes, glue and
 * penalties over decoded code points (cached glyph widths), hyphenation
 * points from libhyphen as flagged penalties, then Knuth & Plass (1981)
 * total-fit line breaking with TeX-like defaults (tolerance, line penalty 10,
 * hyphen penalty 50, double-hyphen demerits 10000, final-hyphen demerits
 * 5000, fitness-class demerits 10000: plain TeX's values; at most two
 * hyphenated lines in a row), falling back to an emergency pass with the longest words split at
 * any character when no feasible breaking exists. Lines are positioned word
 * by word (justification distributes the glue; no word spacing operator). */
#ifndef RC_LINEBREAK_H
#define RC_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"

/* A run of text with one style. Runs are concatenated; spaces inside the
 * text (U+0020, newlines) are inter-word glue; U+00A0 is a non-breaking space.
 * Also understood: U+00AD (soft hyphen: a discretionary break), U+200B (a
 * break opportunity with nothing added), U+2028 (a forced line break). A word
 * may continue across runs (no space between them): it stays one word. */
typedef struct rc_run {
    rc_font_id font;
    double size;
    double rise; /* baseline shift (superscript footnote marks) */
    rc_rgb colour;
    const char *text;
    size_t len;
    const char *link_dest; /* internal link target id, or NULL */
    const char *link_uri;  /* external link, or NULL */
    const char *anchor;    /* a destination id placed at the run start, or NULL */
    bool nobreak;          /* the run is one unbreakable box (e.g. "Figure 6") */
} rc_run;

typedef enum rc_para_align {
    RC_PARA_JUSTIFY, /* last line ragged */
    RC_PARA_LEFT,
    RC_PARA_CENTER,
    RC_PARA_RIGHT
} rc_para_align;

typedef struct rc_para_opts {
    double width;        /* line width in pt */
    double first_indent; /* first line indent (may be negative for hanging) */
    double left_indent;  /* all lines after the first (for hanging indents) */
    double leading;      /* baseline-to-baseline distance in pt */
    rc_para_align align;
    bool hyphenate;
    double tolerance;    /* max adjustment ratio (TeX's tolerance/100); default 2.0 */
    double looseness_em; /* cap on a justified inter-word gap in em (0 = 1.0) */
    /* exceptions to the dictionary's breaks (NULL: none) */
    const struct rc_hyph_exc *exceptions;
    /* the words hyphenated so far with this dictionary and these
     * exceptions, and their points (NULL: each paragraph asks libhyphen) */
    struct rc_hyph_memo *memo;
    /* where the fragments' styles are kept once each (NULL: a copy per
     * run, in the lines' arena) */
    struct rc_style_set *styles;
    /* Hyphenate only when no breaking without it is feasible: for ragged
     * text (captions, table cells), where a hyphen buys nothing but a
     * shorter ragged edge. Justified text hyphenates as TeX does, except
     * capitalised words (proper names) and bold runs (lead-in phrases),
     * which are split only as that last resort. */
    bool hyphenate_last_resort;
    /* Where the text of a line ending in an inserted hyphen is copied
     * (NULL: the arena of the lines). The layout keeps the lines in an
     * arena of its own, freed once the pages are drawn, and this text in
     * the build's: the pages' display lists point to it. */
    rc_arena *text_arena;
} rc_para_opts;

/* The style of a fragment: what of its run drawing it needs. */
typedef struct rc_frag_style {
    rc_font_id font;
    double size, rise;
    rc_rgb colour;
    const char *link_dest, *link_uri;
} rc_frag_style;

/* The distinct styles of the paragraphs set so far (rc_para_opts.styles):
 * a long document has ~75,000 runs in a few dozen styles. Lives in a. */
typedef struct rc_style_set rc_style_set;
rc_style_set *rc_style_set_new(rc_arena *a);

/* One positioned piece of a line: a word or part of one, in one style. */
typedef struct rc_frag {
    /* its style: font, size, rise, colour and link (shared: a fragment is
     * one word or more of one run, and a long document holds ~400,000 of
     * them until its pages are drawn, so they hold no copy of the style:
     * 48 bytes, not 112) */
    const rc_frag_style *style;
    double x; /* offset from the line's left edge */
    double width;
    const char *text; /* UTF-8, may include a trailing hyphen from the arena */
    const char *anchor;
    uint32_t len;
    bool space_next; /* text[len] is a ' ' of the same source text: a word and its
                      * following space are drawn from the source, not a copy */
} rc_frag;

typedef struct rc_line {
    rc_frag *frags;
    size_t nfrags;
    double width;           /* set width (<= opts.width unless overfull) */
    double ascent, descent; /* max over frags, pt (descent >= 0) */
    double ratio;           /* adjustment ratio used (justified lines) */
    bool hyphenated;        /* ends with an inserted hyphen */
    bool space_end;         /* broken at a word space (not after a hyphen or dash) */
} rc_line;

typedef struct rc_para {
    rc_line *lines;
    size_t nlines;
    double demerits; /* total demerits of the chosen breaking */
    bool overfull;   /* some line is wider than opts.width */
} rc_para;

/* Sets runs into lines. Never fails on content: an unbreakable word wider
 * than the line is split at character boundaries (and flagged overfull only
 * if even one character does not fit). Text without a word (empty or only
 * spaces) gives nlines == 0. rc_frag.x includes the line's indent
 * (first_indent or left_indent), so x may be negative for a hanging first
 * line. A justified line whose gaps would exceed looseness_em stays short of
 * the measure (its gaps at the cap) instead. */
/* A memo of the hyphenation points of the words set so far (rc_para_opts
 * .memo), for one dictionary and one set of exceptions: most words of a
 * document recur, and finding a word's points cost ~2,500 instructions
 * (libhyphen's patterns, then the exceptions). Lives in a. */
typedef struct rc_hyph_memo rc_hyph_memo;
rc_hyph_memo *rc_hyph_memo_new(rc_arena *a);

rc_para *rc_para_set(rc_arena *a, const rc_run *runs, size_t nruns, const rc_para_opts *o,
                     const rc_fonts *fonts, const rc_hyph *hyph);

/* A watcher's memo of set paragraphs (para_memo.c), one per edition: a
 * layout between rc_para_memo_begin and rc_para_memo_end on the same
 * thread sets each paragraph whose runs and options it holds from it (the
 * very lines rc_para_set would give), and keeps the others; end drops what
 * that layout did not use. Keyed on the fonts' and dictionary's objects:
 * clear it whenever they are loaded again. */
typedef struct rc_para_memo rc_para_memo;
rc_para_memo *rc_para_memo_new(void);
void rc_para_memo_free(rc_para_memo *m);
void rc_para_memo_clear(rc_para_memo *m);
void rc_para_memo_begin(rc_para_memo *m);
void rc_para_memo_end(rc_para_memo *m);
/* For tests: entries and bytes held; paragraphs set from
 * the memo and set anew since begin. */
size_t rc_para_memo_entries(const rc_para_memo *m);
size_t rc_para_memo_bytes(const rc_para_memo *m);
size_t rc_para_memo_hits(const rc_para_memo *m);
size_t rc_para_memo_misses(const rc_para_memo *m);

/* A build's memo of set paragraphs, kept between builds in the cache
 * directory (rc/cache.h), one file per PDF (output: its path, or the
 * temporary rc_out_tmpname names for it), through rc/zmemo.h: the file
 * holds exactly the paragraphs the last layout of that PDF set (up to
 * RC_ZMEMO_MAX bytes), keyed like a watcher's memo but naming the fonts
 * and dictionary by their files' identity (fonts_digest: rc_fonts_digest
 * of the fonts the layout sets with; rc_hyph_digest) instead of their
 * objects. Used between rc_para_memo_begin and rc_para_memo_end like the
 * watcher's; NULL (no memo: every paragraph is set) when there is no
 * cache directory, the fonts (digest 0) or the dictionary have no known
 * identity, or without memory. */
rc_para_memo *rc_para_memo_disk(const char *output, uint64_t fonts_digest,
                                const struct rc_hyph *hyph);
/* Ends a build's memo: when ok (the PDF was made) and the paragraphs used
 * differ from the file's, writes the file anew (true when it did, here or
 * in rc_para_memo_done); frees m. */
bool rc_para_memo_close(rc_para_memo *m, bool ok);
/* The current layout has set its last paragraph (layout.c, at the end of
 * the pagination): a build's memo writes its file now, as close would
 * with ok, and lets the file's mapping go (up to 2 MB, which the PDF's
 * end needs more: a 1,000-page document's peak memory); from here on the
 * thread has no memo. Nothing for a watcher's memo or none. */
void rc_para_memo_done(void);

/* Draws line i of p with its left edge at x and baseline at y (adds link and
 * destination ops for frags that carry them). */
void rc_para_draw_line(rc_arena *a, rc_draw_list *l, const rc_para *p, size_t i, double x,
                       double y);

/* The generic breaker, exposed for unit tests: items -> break indices. */
typedef enum rc_lb_type { RC_LB_BOX, RC_LB_GLUE, RC_LB_PENALTY } rc_lb_type;
typedef struct rc_lb_item {
    rc_lb_type type;
    double width, stretch, shrink;
    double penalty; /* >= 10000 forbids, <= -10000 forces */
    bool flagged;   /* hyphen penalty */
} rc_lb_item;

/* Computes optimal breaks for items with line widths (widths[k] for line k;
 * the last value repeats). Writes item indices of the chosen breaks to
 * breaks (the last is n-1 or the final forced break) and returns their
 * count; 0 if no feasible solution within tolerance. */
size_t rc_linebreak(const rc_lb_item *items, size_t n, const double *widths, size_t nwidths,
                    double tolerance, size_t *breaks, size_t cap, double *demerits);

/* Glue stretch at or above this is infinite (\parfillskip, \hfil): a line
 * holding such glue has adjustment ratio 0 for its finite glue. */
#define RC_LB_FIL 1.0e7

/* The breaker's parameters (rc_linebreak uses rc_lb_defaults(tolerance)). */
typedef struct rc_lb_params {
    double tolerance;    /* max adjustment ratio; INFINITY accepts any underfull line */
    double line_penalty; /* TeX \linepenalty (10) */
    /* plain TeX's values (plain.tex; The TeXbook, appendix B) */
    double double_hyphen_demerits; /* two flagged breaks in a row (10000) */
    double final_hyphen_demerits;  /* penultimate line hyphenated (5000) */
    double adj_demerits;           /* fitness classes more than one apart (10000) */
    double badness_cap;            /* badness ceiling (10000; raise it so an emergency
                                      pass still prefers the less loose of two bad lines) */
    unsigned max_hyphen_run;       /* most consecutive lines ending in a flagged break
                                      (2; 0 or 8 and up = no limit): a longer ladder is
                                      infeasible */
} rc_lb_params;

rc_lb_params rc_lb_defaults(double tolerance);
/* rc_linebreak with explicit parameters. cap must be at least the number of
 * lines (n is always enough); returns 0 if infeasible or cap is too small. */
size_t rc_linebreak_ex(const rc_lb_item *items, size_t n, const double *widths, size_t nwidths,
                       const rc_lb_params *p, size_t *breaks, size_t cap, double *demerits);

#endif
