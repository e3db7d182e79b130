/* chart_kit.c: the helpers all chart renderers share: measured text, greedy
 * wrapping, shrink-to-fit, number formatting, colours and legends. It knows
 * no renderer; chart_render.c dispatches to them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_kit.h"
#include "rc/hash.h"
#include "rc/util.h"

/* ---- metrics ------------------------------------------------------------ */

static const rc_font *face(const rc_chart_ctx *x, rc_font_id f)
{
    if (!x->fonts || f >= RC_FONT_COUNT) return NULL;
    return x->fonts->f[f];
}

double rc_chart_tw(const rc_chart_ctx *x, rc_font_id f, const char *s, size_t len, double size)
{
    const rc_font *ft = face(x, f);
    if (ft) return rc_font_text_width(ft, s, len, size);
    /* No face loaded: a generous estimate (Lato averages ~0.5 em). */
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return 0.55 * size * (double)n;
}

double rc_chart_tws(const rc_chart_ctx *x, rc_font_id f, const char *s, double size)
{
    return rc_chart_tw(x, f, s, strlen(s), size);
}

double rc_chart_asc(const rc_chart_ctx *x, rc_font_id f, double size)
{
    const rc_font *ft = face(x, f);
    return (ft ? rc_font_ascent(ft) : 987.0) * size / 1000.0;
}

double rc_chart_desc(const rc_chart_ctx *x, rc_font_id f, double size)
{
    const rc_font *ft = face(x, f);
    return -(ft ? rc_font_descent(ft) : -213.0) * size / 1000.0;
}

double rc_chart_lh(const rc_chart_ctx *x, rc_font_id f, double size)
{
    return rc_chart_asc(x, f, size) + rc_chart_desc(x, f, size);
}

/* ---- wrapping ----------------------------------------------------------- */

/* End of the word starting at i: up to a space, or just after a hyphen or
 * slash inside a word ("Bogotá-|Cundinamarca", "agri-|food"). */
static size_t word_end(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && s[j] != ' ') {
        if ((s[j] == '-' || s[j] == '/') && j > i && j + 1 < len && s[j + 1] != ' ') return j + 1;
        j++;
    }
    return j;
}

/* How many bytes of s (at least one code point) fit in maxw. */
static size_t fit_prefix(const rc_chart_ctx *x, rc_font_id f, double size, const char *s,
                         size_t len, double maxw)
{
    size_t i = 0, best = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        if (k == 0) k = 1;
        if (best > 0 && rc_chart_tw(x, f, s, i + k, size) > maxw) break;
        i += k;
        best = i;
    }
    return best;
}

rc_chart_text rc_chart_wrap(const rc_chart_ctx *x, rc_font_id f, double size, const char *s,
                            double maxw, bool hard, bool *overflow)
{
    RC_VEC(rc_chart_span) lines = {0};
    size_t len = s ? strlen(s) : 0;
    size_t pos = 0;
    double widest = 0;
    if (overflow) *overflow = false;
    while (pos < len && s[pos] == ' ')
        pos++;
    while (pos < len) {
        size_t start = pos, end = pos, cur = pos;
        while (cur < len) {
            size_t ws = cur;
            while (ws < len && s[ws] == ' ')
                ws++;
            if (ws >= len) break;
            size_t we = word_end(s, len, ws);
            if (rc_chart_tw(x, f, s + start, we - start, size) <= maxw + 1e-9) {
                end = we;
                cur = we;
                continue;
            }
            if (end == start) {
                /* The line's first word alone is wider than the line. */
                if (hard)
                    we = start + fit_prefix(x, f, size, s + start, we - start, maxw);
                else if (overflow)
                    *overflow = true;
                end = we;
            }
            break;
        }
        if (end == start) break;
        rc_chart_span sp = {s + start, end - start};
        double lw = rc_chart_tw(x, f, sp.s, sp.len, size);
        if (lw > widest) widest = lw;
        RC_PUSH(x->a, lines, sp);
        pos = end;
        while (pos < len && s[pos] == ' ')
            pos++;
    }
    rc_chart_text t = {lines.v, lines.n, size, widest};
    return t;
}

rc_chart_text rc_chart_fit(const rc_chart_ctx *x, rc_font_id f, double size, double minsize,
                           const char *s, double maxw, size_t maxlines)
{
    for (double sz = size; sz >= minsize - 1e-9; sz -= 0.5) {
        bool over;
        rc_chart_text t = rc_chart_wrap(x, f, sz, s, maxw, false, &over);
        if (!over && t.n <= maxlines) return t;
    }
    return rc_chart_wrap(x, f, minsize, s, maxw, true, NULL);
}

