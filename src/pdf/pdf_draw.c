/* pdf_draw: display lists -> page content. The content stream is written
 * here, not through libharu's page operators, which format every number with
 * a slow float printer, zero a 512-byte buffer per call and measure every
 * string they show (together most of the PDF writer's time). Numbers are
 * formatted exactly as libharu's HPDF_FToA formats them; text is shown as
 * literal strings of two-byte codes (the Unicode BMP code point, what
 * libharu's UTF-8 encoder emits). Consecutive text ops share one BT..ET
 * object with the font, size and colour set only when they change.
 *
 * Words: the layout places every word itself (justified lines stretch the
 * gaps), and Tw cannot do it for two-byte codes, so each word used to get
 * an absolute "1 0 0 1 x y Tm" of its own (about 30 bytes a word: the
 * sample's page content is 40 % smaller without).
 * Now the words of a line are strings of one TJ array, and the number
 * between two words moves the second exactly where the layout put it: the
 * number is computed from where a reader's pen is after the first word,
 * i.e. from the widths of the font's /W array (libharu's, truncated to
 * whole thousandths of an em: rc_pdf_glyph_w) and the kerning numbers as written,
 * not from the layout's unrounded widths, so there is no drift. The pen is
 * tracked in exact integers (1e-13 pt) and each number is rounded so that
 * the word lands within half of libharu's last digit (0.5e-5 pt) of the
 * absolute position; the next word is again aimed at its absolute position,
 * so errors never add up. A font or colour change inside the line closes
 * the array, sets the font or colour and opens another one: neither moves
 * the pen. Only the first word of a line (a new baseline, a new text
 * object) or the word after one whose widths are not known here (a code
 * without a glyph: .notdef's width) is placed absolutely: with Td
 * right after BT (the text matrix is then the identity, so 0 + x is x in
 * any reader's arithmetic), else with Tm. Relative Td moves between lines
 * would be shorter, but readers sum them in floating point and the
 * last-bit differences move glyphs across subpixel boundaries (with a Td
 * per word, 4 of 35 sample pages differed in pdftoppm and pdftotext's
 * words on shared baselines were reordered; with a Td per line, the file
 * is 1.3 % smaller and twice as many pixels differ from the absolute
 * placement at 150 dpi). The finished page is deflated here (libdeflate,
 * RC_PDF_ZLEVEL) and handed to libharu as an already encoded stream.
 * Internal links are queued until every destination exists.
 *
 * Tagged PDF: every painting op is inside marked content, either a
 * sequence with an MCID for its structure element (rc_draw_op.tag; ops in
 * a group without a tag take the group's) or an /Artifact. A sequence runs
 * over consecutive ops of one element and never crosses a text object
 * boundary (ET comes first). Text with an /ActualText (a word hyphenated at
 * a line end) is a sequence of its own with the /ActualText beside the
 * MCID. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "pdf_text.h"
#include "rc/util.h"
#include "rc/zmemo.h"

/* Groups nest figures inside pages; anything deeper is a cycle or a bug. */
#define MAX_DEPTH 16

/* What has been set in the current page's graphics state, so that repeated
 * ops do not repeat operators. */
typedef struct gstate {
    HPDF_Page pg;
    bool in_text;
    int font;
    double size;
    bool fill_set, stroke_set, lw_set, dash_set;
    rc_rgb fill, stroke;
    double lw, dash;
    /* the page's font resources, in order of first use: fonts (by
     * p->fgroup) and their names, F1, F2, ... as libharu names them when
     * they are registered after the fonts are loaded (pdf_fonts.c) */
    uint8_t nfonts, order[RC_FONT_COUNT];
    char fname[RC_FONT_COUNT][8];
    signed char slot[RC_FONT_COUNT]; /* per font: index in order, or -1 */
    int64_t y;                       /* the last text y, and as written */
    char ytext[24];
    size_t ylen;
    size_t page; /* index of the page */
    /* the words of a line (see the top of the file) */
    bool fresh;     /* BT written, the text matrix not set since */
    bool tj;        /* a TJ array is open: "[" written, "] TJ" not yet */
    bool pen_ok;    /* the pen's place on line y is known: pen */
    int64_t pen;    /* where the next glyph goes, in 1e-13 pt */
    int64_t sz;     /* the font size as written (1e-5 pt) */
    bool mc_open;   /* a marked-content sequence is open ... */
    bool mc_single; /* ... for one op (with an /ActualText) ... */
    size_t mc;      /* ... for this element index, or SIZE_MAX: an artifact */
    int mcids;      /* the worker's: MCIDs given on this page (they count from 0) */
} gstate;

