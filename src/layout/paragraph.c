/* paragraph: styled runs -> tokens (word pieces, spaces) -> Knuth-Plass
 * items -> breaks, in TeX's order of passes:
 *   1. no hyphenation, tolerance PRETOL (\pretolerance: most paragraphs end here,
 *      and libhyphen is never called for them);
 *   2. hyphenation points as flagged penalties, opts->tolerance, sparing
 *      proper names, bold lead-ins and ragged text (hyphenate_last_resort);
 *   2b. when 2 failed and spared some word: the same points, any tolerance
 *      up to the gap cap (a loose line rather than a hyphenated name);
 *   2c. every word's points, opts->tolerance;
 *   3. emergency: words wider than the line split at any character, any
 *      tolerance up to the gap cap, badness no longer capped at 10000 so the
 *      less loose breaking still wins;
 *   4. (justified) any tolerance, gaps clamped at the cap when set;
 *   5. first fit, allowing overfull lines (a glyph wider than the line).
 * Justified text never has an inter-word gap wider than looseness_em: the
 * cap limits the tolerance of every pass (the PDF audit rejects gaps over
 * 1.2 em). Ragged text uses Knuth & Plass's ragged-right construction
 * (glue 0+S, penalty, glue w-S) so lines are balanced by a finite stretch.
 * Word pieces have their shaped widths (rc_font_text_width). Lines and
 * fragments live in the arena, the scratch arrays (tokens, items, breaks)
 * are freed on return; a watcher's paragraph set before is para_memo.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "para_int.h"
#include "rc/util.h"

/* TeX's \hyphenpenalty and \exhyphenpenalty, unless the language's rules
 * (rc_hyph_exc_penalty) say otherwise; splitting a word at an arbitrary
 * character costs far more than hyphenating it. */
enum { HYPH_PENALTY = 50, SPLIT_PENALTY = 1000, MAX_HYPH_WORD = 240 };

/* Tolerance of the first pass (no hyphenation): badness 200, TeX's
 * \tolerance in plain.tex (r = 1.26: gaps up to 0.40 em with the stretch of
 * push_space). TeX's \pretolerance (100) would send a third of the sample's
 * paragraphs to the hyphenating pass to save gaps of a few hundredths of an
 * em; measured on the sample: 100 -> 37 hyphenated line ends of 1008 full
 * lines, 200 -> 18, with the loosest justified gap 0.45 -> 0.47 em. */
#define PRETOL 1.26
#define RAGGED_EM 3.0 /* ragged-right stretch per line, in em */

typedef enum tkind { T_SEG, T_SPACE, T_NBSP, T_SHY, T_ZWSP, T_NEWLINE } tkind;

/* A token: a piece of a word inside one run, or a separator. */
typedef struct tok {
    const char *anchor;
    double width; /* T_SEG: natural width in pt */
    uint32_t run, start, end;
    uint8_t kind;
    bool brk_after; /* T_SEG ends with an explicit hyphen, dash or slash */
    bool nobreak;   /* T_SEG comes from a nobreak run */
    /* first T_SEG of a word: its hyphenation points (with the exceptions
     * applied), found once per paragraph and kept for every later pass */
    bool hdone;
    uint8_t hn;
    uint32_t hoff; /* into pb.hpts */
} tok;

/* Scratch vectors live only during one rc_para_set call: they start in
 * arrays on rc_para_set's stack, enough for most paragraphs (a table cell,
 * a caption, a heading: two thirds of the sample's), and move to malloc'ed
 * memory, freed on return, when they outgrow them: the allocator hands the
 * same memory to the next paragraph, where an arena would keep every
 * abandoned copy (this halves the time of setting a long document), and a
 * short paragraph makes no allocation at all (six mallocs and frees per
 * paragraph were 0.8 M instructions of the sample). Failure aborts, as the
 * arena does. */
#define SVEC(T)                                                                                    \
    struct {                                                                                       \
        T *v;                                                                                      \
        size_t n, cap;                                                                             \
        bool heap; /* v is malloc'ed (else a stack array of cap elements) */                       \
    }
#define SPUSH(vec, x)                                                                              \
    do {                                                                                           \
        if ((vec).n == (vec).cap)                                                                  \
            (vec).v =                                                                              \
                sgrow((vec).v, &(vec).cap, &(vec).heap, (vec).n, (vec).n + 1, sizeof *(vec).v);    \
        (vec).v[(vec).n++] = (x);                                                                  \
    } while (0)
