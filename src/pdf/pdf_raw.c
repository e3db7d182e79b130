/* pdf_raw: objects written as PDF text (rc_pdf_raw, pdf_objstm.h) rather
 * than built as libharu dictionaries. libharu only reserves each object's
 * number with a "null" placeholder in its table; the packer writes the
 * text in its place.
 *
 * Why: every libharu dictionary entry carries a 128-byte key buffer and a
 * list node, every number and name an object of its own. At 1,006 pages the
 * 2,667 link annotations held 8.7 MB of libharu objects (3.3 KB each, with
 * their destinations and page /Annots arrays) and the 912 bookmarks 1.6 MB,
 * all kept until the file was saved and then read back by the packer; as
 * text they are about 200 bytes each. The structure tree (pdf_struct.c),
 * the link annotations and the outline (pdf_nav.c) are written this way. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/util.h"

void rc_pdf_rw_init(rc_pdf_rw *w, rc_pdf *p)
{
    memset(w, 0, sizeof *w);
    w->p = p;
}

/* The text goes into pieces of about RW_PIECE bytes taken from the arena's
 * shared blocks, an object's text whole in one piece: a vector doubling
 * for all of it (rc_strbuf) held up to twice the text, every byte of it
 * touched (2 MB for the 1.6 MB of a 1,006-page report's structure tree). */
#define RW_PIECE ((size_t)60 * 1024)

/* Room for len more bytes of the current object. */
static void room(rc_pdf_rw *w, size_t len)
{
    if (w->n + len <= w->cap) return;
    size_t part = w->n - w->start, cap = RW_PIECE;
    while (cap < 2 * (part + len))
        cap *= 2;
    char *s = rc_arena_alloc(w->p->a, cap);
    if (part) memcpy(s, w->s + w->start, part); /* the object so far moves along */
    w->s = s;
    w->cap = cap;
    w->start = 0;
    w->n = part;
}

static void put_n(rc_pdf_rw *w, const char *s, size_t len)
{
    room(w, len);
    memcpy(w->s + w->n, s, len);
    w->n += len;
}

HPDF_Obj_Header *rc_pdf_placeholder(rc_pdf *p)
{
    HPDF_Null n = HPDF_Null_New(p->doc->mmgr);
    if (!n) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    if (!rc_pdf_ok(p, HPDF_Xref_Add(p->doc->xref, n))) return NULL;
    return (HPDF_Obj_Header *)n;
}

uint32_t rc_pdf_num(const void *obj)
{
    return obj ? ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu : 0;
}

void rc_pdf_rw_put(rc_pdf_rw *w, const char *s)
{
    put_n(w, s, strlen(s));
}

void rc_pdf_rw_uint(rc_pdf_rw *w, size_t v)
{
    char d[24];
    put_n(w, d, rc_utoa(v, d));
}

void rc_pdf_rw_ref(rc_pdf_rw *w, uint32_t num)
{
    char d[32] = " "; /* one piece: 2,000 of them in the sample's tree */
    size_t k = 1 + rc_utoa(num, d + 1);
    memcpy(d + k, " 0 R", 4);
    put_n(w, d, k + 4);
}

/* A real as PDF writes it: at most three decimals, no trailing zeros;
 * rounded as printf's "%.3f" rounds (the exact binary value to nearest).
 * Without printf when v * 1000 is not within 1e-6 of a tie (its own
 * rounding error is below 1e-6 under 1e9, so the nearest integer is
 * printf's): 2,500 instructions a number, 1 M of the sample's links. */
void rc_pdf_rw_real(rc_pdf_rw *w, double v)
{
    char d[40];
    double x = v * 1000.0, f = floor(x), frac = x - f;
    if (fabs(x) < 1e9 && fabs(frac - 0.5) > 1e-6) {
        int64_t r = (int64_t)f + (frac > 0.5);
        char *o = d;
        *o++ = ' ';
        if (r < 0) *o++ = '-';
        uint64_t u = r < 0 ? 0 - (uint64_t)r : (uint64_t)r;
        o += rc_utoa(u / 1000, o);
        unsigned fp = (unsigned)(u % 1000);
        if (fp) {
            *o++ = '.';
            *o++ = (char)('0' + fp / 100);
            *o++ = (char)('0' + fp / 10 % 10);
            *o++ = (char)('0' + fp % 10);
            while (o[-1] == '0')
                o--;
        }
        put_n(w, d, (size_t)(o - d));
        return;
    }
    int k = snprintf(d, sizeof d, " %.3f", v);
    if (k <= 0 || (size_t)k >= sizeof d) return;
    while (k > 2 && d[k - 1] == '0')
        k--;
    if (d[k - 1] == '.') k--;
    if (k == 3 && d[1] == '-' && d[2] == '0') { /* "-0" */
        d[1] = '0';
        k = 2;
    }
    put_n(w, d, (size_t)k);
}

