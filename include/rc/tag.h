/* tag: the logical structure of a document (PDF's structure tree, ISO
 * 32000-1 section 14.7/14.8), built by layout in reading order and written
 * by the PDF back end. Every display-list op points at the element its
 * content belongs to (rc_draw_op.tag); an op without one is an artifact
 * (running heads, folios, rules, backgrounds, decoration). Elements and
 * their strings live in the build arena. */
#ifndef RC_TAG_H
#define RC_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/arena.h"

/* Standard structure types (ISO 32000-1 table 333 ff.), no role map needed:
 * each as X(enumerator suffix, PDF name), in one list that makes both the
 * enumeration and rc_tag_name's table. H1..H6 follow in order. */
/* One type a line, left as it is: clang-format reflows the list differently
 * on each run. */
/* clang-format off */
#define RC_TAG_TYPES(X) \
    X(DOCUMENT, "Document") \
    X(PART, "Part") \
    X(SECT, "Sect") \
    X(DIV, "Div") \
    X(H1, "H1") \
    X(H2, "H2") \
    X(H3, "H3") \
    X(H4, "H4") \
    X(H5, "H5") \
    X(H6, "H6") \
    X(P, "P") \
    X(L, "L") \
    X(LI, "LI") \
    X(LBL, "Lbl") \
    X(LBODY, "LBody") \
    X(TABLE, "Table") \
    X(THEAD, "THead") \
    X(TBODY, "TBody") \
    X(TR, "TR") \
    X(TH, "TH") \
    X(TD, "TD") \
    X(FIGURE, "Figure") \
    X(CAPTION, "Caption") \
    X(NOTE, "Note") \
    X(TOC, "TOC") \
    X(TOCI, "TOCI") \
    X(LINK, "Link") \
    X(BLOCKQUOTE, "BlockQuote") \
    X(CODE, "Code") \
    X(SPAN, "Span")
/* clang-format on */

typedef enum rc_tag_type {
#define RC_TAG_ENUM(id, name) RC_TAG_##id,
    RC_TAG_TYPES(RC_TAG_ENUM)
#undef RC_TAG_ENUM
        RC_TAG_TYPE_COUNT
} rc_tag_type;

typedef enum rc_tag_scope { RC_SCOPE_NONE, RC_SCOPE_COLUMN, RC_SCOPE_ROW } rc_tag_scope;

typedef struct rc_tag rc_tag;
struct rc_tag {
    rc_tag_type type;
    rc_tag *parent;     /* NULL only for the root */
    size_t index;       /* creation order; the root is 0 */
    const char *alt;    /* Figure: alternative text (UTF-8) */
    const char *lang;   /* BCP 47 tag when it differs from the document's */
    rc_tag_scope scope; /* TH */
    bool has_bbox;      /* Figure: bbox in page coordinates (x0, y0, x1, y1) */
    double bbox[4];
};

typedef struct rc_tags {
    rc_tag *root;
    RC_VEC(rc_tag *) all; /* all[i]->index == i */
} rc_tags;

/* A tree with a root of the given type (normally RC_TAG_DOCUMENT). */
rc_tags *rc_tags_new(rc_arena *a, rc_tag_type root);
/* Appends a child of parent (NULL: the root). Children are read in creation
 * order, except inside an element that holds content of its own (a P with
 * a Link), where content and children are read in drawing order. */
rc_tag *rc_tag_add(rc_arena *a, rc_tags *t, rc_tag *parent, rc_tag_type type);
/* The heading type for level 1..6 (clamped). */
rc_tag_type rc_tag_heading(int level);
/* The PDF name of a type ("P", "H1", "TOCI"). */
const char *rc_tag_name(rc_tag_type type);

#endif