/* Points vec at the stack array buf of n elements. */
#define SSTACK(vec, buf)                                                                           \
    ((vec).v = (buf), (vec).n = 0, (vec).cap = sizeof(buf) / sizeof *(buf), (vec).heap = false)
#define SFREE(vec)                                                                                 \
    do {                                                                                           \
        if ((vec).heap) free((vec).v);                                                             \
    } while (0)

/* v with room for need elements of sz bytes, its first used ones kept. */
static void *sgrow(void *v, size_t *cap, bool *heap, size_t used, size_t need, size_t sz)
{
    if (need <= *cap) return v;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *nv = NULL;
    if (nc <= SIZE_MAX / sz) nv = *heap ? realloc(v, nc * sz) : malloc(nc * sz);
    if (!nv) {
        fprintf(stderr, "reportc: out of memory (paragraph of %zu items)\n", need);
        abort();
    }
    if (!*heap && used) memcpy(nv, v, used * sz);
    *heap = true;
    *cap = nc;
    return nv;
}

typedef struct pb {
    rc_arena *a;
    const rc_run *runs;
    const rc_para_opts *o;
    const rc_fonts *fonts;
    const rc_hyph *hyph;
    bool ragged;
    double looseness;
    SVEC(tok) toks; /* scratch: malloc'ed, freed before rc_para_set returns */
    SVEC(rc_lb_item) it;
    SVEC(meta) m;
    SVEC(size_t) br;
    SVEC(size_t) hpts; /* hyphenation points of the words (tok.hoff, tok.hn) */
    double rcap;       /* largest ratio keeping every gap within its cap */
    double minw;       /* narrowest line */
    bool strict;       /* hyphenation pass: skip proper names, bold runs, ragged text */
    bool skipped;      /* ... and some word was skipped for that */
    double hpen;       /* penalty of a break at a hyphenation point or explicit hyphen */
    uint32_t sprun;    /* push_space: the last space's run + 1 (0: none yet), and */
    struct {           /* its width, stretch, shrink, widest gap, ratio at that gap */
        double w, st, sh, cap, r;
    } sp;
} pb;

static const rc_font *font_of(const pb *p, uint32_t run)
{
    const rc_font *f = p->fonts->f[p->runs[run].font];
    return f ? f : p->fonts->f[RC_FONT_REGULAR];
}

/* Width in pt of code point cp in run's style. */
static double adv(const pb *p, uint32_t run, uint32_t cp)
{
    const rc_font *f = font_of(p, run);
    double size = p->runs[run].size;
    return f ? rc_font_advance(f, cp) * size / 1000.0 : 0.5 * size;
}

static double space_width(const pb *p, uint32_t run)
{
    double w = adv(p, run, ' ');
    return w > 0 ? w : 0.25 * p->runs[run].size;
}

/* Shaped width in pt of the run's bytes [s, e) (kerning included). */
static double range_width(const pb *p, uint32_t run, size_t s, size_t e)
{
    const rc_font *f = font_of(p, run);
    if (!f) return 0.5 * p->runs[run].size * (double)rc_utf8_length(p->runs[run].text + s, e - s);
    return rc_font_word_width(f, p->runs[run].text + s, e - s, p->runs[run].size);
}

/* --- tokens ---------------------------------------------------------------- */

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static bool is_dash_break(uint32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2013 || c == 0x2014 || c == '/';
}

static bool wordish(uint32_t c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0xC0;
}

/* An ASCII character that only continues a word: not a space, a control
 * character or a break after it ('-', '/'). */
static bool plain_ascii(unsigned char c)
{
    return c > 0x20 && c < 0x7F && c != '-' && c != '/';
}

/* A two-byte UTF-8 sequence of U+00C0..U+07FF (lead byte 0xC3..0xDF): the
 * accented letters of es and pt, none of them a space, a break, a dash or a
 * control (those of two bytes, U+00A0 and U+00AD, have the lead 0xC2). */
static bool two_byte_letter(const char *s)
{
    unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];
    return a >= 0xC3 && a <= 0xDF && (b & 0xC0) == 0x80;
}

