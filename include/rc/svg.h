/* svg: display lists -> standalone SVG files, a second back end over the
 * drawing the PDF back end draws (a figure's chart is the same rc_draw_list
 * on the page and in its SVG file; nothing of the chart is drawn twice).
 * Text stays text (font family with a fallback, weight and style per face),
 * colours, line widths and dashes are the PDF's, and the file carries a
 * <title> and a <desc> for screen readers. The bytes depend only on the
 * inputs. */
#ifndef RC_SVG_H
#define RC_SVG_H

#include <stddef.h>
#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/status.h"

typedef struct rc_svg_figure {
    const rc_draw_list *list; /* origin lower-left, y up (PDF points) */
    double w, h;              /* the list's box, in points */
    const char *title;        /* "Figure 4: Motivation ..." (or NULL) */
    const char *desc;         /* longer description / alt text (or NULL) */
    const char *family;       /* font family of the faces, e.g. "Lato" (or NULL) */
} rc_svg_figure;

/* The SVG document for f, NUL-terminated, allocated in a; *len gets its
 * length. */
char *rc_svg_render(rc_arena *a, const rc_svg_figure *f, size_t *len);

/* Writes rc_svg_render(f) to path (created or replaced as given: the caller
 * passes a temporary name and renames it into place). I/O problems are
 * reported at path. */
rc_status rc_svg_write(rc_arena *a, const rc_svg_figure *f, const char *path, rc_diag *d);

/* "Lato" from ".../Lato-Regular.ttf": the family a face's file name starts
 * with (up to the first '-' or '.'); allocated in a. */
const char *rc_svg_family_from_path(rc_arena *a, const char *font_path);

#endif