/* PDFDocEncoding (ISO 32000-1 annex D) of the characters it has beyond
 * Latin-1: dashes, quotes, bullet, ellipsis, a few letters. */
static int pdfdoc_byte(uint32_t cp)
{
    static const uint16_t hi[32] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
                                    0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
                                    0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
                                    0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0};
    if (cp >= 0x20 && cp < 0x7F) return (int)cp;
    if (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD) return (int)cp;
    if (cp == 0x20AC) return 0xA0;
    for (int i = 0; i < 31; i++)
        if (hi[i] == cp) return 0x80 + i;
    return -1;
}

/* A literal string of the bytes s[0..n) (pdfdoc: s is UTF-8 text whose
 * characters all have a PDFDocEncoding byte; else the bytes as they are):
 * printable ASCII as it is, the rest as octal escapes, so no raw byte
 * above 0x7E is written. */
static void literal(rc_pdf_rw *w, const char *t, size_t n, bool pdfdoc)
{
    rc_pdf_rw_put(w, " (");
    for (size_t i = 0; i < n;) {
        size_t run = i; /* plain ASCII goes as it is, a run at a time */
        while (run < n && t[run] >= 0x20 && t[run] < 0x7F && t[run] != '(' && t[run] != ')' &&
               t[run] != '\\')
            run++;
        if (run > i) {
            put_n(w, t + i, run - i);
            i = run;
            continue;
        }
        int c = (unsigned char)t[i];
        if (pdfdoc) {
            uint32_t cp = 0;
            size_t k = rc_utf8_decode(t + i, n - i, &cp);
            c = pdfdoc_byte(cp);
            i += k ? k : 1;
        } else {
            i++;
        }
        char e[4] = {'\\', (char)('0' + ((c >> 6) & 3)), (char)('0' + ((c >> 3) & 7)),
                     (char)('0' + (c & 7))};
        put_n(w, e, 4);
    }
    rc_pdf_rw_put(w, ")");
}

void rc_pdf_rw_text(rc_pdf_rw *w, const char *s, size_t len)
{
    const char *t = rc_pdf_text(w->p, s ? s : "", s ? len : 0); /* BMP, no C0 */
    size_t n = strlen(t);
    bool doc = true;
    for (size_t i = 0; i < n && doc;) {
        if (t[i] >= 0x20 && t[i] < 0x7F) { /* ASCII: PDFDocEncoding's own */
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t k = rc_utf8_decode(t + i, n - i, &cp);
        doc = k && pdfdoc_byte(cp) >= 0;
        i += k ? k : 1;
    }
    if (doc) {
        literal(w, t, n, true);
        return;
    }
    static const char hexd[] = "0123456789ABCDEF";
    rc_pdf_rw_put(w, " <FEFF");
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0xFFFD;
        size_t k = rc_utf8_decode(t + i, n - i, &cp);
        char h[4] = {hexd[(cp >> 12) & 15], hexd[(cp >> 8) & 15], hexd[(cp >> 4) & 15],
                     hexd[cp & 15]};
        put_n(w, h, 4);
        i += k ? k : 1;
    }
    rc_pdf_rw_put(w, ">");
}

void rc_pdf_rw_bytes(rc_pdf_rw *w, const char *s, size_t len)
{
    literal(w, s ? s : "", s ? len : 0, false);
}

void rc_pdf_rw_begin(rc_pdf_rw *w)
{
    w->start = w->n;
}

void rc_pdf_rw_end(rc_pdf_rw *w, uint32_t num)
{
    rc_pdf_raw r = {.num = num, .text = w->s ? w->s + w->start : "", .n = w->n - w->start};
    RC_PUSH(w->p->a, w->p->raws, r);
    w->start = w->n;
}
