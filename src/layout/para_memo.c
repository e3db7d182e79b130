/* para_memo: the lines of the paragraphs a watcher's last layout set, kept
 * for its next layout of the same edition (rc_para_memo, linebreak.h). A
 * one-word edit changes one paragraph; the others are set from the memo
 * instead of being tokenized, measured, hyphenated and broken again (a
 * fifth of a rebuild's instructions).
 *
 * Key: everything rc_para_set reads, as bytes: the options that change
 * lines (width, indents, leading, alignment, hyphenation, tolerance, gap
 * cap, last-resort hyphenation, the exceptions' digest and penalty), the
 * face and dictionary objects (the memo is emptied whenever its edition's
 * fonts or dictionary are loaded again, rc_para_memo_clear, so a pointer
 * never stands for two fonts), and every run: font, size, rise, colour, its
 * text, link target, URI, anchor and nobreak. The key is kept and compared
 * byte for byte on a hit, so a hit gives exactly the lines the work would
 * give (the hash only picks the slot).
 *
 * Value: the lines with their fragments relocated: a fragment's text is an
 * offset into one of the runs (or, for the copy ending in an inserted
 * hyphen, the bytes themselves), its style and anchor those of a run. On a
 * hit they are pointed at the new runs, the styles are taken from the
 * layout's style set as rc_para_set takes them, and the hyphenated copies
 * are made again where rc_para_set makes them (opts.text_arena): the
 * result is the lines rc_para_set would return, in the caller's arena.
 *
 * Memory: each layout is a generation; an entry used by the layout gets
 * its stamp, and rc_para_memo_end drops every entry the layout did not use,
 * so the memo holds about one document's paragraphs, and never more than
 * RC_PARA_MEMO_MAX bytes. One memo per edition, used by one thread at a
 * time (rc_para_memo_begin makes it the current thread's).
 *
 * A build's memo (rc_para_memo_disk) is the same memo with its pairs in a
 * file of the cache directory (rc/zmemo.h: looked up there, the pairs
 * used written to a new file when they changed): one file per PDF, the
 * paragraphs its last build set. Its keys hold the faces' places (1..5)
 * and whether the paragraph is hyphenated instead of the objects' addresses,
 * and the file's key holds what those stand for: the font files, the
 * dictionary's bytes and the HarfBuzz library (rc_fonts_digest,
 * rc_hyph_digest), with reportc's executable (zmemo's own). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "para_int.h"
#include "rc/hash.h"
#include "rc/layout.h"
#include "rc/zmemo.h"

#define RC_PARA_MEMO_MAX ((size_t)256 << 20)

/* The key of one rc_para_set call (malloc'd bytes, reused from call to
 * call). */
typedef struct pkey {
    unsigned char *b;
    size_t n, cap;
    uint64_t h;
    bool failed;
} pkey;

/* The value: the lines as bytes (encode below), read back by decode. */
typedef struct mentry {
    uint64_t h;
    unsigned gen;
    unsigned char *key; /* NULL: an empty slot */
    size_t nkey;
    unsigned char *val;
    size_t nval;
} mentry;

struct rc_para_memo {
    mentry *v;
    size_t cap, n; /* cap a power of two (or 0), at most half full */
    size_t bytes;
    unsigned gen;
    size_t hits, misses;
    /* the exceptions' digest, found at the first paragraph of a layout */
    bool have_exc;
    const void *exc;
    uint64_t exc_digest;
    pkey key; /* the current call's */
    /* a build's memo (rc_para_memo_disk): the pairs are a file's, and the
     * key names the fonts and dictionary by their place, not their objects */
    rc_zmemo *disk;
    bool wrote; /* rc_para_memo_done wrote the file */
};

static _Thread_local rc_para_memo *current;

rc_para_memo *rc_para_memo_new(void)
{
    return calloc(1, sizeof(rc_para_memo));
}

static void drop(rc_para_memo *m, mentry *e)
{
    m->bytes -= e->nkey + e->nval;
    free(e->key);
    free(e->val);
    memset(e, 0, sizeof *e);
}

void rc_para_memo_clear(rc_para_memo *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i].key) drop(m, &m->v[i]);
    m->n = 0;
}