static inline __attribute__((always_inline)) void push_tok(pb *p, tkind k, uint32_t run, uint32_t s,
                                                           uint32_t e)
{
    SPUSH(p->toks, ((tok){.kind = (uint8_t)k, .run = run, .start = s, .end = e}));
}

/* Splits the runs into word pieces and separators. Consecutive spaces
 * collapse into one; spaces at the start and end of the paragraph vanish. */
static void tokenize(pb *p, size_t nruns)
{
    const char *anchor = NULL;
    size_t word_cps = 0; /* code points since the word started */
    for (size_t r = 0; r < nruns; r++) {
        const rc_run *run = &p->runs[r];
        uint32_t ri = (uint32_t)r;
        if (run->anchor) anchor = run->anchor;
        /* advances are summed only for a run without a font: a word with
         * one gets its shaped width below */
        bool nominal = font_of(p, ri) == NULL;
        const char *t = run->text;
        size_t len = t ? run->len : 0, i = 0;
        long seg = -1; /* open T_SEG token index */
        while (i < len) {
            if (seg >= 0 && !nominal) { /* the rest of a word's plain letters at once */
                size_t j = i, cps = 0;
                for (;;) {
                    if (j < len && plain_ascii((unsigned char)t[j])) {
                        j++;
                        cps++;
                    } else if (j + 1 < len && two_byte_letter(t + j)) {
                        j += 2;
                        cps++;
                    } else {
                        break;
                    }
                }
                if (j > i) {
                    p->toks.v[seg].end = (uint32_t)j;
                    word_cps += cps;
                    i = j;
                    continue;
                }
            }
            uint32_t c = (unsigned char)t[i];
            size_t k = 1;
            if (c >= 0x80 && (k = rc_utf8_decode(t + i, len - i, &c)) == 0) {
                c = 0xFFFD;
                k = 1;
            }
            tkind sep = T_SEG;
            if (is_space(c))
                sep = run->nobreak ? T_NBSP : T_SPACE;
            else if (c == 0xA0 || c == 0x202F || c == 0x2007)
                sep = T_NBSP;
            else if (c == 0xAD)
                sep = T_SHY;
            else if (c == 0x200B)
                sep = T_ZWSP;
            else if (c == 0x2028)
                sep = T_NEWLINE;
            else if (c < 0x20 || c == 0x7F) {
                i += k; /* other control characters are dropped */
                seg = -1;
                continue;
            }
            if (sep != T_SEG) {
                seg = -1;
                if (sep == T_SPACE || sep == T_NBSP) word_cps = 0;
                size_t nt = p->toks.n;
                bool after_space =
                    nt && (p->toks.v[nt - 1].kind == T_SPACE || p->toks.v[nt - 1].kind == T_NBSP);
                if (sep == T_SPACE && (nt == 0 || after_space)) {
                    i += k;
                    continue;
                }
                if (sep == T_NBSP && after_space)
                    p->toks.v[nt - 1].kind = T_NBSP; /* "a \u00A0b": keep it unbreakable */
                else
                    push_tok(p, sep, ri, (uint32_t)i, (uint32_t)(i + k));
                i += k;
                continue;
            }
            if (seg < 0) {
                push_tok(p, T_SEG, ri, (uint32_t)i, (uint32_t)i);
                seg = (long)p->toks.n - 1;
                p->toks.v[seg].nobreak = run->nobreak;
                p->toks.v[seg].anchor = anchor;
                anchor = NULL;
            }
            tok *tk = &p->toks.v[seg];
            tk->end = (uint32_t)(i + k);
            if (nominal) tk->width += adv(p, ri, c);
            word_cps++;
            i += k;
            if (!run->nobreak && is_dash_break(c) && word_cps >= 3 && i < len) {
                uint32_t nx = (unsigned char)t[i];
                if (nx >= 0x80 && rc_utf8_decode(t + i, len - i, &nx) == 0) nx = 0;
                if (wordish(nx)) {
                    tk->brk_after = true;
                    seg = -1;
                    word_cps = 0;
                }
            }
        }
    }
    /* A word piece's width is its shaped width (kerning), not the sum of
     * the advances added up above (kept for fonts HarfBuzz cannot read). */
    for (size_t k = 0; k < p->toks.n; k++) {
        tok *tk = &p->toks.v[k];
        if (tk->kind != T_SEG || tk->end <= tk->start) continue;
        const rc_font *f = font_of(p, tk->run);
        const rc_run *r = &p->runs[tk->run];
        if (f) tk->width = rc_font_word_width(f, r->text + tk->start, tk->end - tk->start, r->size);
    }
    /* Trailing spaces go; an anchor with no text after it gets an empty box. */
    while (p->toks.n &&
           (p->toks.v[p->toks.n - 1].kind == T_SPACE || p->toks.v[p->toks.n - 1].kind == T_NBSP))
        p->toks.n--;
    if (anchor && nruns) {
        uint32_t last = (uint32_t)(nruns - 1);
        uint32_t end = (uint32_t)(p->runs[last].text ? p->runs[last].len : 0);
        push_tok(p, T_SEG, last, end, end);
        p->toks.v[p->toks.n - 1].anchor = anchor;
    }
}