/* ---- content bytes ---- */

static void out(rc_pdf *p, const char *s, size_t k)
{
    if (p->dry) return; /* the page's bytes are the cache's */
    rc_pdf_cs_need(p, k);
    memcpy(p->cs + p->cn, s, k);
    p->cn += k;
}

#define OUT(p, lit) out((p), (lit), sizeof(lit) - 1)

/* Writes v (in units of 1e-5), then sep. */
static void num(rc_pdf *p, int64_t v, char sep)
{
    if (p->dry) return;
    rc_pdf_cs_need(p, 24);
    char *o = rc_pdf_fmt(v, p->cs + p->cn);
    *o++ = sep;
    p->cn = (size_t)(o - p->cs);
}

static void pos(rc_pdf *p, double v, char sep)
{
    num(p, rc_pdf_hnum(v), sep);
}

/* ---- drawing ---- */

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static bool same_rgb(rc_rgb a, rc_rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void rgb(rc_pdf *p, rc_rgb c, const char *op)
{
    pos(p, clamp01(c.r), ' ');
    pos(p, clamp01(c.g), ' ');
    pos(p, clamp01(c.b), ' ');
    out(p, op, strlen(op));
}

/* Closes the open TJ array, if any (the pen stays where it is). */
static void close_tj(rc_pdf *p, gstate *g)
{
    if (g->tj) {
        OUT(p, "] TJ\n");
        g->tj = false;
    }
}

static void end_text(rc_pdf *p, gstate *g)
{
    if (g->in_text) {
        close_tj(p, g);
        OUT(p, "ET\n");
        g->in_text = false;
        g->pen_ok = false;
    }
}

static void set_fill(rc_pdf *p, gstate *g, rc_rgb c)
{
    if (g->fill_set && same_rgb(g->fill, c)) return;
    rgb(p, c, "rg\n");
    g->fill = c;
    g->fill_set = true;
}

static void set_stroke(rc_pdf *p, gstate *g, const rc_draw_op *op)
{
    if (!g->stroke_set || !same_rgb(g->stroke, op->stroke_rgb)) {
        rgb(p, op->stroke_rgb, "RG\n");
        g->stroke = op->stroke_rgb;
        g->stroke_set = true;
    }
    double lw = op->line_width < 0                    ? 0
                : op->line_width > HPDF_MAX_LINEWIDTH ? HPDF_MAX_LINEWIDTH
                                                      : op->line_width;
    if (!g->lw_set || g->lw != lw) {
        pos(p, lw, ' ');
        OUT(p, "w\n");
        g->lw = lw;
        g->lw_set = true;
    }
    /* integer dash lengths, at least 1 pt, as with libharu's HPDF_Page_SetDash */
    double dash = op->dash > 0 ? fmax(1.0, fmin(round(op->dash), HPDF_MAX_DASH_PATTERN)) : 0;
    if (!g->dash_set || g->dash != dash) {
        if (dash > 0) {
            OUT(p, "[");
            num(p, (int64_t)dash * 100000, ']');
            OUT(p, " 0 d\n");
        } else {
            OUT(p, "[] 0 d\n");
        }
        g->dash = dash;
        g->dash_set = true;
    }
}

char *rc_pdf_utf16_hex(char *o, const char *s, size_t len)
{
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len;) {
        uint32_t cp = 0;
        size_t n = rc_utf8_decode(s + i, len - i, &cp);
        if (!n) {
            n = 1;
            cp = 0xFFFD;
        }
        i += n;
        uint32_t u[2] = {cp, 0};
        int nu = 1;
        if (cp > 0xFFFF) { /* a surrogate pair */
            u[0] = 0xD800 + ((cp - 0x10000) >> 10);
            u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int q = 0; q < nu; q++)
            for (int sh = 12; sh >= 0; sh -= 4)
                *o++ = hx[(u[q] >> sh) & 0xF];
    }
    return o;
}