void rc_para_memo_free(rc_para_memo *m)
{
    if (!m) return;
    rc_para_memo_clear(m);
    free(m->key.b);
    free(m->v);
    free(m);
}

void rc_para_memo_begin(rc_para_memo *m)
{
    current = m;
    if (!m) return;
    m->gen++;
    m->have_exc = false;
    m->hits = m->misses = 0;
}

static bool rehash(rc_para_memo *m, size_t cap)
{
    mentry *v = calloc(cap, sizeof *v);
    if (!v) return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->v[i].key) continue;
        size_t k = m->v[i].h & (cap - 1);
        while (v[k].key)
            k = (k + 1) & (cap - 1);
        v[k] = m->v[i];
    }
    free(m->v);
    m->v = v;
    m->cap = cap;
    return true;
}

void rc_para_memo_end(rc_para_memo *m)
{
    if (current == m) current = NULL;
    if (!m) return;
    size_t live = 0;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->v[i].key) continue;
        if (m->v[i].gen != m->gen)
            drop(m, &m->v[i]);
        else
            live++;
    }
    m->n = live;
    /* the survivors' probe chains may have holes now: reinsert them */
    size_t cap = 256;
    while (cap < live * 2)
        cap *= 2;
    if (m->cap && !rehash(m, cap < m->cap ? cap : m->cap)) rc_para_memo_clear(m);
}

size_t rc_para_memo_entries(const rc_para_memo *m)
{
    return m ? m->n : 0;
}

size_t rc_para_memo_bytes(const rc_para_memo *m)
{
    return m ? m->bytes : 0;
}

size_t rc_para_memo_hits(const rc_para_memo *m)
{
    return m ? m->hits : 0;
}

size_t rc_para_memo_misses(const rc_para_memo *m)
{
    return m ? m->misses : 0;
}

rc_para_memo *rc_para_memo_current(void)
{
    return current;
}

/* ---- the key ---- */

static void put(pkey *k, const void *p, size_t n)
{
    if (k->n + n > k->cap) {
        size_t nc = k->cap ? k->cap : 1024;
        while (nc < k->n + n)
            nc *= 2;
        unsigned char *nv = realloc(k->b, nc);
        if (!nv) {
            k->failed = true;
            return;
        }
        k->b = nv;
        k->cap = nc;
    }
    if (n) memcpy(k->b + k->n, p, n);
    k->n += n;
}

static void put_str(pkey *k, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
    put(k, &n, sizeof n);
    if (s) put(k, s, n);
}

bool rc_para_memo_key(rc_para_memo *m, const rc_run *runs, size_t nruns, const rc_para_opts *o,
                      const rc_fonts *fonts, const rc_hyph *hyph)
{
    pkey *k = &m->key;
    k->n = 0;
    k->failed = false;
    if (o->exceptions && (!m->have_exc || m->exc != o->exceptions)) {
        m->exc = o->exceptions;
        m->exc_digest = rc_hyph_exc_digest(o->exceptions);
        m->have_exc = true;
    }
    struct {
        double width, first_indent, left_indent, leading, tolerance, looseness_em, penalty;
        uint64_t exc_digest;
        const void *font[RC_FONT_COUNT], *hyph;
        int32_t align;
        uint8_t hyphenate, last_resort, exceptions, pad;
    } head;
    memset(&head, 0, sizeof head); /* the padding too: keys are compared as bytes */
    head.width = o->width;
    head.first_indent = o->first_indent;
    head.left_indent = o->left_indent;
    head.leading = o->leading;
    head.tolerance = o->tolerance;
    head.looseness_em = o->looseness_em;
    head.penalty = o->exceptions ? rc_hyph_exc_penalty(o->exceptions) : 0;
    head.exc_digest = o->exceptions ? m->exc_digest : 0;
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        head.font[i] = fonts->f[i];
        /* a file's key cannot hold objects: the face's place (the first
         * of the faces sharing its font), the fonts and dictionary
         * themselves being in the file's key (rc_para_memo_disk) */
        for (int j = 0; m->disk && j <= i; j++)
            if (fonts->f[j] == fonts->f[i]) {
                head.font[i] = (const void *)(uintptr_t)(j + 1);
                break;
            }
    }
    head.hyph = o->hyphenate ? (m->disk ? (const void *)(uintptr_t)1 : hyph) : NULL;
    head.align = (int32_t)o->align;
    head.hyphenate = o->hyphenate;
    head.last_resort = o->hyphenate_last_resort;
    head.exceptions = o->exceptions != NULL;
    put(k, &head, sizeof head);
    for (size_t r = 0; r < nruns; r++) {
        const rc_run *run = &runs[r];
        struct {
            double size, rise, cr, cg, cb;
            uint64_t len;
            int32_t font;
            uint8_t nobreak, has_text, pad[2];
        } rh;
        memset(&rh, 0, sizeof rh);
        rh.size = run->size;
        rh.rise = run->rise;
        rh.cr = run->colour.r;
        rh.cg = run->colour.g;
        rh.cb = run->colour.b;
        rh.len = run->text ? run->len : 0;
        rh.font = (int32_t)run->font;
        rh.nobreak = run->nobreak;
        rh.has_text = run->text != NULL;
        put(k, &rh, sizeof rh);
        if (run->text) put(k, run->text, run->len);
        put_str(k, run->link_dest);
        put_str(k, run->link_uri);
        put_str(k, run->anchor);
    }
    if (k->failed) return false;
    if (!m->disk) k->h = rc_hash128_64(k->b, k->n); /* (the file's memo hashes its own way) */
    return true;
}