/* --- items ------------------------------------------------------------------ */

/* Inlined: ~40,000 items a sample, most pushed from a handful of places
 * with constant arguments. */
static inline __attribute__((always_inline)) void push_item(pb *p, rc_lb_type type, double w,
                                                            double st, double sh, double pen,
                                                            bool flagged, pkind kind, uint32_t run)
{
    if (p->it.n == p->it.cap)
        p->it.v = sgrow(p->it.v, &p->it.cap, &p->it.heap, p->it.n, p->it.n + 1, sizeof *p->it.v);
    if (p->m.n == p->m.cap)
        p->m.v = sgrow(p->m.v, &p->m.cap, &p->m.heap, p->m.n, p->m.n + 1, sizeof *p->m.v);
    p->it.v[p->it.n++] = (rc_lb_item){type, w, st, sh, pen, flagged};
    p->m.v[p->m.n++] = (meta){.kind = (uint8_t)kind, .run = run};
}

static inline __attribute__((always_inline)) void push_box(pb *p, uint32_t run, uint32_t s,
                                                           uint32_t e, double w, const char *anchor)
{
    push_item(p, RC_LB_BOX, w, 0, 0, 0, false, K_BOX, run);
    meta *m = &p->m.v[p->m.n - 1];
    m->start = s;
    m->end = e;
    m->anchor = anchor;
}

/* A break inside a word (discretionary or plain). Ragged text wraps it in
 * ragged-right glue so a line ending there gets the same finite stretch. */
static void push_break(pb *p, uint32_t run, double pen, bool flagged, double w, pkind kind)
{
    if (p->ragged) {
        double s = RAGGED_EM * p->runs[run].size;
        push_item(p, RC_LB_PENALTY, 0, 0, 0, 10000, false, K_AUX, run);
        push_item(p, RC_LB_GLUE, 0, s, 0, 0, false, K_AUX, run);
        push_item(p, RC_LB_PENALTY, w, 0, 0, pen, flagged, kind, run);
        push_item(p, RC_LB_GLUE, 0, -s, 0, 0, false, K_AUX, run);
    } else {
        push_item(p, RC_LB_PENALTY, w, 0, 0, pen, flagged, kind, run);
    }
}

/* Stretch as TeX's text fonts have it, a sixth of an em (cmr10: space
 * 1/3 em, stretch 1/6, shrink 1/9), not half the font's own space: Lato's
 * space is 0.19 em, and half of it made every line with a gap wider than
 * 0.29 em "very loose", so the breaker hyphenated one line in nine to
 * avoid gaps pdflatex accepts. Shrink stays a third of the space (a
 * narrower minimum would make words run together). Computed once per run
 * of spaces of one style (most of a paragraph's). */
static void space_of(pb *p, uint32_t run)
{
    double w = space_width(p, run), em = p->runs[run].size;
    p->sprun = run + 1;
    p->sp.w = w;
    p->sp.st = fmax(w / 2, em / 6);
    p->sp.sh = w / 3;
    p->sp.cap = p->looseness * em;
    p->sp.r = (p->sp.cap - w) / p->sp.st;
}

