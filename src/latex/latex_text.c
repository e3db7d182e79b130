/* latex_text: the .tex's bytes (lx_out, lx_puts, lx_printf) and the
 * escaping of text for it (lx_text, rc_latex_escape), for every emitter
 * of latex*.c. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latex_int.h"
#include "rc/numfmt.h"
#include "rc/util.h"

/* ---- output ------------------------------------------------------------ */

/* Bytes for the .tex, gathered in x->buf and given to the FILE in large
 * pieces: open_memstream's stream copies a short write byte by byte
 * (glibc's _IO_default_xsputn), 2.5 M instructions for three editions'
 * .tex in 20,000 writes (callgrind). rc_latex_write has no FILE at all
 * (x->grow): the buffer grows to hold the whole file, which it writes. */
void lx_flush(lx *x)
{
    if (x->n && !x->grow) {
        fwrite(x->buf, 1, x->n, x->out);
        x->n = 0;
    }
}

/* Room for n more bytes in a growing buffer; false (and x->nomem) if not. */
bool lx_reserve(lx *x, size_t n)
{
    if (x->nomem) return false;
    if (x->cap - x->n >= n) return true;
    size_t cap = x->cap ? x->cap : 4096;
    while (cap - x->n < n)
        cap *= 2;
    char *b = realloc(x->buf, cap);
    if (!b) {
        x->nomem = true;
        return false;
    }
    x->buf = b;
    x->cap = cap;
    return true;
}

void lx_out(lx *x, const char *s, size_t n)
{
    if (!n) return;
    if (x->cap - x->n < n) {
        if (x->grow) {
            if (!lx_reserve(x, n)) return;
        } else {
            lx_flush(x);
            if (n > x->cap / 2) { /* large or no buffer: straight through */
                fwrite(s, 1, n, x->out);
                return;
            }
        }
    }
    memcpy(x->buf + x->n, s, n);
    x->n += n;
}

void lx_puts(lx *x, const char *s)
{
    lx_out(x, s, strlen(s));
}

/* Whether lx_printf interprets fmt itself: only %s, %d, %c, %zu, %%, %g,
 * %.Ng and %.Nf (N one digit), the conversions the emitters use for
 * nearly every call; anything else (a flag, a width) goes to vfprintf. */
static bool own_format(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
        p++;
        if (*p == '.' && p[1] >= '0' && p[1] <= '9' && (p[2] == 'f' || p[2] == 'g'))
            p += 3;
        else if (*p == 'z' && p[1] == 'u')
            p += 2;
        else if (*p == 's' || *p == 'd' || *p == 'c' || *p == '%' || *p == 'g')
            p++;
        else
            return false;
    }
    return true;
}

/* printf into the .tex. The charts print thousands of coordinates with
 * "%.1f" and "%.2f": through vfprintf those were 2.1 M instructions of an
 * edition's 5.7 M (callgrind), through rc_fmt_f (the same bytes,
 * test_numfmt) a tenth of that. */
void lx_printf(lx *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!own_format(fmt)) {
        if (x->grow) {
            va_list aq;
            va_copy(aq, ap);
            int k = vsnprintf(NULL, 0, fmt, aq);
            va_end(aq);
            if (k > 0 && lx_reserve(x, (size_t)k + 1)) {
                vsnprintf(x->buf + x->n, (size_t)k + 1, fmt, ap);
                x->n += (size_t)k;
            }
        } else {
            lx_flush(x);
            vfprintf(x->out, fmt, ap);
        }
        va_end(ap);
        return;
    }
    char num[RC_FMT_CAP];
    for (const char *p = fmt;;) {
        const char *q = strchr(p, '%');
        if (!q) {
            lx_puts(x, p);
            break;
        }
        lx_out(x, p, (size_t)(q - p));
        p = q + 1;
        int prec = -1;
        if (*p == '.') {
            prec = p[1] - '0';
            p += 2;
        }
        switch (*p++) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            lx_puts(x, s ? s : "(null)"); /* what glibc prints */
            break;
        }
        case 'd': {
            int v = va_arg(ap, int);
            size_t n = 0;
            if (v < 0) num[n++] = '-';
            n += rc_utoa(v < 0 ? 0u - (uint64_t)(int64_t)v : (uint64_t)v, num + n);
            lx_out(x, num, n);
            break;
        }
        case 'z':
            p++; /* the u */
            lx_out(x, num, rc_utoa(va_arg(ap, size_t), num));
            break;
        case 'c':
            num[0] = (char)va_arg(ap, int);
            lx_out(x, num, 1);
            break;
        case 'f':
            lx_out(x, num, rc_fmt_f(va_arg(ap, double), prec, num));
            break;
        case 'g':
            lx_out(x, num, rc_fmt_g(va_arg(ap, double), prec < 0 ? 6 : prec, false, num));
            break;
        default: /* '%' */
            lx_out(x, "%", 1);
            break;
        }
    }
    va_end(ap);
}