/* s as a PDF text string in UTF-16BE, hex (<FEFF...>), or () when empty. */
static void hex_text(rc_pdf *p, const char *s, size_t len)
{
    if (p->dry) return;
    if (!len) {
        OUT(p, "()");
        return;
    }
    rc_pdf_cs_need(p, 6 + 4 * len);
    char *o = p->cs + p->cn;
    memcpy(o, "<FEFF", 5);
    o = rc_pdf_utf16_hex(o + 5, s, len);
    *o++ = '>';
    p->cn = (size_t)(o - p->cs);
}

/* Opens the marked-content sequence for content of element t (NULL: an
 * artifact) unless it is the open one. A sequence with an /ActualText
 * holds one op and has its own MCID: poppler, for one, ends a structure
 * element's text at the EMC of any sequence nested in it. */
static void mark(rc_pdf *p, gstate *g, const rc_tag *t, const char *actual)
{
    size_t want = t ? t->index : SIZE_MAX;
    if (g->mc_open && g->mc == want && !actual && !g->mc_single) return;
    end_text(p, g);
    if (g->mc_open) OUT(p, "EMC\n");
    g->mc_single = false;
    if (t && p->dry) { /* the structure tree's record of it, no bytes */
        rc_pdf_struct_mcid(p, g->page, t);
        g->mc_single = actual != NULL;
    } else if (t) {
        char b[32] = " <</MCID "; /* (not snprintf: 700 instructions a sequence) */
        /* on the worker, the main thread's dry walk of the page recorded
         * the same sequences in the same order: the page's next MCID */
        int mcid = p->worker ? g->mcids++ : rc_pdf_struct_mcid(p, g->page, t);
        size_t k = 9 + rc_utoa((uint64_t)mcid, b + 9);
        /* the tag of a sequence is free (the element has the type); poppler
         * applies an /ActualText only to a /Span */
        const char *name = actual ? "Span" : rc_tag_name(t->type);
        OUT(p, "/");
        out(p, name, strlen(name));
        out(p, b, k);
        if (actual) {
            OUT(p, " /ActualText ");
            hex_text(p, actual, strlen(actual));
            g->mc_single = true;
        }
        OUT(p, ">> BDC\n");
    } else {
        OUT(p, "/Artifact BMC\n");
    }
    g->mc_open = true;
    g->mc = want;
}

/* Prepares colours for a path and paints it after construction. */
static void begin_shape(rc_pdf *p, gstate *g, const rc_draw_op *op)
{
    end_text(p, g);
    if (op->fill) set_fill(p, g, op->fill_rgb);
    if (op->stroke) set_stroke(p, g, op);
}

static void paint(rc_pdf *p, const rc_draw_op *op)
{
    if (op->fill && op->stroke)
        OUT(p, "B\n");
    else if (op->fill)
        OUT(p, "f\n");
    else if (op->stroke)
        OUT(p, "S\n");
    else
        OUT(p, "n\n");
}

