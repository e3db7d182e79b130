/* pdf_text.h: what pdf_draw.c (the page's operators) and pdf_text.c (the
 * strings that show text and the numbers that place words) share: numbers
 * as libharu formats them, the content buffer, and the text showing
 * calls. Internal to the PDF stage. */
#ifndef RC_PDF_TEXT_H
#define RC_PDF_TEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/util.h"

/* A number as libharu 2.3.0 writes it (HPDF_FToA on the value as a float:
 * the integer part and 5 truncated decimals, from this exact sequence of
 * float and double steps), as an integer count of 1e-5. Writing the same
 * numbers keeps the pages rendering and extracting exactly as before;
 * moves computed from these integers never drift. */
static inline int64_t rc_pdf_hnum(double v)
{
    float f = (float)v;
    if (!(f <= HPDF_LIMIT_MAX_REAL)) f = HPDF_LIMIT_MAX_REAL; /* NaN too */
    if (f < HPDF_LIMIT_MIN_REAL) f = HPDF_LIMIT_MIN_REAL;
    bool neg = f < 0;
    if (neg) f = -f;
    int32_t ip = (int32_t)((double)f + 0.000005);
    int32_t fp = (int32_t)((float)((double)(f - (float)ip) + 0.000005) * 100000.0f);
    int64_t r = (int64_t)ip * 100000 + fp % 100000;
    return neg ? -r : r;
}

/* Writes v (in units of 1e-5, |v| < 4e14) without trailing zeros at o
 * (at most 17 bytes); returns the end. */
static inline char *rc_pdf_fmt(int64_t v, char *o)
{
    if (v < 0) *o++ = '-';
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    uint32_t ip = (uint32_t)(u / 100000), fp = (uint32_t)(u % 100000);
    o += rc_utoa(ip, o);
    if (fp) {
        *o++ = '.';
        o[0] = (char)('0' + fp / 10000);
        o[1] = (char)('0' + fp / 1000 % 10);
        o[2] = (char)('0' + fp / 100 % 10);
        o[3] = (char)('0' + fp / 10 % 10);
        o[4] = (char)('0' + fp % 10);
        int nd = 5;
        while (o[nd - 1] == '0')
            nd--;
        o += nd;
    }
    return o;
}

/* The worker's content buffer grown (pdf_zip.c: no arena there). */
void rc_pdf_cs_grow_malloc(rc_pdf *p, size_t nc);

/* Room for k more bytes of page content at p->cs + p->cn. */
static inline void rc_pdf_cs_need(rc_pdf *p, size_t k)
{
    if (p->cn + k <= p->ccap) return;
    size_t nc = p->ccap ? p->ccap : 1 << 16;
    while (nc < p->cn + k)
        nc *= 2;
    if (!p->a) { /* the deflating thread's drawing (pdf_zip.c) */
        rc_pdf_cs_grow_malloc(p, nc);
        return;
    }
    p->cs = rc_arena_grow_raw(p->a, p->cs, p->ccap, nc, 1); /* written before read */
    p->ccap = nc;
}

/* The width of code c of face rf in its font's /W array (thousandths of
 * an em), or -1 when it is not known here (pdf_text.c says why). */
int rc_pdf_glyph_w(const rc_font *rf, uint32_t c);

/* Writes s[0..len) of face f (rf: its metrics, or NULL) as the strings of
 * an open TJ array, with the numbers of its kerning (kern, lig:
 * rc_font_shaped), and marks the codes it shows in p->codes[f] (and the
 * page's, pdf_pagekey.c). Returns how far the text moves a reader's pen,
 * in 1e-5 thousandths of an em, or -1 when that is not known (rf NULL, a
 * code without a glyph). */
int64_t rc_pdf_show(rc_pdf *p, rc_font_id f, const rc_font *rf, const char *s, size_t len,
                    const float *kern, const uint8_t *lig);

/* Before s[0..len) of face f (rf: its metrics, or NULL) is shown on the
 * deflating thread (pdf_zip.c): everything rc_pdf_show would make or look
 * up lazily in memory the main thread shares is made here: the code set,
 * the face's width table, the widths of its ligature codes (lig) and the
 * font's metric pages of the characters past ASCII (font.c fills them on
 * first use). rc_pdf_show then only reads them, and writes the code set
 * and the content, which only the deflating thread touches until it has
 * drawn every page. */
void rc_pdf_show_prepare(rc_pdf *p, rc_font_id f, const rc_font *rf, const char *s, size_t len,
                         const uint8_t *lig);
/* Whether rc_pdf_show_prepare would make nothing: ASCII text without
 * ligatures, its face's code set and width table made (most texts; the
 * call and its byte loop were 1.1 M instructions of the sample's pages,
 * the check eight bytes at a time a fraction of it). */
static inline bool rc_pdf_show_ready(const rc_pdf *p, rc_font_id f, const rc_font *rf,
                                     const char *s, size_t len, const uint8_t *lig)
{
    if (lig || !p->codes[f] || (rf && !p->asciiw[f])) return false;
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        any |= w;
    }
    for (; i < len; i++)
        any |= (unsigned char)s[i];
    return !(any & 0x8080808080808080u);
}

/* The TJ number (1e-5 thousandths of an em) that takes a reader's pen from
 * pen to target (both 1e-13 pt) at font size sz (1e-5 pt, as written):
 * a number n moves the pen by -n * sz. Rounded so that the pen lands
 * within 0.5e-5 pt of target. */
int64_t rc_pdf_tj_move(int64_t pen, int64_t target, int64_t sz);

#endif