/* ---- the value ---- */

/* Bytes of the value's parts (packed, in the machine's byte order: a
 * build's file is keyed by the executable that wrote it):
 *   head: flags (1 overfull, 2 styled, 4 has lines), demerits (f64), line,
 *         fragment and pool byte counts (u32 each);
 *   per line: width, ascent, descent, ratio (f64), fragments (u32), flags
 *         (1 hyphenated, 2 space at the end);
 *   per fragment: x, width (f64), len, style run (u32), text run (i32: -1
 *         for the pool), text offset (u32), anchor run (i32: -1 none, -2
 *         the pool), anchor offset (u32), space next (u8);
 *   the pool: texts the runs do not hold (a word with an inserted hyphen)
 *         and anchors no run holds, each ending in a NUL. */
enum { HEAD = 1 + 8 + 3 * 4, LINE = 4 * 8 + 4 + 1, FRAG = 2 * 8 + 6 * 4 + 1 };

typedef struct wcur {
    unsigned char *p;
} wcur;

static void w_f64(wcur *c, double v)
{
    memcpy(c->p, &v, 8);
    c->p += 8;
}

static void w_u32(wcur *c, uint32_t v)
{
    memcpy(c->p, &v, 4);
    c->p += 4;
}

static void w_u8(wcur *c, unsigned v)
{
    *c->p++ = (unsigned char)v;
}

typedef struct rcur {
    const unsigned char *p;
} rcur;

static double r_f64(rcur *c)
{
    double v;
    memcpy(&v, c->p, 8);
    c->p += 8;
    return v;
}

static uint32_t r_u32(rcur *c)
{
    uint32_t v;
    memcpy(&v, c->p, 4);
    c->p += 4;
    return v;
}

static unsigned r_u8(rcur *c)
{
    return *c->p++;
}

/* A run whose text holds [t, t + len), or -1. */
static int32_t text_run_of(const rc_run *runs, size_t nruns, const rc_frag_style *const *st,
                           const rc_frag *f)
{
    for (size_t r = 0; r < nruns; r++) {
        const rc_run *run = &runs[r];
        if (!run->text || st[r] != f->style) continue;
        uintptr_t t = (uintptr_t)f->text, s = (uintptr_t)run->text;
        if (t >= s && t + f->len <= s + run->len) return (int32_t)r;
    }
    return -1;
}

/* para (just set from runs; st: the runs' styles, NULL when no run had a
 * token) as bytes (malloc'd, *n of them); NULL without memory or for a
 * fragment the runs cannot explain (then not kept). */