double rc_chart_fit_all(const rc_chart_ctx *x, rc_font_id f, double size, double minsize,
                        const char *const *s, size_t n, double maxw, size_t maxlines)
{
    for (double sz = size; sz >= minsize - 1e-9; sz -= 0.5) {
        bool fits = true;
        for (size_t i = 0; i < n && fits; i++) {
            bool over;
            rc_chart_text t = rc_chart_wrap(x, f, sz, s[i], maxw, false, &over);
            fits = !over && t.n <= maxlines;
        }
        if (fits) return sz;
    }
    return minsize;
}

double rc_chart_text_height(const rc_chart_ctx *x, rc_font_id f, const rc_chart_text *t)
{
    return (double)t->n * rc_chart_lh(x, f, t->size);
}

void rc_chart_text_draw(const rc_chart_ctx *x, rc_font_id f, const rc_chart_text *t, double ax,
                        double ytop, int align, rc_rgb col)
{
    double asc = rc_chart_asc(x, f, t->size), lh = rc_chart_lh(x, f, t->size);
    for (size_t i = 0; i < t->n; i++) {
        double lw = rc_chart_tw(x, f, t->lines[i].s, t->lines[i].len, t->size);
        double lx = align < 0 ? ax : align == 0 ? ax - lw / 2 : ax - lw;
        rc_draw_text(x->a, x->l, f, t->size, lx, ytop - asc - (double)i * lh, t->lines[i].s,
                     t->lines[i].len, col);
    }
}

void rc_chart_label(const rc_chart_ctx *x, rc_font_id f, double size, const char *s, double ax,
                    double yc, int align, rc_rgb col)
{
    size_t len = strlen(s);
    double lw = rc_chart_tw(x, f, s, len, size);
    double lx = align < 0 ? ax : align == 0 ? ax - lw / 2 : ax - lw;
    double base = yc - (rc_chart_asc(x, f, size) - rc_chart_desc(x, f, size)) / 2;
    rc_draw_text(x->a, x->l, f, size, lx, base, s, len, col);
}

/* ---- numbers and colours ------------------------------------------------ */

const char *rc_chart_fmt(const rc_chart_ctx *x, double v, int decimals)
{
    char buf[64];
    rc_chart_value_label(x->c, v, decimals, buf, sizeof buf);
    return rc_arena_strdup(x->a, buf);
}

int rc_chart_tick_decimals(double step, bool percent)
{
    double s = percent ? step * 100 : step;
    if (!(s > 0) || s >= 1 - 1e-9) return 0;
    return (int)ceil(-log10(s) - 1e-9);
}

rc_rgb rc_chart_series_colour(const rc_chart_ctx *x, size_t i)
{
    return x->pal[i % x->npal];
}

double rc_chart_dash(const rc_chart_ctx *x, size_t i)
{
    /* solid, dashed, dotted, long dashes: neighbouring palette entries
     * (often a colour and its tint) never share a pattern */
    static const double pattern[] = {0, 2.5, 1.0, 6.0};
    return pattern[(i + i / x->npal) % 4];
}

rc_rgb rc_chart_text_on(const rc_chart_ctx *x, rc_rgb fill)
{
    double lum = 0.2126 * fill.r + 0.7152 * fill.g + 0.0722 * fill.b;
    return lum < 0.5 ? x->white : x->ink;
}

rc_rgb rc_chart_mix(rc_rgb a, rc_rgb b, double t)
{
    rc_rgb r = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return r;
}

/* ---- contrast (WCAG 2.1) -------------------------------------------------- */

