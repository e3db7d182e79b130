/* svg: one walk over a display list, like pdf_draw.c's, writing SVG
 * elements instead of content-stream operators (cmark's habit: each back
 * end is a switch over the same tree). The page's y axis points up, SVG's
 * down: every y becomes h - y. Numbers are printed with two decimals
 * (1/100 pt, finer than any renderer shows) with trailing zeros dropped, so
 * the same list always gives the same bytes. */
#include "rc/svg.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rc/util.h"

/* Figures nest at most a few groups deep; anything deeper is a cycle. */
#define MAX_DEPTH 16

/* The document is built in one rc_strbuf (arena-owned). */
typedef rc_strbuf buf;

static void put(buf *b, const char *s, size_t k)
{
    rc_strbuf_put(b, s, k);
}

static void puts_(buf *b, const char *s)
{
    rc_strbuf_puts(b, s);
}

/* A coordinate or length: 2 decimals, no trailing zeros, no "-0". */
static void num(buf *b, double v)
{
    if (!isfinite(v)) v = 0;
    long long c = llround(v * 100.0);
    char t[40];
    int k;
    if (c % 100 == 0)
        k = snprintf(t, sizeof t, "%lld", c / 100);
    else {
        long long ac = c < 0 ? -c : c;
        if (ac % 10 == 0)
            k = snprintf(t, sizeof t, "%s%lld.%lld", c < 0 ? "-" : "", ac / 100, (ac % 100) / 10);
        else
            k = snprintf(t, sizeof t, "%s%lld.%02lld", c < 0 ? "-" : "", ac / 100, ac % 100);
    }
    put(b, t, (size_t)k);
}

static void attr_num(buf *b, const char *name, double v)
{
    puts_(b, " ");
    puts_(b, name);
    puts_(b, "=\"");
    num(b, v);
    puts_(b, "\"");
}

static void colour(buf *b, rc_rgb c)
{
    double v[3] = {c.r, c.g, c.b};
    char t[8] = "#";
    for (int i = 0; i < 3; i++) {
        double x = v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i];
        snprintf(t + 1 + 2 * i, 3, "%02x", (unsigned)lround(x * 255.0));
    }
    put(b, t, 7);
}

/* UTF-8 text as XML character data: markup characters escaped, invalid
 * bytes as U+FFFD and control characters (which XML 1.0 forbids) as spaces,
 * as the PDF back end shows them. */
static void text(buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = rc_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            puts_(b, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        if (cp == '<')
            puts_(b, "&lt;");
        else if (cp == '>')
            puts_(b, "&gt;");
        else if (cp == '&')
            puts_(b, "&amp;");
        else if (cp == '"')
            puts_(b, "&quot;");
        else if (cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF)
            puts_(b, " ");
        else
            put(b, s + i, n);
        i += n;
    }
}

/* Stroke attributes as the PDF sets them: width clamped at 0, dashes whole
 * points, at least 1 (pdf_draw.c set_stroke). */
static void paint(buf *b, const rc_draw_op *op)
{
    puts_(b, " fill=\"");
    if (op->fill && op->kind != RC_DRAW_LINE)
        colour(b, op->fill_rgb);
    else
        puts_(b, "none");
    puts_(b, "\"");
    if (!op->stroke) return;
    puts_(b, " stroke=\"");
    colour(b, op->stroke_rgb);
    puts_(b, "\"");
    attr_num(b, "stroke-width", op->line_width < 0 ? 0 : op->line_width);
    if (op->dash > 0) {
        double dash = fmax(1.0, round(op->dash));
        puts_(b, " stroke-dasharray=\"");
        num(b, dash);
        puts_(b, " ");
        num(b, dash);
        puts_(b, "\"");
    }
}

static void face(buf *b, rc_font_id f)
{
    if (f == RC_FONT_BOLD || f == RC_FONT_BOLD_ITALIC) puts_(b, " font-weight=\"bold\"");
    if (f == RC_FONT_LIGHT) puts_(b, " font-weight=\"300\"");
    if (f == RC_FONT_ITALIC || f == RC_FONT_BOLD_ITALIC) puts_(b, " font-style=\"italic\"");
}

static void point(buf *b, double x, double y, double H)
{
    num(b, x);
    puts_(b, " ");
    num(b, H - y);
}

