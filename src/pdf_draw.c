/* pdf_draw: display lists -> libharu page content. Consecutive text ops are
 * drawn in one BT..ET object with the font, size and colour set only when
 * they change; each word is placed with an absolute text matrix so that
 * positions are exactly the ones layout measured (no Td accumulation, no
 * word spacing). Internal links are queued until every destination exists. */
#include <math.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/util.h"

/* Groups nest figures inside pages; anything deeper is a cycle or a bug. */
#define MAX_DEPTH 16

/* What has been set in the current page's graphics state, so that repeated
 * ops do not repeat operators. */
typedef struct gstate {
    bool in_text;
    int font;
    double size;
    bool fill_set, stroke_set, lw_set, dash_set;
    rc_rgb fill, stroke;
    double lw, dash;
} gstate;

/* ---- content hash (for the deterministic document ID) ---- */

static void mix(rc_pdf *p, const void *data, size_t n)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < n; i++) {
        p->h1 = (p->h1 ^ b[i]) * 0x100000001b3ULL;
        p->h2 = (p->h2 ^ (unsigned char)(b[i] ^ 0x5c)) * 0x100000001b3ULL;
    }
}

static void mix_num(rc_pdf *p, double v)
{
    int64_t q = isfinite(v) ? (int64_t)llround(v * 1000.0) : 0;
    mix(p, &q, sizeof q);
}

static void mix_str(rc_pdf *p, const char *s)
{
    if (s)
        mix(p, s, strlen(s) + 1);
    else
        mix(p, "\xff", 1);
}

/* ---- text ---- */

/* Next code libharu will emit for s[i..]: BMP code points as they are, C0
 * controls as spaces, invalid bytes and astral characters (which libharu's
 * 16-bit UTF-8 encoder would corrupt) as U+FFFD. *adv gets the byte count. */
static uint32_t next_code(const char *s, size_t len, size_t i, size_t *adv)
{
    uint32_t cp = 0;
    size_t n = rc_utf8_decode(s + i, len - i, &cp);
    if (n == 0) {
        *adv = 1;
        return 0xFFFD;
    }
    *adv = n;
    if (cp > 0xFFFF) return 0xFFFD;
    if (cp < 0x20 || cp == 0x7F) return 0x20;
    return cp;
}

const char *rc_pdf_text(rc_pdf *p, const char *s, size_t len)
{
    size_t need = len * 3 + 1; /* each input byte becomes at most 3 bytes */
    if (need > p->bufcap) {
        p->bufcap = need < 256 ? 256 : need * 2;
        p->buf = rc_arena_alloc(p->a, p->bufcap);
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t adv;
        uint32_t c = next_code(s, len, i, &adv);
        o += rc_utf8_encode(c, p->buf + o);
        i += adv;
    }
    p->buf[o] = '\0';
    return p->buf;
}

static void mark_codes(rc_pdf *p, rc_font_id f, const char *s, size_t len)
{
    if (!p->codes[f]) p->codes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
    unsigned char *set = p->codes[f];
    for (size_t i = 0; i < len;) {
        size_t adv;
        uint32_t c = next_code(s, len, i, &adv);
        set[c >> 3] = (unsigned char)(set[c >> 3] | (1u << (c & 7)));
        i += adv;
    }
}

/* ---- first pass ---- */

static void scan_list(rc_pdf *p, size_t page, const rc_draw_list *l, double ox, double oy,
                      int depth)
{
    if (!l || depth > MAX_DEPTH) return;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        int kind = (int)op->kind;
        mix(p, &kind, sizeof kind);
        mix_num(p, op->x + ox);
        mix_num(p, op->y + oy);
        switch (op->kind) {
        case RC_DRAW_TEXT:
            if ((unsigned)op->font < RC_FONT_COUNT && op->len > 0 && op->size > 0) {
                mark_codes(p, op->font, op->text, op->len);
                mix(p, op->text, op->len);
                mix_num(p, op->size);
                mix(p, &op->font, sizeof op->font);
            }
            break;
        case RC_DRAW_RECT:
        case RC_DRAW_LINE:
        case RC_DRAW_PATH:
            mix_num(p, op->w);
            mix_num(p, op->h);
            mix_num(p, op->x2);
            mix_num(p, op->y2);
            mix_num(p, (double)op->nsegs);
            for (size_t k = 0; k < op->nsegs; k++)
                mix_num(p, op->segs[k].x + op->segs[k].y);
            break;
        case RC_DRAW_LINK:
            mix_str(p, op->dest);
            mix_str(p, op->uri);
            break;
        case RC_DRAW_DEST:
            mix_str(p, op->dest);
            if (op->dest && !rc_pdf_dest_find(p, op->dest))
                rc_pdf_dest_add(p, op->dest, page, op->x + ox, op->y + oy);
            break;
        case RC_DRAW_GROUP:
            scan_list(p, page, op->group, ox + op->x, oy + op->y, depth + 1);
            break;
        }
    }
}