static unsigned char *encode(const rc_para *para, const rc_run *runs, size_t nruns,
                             const rc_frag_style *const *st, size_t *n)
{
    size_t nfr = 0, npool = 0;
    for (size_t i = 0; i < para->nlines; i++)
        nfr += para->lines[i].nfrags;
    /* where each fragment's text and style come from: found before any
     * bytes are written */
    unsigned char *val = NULL;
    int32_t *tr = nfr ? malloc(nfr * sizeof *tr) : NULL;
    uint32_t *sr = nfr ? malloc(nfr * sizeof *sr) : NULL;
    int32_t *ar = nfr ? malloc(nfr * sizeof *ar) : NULL;
    if (nfr && (!tr || !sr || !ar)) goto out;
    size_t j = 0;
    for (size_t i = 0; i < para->nlines; i++) {
        const rc_line *ln = &para->lines[i];
        for (size_t q = 0; q < ln->nfrags; q++, j++) {
            const rc_frag *f = &ln->frags[q];
            size_t r = 0;
            while (r < nruns && st && st[r] != f->style)
                r++;
            if (!st || r == nruns) goto out; /* cannot happen: every style is a run's */
            sr[j] = (uint32_t)r;
            tr[j] = text_run_of(runs, nruns, st, f);
            if (tr[j] < 0) npool += (size_t)f->len + 1;
            ar[j] = -1;
            if (f->anchor) {
                for (size_t x = 0; x < nruns && ar[j] < 0; x++)
                    if (runs[x].anchor == f->anchor) ar[j] = (int32_t)x;
                if (ar[j] < 0) {
                    ar[j] = -2;
                    npool += strlen(f->anchor) + 1;
                }
            }
        }
    }
    if (para->nlines > UINT32_MAX || nfr > UINT32_MAX || npool > UINT32_MAX) goto out;
    *n = HEAD + para->nlines * LINE + nfr * FRAG + npool;
    val = malloc(*n);
    if (!val) goto out;
    wcur c = {val};
    w_u8(&c, (para->overfull ? 1u : 0u) | (st ? 2u : 0u) | (para->lines ? 4u : 0u));
    w_f64(&c, para->demerits);
    w_u32(&c, (uint32_t)para->nlines);
    w_u32(&c, (uint32_t)nfr);
    w_u32(&c, (uint32_t)npool);
    for (size_t i = 0; i < para->nlines; i++) {
        const rc_line *ln = &para->lines[i];
        w_f64(&c, ln->width);
        w_f64(&c, ln->ascent);
        w_f64(&c, ln->descent);
        w_f64(&c, ln->ratio);
        w_u32(&c, (uint32_t)ln->nfrags);
        w_u8(&c, (ln->hyphenated ? 1u : 0u) | (ln->space_end ? 2u : 0u));
    }
    char *pool = (char *)val + HEAD + para->nlines * LINE + nfr * FRAG;
    size_t at = 0;
    j = 0;
    for (size_t i = 0; i < para->nlines; i++) {
        const rc_line *ln = &para->lines[i];
        for (size_t q = 0; q < ln->nfrags; q++, j++) {
            const rc_frag *f = &ln->frags[q];
            w_f64(&c, f->x);
            w_f64(&c, f->width);
            w_u32(&c, f->len);
            w_u32(&c, sr[j]);
            w_u32(&c, (uint32_t)tr[j]);
            if (tr[j] >= 0) {
                w_u32(&c, (uint32_t)(f->text - runs[tr[j]].text));
            } else {
                w_u32(&c, (uint32_t)at);
                memcpy(pool + at, f->text, f->len);
                pool[at + f->len] = 0;
                at += (size_t)f->len + 1;
            }
            w_u32(&c, (uint32_t)ar[j]);
            if (ar[j] == -2) {
                size_t k = strlen(f->anchor);
                w_u32(&c, (uint32_t)at);
                memcpy(pool + at, f->anchor, k + 1);
                at += k + 1;
            } else {
                w_u32(&c, 0);
            }
            w_u8(&c, f->space_next);
        }
    }
out:
    free(tr);
    free(sr);
    free(ar);
    return val;
}

/* Whether v[0..n) is a value encode could have made for these runs: the
 * counts add up, and every fragment's style, text and anchor are within
 * the runs or the pool (a file's value passed its hash already; this
 * keeps a wrong one from reading out of bounds all the same). */
