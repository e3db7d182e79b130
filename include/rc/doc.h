/* doc: the document tree. Markdown chapters (cmark-gfm with the table,
 * strikethrough and footnote extensions) become rc_node trees of our own,
 * every node with its file:line:col. Placeholders {{metric}} and
 * {{metric | format}} are replaced by formatted values; {{figure:NAME}},
 * {{table:NAME}}, {{box:NAME}} become "Figure 6" etc. (and {{#figure:NAME}}
 * only the number). A paragraph that is only ![](figure:NAME), ![](table:NAME)
 * or ![](box:NAME) places that float. Headings get numbers (1, 2.1, 2.1.1 in
 * chapters; "Annex 1" in annexes; none in front and back matter). Figures,
 * tables and boxes are numbered in order of placement. The tree and all its
 * strings live in the arena. Nothing here knows about PDF or LaTeX. */
#ifndef RC_DOC_H
#define RC_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/data.h"
#include "rc/diag.h"
#include "rc/locale.h"
#include "rc/status.h"

struct rc_chart;

/* Every node type as X(enumerator suffix, name): one list makes the
 * enumeration and rc_node_type_name's table (the name is what the text dump
 * of the golden tests prints). */
#define RC_NODE_TYPES(X)                                                                           \
    /* structure */                                                                                \
    X(DOCUMENT, "document")                                                                        \
    X(SECTION, "section") /* one Markdown file: part + its blocks */                               \
    /* generated blocks */                                                                         \
    X(COVER, "cover")                                                                              \
    X(IMPRINT, "imprint")                                                                          \
    X(TOC, "toc")                                                                                  \
    X(LIST_OF, "list_of") /* list of figures / tables / boxes: see 'list' */                       \
    X(BACK_COVER, "back_cover")                                                                    \
    /* blocks */                                                                                   \
    X(HEADING, "heading")                                                                          \
    X(PARAGRAPH, "paragraph")                                                                      \
    X(LIST, "list")                                                                                \
    X(ITEM, "item")                                                                                \
    X(BLOCKQUOTE, "blockquote")                                                                    \
    X(CODE_BLOCK, "code_block")                                                                    \
    X(THEMATIC_BREAK, "thematic_break")                                                            \
    X(TABLE, "table") /* rows are children */                                                      \
    X(TABLE_ROW, "table_row")                                                                      \
    X(TABLE_CELL, "table_cell")                                                                    \
    X(FIGURE, "figure")             /* a chart float */                                            \
    X(BOX, "box")                   /* a shaded case-study box; children are blocks */             \
    X(FOOTNOTE_DEF, "footnote_def") /* body of a footnote (kept in doc->footnotes) */              \
    /* inlines */                                                                                  \
    X(TEXT, "text")                                                                                \
    X(EMPH, "emph")                                                                                \
    X(STRONG, "strong")                                                                            \
    X(STRIKE, "strike")                                                                            \
    X(CODE, "code")                                                                                \
    X(LINK, "link") /* url: external or "#id" internal */                                          \
    X(SOFTBREAK, "softbreak")                                                                      \
    X(LINEBREAK, "linebreak")                                                                      \
    X(FOOTNOTE_REF, "footnote_ref") /* number; footnote -> its RC_NODE_FOOTNOTE_DEF */

/* clang-format off */
typedef enum rc_node_type {
#define RC_NODE_ENUM(id, name) RC_NODE_##id,
    RC_NODE_TYPES(RC_NODE_ENUM)
#undef RC_NODE_ENUM
    RC_NODE_TYPE_COUNT
} rc_node_type;
/* clang-format on */

typedef enum rc_part {
    RC_PART_FRONT, /* abstract, foreword, ... (unnumbered, roman pages) */
    RC_PART_MAIN,  /* numbered chapters */
    RC_PART_BACK,  /* references, abbreviations, lists (unnumbered) */
    RC_PART_ANNEX  /* annexes */
} rc_part;

typedef enum rc_list_kind { RC_LIST_FIGURES, RC_LIST_TABLES, RC_LIST_BOXES } rc_list_kind;

typedef enum rc_align { RC_ALIGN_NONE, RC_ALIGN_LEFT, RC_ALIGN_CENTER, RC_ALIGN_RIGHT } rc_align;

typedef struct rc_node {
    /* Fields ordered so that the narrow ones share words: a 1,000-page
     * document has ~67,000 nodes (240 bytes each with the padding, 216
     * now). */
    rc_node_type type;
    int level; /* HEADING 1..4 */
    rc_loc loc;
    struct rc_node *parent, *first, *last, *next, *prev;

    const char *text; /* TEXT, CODE, CODE_BLOCK: UTF-8 literal (NUL-terminated) */
    size_t len;
    const char *url; /* LINK */
    const char *id;  /* anchor: "sec-2-1", "figure:motivation", "fn-3" ... */

    const char *number; /* HEADING: "2.1", "Annex 1"; FIGURE/TABLE/BOX "6"; NULL if none */
    rc_part part;       /* HEADING, SECTION */
    bool numbered;      /* HEADING carries a number */
    bool in_toc;        /* HEADING listed in contents and outline */
    /* HEADING opening a file, from its {key=value} attributes (doc_attr.c) */
    bool share_page;         /* the part may start on the previous part's page */
    const char *short_title; /* running heads use it instead of the title; NULL: none */

    bool ordered;      /* LIST */
    bool tight;        /* LIST */
    bool header;       /* TABLE_ROW is a header row */
    int start;         /* LIST start number */
    rc_align align;    /* TABLE_CELL */
    rc_list_kind list; /* LIST_OF */
    size_t ncols;      /* TABLE */

    /* floats */
    const rc_figure_cfg *figure; /* FIGURE */
    const rc_table_cfg *table;   /* TABLE declared in the INI (numbered), or NULL */
    const rc_box_cfg *box;       /* BOX */
    struct rc_chart *chart;      /* FIGURE: the chart model */
    const char *caption;         /* FIGURE/TABLE/BOX title text */
    const char *source_line;     /* "JRC analysis ..." (without "Source: ") */
    const char *note;

    int footnote;                 /* FOOTNOTE_REF / FOOTNOTE_DEF number (1-based) */
    struct rc_node *footnote_def; /* FOOTNOTE_REF -> definition */
} rc_node;