static void draw_text(rc_pdf *p, gstate *g, const rc_draw_op *op, double ox, double oy)
{
    if ((unsigned)op->font >= RC_FONT_COUNT || op->len == 0 || !(op->size > 0)) return;
    if (!g->in_text) {
        OUT(p, "BT\n");
        g->in_text = true;
        g->fresh = true;
        g->pen_ok = false;
    }
    double size = op->size > HPDF_MAX_FONTSIZE ? HPDF_MAX_FONTSIZE : op->size;
    if (g->font != (int)op->font || g->size != size) {
        int grp = p->fgroup[op->font];
        if (g->slot[grp] < 0) {
            g->slot[grp] = (signed char)g->nfonts;
            g->order[g->nfonts] = (uint8_t)grp;
            g->fname[g->nfonts][0] = 'F';
            g->fname[g->nfonts][1 + rc_utoa((uint64_t)g->nfonts + 1, g->fname[g->nfonts] + 1)] =
                '\0';
            g->nfonts++;
        }
        close_tj(p, g); /* Tf does not move the pen */
        const char *name = g->fname[(int)g->slot[grp]];
        OUT(p, "/");
        out(p, name, strlen(name));
        OUT(p, " ");
        g->sz = rc_pdf_hnum(size);
        num(p, g->sz, ' ');
        OUT(p, "Tf\n");
        g->font = (int)op->font;
        g->size = size;
    }
    if (!g->fill_set || !same_rgb(g->fill, op->fill_rgb)) {
        close_tj(p, g); /* nor does rg */
        set_fill(p, g, op->fill_rgb);
    }
    int64_t x = rc_pdf_hnum(op->x + ox), y = rc_pdf_hnum(op->y + oy);
    /* the line goes on: a number moves the pen (unless absurdly far) */
    int64_t n = g->pen_ok && y == g->y && g->sz > 0 ? rc_pdf_tj_move(g->pen, x * 100000000, g->sz)
                                                    : INT64_MAX;
    if (n > -INT64_C(100000000000000) && n < INT64_C(100000000000000)) {
        g->pen -= n * g->sz;
        if (!g->tj) OUT(p, "[");
        g->tj = true;
        if (n != 0) {
            rc_pdf_cs_need(p, 24);
            p->cn = (size_t)(rc_pdf_fmt(n, p->cs + p->cn) - p->cs);
        }
    } else { /* absolute, see the top of the file */
        close_tj(p, g);
        if (!g->ylen || y != g->y) { /* words of a line share their y */
            g->y = y;
            g->ylen = (size_t)(rc_pdf_fmt(y, g->ytext) - g->ytext);
        }
        if (!g->fresh) OUT(p, "1 0 0 1 ");
        num(p, x, ' ');
        out(p, g->ytext, g->ylen);
        if (g->fresh)
            OUT(p, " Td\n[");
        else
            OUT(p, " Tm\n[");
        g->fresh = false;
        g->tj = true;
        g->pen = x * 100000000;
    }
    const rc_font *rf = p->fonts ? p->fonts->f[op->font] : NULL;
    const float *kern = NULL;
    const uint8_t *lig = NULL;
    if (p->worker) { /* shaped by the main thread (pdf_drawjob.c) */
        kern = p->wkern[op - p->wops];
        lig = p->wlig[op - p->wops];
    } else if (rf) {
        rc_font_shaped(rf, op->text, op->len, &kern, &lig);
    }
    int64_t adv = rc_pdf_show(p, op->font, rf, op->text, op->len, kern, lig);
    /* bounded so that the pen's integers cannot overflow (1,000 em; 40,000 pt) */
    g->pen_ok = adv >= 0 && adv < INT64_C(100000000000);
    if (g->pen_ok) {
        g->pen += adv * g->sz;
        g->pen_ok = g->pen < INT64_C(400000000000000000);
    }
}

static void draw_path(rc_pdf *p, gstate *g, const rc_draw_op *op, double ox, double oy)
{
    if (op->nsegs == 0 || op->segs[0].op != RC_PATH_MOVE)
        return; /* a path must start with a move; producers guarantee it */
    begin_shape(p, g, op);
    for (size_t k = 0; k < op->nsegs; k++) {
        const rc_path_seg *s = &op->segs[k];
        switch (s->op) {
        case RC_PATH_MOVE:
            pos(p, s->x + ox, ' ');
            pos(p, s->y + oy, ' ');
            OUT(p, "m\n");
            break;
        case RC_PATH_LINE:
            pos(p, s->x + ox, ' ');
            pos(p, s->y + oy, ' ');
            OUT(p, "l\n");
            break;
        case RC_PATH_CURVE:
            pos(p, s->x1 + ox, ' ');
            pos(p, s->y1 + oy, ' ');
            pos(p, s->x2 + ox, ' ');
            pos(p, s->y2 + oy, ' ');
            pos(p, s->x + ox, ' ');
            pos(p, s->y + oy, ' ');
            OUT(p, "c\n");
            break;
        case RC_PATH_CLOSE:
            OUT(p, "h\n");
            break;
        }
    }
    paint(p, op);
}