static inline __attribute__((always_inline)) void push_space(pb *p, uint32_t run, bool breakable)
{
    if (p->sprun != run + 1) space_of(p, run);
    double w = p->sp.w;
    if (!breakable) push_item(p, RC_LB_PENALTY, 0, 0, 0, 10000, false, K_AUX, run);
    if (p->ragged) {
        if (breakable) {
            double s = RAGGED_EM * p->runs[run].size;
            push_item(p, RC_LB_GLUE, 0, s, 0, 0, false, K_AUX, run);
            push_item(p, RC_LB_PENALTY, 0, 0, 0, 0, false, K_PEN_PLAIN, run);
            push_item(p, RC_LB_GLUE, w, -s, 0, 0, false, K_SPACE, run);
        } else {
            push_item(p, RC_LB_GLUE, w, 0, 0, 0, false, K_FIXGLUE, run);
        }
        return;
    }
    push_item(p, RC_LB_GLUE, w, p->sp.st, p->sp.sh, 0, false, breakable ? K_SPACE : K_FIXGLUE, run);
    p->m.v[p->m.n - 1].cap = p->sp.cap;
    if (p->sp.r < p->rcap) p->rcap = p->sp.r;
}

/* Tokens longer than this, when split at every character, are measured
 * piece by piece (emit_seg). */
#define PIECEWISE_BYTES 256

static bool has_point(const size_t *pts, size_t npts, size_t at)
{
    for (size_t k = 0; k < npts; k++)
        if (pts[k] == at) return true;
    return false;
}

/* Emits token t as boxes: split at its hyphenation points (pts are byte
 * offsets in the whole word, base is where t starts in it), and when split is
 * set at every code point too, hyphenation points still preferred. */
static void emit_seg(pb *p, const tok *t, const size_t *pts, size_t npts, size_t base, bool split)
{
    const char *anchor = t->anchor;
    const char *txt = p->runs[t->run].text;
    double hw = adv(p, t->run, '-');
    uint32_t s = t->start, at = t->start;
    /* A piece's width is the difference of the shaped prefixes of the word
     * token, so the pieces add up to the token's width (the kerning across a
     * hyphenation point belongs to the piece before). pre is the prefix
     * [t->start, s): the longer prefix of one piece is the shorter one of
     * the next, so each prefix is measured once. */
    double pre = 0;
    /* Split at every character, a long token (a URL, a run of symbols)
     * would cost a prefix measurement per character: quadratic, minutes for
     * 50,000 characters. Its pieces are measured on their own instead (the
     * kerning across an emergency split is lost, which such a break can
     * afford); tokens of ordinary length keep the exact prefix widths. */
    bool piecewise = split && t->end - t->start > PIECEWISE_BYTES;
    while (at < t->end) {
        /* next candidate boundary */
        if (split) {
            uint32_t c;
            size_t k = rc_utf8_decode(txt + at, t->end - at, &c);
            at += (uint32_t)(k ? k : 1);
        } else {
            size_t next = t->end;
            for (size_t k = 0; k < npts; k++)
                if (pts[k] > base + (at - t->start) && pts[k] < base + (t->end - t->start)) {
                    size_t cand = pts[k] - base + t->start;
                    if (cand < next) next = cand;
                }
            at = (uint32_t)next;
        }
        if (at >= t->end) break;
        bool hy = has_point(pts, npts, base + (at - t->start));
        if (!hy && !split) continue;
        double w_at =
            piecewise ? pre + range_width(p, t->run, s, at) : range_width(p, t->run, t->start, at);
        push_box(p, t->run, s, at, s > t->start ? w_at - pre : w_at, anchor);
        pre = w_at;
        anchor = NULL;
        if (hy)
            push_break(p, t->run, p->hpen, true, hw, K_PEN_HYPH);
        else
            push_break(p, t->run, SPLIT_PENALTY, false, 0, K_PEN_PLAIN);
        s = at;
    }
    /* the whole token's shaped width is t->width, measured by tokenize with
     * the same call (a run without a font has its advances summed there) */
    double w = s == t->start        ? t->width
               : piecewise          ? range_width(p, t->run, s, t->end)
               : font_of(p, t->run) ? t->width - pre
                                    : range_width(p, t->run, t->start, t->end) - pre;
    push_box(p, t->run, s, t->end, w, anchor);
}

/* Width of the widest unbreakable piece of a word between its hyphenation
 * points and explicit breaks. */