/* A numbered float, in document order, for the lists of figures/tables/boxes. */
typedef struct rc_float_ref {
    const rc_node *node;
    const char *number;
    const char *caption;
    const char *id;
} rc_float_ref;

typedef struct rc_doc {
    rc_node *root;
    const rc_config *cfg;
    const rc_data *data;
    const rc_locale *locale;
    RC_VEC(rc_node *) headings; /* every heading in order */
    RC_VEC(rc_float_ref) figures, tables, boxes;
    RC_VEC(rc_node *) footnotes; /* FOOTNOTE_DEF nodes, numbered 1.. */
    struct rc_doc_state *state;  /* private to doc*.c: numbering, pending references */
} rc_doc;

/* Builds the whole document from the config's [document] and the computed
 * data (figures get their chart models from chart.h). Reports every problem
 * in the Markdown (unknown placeholder, unknown/duplicate float reference,
 * heading deeper than 4, unreadable file) at its file:line:col. */
rc_status rc_doc_build(rc_arena *a, const rc_config *cfg, const rc_data *data, const rc_locale *loc,
                       rc_diag *d, rc_doc *out);

/* Parses one Markdown string as a section (for tests and the fuzzer).
 * Placeholders resolve against data (may be NULL: then any {{...}} is an error). */
rc_node *rc_doc_parse_markdown(rc_arena *a, rc_doc *doc, const char *file, const char *text,
                               size_t len, rc_part part, rc_diag *d);

/* Resolves the cross-references still pending ({{figure:x}} before the
 * float was placed), reports references to floats that were never placed
 * (error) and declared floats never placed (warning). rc_doc_build calls it;
 * callers of rc_doc_parse_markdown call it after their last file. Returns
 * RC_ERR_DATA when it reported an error. */
rc_status rc_doc_finish(rc_doc *doc, rc_diag *d);

/* A watcher's memo of parsed Markdown (doc_memo.c), for the whole process:
 * once enabled, the cmark tree of every Markdown text (chapters, table and
 * box files) is kept after its conversion, and a later parse of the same
 * bytes uses it, so a rebuild parses only the files that changed; the
 * documents built are the same. rc_doc_memo_sweep frees what was not used
 * since the sweep before (after each build); disable frees everything. */
void rc_doc_memo_enable(void);
void rc_doc_memo_sweep(void);
void rc_doc_memo_disable(void);
size_t rc_doc_memo_entries(void);

/* Heading policy (numbers, ids, contents):
 *   MAIN   level 1 "2" (id sec-2), 2 "2.1" (sec-2-1), 3 "2.1.1" (sec-2-1-1),
 *          level 4 unnumbered run-in; levels 1-3 are in_toc.
 *   ANNEX  level 1 "Annex 1" (locale word; id sec-annex-1), deeper levels
 *          unnumbered; levels 1-2 are in_toc.
 *   FRONT / BACK  unnumbered; only level 1 is in_toc.
 *   Unnumbered headings get ids from their text: "sec-abstract", made unique
 *   with "-2", "-3"... Headings inside boxes and footnotes are never in_toc.
 * Footnote definitions have ids "fn-N", the first reference to each "fnref-N".
 * Placeholders are not expanded inside code spans and code blocks.
 * The level-1 heading opening a file may end with attributes in Pandoc's
 * syntax, {short_title="Short" share_page=yes}: they are removed from the
 * title and set short_title / share_page on the heading (docs/config.md). */

/* The PDF's limits on strings (doc_limits.c): a heading in the outline, a
 * link's text or a figure's 'alt' of more than RC_PDF_TEXT_MAX_CHARS
 * characters, a link target of more than RC_PDF_BYTES_MAX bytes, and a
 * title, subtitle, authors or keywords of more than RC_PDF_INFO_MAX_CHARS
 * characters, are located errors. Run before typesetting a PDF. Returns
 * RC_ERR_LIMIT when it reported an error. */
/* The document information (pdf_xmp.c) holds each value as a UTF-16BE text
 * string with a byte order mark, 2 + 2 bytes a character, and PDF/A-2
 * (ISO 19005-2, 6.1.13) allows no string longer than 32,767 bytes. */
#define RC_PDF_INFO_MAX_CHARS 16382
/* The same for the other text strings (bookmarks, link descriptions,
 * alternative text), UTF-16BE when not all PDFDocEncoding; and byte
 * strings (link targets) within the 32,767 bytes. */
#define RC_PDF_TEXT_MAX_CHARS 16382
#define RC_PDF_BYTES_MAX 32767
rc_status rc_doc_check_pdf_limits(rc_arena *a, const rc_doc *doc, rc_diag *d);

/* Tree helpers. */
rc_node *rc_node_new(rc_arena *a, rc_node_type t, rc_loc loc);
void rc_node_append(rc_node *parent, rc_node *child);
const char *rc_node_type_name(rc_node_type t);
/* The plain text of a node's inline content (for bookmarks, TOC, metadata). */
char *rc_node_plain_text(rc_arena *a, const rc_node *n);
/* Debug dump, one node per line with indentation (golden tests). */
void rc_doc_dump(const rc_node *n, FILE *out);

#endif