static bool valid(const unsigned char *v, size_t n, const rc_run *runs, size_t nruns)
{
    if (n < HEAD) return false;
    rcur c = {v};
    unsigned flags = r_u8(&c);
    (void)r_f64(&c);
    uint64_t nl = r_u32(&c), nfr = r_u32(&c), npool = r_u32(&c);
    if (flags > 7 || n != HEAD + nl * LINE + nfr * FRAG + npool) return false;
    if (!(flags & 4) && (nl || nfr)) return false;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < nl; i++) {
        c.p += 4 * 8;
        sum += r_u32(&c);
        if (r_u8(&c) > 3) return false;
    }
    if (sum != nfr) return false;
    const char *pool = (const char *)v + (n - npool);
    for (uint64_t j = 0; j < nfr; j++) {
        c.p += 2 * 8;
        uint64_t len = r_u32(&c), sr = r_u32(&c);
        int32_t tr = (int32_t)r_u32(&c);
        uint64_t toff = r_u32(&c);
        int32_t ar = (int32_t)r_u32(&c);
        uint64_t aoff = r_u32(&c);
        unsigned sp = r_u8(&c);
        if (sr >= nruns || sp > 1) return false;
        if (tr >= 0) {
            if ((size_t)tr >= nruns || !runs[tr].text || toff + len > runs[tr].len) return false;
        } else if (tr != -1 || toff + len >= npool || pool[toff + len] != 0) {
            return false;
        }
        if (ar >= 0) {
            if ((size_t)ar >= nruns) return false;
        } else if (ar == -2) {
            if (aoff >= npool || !memchr(pool + aoff, 0, npool - aoff)) return false;
        } else if (ar != -1) {
            return false;
        }
    }
    return true;
}

/* The paragraph v[0..n) holds, rebuilt in a for these runs as rc_para_set
 * would return it; NULL when v is not valid for them. */
static rc_para *decode(const unsigned char *v, size_t n, rc_arena *a, const rc_run *runs,
                       size_t nruns, const rc_para_opts *o)
{
    if (!valid(v, n, runs, nruns)) return NULL;
    rcur c = {v};
    unsigned flags = r_u8(&c);
    rc_para *para = rc_arena_alloc(a, sizeof *para);
    para->demerits = r_f64(&c);
    para->overfull = flags & 1;
    size_t nl = r_u32(&c);
    (void)r_u32(&c); /* the fragments' count (valid checked it) */
    size_t npool = r_u32(&c);
    if (!(flags & 2)) return para;
    /* the styles as rc_para_set takes them, one per run, in order */
    const rc_frag_style **st = rc_arena_array(a, nruns ? nruns : 1, sizeof *st);
    for (size_t r = 0; r < nruns; r++)
        st[r] = rc_para_style_of(a, o->styles, &runs[r]);
    if (!(flags & 4)) return para;
    rc_arena *ta = o->text_arena ? o->text_arena : a;
    const char *pool = (const char *)v + (n - npool);
    para->lines = rc_arena_array(a, nl ? nl : 1, sizeof *para->lines);
    para->nlines = nl;
    rcur fc = {v + HEAD + nl * LINE};
    for (size_t i = 0; i < nl; i++) {
        rc_line *ln = &para->lines[i];
        ln->width = r_f64(&c);
        ln->ascent = r_f64(&c);
        ln->descent = r_f64(&c);
        ln->ratio = r_f64(&c);
        ln->nfrags = r_u32(&c);
        unsigned lf = r_u8(&c);
        ln->hyphenated = lf & 1;
        ln->space_end = lf & 2;
        ln->frags = rc_arena_array(a, ln->nfrags ? ln->nfrags : 1, sizeof *ln->frags);
        for (size_t q = 0; q < ln->nfrags; q++) {
            rc_frag *g = &ln->frags[q];
            g->x = r_f64(&fc);
            g->width = r_f64(&fc);
            g->len = r_u32(&fc);
            g->style = st[r_u32(&fc)];
            int32_t tr = (int32_t)r_u32(&fc);
            uint32_t toff = r_u32(&fc);
            if (tr >= 0) {
                g->text = runs[tr].text + toff;
            } else {
                char *t = rc_arena_alloc(ta, (size_t)g->len + 1);
                memcpy(t, pool + toff, g->len + 1);
                g->text = t;
            }
            int32_t ar = (int32_t)r_u32(&fc);
            uint32_t aoff = r_u32(&fc);
            g->anchor = ar >= 0    ? runs[ar].anchor
                        : ar == -2 ? rc_arena_strdup(ta, pool + aoff)
                                   : NULL;
            g->space_next = r_u8(&fc);
        }
    }
    return para;
}

