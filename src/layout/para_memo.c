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
 * time (rc_para_memo_begin makes it the current thread's). */
#include <stdlib.h>
#include <string.h>

#include "para_int.h"
#include "rc/hash.h"

#define RC_PARA_MEMO_MAX ((size_t)256 << 20)

/* The key of one rc_para_set call (malloc'd bytes, reused from call to
 * call). */
typedef struct pkey {
    unsigned char *b;
    size_t n, cap;
    uint64_t h;
    bool failed;
} pkey;

typedef struct mfrag {
    double x, width;
    uint32_t len;
    uint32_t style_run; /* a run whose style the fragment has */
    int32_t text_run;   /* text = runs[text_run].text + text_off, or -1: pool + text_off */
    uint32_t text_off;
    int32_t anchor_run; /* anchor = runs[anchor_run].anchor, -1 none, -2 pool + anchor_off */
    uint32_t anchor_off;
    bool space_next;
} mfrag;

typedef struct mline {
    double width, ascent, descent, ratio;
    size_t nfrags;
    bool hyphenated, space_end;
} mline;

typedef struct mentry {
    uint64_t h;
    unsigned gen;
    unsigned char *key; /* NULL: an empty slot */
    size_t nkey;
    /* the value: one block holding lines, fragments and pool */
    void *val;
    size_t nval;
    mline *lines;
    size_t nlines;
    mfrag *frags;
    char *pool;
    double demerits;
    bool overfull, styled, has_lines;
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
    for (int i = 0; i < RC_FONT_COUNT; i++)
        head.font[i] = fonts->f[i];
    head.hyph = o->hyphenate ? hyph : NULL;
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
    k->h = rc_hash128_64(k->b, k->n);
    return true;
}

static mentry *find(rc_para_memo *m, const pkey *k)
{
    if (!m->cap) return NULL;
    for (size_t i = k->h & (m->cap - 1); m->v[i].key; i = (i + 1) & (m->cap - 1)) {
        mentry *e = &m->v[i];
        if (e->h == k->h && e->nkey == k->n && memcmp(e->key, k->b, k->n) == 0) return e;
    }
    return NULL;
}

/* ---- a hit ---- */

rc_para *rc_para_memo_get(rc_para_memo *m, rc_arena *a, const rc_run *runs, size_t nruns,
                          const rc_para_opts *o)
{
    mentry *e = find(m, &m->key);
    if (!e) {
        m->misses++;
        return NULL;
    }
    e->gen = m->gen;
    m->hits++;
    rc_para *para = rc_arena_alloc(a, sizeof *para);
    para->demerits = e->demerits;
    para->overfull = e->overfull;
    if (!e->styled) return para;
    /* the styles as rc_para_set takes them, one per run, in order */
    const rc_frag_style **st = rc_arena_array(a, nruns ? nruns : 1, sizeof *st);
    for (size_t r = 0; r < nruns; r++)
        st[r] = rc_para_style_of(a, o->styles, &runs[r]);
    if (!e->has_lines) return para;
    rc_arena *ta = o->text_arena ? o->text_arena : a;
    para->lines = rc_arena_array(a, e->nlines ? e->nlines : 1, sizeof *para->lines);
    para->nlines = e->nlines;
    const mfrag *f = e->frags;
    for (size_t i = 0; i < e->nlines; i++) {
        const mline *ml = &e->lines[i];
        rc_line *ln = &para->lines[i];
        ln->width = ml->width;
        ln->ascent = ml->ascent;
        ln->descent = ml->descent;
        ln->ratio = ml->ratio;
        ln->hyphenated = ml->hyphenated;
        ln->space_end = ml->space_end;
        ln->nfrags = ml->nfrags;
        ln->frags = rc_arena_array(a, ml->nfrags ? ml->nfrags : 1, sizeof *ln->frags);
        for (size_t q = 0; q < ml->nfrags; q++, f++) {
            rc_frag *g = &ln->frags[q];
            g->style = st[f->style_run];
            g->x = f->x;
            g->width = f->width;
            g->len = f->len;
            g->space_next = f->space_next;
            if (f->text_run >= 0) {
                g->text = runs[f->text_run].text + f->text_off;
            } else {
                char *t = rc_arena_alloc(ta, (size_t)f->len + 1);
                memcpy(t, e->pool + f->text_off, f->len);
                g->text = t;
            }
            if (f->anchor_run >= 0)
                g->anchor = runs[f->anchor_run].anchor;
            else if (f->anchor_run == -2)
                g->anchor = rc_arena_strdup(ta, e->pool + f->anchor_off);
        }
    }
    return para;
}

/* ---- storing ---- */

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

void rc_para_memo_put(rc_para_memo *m, const rc_para *para, const rc_run *runs, size_t nruns,
                      const rc_frag_style *const *st)
{
    const pkey *k = &m->key;
    size_t nfr = 0, npool = 0;
    for (size_t i = 0; i < para->nlines; i++)
        nfr += para->lines[i].nfrags;
    /* where each fragment's text and style come from: found before any
     * memory is taken, since a fragment the runs cannot explain is not kept */
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
            while (r < nruns && st[r] != f->style)
                r++;
            if (r == nruns) goto out; /* cannot happen: every style is a run's */
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
    size_t nval = para->nlines * sizeof(mline) + nfr * sizeof(mfrag) + npool;
    if (k->n + nval > RC_PARA_MEMO_MAX - m->bytes) goto out; /* full: set again next time */
    if ((m->n + 1) * 2 > m->cap && !rehash(m, m->cap ? m->cap * 2 : 256)) goto out;
    unsigned char *key = malloc(k->n ? k->n : 1);
    unsigned char *val = malloc(nval ? nval : 1);
    if (!key || !val) {
        free(key);
        free(val);
        goto out;
    }
    memcpy(key, k->b, k->n);
    mentry e = {.h = k->h, .gen = m->gen, .key = key, .nkey = k->n, .val = val, .nval = nval};
    e.lines = (mline *)(void *)val;
    e.frags = (mfrag *)(void *)(val + para->nlines * sizeof(mline));
    e.pool = (char *)val + para->nlines * sizeof(mline) + nfr * sizeof(mfrag);
    e.nlines = para->nlines;
    e.demerits = para->demerits;
    e.overfull = para->overfull;
    e.styled = st != NULL;
    e.has_lines = para->lines != NULL;
    size_t pool = 0;
    j = 0;
    for (size_t i = 0; i < para->nlines; i++) {
        const rc_line *ln = &para->lines[i];
        e.lines[i] = (mline){.width = ln->width,
                             .ascent = ln->ascent,
                             .descent = ln->descent,
                             .ratio = ln->ratio,
                             .nfrags = ln->nfrags,
                             .hyphenated = ln->hyphenated,
                             .space_end = ln->space_end};
        for (size_t q = 0; q < ln->nfrags; q++, j++) {
            const rc_frag *f = &ln->frags[q];
            mfrag *g = &e.frags[j];
            *g = (mfrag){.x = f->x,
                         .width = f->width,
                         .len = f->len,
                         .style_run = sr[j],
                         .text_run = tr[j],
                         .anchor_run = ar[j],
                         .space_next = f->space_next};
            if (tr[j] >= 0) {
                g->text_off = (uint32_t)(f->text - runs[tr[j]].text);
            } else {
                g->text_off = (uint32_t)pool;
                memcpy(e.pool + pool, f->text, f->len);
                e.pool[pool + f->len] = 0;
                pool += (size_t)f->len + 1;
            }
            if (ar[j] == -2) {
                size_t n = strlen(f->anchor);
                g->anchor_off = (uint32_t)pool;
                memcpy(e.pool + pool, f->anchor, n + 1);
                pool += n + 1;
            }
        }
    }
    size_t s = e.h & (m->cap - 1);
    while (m->v[s].key)
        s = (s + 1) & (m->cap - 1);
    m->v[s] = e;
    m->n++;
    m->bytes += e.nkey + e.nval;
out:
    free(tr);
    free(sr);
    free(ar);
}