static void walk(buf *b, const rc_draw_list *l, double ox, double oy, double H, int depth)
{
    if (!l || depth > MAX_DEPTH) return;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        double x = op->x + ox, y = op->y + oy;
        switch (op->kind) {
        case RC_DRAW_TEXT:
            if (op->len == 0 || !(op->size > 0) || (unsigned)op->font >= RC_FONT_COUNT) break;
            puts_(b, "<text");
            attr_num(b, "x", x);
            attr_num(b, "y", H - y);
            attr_num(b, "font-size", op->size);
            face(b, op->font);
            puts_(b, " fill=\"");
            colour(b, op->fill_rgb);
            puts_(b, "\">");
            text(b, op->text, op->len);
            puts_(b, "</text>\n");
            break;
        case RC_DRAW_RECT: {
            /* the PDF's re accepts negative sizes; SVG's rect does not */
            double w = fabs(op->w), h = fabs(op->h);
            double x0 = op->w < 0 ? x + op->w : x, y0 = op->h < 0 ? y + op->h : y;
            if (!op->fill && !op->stroke) break;
            puts_(b, "<rect");
            attr_num(b, "x", x0);
            attr_num(b, "y", H - (y0 + h));
            attr_num(b, "width", w);
            attr_num(b, "height", h);
            paint(b, op);
            puts_(b, "/>\n");
            break;
        }
        case RC_DRAW_LINE:
            if (!op->stroke) break;
            puts_(b, "<line");
            attr_num(b, "x1", x);
            attr_num(b, "y1", H - y);
            attr_num(b, "x2", op->x2 + ox);
            attr_num(b, "y2", H - (op->y2 + oy));
            paint(b, op);
            puts_(b, "/>\n");
            break;
        case RC_DRAW_PATH:
            /* a path must start with a move, as in the PDF back end */
            if (op->nsegs == 0 || op->segs[0].op != RC_PATH_MOVE) break;
            if (!op->fill && !op->stroke) break;
            puts_(b, "<path d=\"");
            for (size_t k = 0; k < op->nsegs; k++) {
                const rc_path_seg *s = &op->segs[k];
                if (k) puts_(b, " ");
                switch (s->op) {
                case RC_PATH_MOVE:
                    puts_(b, "M");
                    point(b, s->x + ox, s->y + oy, H);
                    break;
                case RC_PATH_LINE:
                    puts_(b, "L");
                    point(b, s->x + ox, s->y + oy, H);
                    break;
                case RC_PATH_CURVE:
                    puts_(b, "C");
                    point(b, s->x1 + ox, s->y1 + oy, H);
                    puts_(b, " ");
                    point(b, s->x2 + ox, s->y2 + oy, H);
                    puts_(b, " ");
                    point(b, s->x + ox, s->y + oy, H);
                    break;
                case RC_PATH_CLOSE:
                    puts_(b, "Z");
                    break;
                }
            }
            puts_(b, "\"");
            paint(b, op);
            puts_(b, "/>\n");
            break;
        case RC_DRAW_LINK:
        case RC_DRAW_DEST:
            /* page navigation: nothing to show in a standalone figure */
            break;
        case RC_DRAW_GROUP:
            walk(b, op->group, x, y, H, depth + 1);
            break;
        }
    }
}

char *rc_svg_render(rc_arena *a, const rc_svg_figure *f, size_t *len)
{
    buf b = {.a = a};
    double W = f->w > 0 ? f->w : 1, H = f->h > 0 ? f->h : 1;
    puts_(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
    puts_(&b, " width=\"");
    num(&b, W);
    puts_(&b, "pt\" height=\"");
    num(&b, H);
    puts_(&b, "pt\" viewBox=\"0 0 ");
    num(&b, W);
    puts_(&b, " ");
    num(&b, H);
    puts_(&b, "\" role=\"img\" aria-labelledby=\"title desc\">\n<title id=\"title\">");
    if (f->title) text(&b, f->title, strlen(f->title));
    puts_(&b, "</title>\n<desc id=\"desc\">");
    if (f->desc) text(&b, f->desc, strlen(f->desc));
    puts_(&b, "</desc>\n");
    /* The faces the PDF embeds, then common sans-serif fallbacks of similar
     * width for a machine without them. */
    puts_(&b, "<g font-family=\"");
    if (f->family && *f->family) {
        puts_(&b, "'");
        text(&b, f->family, strlen(f->family));
        puts_(&b, "', ");
    }
    puts_(&b, "'Helvetica Neue', Arial, 'Liberation Sans', sans-serif\">\n");
    walk(&b, f->list, 0, 0, H, 0);
    puts_(&b, "</g>\n</svg>\n");
    *len = b.n;
    return b.s;
}

rc_status rc_svg_write(rc_arena *a, const rc_svg_figure *f, const char *path, rc_diag *d)
{
    size_t len = 0;
    char *s = rc_svg_render(a, f, &len);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        rc_diag_error(d, (rc_loc){rc_out_shown(a, path), 0, 0}, "cannot write output: %s",
                      strerror(errno));
        return RC_ERR_IO;
    }
    bool ok = fwrite(s, 1, len, fp) == len;
    ok = (fclose(fp) == 0) && ok;
    if (!ok) {
        rc_diag_error(d, (rc_loc){rc_out_shown(a, path), 0, 0}, "cannot write output: %s",
                      strerror(errno));
        remove(path);
        return RC_ERR_IO;
    }
    return RC_OK;
}

const char *rc_svg_family_from_path(rc_arena *a, const char *font_path)
{
    if (!font_path) return NULL;
    const char *base = rc_path_base(font_path);
    size_t n = strcspn(base, "-.");
    return n ? rc_arena_strndup(a, base, n) : NULL;
}