void rc_pdf_scan(rc_pdf *p, const rc_layout *lay)
{
    for (size_t i = 0; i < lay->pages.n; i++) {
        mix(p, "\x0cpage", 5);
        scan_list(p, i, lay->pages.v[i].content, 0, 0, 0);
    }
}

/* ---- drawing ---- */

static HPDF_REAL clamp01(double v)
{
    return (HPDF_REAL)(v < 0 ? 0 : v > 1 ? 1 : v);
}

static bool same_rgb(rc_rgb a, rc_rgb b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void end_text(rc_pdf *p, HPDF_Page pg, gstate *g)
{
    if (g->in_text) {
        rc_pdf_ok(p, HPDF_Page_EndText(pg));
        g->in_text = false;
    }
}

static void set_fill(rc_pdf *p, HPDF_Page pg, gstate *g, rc_rgb c)
{
    if (g->fill_set && same_rgb(g->fill, c)) return;
    rc_pdf_ok(p, HPDF_Page_SetRGBFill(pg, clamp01(c.r), clamp01(c.g), clamp01(c.b)));
    g->fill = c;
    g->fill_set = true;
}

static void set_stroke(rc_pdf *p, HPDF_Page pg, gstate *g, const rc_draw_op *op)
{
    if (!g->stroke_set || !same_rgb(g->stroke, op->stroke_rgb)) {
        rc_rgb c = op->stroke_rgb;
        rc_pdf_ok(p, HPDF_Page_SetRGBStroke(pg, clamp01(c.r), clamp01(c.g), clamp01(c.b)));
        g->stroke = c;
        g->stroke_set = true;
    }
    double lw = op->line_width < 0                    ? 0
                : op->line_width > HPDF_MAX_LINEWIDTH ? HPDF_MAX_LINEWIDTH
                                                      : op->line_width;
    if (!g->lw_set || g->lw != lw) {
        rc_pdf_ok(p, HPDF_Page_SetLineWidth(pg, (HPDF_REAL)lw));
        g->lw = lw;
        g->lw_set = true;
    }
    /* libharu 2.3.0 takes integer dash lengths: round, at least 1 pt */
    double dash = op->dash > 0 ? fmax(1.0, fmin(round(op->dash), HPDF_MAX_DASH_PATTERN)) : 0;
    if (!g->dash_set || g->dash != dash) {
        if (dash > 0) {
            HPDF_UINT16 ptn[1] = {(HPDF_UINT16)dash};
            rc_pdf_ok(p, HPDF_Page_SetDash(pg, ptn, 1, 0));
        } else {
            rc_pdf_ok(p, HPDF_Page_SetDash(pg, NULL, 0, 0));
        }
        g->dash = dash;
        g->dash_set = true;
    }
}

/* Prepares colours for a path and paints it after construction. */
static void begin_shape(rc_pdf *p, HPDF_Page pg, gstate *g, const rc_draw_op *op)
{
    end_text(p, pg, g);
    if (op->fill) set_fill(p, pg, g, op->fill_rgb);
    if (op->stroke) set_stroke(p, pg, g, op);
}

static void paint(rc_pdf *p, HPDF_Page pg, const rc_draw_op *op)
{
    if (op->fill && op->stroke)
        rc_pdf_ok(p, HPDF_Page_FillStroke(pg));
    else if (op->fill)
        rc_pdf_ok(p, HPDF_Page_Fill(pg));
    else if (op->stroke)
        rc_pdf_ok(p, HPDF_Page_Stroke(pg));
    else
        rc_pdf_ok(p, HPDF_Page_EndPath(pg));
}

static void draw_text(rc_pdf *p, HPDF_Page pg, gstate *g, const rc_draw_op *op, double ox,
                      double oy)
{
    if ((unsigned)op->font >= RC_FONT_COUNT || !p->font[op->font] || op->len == 0 ||
        !(op->size > 0))
        return;
    const char *s = rc_pdf_text(p, op->text, op->len);
    if (!g->in_text) {
        if (!rc_pdf_ok(p, HPDF_Page_BeginText(pg))) return;
        g->in_text = true;
    }
    double size = op->size > HPDF_MAX_FONTSIZE ? HPDF_MAX_FONTSIZE : op->size;
    if (g->font != (int)op->font || g->size != size) {
        rc_pdf_ok(p, HPDF_Page_SetFontAndSize(pg, p->font[op->font], (HPDF_REAL)size));
        g->font = (int)op->font;
        g->size = size;
    }
    set_fill(p, pg, g, op->fill_rgb);
    rc_pdf_ok(p, HPDF_Page_SetTextMatrix(pg, 1, 0, 0, 1, (HPDF_REAL)(op->x + ox),
                                         (HPDF_REAL)(op->y + oy)));
    rc_pdf_ok(p, HPDF_Page_ShowText(pg, s));
}

static void draw_path(rc_pdf *p, HPDF_Page pg, gstate *g, const rc_draw_op *op, double ox,
                      double oy)
{
    if (op->nsegs == 0 || op->segs[0].op != RC_PATH_MOVE)
        return; /* a path must start with a move; producers guarantee it */
    begin_shape(p, pg, g, op);
    for (size_t k = 0; k < op->nsegs; k++) {
        const rc_path_seg *s = &op->segs[k];
        HPDF_REAL x = (HPDF_REAL)(s->x + ox), y = (HPDF_REAL)(s->y + oy);
        switch (s->op) {
        case RC_PATH_MOVE:
            rc_pdf_ok(p, HPDF_Page_MoveTo(pg, x, y));
            break;
        case RC_PATH_LINE:
            rc_pdf_ok(p, HPDF_Page_LineTo(pg, x, y));
            break;
        case RC_PATH_CURVE:
            rc_pdf_ok(p, HPDF_Page_CurveTo(pg, (HPDF_REAL)(s->x1 + ox), (HPDF_REAL)(s->y1 + oy),
                                           (HPDF_REAL)(s->x2 + ox), (HPDF_REAL)(s->y2 + oy), x, y));
            break;
        case RC_PATH_CLOSE:
            rc_pdf_ok(p, HPDF_Page_ClosePath(pg));
            break;
        }
    }
    paint(p, pg, op);
}

static void draw_link(rc_pdf *p, HPDF_Page pg, const rc_draw_op *op, double ox, double oy)
{
    HPDF_Rect r = {(HPDF_REAL)(op->x + ox), (HPDF_REAL)(op->y + oy),
                   (HPDF_REAL)(op->x + ox + op->w), (HPDF_REAL)(op->y + oy + op->h)};
    if (op->dest) {
        rc_pdf_link lk = {pg, r, op->dest};
        RC_PUSH(p->a, p->links, lk);
    } else if (op->uri && op->uri[0]) {
        HPDF_Annotation an = HPDF_Page_CreateURILinkAnnot(pg, r, op->uri);
        if (an) rc_pdf_ok(p, HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0));
    }
}