static double widest_piece(const pb *p, size_t w0, size_t w1, const size_t *pts, size_t npts)
{
    double widest = 0, cur = 0;
    size_t base = 0;
    for (size_t i = w0; i < w1; i++) {
        const tok *t = &p->toks.v[i];
        const char *txt = p->runs[t->run].text;
        uint32_t at = t->start;
        while (at < t->end) {
            if (at > t->start && has_point(pts, npts, base + (at - t->start))) {
                widest = fmax(widest, cur + adv(p, t->run, '-'));
                cur = 0;
            }
            uint32_t c;
            size_t k = rc_utf8_decode(txt + at, t->end - at, &c);
            if (k == 0) {
                c = 0xFFFD;
                k = 1;
            }
            cur += adv(p, t->run, c);
            at += (uint32_t)k;
        }
        base += t->end - t->start;
        if (t->brk_after || has_point(pts, npts, base)) {
            widest = fmax(widest, cur + (t->brk_after ? 0 : adv(p, t->run, '-')));
            cur = 0;
        }
    }
    return fmax(widest, cur);
}

/* Whether a strict hyphenation pass leaves the word [w0, w1) whole: in
 * ragged text (hyphenate_last_resort), a capitalised word (a proper name:
 * "Colombia", "Brussels") or a bold one (a lead-in phrase). */
static bool spare_word(const pb *p, size_t w0, size_t w1)
{
    if (p->o->hyphenate_last_resort) return true;
    for (size_t i = w0; i < w1; i++) {
        rc_font_id f = p->runs[p->toks.v[i].run].font;
        if (f == RC_FONT_BOLD || f == RC_FONT_BOLD_ITALIC) return true;
    }
    const tok *t = &p->toks.v[w0];
    const char *txt = p->runs[t->run].text + t->start;
    size_t len = t->end - t->start;
    for (size_t i = 0; i < len;) { /* the first letter decides */
        uint32_t c;
        size_t k = rc_utf8_decode(txt + i, len - i, &c);
        if (k == 0) return false;
        if (c < 0x80 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : c >= 0xC0)
            return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
                   (c >= 0x100 && c <= 0x17F && !(c & 1) && c != 0x138);
        i += k;
    }
    return false;
}

/* The points of word w[0..len) (len <= MAX_HYPH_WORD) as rc_hyph_points
 * and rc_hyph_exc_apply give them, found once per distinct word when the
 * options hold a memo (para_hmemo.c). */
static size_t word_points(const pb *p, const char *w, size_t len, size_t *pts, size_t cap)
{
    return rc_para_word_points(p->o->memo, p->hyph, p->o->exceptions, w, len, pts, cap);
}

/* Emits word tokens [w0, w1) (consecutive T_SEG) with hyphenation points
 * and/or character splitting (build_items emits a one-token word with
 * neither itself, as one box). */
static void emit_word(pb *p, size_t w0, size_t w1, bool hyph, bool split_long)
{
    double total = 0;
    size_t bytes = 0, hend = w1; /* hyphenate up to the first nobreak piece */
    for (size_t i = w0; i < w1; i++) {
        total += p->toks.v[i].width;
        if (p->toks.v[i].nobreak && hend == w1) hend = i;
        if (hend == w1) bytes += p->toks.v[i].end - p->toks.v[i].start;
    }
    bool split = split_long && total > p->minw;
    size_t pts[MAX_HYPH_WORD / 2];
    size_t npts = 0;
    if (hyph && hend > w0 && bytes <= MAX_HYPH_WORD && p->hyph) {
        tok *w = &p->toks.v[w0];
        if (!w->hdone) { /* the first hyphenating pass: the later ones reuse it */
            /* A word may span runs ("**spec**ialisation"): hyphenate the
             * joined text; a footnote mark (nobreak) after it does not count. */
            char buf[MAX_HYPH_WORD];
            size_t bl = 0;
            for (size_t i = w0; i < hend; i++) {
                const tok *t = &p->toks.v[i];
                memcpy(buf + bl, p->runs[t->run].text + t->start, t->end - t->start);
                bl += t->end - t->start;
            }
            npts = bl ? word_points(p, buf, bl, pts, sizeof pts / sizeof pts[0]) : 0;
            w->hdone = true;
            w->hn = (uint8_t)npts;
            w->hoff = (uint32_t)p->hpts.n;
            for (size_t k = 0; k < npts; k++)
                SPUSH(p->hpts, pts[k]);
        } else {
            npts = w->hn;
            if (npts) memcpy(pts, p->hpts.v + w->hoff, npts * sizeof *pts);
        }
        if (npts && p->strict && spare_word(p, w0, w1)) {
            npts = 0;
            p->skipped = true;
        }
    }
    if (split && widest_piece(p, w0, w1, pts, npts) <= p->minw)
        split = false; /* its hyphenation points are enough */
    size_t base = 0;
    for (size_t i = w0; i < w1; i++) {
        const tok *t = &p->toks.v[i];
        size_t tl = t->end - t->start;
        emit_seg(p, t, pts, npts, base, split && !t->nobreak);
        base += tl;
        if (i + 1 < w1) {
            if (t->brk_after)
                push_break(p, t->run, p->hpen, true, 0, K_PEN_PLAIN);
            else if (has_point(pts, npts, base))
                push_break(p, t->run, p->hpen, true, adv(p, t->run, '-'), K_PEN_HYPH);
            else if (split && !t->nobreak && !p->toks.v[i + 1].nobreak)
                push_break(p, t->run, SPLIT_PENALTY, false, 0, K_PEN_PLAIN);
        }
    }
}