/* ---- escaping ------------------------------------------------------------ */

typedef rc_strbuf sbuf;

/* Code points outside ASCII that get a LaTeX command in text mode, grouped
 * by what PDF strings (hyperref's document information and bookmarks) get
 * instead: that depends on what a character is, so it is said once per
 * group rather than on every row. The Latin-1 and Latin Extended-A letters
 * are kept as UTF-8: inputenc (T1) and fontspec both set them. */
typedef struct umap {
    uint32_t cp;
    const char *text; /* text mode */
} umap;

/* Spaces of a given width or that do not break: a plain space. */
static const umap spaces[] = {
    {0x00A0, "~"}, {0x2002, "\\enspace{}"}, {0x2003, "\\quad{}"}, {0x2009, "\\,"}, {0x202F, "\\,"},
};
/* Break opportunities that print nothing: nothing. */
static const umap invisible[] = {
    {0x00AD, "\\-"},
    {0x200B, "\\hspace{0pt}"},
};
/* Hyphens and the minus sign: an ASCII hyphen-minus. */
static const umap hyphens[] = {
    {0x2010, "-"},
    {0x2011, "\\mbox{-}"},
    {0x2212, "\\textminus{}"},
};
/* The replacement character: a question mark, as in text. */
static const umap replacement[] = {
    {0xFFFD, "?"},
};
/* Dashes, quotation marks and symbols: the UTF-8 itself. */
static const umap symbols[] = {
    {0x2012, "--"},
    {0x2013, "--"},
    {0x2014, "---"},
    {0x2018, "\\textquoteleft{}"},
    {0x2019, "\\textquoteright{}"},
    {0x201A, "\\quotesinglbase{}"},
    {0x201C, "\\textquotedblleft{}"},
    {0x201D, "\\textquotedblright{}"},
    {0x201E, "\\quotedblbase{}"},
    {0x2022, "\\textbullet{}"},
    {0x2026, "\\dots{}"},
    {0x2039, "\\guilsinglleft{}"},
    {0x203A, "\\guilsinglright{}"},
    {0x20AC, "\\texteuro{}"},
    {0x2122, "\\texttrademark{}"},
    {0x2190, "\\ensuremath{\\leftarrow}"},
    {0x2192, "\\ensuremath{\\rightarrow}"},
    {0x2248, "\\ensuremath{\\approx}"},
    {0x2260, "\\ensuremath{\\neq}"},
    {0x2264, "\\ensuremath{\\leq}"},
    {0x2265, "\\ensuremath{\\geq}"},
};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])
static const struct umap_group {
    const umap *map;
    size_t n;
    const char *meta; /* in PDF strings; NULL = keep the UTF-8 */
} groups[] = {
    {spaces, COUNT(spaces), " "},    {invisible, COUNT(invisible), ""},
    {hyphens, COUNT(hyphens), "-"},  {replacement, COUNT(replacement), "?"},
    {symbols, COUNT(symbols), NULL},
};

/* The text-mode command for cp (NULL: none) and, in *meta, what PDF strings
 * get (NULL: the UTF-8). */
static const char *find_umap(uint32_t cp, const char **meta)
{
    /* the letters of Spanish and Portuguese text, at no cost: no entry
     * lies between U+00AD and U+2002 (test_latex checks every entry) */
    if (cp > 0xAD && cp < 0x2002) return NULL;
    for (size_t g = 0; g < COUNT(groups); g++)
        for (size_t i = 0; i < groups[g].n; i++)
            if (groups[g].map[i].cp == cp) {
                *meta = groups[g].meta;
                return groups[g].map[i].text;
            }
    return NULL;
}

/* Letters pdflatex sets from T1 + inputenc: Latin-1, Latin Extended-A and
 * the Romanian comma-below letters. */
static bool t1_letter(uint32_t cp)
{
    return (cp >= 0xA1 && cp <= 0x17F) || (cp >= 0x218 && cp <= 0x21B);
}

/* ASCII characters with a meaning of their own to LaTeX, indexed by the
 * character: what text mode gets, and whether PDF strings keep the
 * character itself (hyperref reads the other escapes there as well). */
static const struct {
    const char *text;
    bool pdf_keeps;
} ascii[128] = {
    ['#'] = {"\\#", false},
    ['$'] = {"\\$", false},
    ['%'] = {"\\%", false},
    ['&'] = {"\\&", false},
    ['_'] = {"\\_", false},
    ['{'] = {"\\{", false},
    ['}'] = {"\\}", false},
    ['~'] = {"\\textasciitilde{}", false},
    ['^'] = {"\\textasciicircum{}", false},
    ['\\'] = {"\\textbackslash{}", false},
    ['<'] = {"\\textless{}", false},
    ['>'] = {"\\textgreater{}", false},
    ['|'] = {"\\textbar{}", false},
    ['`'] = {"\\textasciigrave{}", false},
    /* text mode only: there a bare ' is set as a closing quotation mark,
     * babel's Spanish makes " a shorthand, and brackets right after \item
     * or \\ would be read as an optional argument */
    ['"'] = {"\\textquotedbl{}", true},
    ['\''] = {"\\textquotesingle{}", true},
    ['['] = {"{[}", true},
    [']'] = {"{]}", true},
};

