/* pdf_text: the strings that show a word and the numbers that place it.
 *
 * A word is shown as literal strings of two-byte codes (the Unicode BMP
 * code point, what libharu's UTF-8 encoder emits) in a TJ array, with its
 * kerning as numbers between them; the words of a line share the array
 * (pdf_draw.c), so the number before a word must move a reader's pen from
 * the end of the previous word to where the layout put this one. A reader
 * moves the pen by the widths of the font's /W array, which libharu
 * truncates to whole thousandths of an em, and by the numbers as written;
 * rc_pdf_show therefore returns the advance those give, in integers, and
 * rc_pdf_tj_move computes the number from the exact pen. The layout's own
 * (unrounded) widths would drift by up to a thousandth of an em per glyph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_text.h"

/* rc/pdf.h: a number as rc_pdf_hnum and rc_pdf_fmt write it. */
size_t rc_pdf_real(double v, char *out)
{
    char *e = rc_pdf_fmt(rc_pdf_hnum(v), out);
    *e = '\0';
    return (size_t)(e - out);
}

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

/* Marks code c in the document's set and, while a page is recorded
 * (pset not NULL), in the page's (pdf_pagekey.c). */
static inline void mark(rc_pdf *p, int f, unsigned char *set, unsigned char *pset, uint32_t c)
{
    rc_pdf_code_mark(set, c);
    if (pset) rc_pdf_page_code_mark(pset, p->pwords[f], &p->npwords[f], c);
}

/* A literal string of two-byte codes (the bytes of the code points
 * rc_pdf_text gives libharu); parentheses, backslashes and carriage returns
 * (which a reader would turn into line feeds) are escaped. */
static char *string_byte(char *o, unsigned char b)
{
    if (b == '(' || b == ')' || b == '\\') {
        *o++ = '\\';
    } else if (b == '\r') {
        *o++ = '\\';
        b = 'r';
    }
    *o++ = (char)b;
    return o;
}

/* The width of code c of face rf in its font's /W array, in thousandths
 * of an em, or -1 when it is not known here. libharu writes the glyph's
 * advance * 1000 / unitsPerEm truncated (HPDF_TTFontDef_GetGidWidth, what
 * pdf_fontobj.c writes), from the reduced copy whose glyphs keep the
 * original's advances (ttf_subset.c checks it). rc_font_advance holds the
 * same quotient rounded to a float: truncating it gives libharu's integer,
 * since a quotient that is not a whole number is at least 1/d away from
 * one (d = unitsPerEm / gcd(unitsPerEm, 1000) <= 16,384, the most font.c
 * takes, and 2,048 at 16,384) and the float's rounding error is at most
 * half an ulp: 1/32,768 under 1,024 thousandths, 1/16,384 under 2,048.
 * Exact for any glyph narrower than 2 em, then; test_pdf_text checks every
 * glyph of the Lato faces against libharu. (A glyph over 2 em wide in a
 * font with d above 8,192 could be one thousandth off: its word would land
 * 0.01 pt off at 10 pt, the next one exactly.) A code without a glyph has
 * width 0 in the layout but .notdef's in the PDF: not known here (the
 * caller places the next word absolutely). A ligature code's glyph has no
 * code point: lig_w reads its advance from the file. */
int rc_pdf_glyph_w(const rc_font *rf, uint32_t c)
{
    double adv = rc_font_advance(rf, c);
    if (adv == 0 && rc_font_glyph(rf, c) == 0) return -1;
    return (int)adv;
}

/* A width not known, in the per-face tables: any sum of widths it is in
 * is negative (a sum of at most 1e6 widths of at most 65,535). */
#define UNKNOWN (-(INT64_C(1) << 40))
/* A ligature code's width not looked up yet. */
#define NOT_YET (-(INT64_C(1) << 50))