static void build_items(pb *p, bool hyph, bool split)
{
    p->it.n = 0;
    p->m.n = 0;
    p->rcap = INFINITY;
    size_t i = 0, n = p->toks.n;
    uint32_t last_run = 0;
    while (i < n) {
        const tok *t = &p->toks.v[i];
        last_run = t->run;
        if (t->kind == T_SEG) {
            size_t j = i + 1;
            while (j < n && p->toks.v[j].kind == T_SEG)
                j++;
            if (j == i + 1 && !hyph && !split) /* the first pass's usual word: one box */
                push_box(p, t->run, t->start, t->end, t->width, t->anchor);
            else
                emit_word(p, i, j, hyph, split);
            i = j;
            continue;
        }
        switch ((tkind)t->kind) {
        case T_SPACE:
            push_space(p, t->run, true);
            break;
        case T_NBSP:
            push_space(p, t->run, false);
            break;
        case T_SHY:
            push_break(p, t->run, p->hpen, true, adv(p, t->run, '-'), K_PEN_HYPH);
            break;
        case T_ZWSP:
            push_break(p, t->run, 0, false, 0, K_PEN_PLAIN);
            break;
        case T_NEWLINE:
            push_box(p, t->run, t->start, t->start, 0, NULL);
            push_item(p, RC_LB_PENALTY, 0, 0, 0, 10000, false, K_AUX, t->run);
            push_item(p, RC_LB_GLUE, 0, RC_LB_FIL, 0, 0, false, K_FILL, t->run);
            push_item(p, RC_LB_PENALTY, 0, 0, 0, -10000, false, K_PEN_FORCE, t->run);
            break;
        case T_SEG:
            break;
        }
        i++;
    }
    push_item(p, RC_LB_PENALTY, 0, 0, 0, 10000, false, K_AUX, last_run);
    push_item(p, RC_LB_GLUE, 0, RC_LB_FIL, 0, 0, false, K_FILL, last_run);
    push_item(p, RC_LB_PENALTY, 0, 0, 0, -10000, false, K_PEN_FORCE, last_run);
}

static size_t run_pass(pb *p, const double widths[2], double tol, double badcap, double *dem)
{
    rc_lb_params prm = rc_lb_defaults(tol);
    prm.badness_cap = badcap;
    p->br.v = sgrow(p->br.v, &p->br.cap, &p->br.heap, 0, p->it.n, sizeof *p->br.v);
    p->br.n = rc_linebreak_ex(p->it.v, p->it.n, widths, 2, &prm, p->br.v, p->it.n, dem);
    return p->br.n;
}