/* ---- a hit ---- */

static mentry *find(rc_para_memo *m, const pkey *k)
{
    if (!m->cap) return NULL;
    for (size_t i = k->h & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1)) {
        mentry *e = &m->v[i];
        if (e->h == k->h && e->nkey == k->n && memcmp(e->key, k->b, k->n) == 0) return e;
    }
    return NULL;
}

rc_para *rc_para_memo_get(rc_para_memo *m, rc_arena *a, const rc_run *runs, size_t nruns,
                          const rc_para_opts *o)
{
    rc_para *para = NULL;
    if (m->disk) {
        size_t n = 0;
        const unsigned char *v = rc_zmemo_get(m->disk, m->key.b, m->key.n, &n);
        if (v) para = decode(v, n, a, runs, nruns, o);
    } else {
        mentry *e = find(m, &m->key);
        if (e && (para = decode(e->val, e->nval, a, runs, nruns, o)) != NULL) e->gen = m->gen;
    }
    if (para)
        m->hits++;
    else
        m->misses++;
    return para;
}

/* ---- storing ---- */

void rc_para_memo_put(rc_para_memo *m, const rc_para *para, const rc_run *runs, size_t nruns,
                      const rc_frag_style *const *st)
{
    const pkey *k = &m->key;
    size_t nval = 0;
    unsigned char *val = encode(para, runs, nruns, st, &nval);
    if (!val) return;
    if (m->disk) {
        rc_zmemo_put(m->disk, k->b, k->n, val, nval);
        free(val);
        return;
    }
    unsigned char *key = NULL;
    if (k->n + nval > RC_PARA_MEMO_MAX - m->bytes || /* full: set again next time */
        ((m->n + 1) * 2 > m->cap && !rehash(m, m->cap ? m->cap * 2 : 256)) ||
        !(key = malloc(k->n ? k->n : 1))) {
        free(val);
        return;
    }
    memcpy(key, k->b, k->n);
    size_t s = k->h & (m->cap - 1);
    while (m->v[s].key)
        s = (s + 1) & (m->cap - 1);
    m->v[s] =
        (mentry){.h = k->h, .gen = m->gen, .key = key, .nkey = k->n, .val = val, .nval = nval};
    m->n++;
    m->bytes += k->n + nval;
}

/* ---- a build's memo, kept between builds ---- */

rc_para_memo *rc_para_memo_disk(const char *output, uint64_t fd, const rc_hyph *hyph)
{
    uint64_t hd = hyph ? rc_hyph_digest(hyph) : 0;
    if (!fd || (hyph && !hd)) return NULL; /* a font or dictionary of unknown identity */
    char coder[96];
    snprintf(coder, sizeof coder, "lines1 fonts %016llx dictionary %016llx", (unsigned long long)fd,
             (unsigned long long)hd);
    rc_zmemo *z = rc_zmemo_open_in("paragraphs", output, "para", coder, NULL);
    rc_para_memo *m = z ? rc_para_memo_new() : NULL;
    if (!m) {
        rc_zmemo_close(z, false);
        return NULL;
    }
    m->disk = z;
    return m;
}

void rc_para_memo_done(void)
{
    rc_para_memo *m = current;
    if (!m || !m->disk) return;
    m->wrote = rc_zmemo_close(m->disk, true);
    m->disk = NULL;
    current = NULL;
}

bool rc_para_memo_close(rc_para_memo *m, bool ok)
{
    if (!m) return false;
    bool wrote = m->disk ? rc_zmemo_close(m->disk, ok) : m->wrote;
    m->disk = NULL;
    rc_para_memo_free(m);
    return wrote;
}