enum { ESC_TEXT, ESC_META };

/* An ASCII character written as it is, in every mode and whatever follows
 * it (the cases of escape below that copy it). */
static bool plain(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && !ascii[c].text && c != '-' && c != ',';
}

/* plain() of every byte, for the loop below (one load a byte instead of
 * five tests): made once. */
static bool plain_tab[256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

static void make_plain_tab(void)
{
    for (unsigned c = 0; c < 256; c++)
        plain_tab[c] = plain((unsigned char)c);
}

static void escape(sbuf *b, const char *s, size_t len, int mode)
{
    pthread_once(&plain_once, make_plain_tab);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        /* a run of plain characters in one copy, not one call each (most of
         * a chapter's text; 2.9 M instructions of an edition's .tex) */
        size_t j = i;
        while (j < len && plain_tab[(unsigned char)s[j]])
            j++;
        if (j > i) {
            rc_strbuf_put(b, s + i, j - i);
            i = j;
            continue;
        }
        if (c < 0x80) {
            char next = i + 1 < len ? s[i + 1] : '\0';
            i++;
            if (ascii[c].text) {
                if (mode == ESC_META && ascii[c].pdf_keeps)
                    rc_strbuf_put(b, (const char *)&c, 1);
                else
                    rc_strbuf_puts(b, ascii[c].text);
                continue;
            }
            switch (c) {
            case '-': /* no -- / --- ligatures from literal hyphens */
                rc_strbuf_puts(b, next == '-' && mode == ESC_TEXT ? "-{}" : "-");
                break;
            case ',': /* T1 has a ,, ligature (low quotes) */
                rc_strbuf_puts(b, next == ',' && mode == ESC_TEXT ? ",{}" : ",");
                break;
            case '\n':
            case '\r':
            case '\t':
                rc_strbuf_put(b, " ", 1);
                break;
            default:
                if (c >= 0x20 && c != 0x7F) rc_strbuf_put(b, (const char *)&c, 1);
                break;
            }
            continue;
        }
        uint32_t cp = 0;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        if (!k) { /* invalid: the input stages validated, but never emit it */
            rc_strbuf_puts(b, "?");
            i++;
            continue;
        }
        const char *meta = NULL, *text = find_umap(cp, &meta);
        if (text && (mode == ESC_TEXT || meta))
            rc_strbuf_puts(b, mode == ESC_TEXT ? text : meta);
        else if (text || t1_letter(cp))
            rc_strbuf_put(b, s + i, k);
        else {
            /* a character pdflatex has no glyph for: \rcuchar prints it
             * under xelatex/lualatex and a '?' under pdflatex */
            char hex[16];
            snprintf(hex, sizeof hex, "%04X", (unsigned)cp);
            rc_strbuf_puts(b, "\\rcuchar{");
            rc_strbuf_puts(b, hex);
            rc_strbuf_puts(b, "}{");
            rc_strbuf_put(b, s + i, k);
            rc_strbuf_puts(b, "}");
        }
        i += k;
    }
}

char *rc_latex_escape(rc_arena *a, const char *s, size_t len)
{
    sbuf b = {a, NULL, 0, 0};
    rc_strbuf_put(&b, "", 0);
    if (s) escape(&b, s, len, ESC_TEXT);
    return b.s;
}

/* Escapes into x->esc, reused: a new buffer per text was 10,000 arena
 * blocks for three editions. escape never puts a NUL byte. */
static void escaped(lx *x, const char *s, size_t len, int mode)
{
    x->esc.a = x->a;
    x->esc.n = 0;
    rc_strbuf_put(&x->esc, "", 0);
    escape(&x->esc, s, len, mode);
    lx_out(x, x->esc.s, x->esc.n);
}

void lx_text(lx *x, const char *s, size_t len)
{
    if (s && len) escaped(x, s, len, ESC_TEXT);
}

void lx_str(lx *x, const char *s)
{
    if (s) lx_text(x, s, strlen(s));
}

void lx_meta(lx *x, const char *s)
{
    if (s) escaped(x, s, strlen(s), ESC_META);
}

void lx_label(lx *x, const char *id)
{
    for (const char *p = id ? id : ""; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == ':' || c == '.' || c == '_' || c == '-';
        lx_out(x, ok ? &c : "-", 1);
    }
}