rc_para *rc_para_set(rc_arena *a, const rc_run *runs, size_t nruns, const rc_para_opts *o,
                     const rc_fonts *fonts, const rc_hyph *hyph)
{
    rc_para_memo *memo = rc_para_memo_current();
    if (memo && !rc_para_memo_key(memo, runs, nruns, o, fonts, hyph)) memo = NULL;
    if (memo) {
        rc_para *kept = rc_para_memo_get(memo, a, runs, nruns, o);
        if (kept) return kept;
    }
    rc_para *para = rc_arena_alloc(a, sizeof *para);
    pb p = {0};
    p.a = a;
    p.runs = runs;
    p.o = o;
    p.fonts = fonts;
    p.hyph = o->hyphenate ? hyph : NULL;
    p.hpen = o->exceptions ? rc_hyph_exc_penalty(o->exceptions) : HYPH_PENALTY;
    p.ragged = o->align != RC_PARA_JUSTIFY;
    p.looseness = o->looseness_em > 0 ? o->looseness_em : 1.0;
    double widths[2] = {o->width - o->first_indent, o->width - o->left_indent};
    p.minw = widths[0] < widths[1] ? widths[0] : widths[1];
    size_t bytes = 0;
    for (size_t r = 0; r < nruns; r++)
        bytes += runs[r].text ? runs[r].len : 0;
    tok tbuf[64];
    rc_lb_item ibuf[192];
    meta mbuf[192];
    size_t bbuf[192], hbuf[64];
    const rc_frag_style *sbuf[32];
    SSTACK(p.toks, tbuf);
    SSTACK(p.it, ibuf);
    SSTACK(p.m, mbuf);
    SSTACK(p.br, bbuf);
    SSTACK(p.hpts, hbuf);
    p.toks.v = sgrow(p.toks.v, &p.toks.cap, &p.toks.heap, 0, bytes / 5 + 8, sizeof *p.toks.v);
    tokenize(&p, nruns);
    if (p.toks.n > 0) {
        p.it.v = sgrow(p.it.v, &p.it.cap, &p.it.heap, 0, 3 * p.toks.n + 8, sizeof *p.it.v);
        p.m.v = sgrow(p.m.v, &p.m.cap, &p.m.heap, 0, 3 * p.toks.n + 8, sizeof *p.m.v);
        double tol = o->tolerance > 0 ? o->tolerance : 2.0, dem = 0;
        size_t nb;
        build_items(&p, false, false);
        if (p.hyph) { /* TeX's \pretolerance pass first: no hyphenation at all */
            nb = run_pass(&p, widths, fmin(PRETOL, p.rcap), 10000, &dem);
            if (!nb) { /* hyphenation, sparing names, lead-ins, ragged text */
                p.strict = true;
                build_items(&p, true, false);
                nb = run_pass(&p, widths, fmin(tol, p.rcap), 10000, &dem);
                p.strict = false;
            }
            if (!nb && p.skipped) { /* looser lines, up to the gap cap, first: the
                                     * items of the strict pass, as they stand */
                nb = run_pass(&p, widths, p.ragged ? INFINITY : p.rcap, 1e12, &dem);
            }
            if (!nb && p.skipped) { /* ... hyphenating them only when that fails */
                build_items(&p, true, false);
                nb = run_pass(&p, widths, fmin(tol, p.rcap), 10000, &dem);
            }
        } else {
            nb = run_pass(&p, widths, fmin(tol, p.rcap), 10000, &dem);
        }
        if (!nb) {
            build_items(&p, p.hyph != NULL, true);
            nb = run_pass(&p, widths, p.ragged ? INFINITY : p.rcap, 1e12, &dem);
            if (!nb && !p.ragged) nb = run_pass(&p, widths, INFINITY, 1e12, &dem);
        }
        para_items pi = {p.it.v, p.m.v, p.it.n};
        if (!nb) {
            p.br.v = sgrow(p.br.v, &p.br.cap, &p.br.heap, 0, p.it.n, sizeof *p.br.v);
            nb = rc_para_greedy(&pi, widths, p.br.v);
            dem = INFINITY;
        }
        para->demerits = dem;
        size_t stcap = sizeof sbuf / sizeof *sbuf;
        bool stheap = false;
        const rc_frag_style **st = sgrow(sbuf, &stcap, &stheap, 0, nruns, sizeof *st);
        for (size_t r = 0; r < nruns; r++)
            st[r] = rc_para_style_of(a, o->styles, &runs[r]);
        rc_para_build_lines(a, para, &pi, p.br.v, nb, runs, st, o, fonts, widths);
        if (memo) rc_para_memo_put(memo, para, runs, nruns, st);
        if (stheap) free(st);
    } else if (memo) {
        rc_para_memo_put(memo, para, runs, nruns, NULL);
    }
    SFREE(p.toks);
    SFREE(p.it);
    SFREE(p.m);
    SFREE(p.br);
    SFREE(p.hpts);
    return para;
}