/* Links are written as text once the pages are drawn (rc_pdf_links, when
 * the number of pages, the base of their /StructParent, is known). A URI
 * link takes its object number and enters the structure tree now, between
 * the content drawn before and after it. */
static void draw_link(rc_pdf *p, const gstate *g, const rc_draw_op *op, const rc_tag *tag,
                      double ox, double oy)
{
    rc_pdf_link lk = {.rect = {op->x + ox, op->y + oy, op->x + ox + op->w, op->y + oy + op->h},
                      .page_index = g->page,
                      .tag = tag,
                      .text = op->link_text,
                      .len = op->link_len};
    if (op->dest) {
        lk.dest = op->dest;
    } else if (op->uri && op->uri[0]) {
        lk.uri = op->uri;
        lk.num = rc_pdf_num(rc_pdf_placeholder(p));
        if (!lk.num) return;
        lk.key = rc_pdf_struct_annot(p, lk.num, g->page, tag);
    } else {
        return;
    }
    RC_PUSH(p->a, p->links, lk);
}

/* The start of a rectangle or a line: its marked content, its graphics
 * state, and its first point. */
static void shape_from(rc_pdf *p, gstate *g, const rc_tag *tag, const rc_draw_op *op, double x,
                       double y)
{
    mark(p, g, tag, NULL);
    begin_shape(p, g, op);
    pos(p, x, ' ');
    pos(p, y, ' ');
}

static void draw_list(rc_pdf *p, gstate *g, const rc_draw_list *l, double ox, double oy, int depth,
                      const rc_tag *inherit)
{
    if (!l || depth > MAX_DEPTH) return;
    for (size_t i = 0; i < l->ops.n && !rc_pdf_failed(p); i++) {
        const rc_draw_op *op = &l->ops.v[i];
        const rc_tag *tag = op->tag ? op->tag : inherit;
        switch (op->kind) {
        case RC_DRAW_TEXT:
            mark(p, g, tag, tag ? op->actual : NULL);
            if (!p->dry) draw_text(p, g, op, ox, oy);
            break;
        case RC_DRAW_RECT: /* x y w h re, then fill and/or stroke */
            if (p->dry) {  /* a page from the cache: its marked content only */
                mark(p, g, tag, NULL);
                break;
            }
            shape_from(p, g, tag, op, op->x + ox, op->y + oy);
            pos(p, op->w, ' ');
            pos(p, op->h, ' ');
            OUT(p, "re\n");
            paint(p, op);
            break;
        case RC_DRAW_LINE: /* x y m x2 y2 l S */
            if (p->dry) {
                mark(p, g, tag, NULL);
                break;
            }
            shape_from(p, g, tag, op, op->x + ox, op->y + oy);
            OUT(p, "m\n");
            pos(p, op->x2 + ox, ' ');
            pos(p, op->y2 + oy, ' ');
            OUT(p, "l\nS\n");
            break;
        case RC_DRAW_PATH:
            mark(p, g, tag, NULL);
            if (!p->dry) draw_path(p, g, op, ox, oy);
            break;
        case RC_DRAW_LINK:
            draw_link(p, g, op, tag, ox, oy);
            break;
        case RC_DRAW_DEST:
            if (op->dest && !rc_pdf_dest_find(p, op->dest))
                rc_pdf_dest_add(p, op->dest, g->page, op->x + ox, op->y + oy);
            break;
        case RC_DRAW_GROUP:
            draw_list(p, g, op->group, ox + op->x, oy + op->y, depth + 1, tag);
            break;
        }
    }
}

/* Writes "/Filter /FlateDecode" into the dictionary of a stream whose data
 * is deflated here (libharu writes a stream's data as is when its own filter
 * is NONE, and would drop a /Filter entry). */