static uint16_t be16(const unsigned char *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* The /W width of ligature code c: its glyph's advance (hmtx) * 1000 /
 * unitsPerEm truncated, read from the face's file as libharu reads it from
 * the reduced copy (which keeps the glyph and its advance), or -1 (no such
 * ligature, the file not the one measured, tables cut short). */
static int lig_w(const rc_font *rf, unsigned c)
{
    uint16_t g;
    const char *text;
    size_t len = 0;
    const unsigned char *d = rc_font_bytes(rf, rc_font_path(rf), &len);
    if (!rc_font_ligature(rf, c, &g, &text) || !d || len < 12) return -1;
    size_t n = be16(d + 4), head = 0, hhea = 0, hmtx = 0, lhmtx = 0;
    for (size_t i = 0; i < n && 12 + 16 * i + 16 <= len; i++) {
        const unsigned char *r = d + 12 + 16 * i;
        size_t off = (size_t)r[8] << 24 | (size_t)r[9] << 16 | (size_t)r[10] << 8 | r[11];
        size_t tl = (size_t)r[12] << 24 | (size_t)r[13] << 16 | (size_t)r[14] << 8 | r[15];
        if (off > len || tl > len - off) continue;
        if (!memcmp(r, "head", 4) && tl >= 54) head = off;
        if (!memcmp(r, "hhea", 4) && tl >= 36) hhea = off;
        if (!memcmp(r, "hmtx", 4)) hmtx = off, lhmtx = tl;
    }
    if (!head || !hhea || !hmtx) return -1;
    size_t upem = be16(d + head + 18), nh = be16(d + hhea + 34);
    size_t at = 4 * (size_t)(g < nh ? g : nh - 1);
    if (upem == 0 || nh == 0 || at + 2 > lhmtx) return -1;
    return (int)((uint32_t)be16(d + hmtx + at) * 1000 / upem);
}

/* The face's table of widths of codes 0..127 (UNKNOWN where not known;
 * the ligature codes 1..31 looked up when first shown), made once per
 * document. */
static int64_t *code_widths(rc_pdf *p, rc_font_id f, const rc_font *rf)
{
    if (!p->asciiw[f]) {
        int64_t *w = rc_arena_array(p->a, 128, sizeof *w);
        for (uint32_t c = 0; c < 128; c++) {
            int v = c >= 0x20 && c < 0x7F ? rc_pdf_glyph_w(rf, c) : -1;
            w[c] = c >= 1 && c <= RC_FONT_MAXLIG ? NOT_YET : v < 0 ? UNKNOWN : v;
        }
        p->asciiw[f] = w;
    }
    return p->asciiw[f];
}

void rc_pdf_show_prepare(rc_pdf *p, rc_font_id f, const rc_font *rf, const char *s, size_t len,
                         const uint8_t *lig)
{
    if (!p->codes[f]) p->codes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
    if (!rf) return;
    int64_t *aw = code_widths(p, f, rf);
    if (!lig) { /* ASCII text (most words): nothing to make */
        unsigned char any = 0;
        for (size_t i = 0; i < len; i++)
            any |= (unsigned char)s[i];
        if (!(any & 0x80)) return;
    }
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        if (lig && lig[i] && lig[i] != RC_FONT_LIG_HIDDEN && aw[lig[i]] == NOT_YET) {
            int v = lig_w(rf, lig[i]);
            aw[lig[i]] = v < 0 ? UNKNOWN : v;
        }
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t adv;
        uint32_t c = next_code(s, len, i, &adv);
        if (c >= 0x80) rc_pdf_glyph_w(rf, c); /* (fills the font's page of c) */
        i += adv;
    }
}

void rc_pdf_cs_grow_malloc(rc_pdf *p, size_t nc)
{
    char *b = realloc(p->cs, nc);
    if (!b) {
        fprintf(stderr, "reportc: out of memory (allocating %zu bytes)\n", nc);
        abort(); /* as the arena does */
    }
    p->cs = b;
    p->ccap = nc;
}

/* A literal string's bytes for code c (two, or three with an escape). */
static inline char *code_bytes(char *o, uint32_t c)
{
    o = string_byte(o, (unsigned char)(c >> 8));
    return string_byte(o, (unsigned char)c);
}

/* Shows s[0..len) of face f (rf) as strings of an open TJ array, kerned
 * (kern, the font's kerning from HarfBuzz, rc_font_shaped) by numbers
 * between them that move each kerned character's successor by the shaped
 * advance. A TJ number n moves the next glyph left by n/1000 em, so a kern
 * of d/1000 em is written as -d. With lig set, a ligature glyph shows its
 * own code (1..31) for the characters it stands for (ToUnicode gives them
 * back, pdf_fonts.c). Marks the codes shown (pdf_text.h). Returns
 * how far the text moves a reader's pen, in 1e-5 thousandths of an em (the
 * widths of /W less the numbers written), or -1 when that is not known. */
