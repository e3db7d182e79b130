/* draw: display lists, the one vocabulary shared by the page layout, the
 * chart renderer and the PDF back end. Coordinates are PDF points with y up,
 * relative to the list's origin (a page's lower-left corner, or a figure's
 * lower-left corner before it is placed). Text is UTF-8 drawn at a baseline
 * origin exactly where the producer measured it (words are positioned one by
 * one; no word spacing operator). Producers never call libharu. */
#ifndef RC_DRAW_H
#define RC_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc/arena.h"
#include "rc/config.h"
#include "rc/font.h"
#include "rc/tag.h"

typedef enum rc_draw_kind {
    RC_DRAW_TEXT, /* font, size, x, y (baseline), text/len, fill colour */
    RC_DRAW_RECT, /* x, y, w, h; fill and/or stroke */
    RC_DRAW_LINE, /* x, y -> x2, y2; stroke, line_width, dash */
    RC_DRAW_PATH, /* path segments; fill and/or stroke */
    RC_DRAW_LINK, /* clickable rect x, y, w, h -> dest (internal id) or uri */
    RC_DRAW_DEST, /* a named destination at (x, y): id */
    RC_DRAW_GROUP /* a nested list translated by (x, y) (placed figures) */
} rc_draw_kind;

typedef enum rc_path_op { RC_PATH_MOVE, RC_PATH_LINE, RC_PATH_CURVE, RC_PATH_CLOSE } rc_path_op;

/* A path segment. CURVE uses (x1,y1) (x2,y2) as control points, (x,y) as end. */
typedef struct rc_path_seg {
    rc_path_op op;
    double x1, y1, x2, y2, x, y;
} rc_path_seg;

typedef struct rc_draw_list rc_draw_list;

/* One drawing operation, 112 bytes. The fields of kinds that never meet
 * share storage (anonymous unions: the names stay op->text, op->segs, ...):
 * a page holds about 390 ops, 98 % of them TEXT, and every page's list is
 * kept until the PDF is written (it was 200 bytes, then 144; the kind,
 * face and counts are narrow, w/h share with x2/y2 and segs, the stroke fields
 * share with the text's). Read only the fields of op->kind. */
typedef struct rc_draw_op {
    uint8_t kind; /* rc_draw_kind */
    uint8_t font; /* rc_font_id: TEXT */
    bool fill, stroke;
    uint32_t len; /* TEXT: bytes of text */
    double x, y;
    union {
        struct {
            double w, h; /* RECT, LINK */
        };
        struct {
            double x2, y2; /* LINE: the other end */
        };
        struct {
            rc_path_seg *segs; /* PATH */
            size_t nsegs;
        };
    };
    /* Structure (rc/tag.h): the element this op's content belongs to; NULL
     * is an artifact. Ops inside a GROUP without a tag of their own belong
     * to the group's; a LINK's tag is its Link element. */
    const rc_tag *tag;
    union {
        struct {
            rc_rgb fill_rgb; /* TEXT, RECT, PATH */
            union {
                struct {              /* TEXT */
                    const char *text; /* not NUL-terminated: len */
                    double size;
                    /* what the text stands for when read (PDF /ActualText),
                     * e.g. the whole word for the first half of a word
                     * hyphenated at a line end and "" for its second half;
                     * NULL: the text itself */
                    const char *actual;
                };
                struct { /* RECT, LINE, PATH */
                    rc_rgb stroke_rgb;
                    double line_width;
                    double dash; /* 0 = solid, else dash length (on = off) */
                };
            };
        };
        struct {                   /* LINK, DEST */
            const char *dest;      /* LINK (internal) / DEST id */
            const char *uri;       /* LINK (external) */
            const char *link_text; /* LINK: visible text (the annotation's /Contents) */
            size_t link_len;
        };
        const rc_draw_list *group; /* GROUP */
    };
} rc_draw_op;

struct rc_draw_list {
    RC_VEC(rc_draw_op) ops;
    const rc_tag *tag; /* stamped on every op appended (NULL: artifacts) */
    rc_tags *tags;     /* when set, producers may add elements below tag (links) */
};

rc_draw_list *rc_draw_new(rc_arena *a);
/* Appenders; each returns the op for further tweaking. */
/* Text is copied into the arena (packed, see rc_arena_strndup); len is at
 * most UINT32_MAX. */
rc_draw_op *rc_draw_text(rc_arena *a, rc_draw_list *l, rc_font_id font, double size, double x,
                         double y, const char *text, size_t len, rc_rgb colour);
/* The same, without the copy: text[0..len) must stay unchanged as long as
 * the list is used (text in the same arena, as the layout's words are). */
rc_draw_op *rc_draw_text_ref(rc_arena *a, rc_draw_list *l, rc_font_id font, double size, double x,
                             double y, const char *text, size_t len, rc_rgb colour);
rc_draw_op *rc_draw_rect(rc_arena *a, rc_draw_list *l, double x, double y, double w, double h,
                         const rc_rgb *fill, const rc_rgb *stroke, double line_width);
rc_draw_op *rc_draw_line(rc_arena *a, rc_draw_list *l, double x, double y, double x2, double y2,
                         rc_rgb colour, double line_width);
rc_draw_op *rc_draw_path(rc_arena *a, rc_draw_list *l, const rc_path_seg *segs, size_t n,
                         const rc_rgb *fill, const rc_rgb *stroke, double line_width);
rc_draw_op *rc_draw_link(rc_arena *a, rc_draw_list *l, double x, double y, double w, double h,
                         const char *dest, const char *uri);
rc_draw_op *rc_draw_dest(rc_arena *a, rc_draw_list *l, double x, double y, const char *id);
rc_draw_op *rc_draw_group(rc_arena *a, rc_draw_list *l, double x, double y,
                          const rc_draw_list *inner);
/* bg's operations followed by fg's, in bg (returned): bg's vector grows
 * (by realloc once it has a block of its own) and fg's is given back, so
 * joining a page's background and foreground leaves nothing behind. fg is
 * empty afterwards. */
rc_draw_list *rc_draw_join(rc_arena *a, rc_draw_list *bg, rc_draw_list *fg);
/* A word of a line: text[0..len) referenced as rc_draw_text_ref does, or,
 * when space is set, copied once with one space after it (the space that
 * text extraction reads between words, drawn with the word). */
rc_draw_op *rc_draw_word(rc_arena *a, rc_draw_list *l, rc_font_id font, double size, double x,
                         double y, const char *text, size_t len, bool space, rc_rgb colour);
/* Gives l's operations back to the arena when they have a block of their
 * own (rc_arena_release) and empties l; what the operations point to
 * (text, paths, nested lists) stays. */
void rc_draw_release(rc_arena *a, rc_draw_list *l);
/* Appends an arc (centre cx,cy, radius r, angles in degrees, counter-clockwise
 * from a0 to a1) as cubic Bézier segments, at most 90 degrees each. */
size_t rc_path_arc(rc_path_seg *out, size_t cap, double cx, double cy, double r, double a0,
                   double a1, bool move_first);

#endif