static HPDF_STATUS flate_key(HPDF_Dict d, HPDF_Stream s)
{
    (void)d;
    return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

/* rc_pdf_put_deflated; transient: data is overwritten once this returns
 * (the page being written), so a queued stream takes a copy. */
static bool stream_ok(const HPDF_Dict d)
{
    return d && d->stream && d->stream->type == HPDF_STREAM_MEMORY &&
           (d->header.obj_id & HPDF_OTYPE_INDIRECT);
}

/* libharu writes the stream empty; the packer puts the data in */
static void stream_theirs(HPDF_Dict d)
{
    HPDF_MemStream_FreeData(d->stream);
    d->filter = HPDF_STREAM_FILTER_NONE;
    d->write_fn = flate_key;
}

/* data[0..n) deflated on this thread (*out bytes, kept until the document
 * is saved); NULL when it failed (recorded). */
static const unsigned char *deflate_here(rc_pdf *p, const void *data, size_t n, size_t *out)
{
    if (!p->lc && !(p->lc = libdeflate_alloc_compressor(RC_PDF_ZLEVEL)))
        return rc_pdf_ok(p, HPDF_ZLIB_ERROR), NULL;
    size_t bound = libdeflate_zlib_compress_bound(p->lc, n);
    if (bound > p->zcap) {
        p->zcap = bound * 2;
        p->zs = rc_arena_alloc(p->a, p->zcap);
    }
    *out = libdeflate_zlib_compress(p->lc, data, n, p->zs, p->zcap);
    if (*out == 0) return rc_pdf_ok(p, HPDF_ZLIB_ERROR), NULL;
    const unsigned char *z = rc_pdf_cache_put(p->cache, RC_PDF_CK_DEFLATE, data, n, p->zs, *out);
    if (!z) { /* kept until the document is saved */
        unsigned char *keep = rc_arena_alloc(p->a, *out);
        memcpy(keep, p->zs, *out);
        z = keep;
    }
    return z;
}

static bool put_stream(rc_pdf *p, HPDF_Dict d, const void *data, size_t n, bool transient)
{
    if (!stream_ok(d)) return rc_pdf_ok(p, HPDF_INVALID_OBJECT);
    size_t out = 0;
    const unsigned char *z = rc_pdf_cache_get(p->cache, RC_PDF_CK_DEFLATE, data, n, &out);
    rc_pdf_blob b = {.num = rc_pdf_num(d)};
    if (!z && p->zip) { /* deflated on the other thread (pdf_zip.c), into the blob */
        RC_PUSH(p->a, p->blobs, b);
        if (!rc_pdf_zip_submit(p, p->blobs.n - 1, data, n, transient)) {
            p->blobs.n--;
            return rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        }
    } else if (!z && !(z = deflate_here(p, data, n, &out))) {
        return false;
    }
    if (z) {
        b.data = z;
        b.n = out;
        RC_PUSH(p->a, p->blobs, b);
    }
    stream_theirs(d);
    return true;
}

bool rc_pdf_put_deflated(rc_pdf *p, HPDF_Dict d, const void *data, size_t n)
{
    return put_stream(p, d, data, n, false);
}

bool rc_pdf_put_zipped(rc_pdf *p, HPDF_Dict d, const void *z, size_t nz)
{
    if (!stream_ok(d) || !z || nz == 0) return rc_pdf_ok(p, HPDF_INVALID_OBJECT);
    rc_pdf_blob b = {.num = rc_pdf_num(d), .data = z, .n = nz};
    RC_PUSH(p->a, p->blobs, b);
    stream_theirs(d);
    return true;
}

static void draw_page(rc_pdf *p, size_t index, const rc_draw_list *l);

/* A new page at the end of the document (NULL on failure, recorded). */
static HPDF_Page add_page(rc_pdf *p)
{
    HPDF_Page pg = HPDF_AddPage(p->doc);
    if (!pg) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    rc_pdf_ok(p, HPDF_Page_SetWidth(pg, (HPDF_REAL)RC_PAGE_WIDTH));
    rc_pdf_ok(p, HPDF_Page_SetHeight(pg, (HPDF_REAL)RC_PAGE_HEIGHT));
    /* The /ProcSet libharu gives every page's resources is obsolete (PDF
     * 1.4 and later ignore it, ISO 32000-1 14.2): five names and an array
     * of its objects per page, 1.1 KB held to the end (1.1 MB at 1,006
     * pages), given back here for the next page's objects. */
    HPDF_Dict res = HPDF_Dict_GetItem(pg, "Resources", HPDF_OCLASS_DICT);
    if (res && HPDF_Dict_GetItem(res, "ProcSet", HPDF_OCLASS_ARRAY))
        rc_pdf_ok(p, HPDF_Dict_RemoveElement(res, "ProcSet"));
    RC_PUSH(p->a, p->pages, pg);
    return pg;
}

bool rc_pdf_draw_wait(rc_pdf *p)
{
    bool ok = rc_pdf_zip_drain(p);
    rc_pdf_page_marks(p); /* (no other thread marks codes now) */
    if (ok) return true;
    rc_pdf_ok(p, HPDF_ZLIB_ERROR);
    return false;
}

rc_status rc_pdf_draw_pages(rc_pdf *p, const rc_layout *lay)
{
    if (!lay->run) { /* a complete layout: its pages in order */
        for (size_t i = 0; i < lay->pages.n && !rc_pdf_failed(p); i++) {
            if (!add_page(p)) break;
            draw_page(p, i, lay->pages.v[i].content);
            /* what the page's ops point to (link strings, figures) stays */
            if (lay->release_pages) rc_draw_release(p->a, lay->pages.v[i].content);
        }
        return rc_pdf_failed(p) ? RC_ERR_LIBRARY : RC_OK;
    }
    /* page by page: each page is drawn (its content deflated and written)
     * as soon as the layout completes it, and given back. The pages before
     * it are made first, empty, so that libharu's page tree keeps the
     * layout's order: a contents page is complete only at the end. */
    size_t i, before = p->d ? rc_diag_errors(p->d) : 0;
    bool bad = false;
    while (!rc_pdf_failed(p) && rc_layout_next(lay, &i)) {
        /* an error in the document (the layout reads it as it goes): the
         * rest is laid out for its diagnostics, and no PDF is written */
        bad = bad || (p->d && rc_diag_errors(p->d) != before);
        if (bad) continue;
        while (p->pages.n <= i && add_page(p)) {
        }
        if (rc_pdf_failed(p)) break;
        draw_page(p, i, lay->pages.v[i].content);
        if (lay->release_pages) rc_draw_release(p->a, lay->pages.v[i].content);
    }
    if (rc_pdf_failed(p)) return RC_ERR_LIBRARY;
    if (bad || (p->d && rc_diag_errors(p->d) != before)) return RC_ERR_DATA;
    if (p->pages.n == 0) { /* a PDF without pages is invalid (poppler rejects it) */
        rc_diag_error(p->d, (rc_loc){p->path, 0, 0}, "nothing to write: the document has no pages");
        return RC_ERR_DATA;
    }
    return RC_OK;
}

/* Draws the display list of page index (p->pages.v[index]; pages may be
 * drawn in any order) with its content written directly, already
 * compressed; marks the codes each face shows, records the page's
 * destinations and font resources, queues internal links. */
void rc_pdf_draw_content(rc_pdf *p, size_t index, const rc_draw_list *l, rc_pdf_pagefonts *pf)
{
    gstate g;
    memset(&g, 0, sizeof g);
    g.pg = pf->pg;
    g.font = -1;
    g.page = index;
    memset(g.slot, -1, sizeof g.slot);
    p->cn = 0;
    draw_list(p, &g, l, 0, 0, 0, NULL);
    end_text(p, &g);
    if (g.mc_open) OUT(p, "EMC\n");
    if (!p->dry) {
        pf->n = g.nfonts;
        memcpy(pf->order, g.order, sizeof pf->order);
    }
}

/* Page index drawn on the deflating thread (pdf_drawjob.c): false when it
 * cannot be (then it is drawn here). */
static bool draw_page_there(rc_pdf *p, size_t index, const rc_draw_list *l,
                            const unsigned char *key, size_t kn)
{
    HPDF_Page pg = p->pages.v[index];
    HPDF_PageAttr attr = pg->attr;
    if (!attr || !stream_ok(attr->contents)) return false;
    rc_pdf_blob b = {.num = rc_pdf_num(attr->contents)};
    RC_PUSH(p->a, p->blobs, b);
    rc_pdf_pagefonts pf = {pg, 0, {0}}; /* the worker's (rc_pdf_zip_drain) */
    RC_PUSH(p->a, p->pfonts, pf);
    /* its structure, links and destinations, in drawing order: as a page
     * from the cache, dry (rc_pdf_struct_mcid's numbers are the worker's) */
    p->dry = true;
    rc_pdf_draw_content(p, index, l, &pf);
    p->dry = false;
    if (rc_pdf_failed(p) ||
        !rc_pdf_drawjob_submit(p, index, l, p->blobs.n - 1, p->pfonts.n - 1, key, kn)) {
        /* (the dry walk recorded its marks: the page cannot be walked again) */
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return true;
    }
    stream_theirs(attr->contents);
    return true;
}

/* Page index of a build with the pages' memo, drawn here and missing from
 * it (p->cs, its codes recorded): deflated, kept there under key, and made
 * the page's content. */
static void keep_in_memo(rc_pdf *p, HPDF_Dict contents, const rc_pdf_pagefonts *pf,
                         const unsigned char *key, size_t kn)
{
    size_t out = 0, vn = 0;
    const unsigned char *d = deflate_here(p, p->cs, p->cn, &out);
    if (!d) return;
    unsigned char *val = rc_pdf_page_value(p, pf, d, out, &vn);
    if (val) rc_zmemo_put(p->pmemo, key, kn, val, vn);
    free(val);
    rc_pdf_put_zipped(p, contents, d, out);
}

static void draw_page(rc_pdf *p, size_t index, const rc_draw_list *l)
{
    HPDF_Page pg = p->pages.v[index];
    /* A page drawn the same way before (pdf_pagekey.c: a watcher's earlier
     * write, or a build's pages' memo) is drawn dry (its marked content,
     * links and destinations), and its content, font resources and codes
     * are the cache's: as drawn in a watcher's, deflated in a build's. */
    size_t kn = 0, vn = 0, dn = 0;
    const unsigned char *key = rc_pdf_page_key(p, l, &kn), *data = NULL;
    const unsigned char *kept = !key ? NULL
                                : p->pmemo
                                    ? rc_zmemo_get(p->pmemo, key, kn, &vn)
                                    : rc_pdf_cache_get(p->cache, RC_PDF_CK_PAGE, key, kn, &vn);
    rc_pdf_pagefonts pf = {pg, 0, {0}};
    p->dry = kept && rc_pdf_page_replay(p, kept, vn, &pf, &data, &dn);
    /* a build's value that is not a page's, or whose ligatures' characters
     * are not the fonts' now: not kept again beside the one put below */
    if (kept && !p->dry && p->pmemo) rc_zmemo_forget(p->pmemo, key, kn);
    /* (a watcher's pages are drawn here: their keys are kept with them) */
    if (!p->dry && (!key || p->pmemo) && rc_pdf_zip_draws(p) &&
        draw_page_there(p, index, l, key, kn))
        return;
    if (p->dry && p->pmemo) rc_shown_page_keep(p->spage, index); /* (for an edit of it) */
    if (key && !p->dry) rc_pdf_page_record_begin(p);
    rc_pdf_draw_content(p, index, l, &pf);
    bool dry = p->dry;
    p->dry = false;
    if (key && !dry && !p->pmemo) rc_pdf_page_record_end(p, key, kn, &pf);
    p->pcodes_on = false;
    RC_PUSH(p->a, p->pfonts, pf);
    HPDF_PageAttr attr = pg->attr;
    if (!attr || !attr->contents)
        rc_pdf_ok(p, HPDF_INVALID_PAGE);
    else if (rc_pdf_failed(p))
        return;
    else if (dry && p->pmemo) /* the memo's: mapped until after saving */
        rc_pdf_put_zipped(p, attr->contents, data, dn);
    else if (dry) /* the cache's: valid until its sweep, after saving */
        put_stream(p, attr->contents, data, dn, false);
    else if (key && p->pmemo)
        keep_in_memo(p, attr->contents, &pf, key, kn);
    else
        put_stream(p, attr->contents, p->cs, p->cn, true);
}

void rc_pdf_draw_end(rc_pdf *p)
{
    if (!rc_pdf_zip_finish(p)) rc_pdf_ok(p, HPDF_ZLIB_ERROR);
    libdeflate_free_compressor(p->lc);
    p->lc = NULL;
}