static void draw_list(rc_pdf *p, HPDF_Page pg, gstate *g, const rc_draw_list *l, double ox,
                      double oy, int depth)
{
    if (!l || depth > MAX_DEPTH) return;
    for (size_t i = 0; i < l->ops.n && !rc_pdf_failed(p); i++) {
        const rc_draw_op *op = &l->ops.v[i];
        switch (op->kind) {
        case RC_DRAW_TEXT:
            draw_text(p, pg, g, op, ox, oy);
            break;
        case RC_DRAW_RECT:
            begin_shape(p, pg, g, op);
            rc_pdf_ok(p, HPDF_Page_Rectangle(pg, (HPDF_REAL)(op->x + ox), (HPDF_REAL)(op->y + oy),
                                             (HPDF_REAL)op->w, (HPDF_REAL)op->h));
            paint(p, pg, op);
            break;
        case RC_DRAW_LINE:
            begin_shape(p, pg, g, op);
            rc_pdf_ok(p, HPDF_Page_MoveTo(pg, (HPDF_REAL)(op->x + ox), (HPDF_REAL)(op->y + oy)));
            rc_pdf_ok(p, HPDF_Page_LineTo(pg, (HPDF_REAL)(op->x2 + ox), (HPDF_REAL)(op->y2 + oy)));
            rc_pdf_ok(p, HPDF_Page_Stroke(pg));
            break;
        case RC_DRAW_PATH:
            draw_path(p, pg, g, op, ox, oy);
            break;
        case RC_DRAW_LINK:
            draw_link(p, pg, op, ox, oy);
            break;
        case RC_DRAW_DEST:
            break; /* collected by rc_pdf_scan */
        case RC_DRAW_GROUP:
            draw_list(p, pg, g, op->group, ox + op->x, oy + op->y, depth + 1);
            break;
        }
    }
}

void rc_pdf_draw_page(rc_pdf *p, HPDF_Page pg, const rc_draw_list *l)
{
    gstate g;
    memset(&g, 0, sizeof g);
    g.font = -1;
    draw_list(p, pg, &g, l, 0, 0, 0);
    end_text(p, pg, &g);
}