int64_t rc_pdf_show(rc_pdf *p, rc_font_id f, const rc_font *rf, const char *s, size_t len,
                    const float *kern, const uint8_t *lig)
{
    if (!p->codes[f]) p->codes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
    unsigned char *set = p->codes[f], *pset = p->pcodes_on ? p->pcodes[f] : NULL;
    int64_t *aw = rf ? code_widths(p, f, rf) : NULL;
    rc_pdf_cs_need(p, 4 * len + 4);
    char *o = p->cs + p->cn;
    /* thousandths of an em (UNKNOWN makes it negative); 1e-5 of them */
    int64_t wsum = rf && len < 1000000 ? 0 : UNKNOWN, ksum = 0;
    *o++ = '(';
    bool plain = !lig && aw;
    for (size_t i = 0; i < len;) {
        /* a run of printable ASCII with no kerning number after it (most
         * of the text): what the branch below does for it, without the
         * tests that cannot hold here */
        while (plain && i < len) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c >= 0x7F || (kern && kern[i] != 0 && i + 1 < len)) break;
            *o++ = '\0';
            o = string_byte(o, c);
            rc_pdf_code_mark(set, c);
            if (pset) rc_pdf_page_code_mark(pset, p->pwords[f], &p->npwords[f], c);
            wsum += aw[c];
            i++;
        }
        if (i == len) break;
        unsigned char b = (unsigned char)s[i];
        size_t at = i;
        if (b >= 0x20 && b < 0x7F && !(lig && lig[at])) { /* printable ASCII: the code is 00 b */
            *o++ = '\0';
            o = string_byte(o, b);
            mark(p, f, set, pset, b);
            wsum += aw ? aw[b] : 0;
            i++;
        } else if (lig && lig[at]) { /* a ligature's code, or a character it stands for */
            size_t adv;
            mark(p, f, set, pset, next_code(s, len, i, &adv));
            i += adv;
            if (lig[at] != RC_FONT_LIG_HIDDEN) { /* 00 c, c as an octal escape */
                *o++ = '\0';
                *o++ = '\\';
                *o++ = (char)('0' + (lig[at] >> 6));
                *o++ = (char)('0' + ((lig[at] >> 3) & 7));
                *o++ = (char)('0' + (lig[at] & 7));
                mark(p, f, set, pset, lig[at]);
                if (aw && aw[lig[at]] == NOT_YET) {
                    int v = lig_w(rf, lig[at]);
                    aw[lig[at]] = v < 0 ? UNKNOWN : v;
                }
                wsum += aw ? aw[lig[at]] : 0;
            }
        } else {
            size_t adv;
            uint32_t c = next_code(s, len, i, &adv);
            i += adv;
            o = code_bytes(o, c);
            mark(p, f, set, pset, c);
            if (aw) {
                int cw = c < 0x80 ? -1 : rc_pdf_glyph_w(rf, c);
                wsum += c < 0x80 ? aw[c] : cw < 0 ? UNKNOWN : cw;
            }
        }
        if (kern && kern[at] != 0 && i < len) {
            int64_t k = rc_pdf_hnum(-(double)kern[at]);
            ksum += k;
            p->cn = (size_t)(o - p->cs);
            rc_pdf_cs_need(p, 24 + 4 * (len - i) + 4); /* the number, then the rest */
            o = p->cs + p->cn;
            *o++ = ')';
            o = rc_pdf_fmt(k, o);
            *o++ = '(';
        }
    }
    *o++ = ')';
    p->cn = (size_t)(o - p->cs);
    return wsum >= 0 ? wsum * 100000 - ksum : -1;
}

int64_t rc_pdf_tj_move(int64_t pen, int64_t target, int64_t sz)
{
    /* the coarsest power of ten q with q * sz <= 1e8 (a step of q moves the
     * pen by at most 1e-5 pt): 10 pt text gets 3 decimals, 22 pt 4 */
    int64_t q = 1;
    while (q < 100000 && q * 10 * sz <= 100000000)
        q *= 10;
    int64_t d = pen - target, unit = q * sz; /* half away from zero */
    int64_t r = d < 0 ? -((-d + unit / 2) / unit) : (d + unit / 2) / unit;
    return r * q;
}