static double linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(rc_rgb c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

double rc_chart_contrast(rc_rgb a, rc_rgb b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The answers of rc_chart_contrasting, per thread: a chart asks for the
 * same few palette colours on the same background for every bar, slice and
 * legend swatch (three pow() per colour per step: 0.7 M instructions per
 * edition of the sample). A pure function of its arguments, remembered by
 * their exact bits, so the answer is the one computed. */
typedef struct contrast_memo {
    double key[7]; /* c, bg, ratio */
    rc_rgb out;
    bool had; /* c had the contrast already (out == c) */
    bool used;
} contrast_memo;

static const contrast_memo *contrasting(rc_rgb c, rc_rgb bg, double ratio)
{
    static _Thread_local contrast_memo memo[32];
    double key[7] = {c.r, c.g, c.b, bg.r, bg.g, bg.b, ratio};
    uint64_t h = rc_hash_bytes(key, sizeof key, 0x636f6e7472u); /* "contr" */
    contrast_memo *m = &memo[h % 32];
    if (m->used && memcmp(m->key, key, sizeof key) == 0) return m;
    memcpy(m->key, key, sizeof key);
    m->used = true;
    m->had = rc_chart_contrast(c, bg) >= ratio;
    m->out = c;
    if (m->had) return m;
    rc_rgb black = {0, 0, 0};
    /* darken in small steps towards black: the hue stays, so a yellow
     * stays a (dark) yellow and a tint of blue a blue */
    for (int k = 1; k <= 50; k++) {
        rc_rgb d = rc_chart_mix(c, black, 0.02 * k);
        if (rc_chart_contrast(d, bg) >= ratio) {
            m->out = d;
            return m;
        }
    }
    m->out = black;
    return m;
}

rc_rgb rc_chart_contrasting(rc_rgb c, rc_rgb bg, double ratio)
{
    return contrasting(c, bg, ratio)->out;
}

const rc_rgb *rc_chart_edge(const rc_chart_ctx *x, rc_rgb fill, rc_rgb *out)
{
    const contrast_memo *m = contrasting(fill, x->white, RC_CHART_MIN_CONTRAST);
    if (m->had) return NULL;
    *out = m->out;
    return out;
}

/* ---- legend ------------------------------------------------------------- */

/* One pass of the flowing legend at width w; counts its rows and the
 * entries of the last one. */
static double legend_pass(const rc_chart_ctx *x, const char *const *labels, const rc_rgb *colours,
                          size_t n, double x0, double ytop, double w, bool column, bool line_swatch,
                          bool draw, size_t *rows, size_t *last)
{
    *rows = 1;
    *last = 0;
    const double size = RC_CHART_LEGEND_PT;
    const double sw = line_swatch ? 14.0 : 0.8 * size; /* swatch width */
    const double gap = 3, item_gap = 10, row_gap = 3;
    double lh = rc_chart_lh(x, RC_FONT_REGULAR, size);
    double cx = 0, y = ytop, row_h = 0;
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        const char *lab = labels[i] ? labels[i] : "";
        double tw = rc_chart_tws(x, RC_FONT_REGULAR, lab, size);
        rc_chart_text t;
        if (sw + gap + tw > w) {
            t = rc_chart_wrap(x, RC_FONT_REGULAR, size, lab, w - sw - gap, true, NULL);
            tw = t.w;
        } else {
            t.lines = rc_arena_alloc(x->a, sizeof *t.lines);
            t.lines[0].s = lab;
            t.lines[0].len = strlen(lab);
            t.n = 1;
            t.size = size;
            t.w = tw;
        }
        double iw = sw + gap + tw;
        if (column || (cx > 0 && cx + iw > w + 1e-9)) {
            if (i > 0) {
                y -= row_h + row_gap;
                row_h = 0;
                ++*rows;
                *last = 0;
            }
            cx = 0;
        }
        ++*last;
        double ih = (double)(t.n ? t.n : 1) * lh;
        if (ih > row_h) row_h = ih;
        if (draw) {
            double yc = y - lh / 2;
            if (line_swatch) {
                rc_draw_op *op = rc_draw_line(
                    x->a, x->l, x0 + cx, yc, x0 + cx + sw, yc,
                    rc_chart_contrasting(colours[i], x->white, RC_CHART_MIN_CONTRAST), 1.6);
                op->dash = rc_chart_dash(x, i);
            } else {
                rc_rgb e;
                const rc_rgb *edge = rc_chart_edge(x, colours[i], &e);
                rc_draw_rect(x->a, x->l, x0 + cx, yc - sw / 2, sw, sw, &colours[i], edge,
                             RC_CHART_EDGE_W);
            }
            rc_chart_text_draw(x, RC_FONT_REGULAR, &t, x0 + cx + sw + gap, y, -1, x->ink);
        }
        cx += iw + item_gap;
    }
    return ytop - (y - row_h);
}

double rc_chart_legend(const rc_chart_ctx *x, const char *const *labels, const rc_rgb *colours,
                       size_t n, double x0, double ytop, double w, bool column, bool line_swatch,
                       bool draw)
{
    size_t rows, last;
    legend_pass(x, labels, colours, n, x0, ytop, w, column, line_swatch, false, &rows, &last);
    /* A flowing legend never leaves one entry alone on its last row: the
     * width is narrowed, keeping the number of rows, until the rows even
     * out (a balanced wrap, as for a short paragraph). */
    double use = w;
    if (!column && rows >= 2 && last == 1) {
        for (double t = w - 2; t > 0.4 * w; t -= 2) {
            size_t r2, l2;
            legend_pass(x, labels, colours, n, x0, ytop, t, column, line_swatch, false, &r2, &l2);
            if (r2 != rows) break;
            if (l2 >= 2) {
                use = t;
                break;
            }
        }
    }
    return legend_pass(x, labels, colours, n, x0, ytop, use, column, line_swatch, draw, &rows,
                       &last);
}
