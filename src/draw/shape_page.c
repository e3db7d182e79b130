/* shape_page: the texts a page shows, kept in the shown file (rc/font.h,
 * rc_fonts_keep_shown) as one pair per page, so that the next build of
 * the same page looks them up once instead of once per text.
 *
 * Why: drawing a page asks the shaper for each of its texts (rc_font_shaped:
 * per-byte kerning and ligature codes). On a rebuild every text came from
 * the shown file (shape_disk.c), but each asked the shaper's table, then
 * the file's (hash lookups at random places of two tables), decoded, and
 * copied: 10,928 texts and 4.6 M instructions of the sample's one-edition
 * PDF, about a millisecond on the typesetting thread, which is the build's
 * critical path while the other core draws. A page kept whole is one
 * lookup and a decoding in order (about 2.6 M instructions with naming the
 * texts and the lookup's compare).
 *
 * Key: PAGE, then per text its face's place (the first face sharing its
 * font, as shape_disk.c keys a text), its length and bytes, so a hit is a
 * page showing exactly those texts in that order with those fonts (the
 * file's key holds the fonts, rc_fonts_digest). Value: the page's number
 * (see the index below), then per text its flags (1 kerning, 2 codes);
 * with kerning the count of bytes whose kerning is not +0.0, then each
 * one's index and the float's 4 bytes; with codes the count of bytes with
 * a code, each one's index and code (RC_FONT_LIG_HIDDEN at a ligature's
 * later bytes), then the count of codes and per code the code, the length
 * of its characters and those bytes. Numbers, counts, indexes and lengths
 * are unsigned LEB128 (texts of any length are kept, where shape_disk.c
 * keeps 2..RC_SHAPE_KEEP_MAX bytes).
 *
 * A hit is checked as it is read (indexes inside their texts, codes the
 * fonts have, each code's characters those the shaper has for it or, new,
 * the same wherever the page names it) into the page's own buffers; only
 * once it is all read are the characters of new codes taken, as shaping
 * takes them on first sight (as rc_shape_disk_get does). A page that fails
 * is forgotten (rc_zmemo_forget), shaped text by text, and kept again.
 *
 * While a page is shaped text by text its texts are not kept alone
 * (rc_shape_page_open): the page's pair holds them, and a warm build then
 * uses exactly what the file holds, so it writes none.
 *
 * Size: a page's pair holds its texts, so a long document's would outgrow
 * the file (RC_ZMEMO_MAX): pages are kept, in order, while their pairs
 * (found or put) add up to a quarter of it (the sample's 35 pages take
 * under 200 KB of 2 MB, the 1,006-page document of bench/gen-pages.py
 * keeps its first 90); the page that does not fit, and those after it,
 * keep their texts one by one as before (spill). The same pages are kept
 * build after build.
 *
 * An edited page (not found) is shaped text by text, and a text the file
 * does not hold alone is looked up among the texts of the pages kept
 * whose numbers are within two of the page's (rc_shape_page_index_get):
 * a page's texts are mostly those of the page of its number in the last
 * build, or of one beside it when lines moved. */
#include <stdlib.h>
#include <string.h>

#include "rc/zmemo.h"
#include "shape_impl.h"

enum { PAGE = 0x40 }; /* (shape_disk.c's keys start with a place 0..4, or 0x80 | it) */

typedef struct ptext {
    const rc_font *f;
    size_t len;
    size_t kofs, lofs; /* into kf, lb (SIZE_MAX: none) */
} ptext;

struct rc_page_index;

struct rc_shown_page {
    rc_fonts fonts; /* those keeping their texts in z */
    struct rc_zmemo *z;
    size_t page; /* the page's number (rc_shown_page_begin) */
    /* the texts of the pages kept, as asked for (see rc_shape_page_index_get) */
    struct rc_page_index *index;
    bool listed;   /* pairs and nums made */
    size_t *pairs; /* the file's pairs of pages */
    size_t *nums;  /* ... their pages' numbers */
    bool *added;   /* ... whose texts are in index */
    size_t npairs;
    size_t nfound, nfrom; /* pages found, texts taken from pages (counts) */
    size_t budget, spent; /* the pages' pairs' bytes so far, found or put */
    bool on, found, val_ok;
    bool open;            /* between begin and end, shaping text by text (see rc_shape_page_open) */
    const rc_font *lastf; /* the font of the last text added, and its place */
    unsigned lastface;
    ptext *t;
    size_t nt, tcap, nset;
    unsigned char *key, *val;
    size_t nkey, kcap, nval, vcap;
    float *kf; /* the kerning of a page found */
    size_t kfcap;
    uint8_t *lb; /* its codes */
    size_t lbcap;
};

/* Grows *p (elements of sz) to hold n; false when memory is out. */
static bool room(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap) return true;
    size_t c = *cap ? *cap : 256;
    while (c < n)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q) return false;
    *p = q;
    *cap = c;
    return true;
}

/* A growing byte buffer's append. */
static bool put_bytes(unsigned char **b, size_t *n, size_t *cap, const void *p, size_t len)
{
    if (!room((void **)b, cap, *n + len, 1)) return false;
    memcpy(*b + *n, p, len);
    *n += len;
    return true;
}

/* ... of v as unsigned LEB128. */
static bool put_uint(unsigned char **b, size_t *n, size_t *cap, size_t v)
{
    unsigned char o[10];
    size_t k = 0;
    do {
        o[k++] = (unsigned char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
        v >>= 7;
    } while (v);
    return put_bytes(b, n, cap, o, k);
}

/* An unsigned LEB128 at *c (before e) into *v; false when cut short or
 * past 64 bits. */
static bool get_uint_long(const unsigned char **c, const unsigned char *e, size_t *v)
{
    size_t x = 0;
    for (unsigned sh = 0; *c < e && sh < 64; sh += 7) {
        unsigned char b = *(*c)++;
        if (sh == 63 && b > 1) return false;
        x |= (size_t)(b & 0x7F) << sh;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

/* The same, the one-byte ones (most) inline. */
static inline bool get_uint(const unsigned char **c, const unsigned char *e, size_t *v)
{
    if (*c < e && **c < 0x80) {
        *v = *(*c)++;
        return true;
    }
    return get_uint_long(c, e, v);
}

/* ---- reading a text's value ---- */

/* A code's characters new to its shaper, named by the value being checked
 * (the same wherever it names the code again). */
typedef struct tent {
    rc_shaper *s;
    unsigned code;
    const unsigned char *text;
    size_t len;
} tent;

enum { MAXTENT = RC_FONT_COUNT * RC_SHAPE_MAXLIG };

typedef struct tents {
    tent v[MAXTENT];
    size_t n;
} tents;

/* Whether code c's characters t[0..n) are those s has for it, or, new to
 * s, those the value named before (added to tv when first named). */
static bool code_ok(rc_shaper *s, unsigned c, const unsigned char *t, size_t n, tents *tv)
{
    if (c == 0 || c > s->nligg || n == 0) return false;
    const char *had = s->ligtext[c];
    if (had) return strlen(had) == n && memcmp(had, t, n) == 0;
    for (size_t i = 0; i < tv->n; i++)
        if (tv->v[i].s == s && tv->v[i].code == c)
            return tv->v[i].len == n && memcmp(tv->v[i].text, t, n) == 0;
    if (tv->n == MAXTENT) return false;
    tv->v[tv->n++] = (tent){s, c, t, n};
    return true;
}

/* The characters of the codes new to their shapers, as shaping takes them
 * on first sight (as rc_shape_disk_get does). */
static void take_codes(const tents *tv)
{
    for (size_t i = 0; i < tv->n; i++)
        tv->v[i].s->ligtext[tv->v[i].code] =
            rc_arena_strndup(tv->v[i].s->a, (const char *)tv->v[i].text, tv->v[i].len);
}

/* Reads the value at *c (before e) of a len-byte text into *flags. Given
 * the text's font f or its shaper s (f's when NULL), it is taken: its
 * kerning into k[0..len) and its codes into l[0..len), which are zero,
 * when it has them (else they are not written), each code checked against
 * s and tv (see code_ok). Given neither, it is only skipped, checked to be
 * whole (the index's, which takes it when asked for). */
static bool text_value(const rc_font *f, rc_shaper *s, size_t len, const unsigned char **c,
                       const unsigned char *e, unsigned *flags, tents *tv, float *k, uint8_t *l)
{
    bool take = f || s;
    if (*c >= e || **c > 3) return false;
    *flags = *(*c)++;
    size_t cnt, idx;
    if (*flags & 1) {
        if (!get_uint(c, e, &cnt) || cnt > len) return false;
        for (size_t i = 0; i < cnt; i++) {
            if (!get_uint(c, e, &idx) || idx >= len || e - *c < 4) return false;
            if (take) memcpy(&k[idx], *c, 4);
            *c += 4;
        }
    }
    if (!(*flags & 2)) return true;
    if (take && !s && !(s = rc_font_shaper(f))) return false;
    if (!get_uint(c, e, &cnt) || cnt > len) return false;
    bool used[RC_SHAPE_MAXLIG + 1] = {false};
    for (size_t i = 0; i < cnt; i++) {
        if (!get_uint(c, e, &idx) || idx >= len || *c >= e) return false;
        unsigned code = *(*c)++;
        if (!take) continue;
        if (code != RC_FONT_LIG_HIDDEN && (code == 0 || code > s->nligg)) return false;
        if (code != RC_FONT_LIG_HIDDEN) used[code] = true;
        l[idx] = (uint8_t)code;
    }
    if (*c >= e) return false;
    unsigned ncodes = *(*c)++;
    for (unsigned i = 0; i < ncodes; i++) {
        size_t n;
        if (*c >= e) return false;
        unsigned code = *(*c)++;
        if (!get_uint(c, e, &n) || (size_t)(e - *c) < n) return false;
        if (take && (code > RC_SHAPE_MAXLIG || !code_ok(s, code, *c, n, tv))) return false;
        if (take) used[code] = false;
        *c += n;
    }
    for (unsigned code = 1; code <= RC_SHAPE_MAXLIG; code++)
        if (used[code]) return false; /* a code shown and not named */
    return true;
}

/* ---- a page's texts ---- */

rc_shown_page *rc_shown_page_new(const rc_fonts *fs)
{
    struct rc_zmemo *z = NULL;
    for (unsigned i = 0; fs && i < RC_FONT_COUNT && !z; i++)
        if (fs->f[i]) z = rc_font_shown_file(fs->f[i], NULL);
    if (!z) return NULL;
    rc_shown_page *pg = calloc(1, sizeof *pg);
    if (!pg) return NULL;
    pg->z = z;
    pg->budget = rc_zmemo_max(z) / 4;
    for (unsigned i = 0; i < RC_FONT_COUNT; i++) {
        if (!fs->f[i] || rc_font_shown_file(fs->f[i], NULL) != z) continue;
        pg->fonts.f[i] = fs->f[i];
        rc_font_set_pages(fs->f[i], pg);
    }
    return pg;
}

static void free_index(struct rc_page_index *x);

void rc_shown_page_free(rc_shown_page *pg)
{
    if (!pg) return;
    for (unsigned i = 0; i < RC_FONT_COUNT; i++)
        if (pg->fonts.f[i]) rc_font_set_pages(pg->fonts.f[i], NULL);
    free_index(pg->index);
    free(pg->pairs);
    free(pg->nums);
    free(pg->added);
    free(pg->t);
    free(pg->key);
    free(pg->val);
    free(pg->kf);
    free(pg->lb);
    free(pg);
}

bool rc_shown_page_begin(rc_shown_page *pg, size_t page)
{
    if (!pg) return false;
    pg->page = page;
    pg->nt = pg->nset = pg->nkey = pg->nval = 0;
    pg->found = false;
    pg->val_ok = true;
    unsigned char k = PAGE;
    pg->on = pg->spent < pg->budget && put_bytes(&pg->key, &pg->nkey, &pg->kcap, &k, 1);
    pg->open = pg->on;
    return pg->on;
}

void rc_shown_page_add(rc_shown_page *pg, const rc_font *f, const char *s, size_t len)
{
    if (!pg || !pg->on) return;
    if (f != pg->lastf) {
        if (rc_font_shown_file(f, &pg->lastface) != pg->z) {
            pg->on = pg->open = false; /* (a font keeping no texts in this file: not kept) */
            return;
        }
        pg->lastf = f;
    }
    /* a face's place, the length (LEB128, at most 10 bytes), the bytes */
    if (!room((void **)&pg->t, &pg->tcap, pg->nt + 1, sizeof *pg->t) ||
        !room((void **)&pg->key, &pg->kcap, pg->nkey + 11 + len, 1)) {
        pg->on = pg->open = false; /* (its texts are then kept alone) */
        return;
    }
    unsigned char *o = pg->key + pg->nkey;
    *o++ = (unsigned char)pg->lastface;
    size_t v = len;
    for (; v > 0x7F; v >>= 7)
        *o++ = (unsigned char)(v | 0x80);
    *o++ = (unsigned char)v;
    memcpy(o, s, len);
    pg->nkey = (size_t)(o + len - pg->key);
    pg->t[pg->nt++] = (ptext){f, len, SIZE_MAX, SIZE_MAX};
}

/* Reads the value v[0..vn) of the page's texts, checking it as it goes,
 * into the page's buffers; the codes' characters are taken only once it
 * is all read (nothing else outside the page object is touched before). */
static bool take_page(rc_shown_page *pg, const unsigned char *v, size_t vn)
{
    /* room for every text's kerning and codes, cleared: at most the key's
     * bytes (one memset a page, not one a text) */
    if (!room((void **)&pg->kf, &pg->kfcap, pg->nkey, sizeof *pg->kf) ||
        !room((void **)&pg->lb, &pg->lbcap, pg->nkey, 1))
        return false;
    memset(pg->kf, 0, pg->nkey * sizeof *pg->kf);
    memset(pg->lb, 0, pg->nkey);
    tents tv;
    tv.n = 0;
    size_t nk = 0, nl = 0, num;
    const unsigned char *c = v, *e = v + vn;
    if (!get_uint(&c, e, &num)) return false; /* (the page's number: see near) */
    for (size_t i = 0; i < pg->nt; i++) {
        ptext *x = &pg->t[i];
        unsigned flags;
        if (!text_value(x->f, NULL, x->len, &c, e, &flags, &tv, pg->kf + nk, pg->lb + nl))
            return false;
        x->kofs = flags & 1 ? nk : SIZE_MAX;
        x->lofs = flags & 2 ? nl : SIZE_MAX;
        nk += flags & 1 ? x->len : 0;
        nl += flags & 2 ? x->len : 0;
    }
    if (c != e) return false;
    take_codes(&tv);
    return true;
}

bool rc_shown_page_find(rc_shown_page *pg)
{
    if (!pg || !pg->on) return false;
    if (pg->nt == 0) {
        pg->on = pg->open = false; /* (a page showing no text: nothing to keep) */
        return false;
    }
    size_t vn = 0;
    const unsigned char *v = rc_zmemo_get(pg->z, pg->key, pg->nkey, &vn);
    if (!v) return false;
    if (!take_page(pg, v, vn)) {
        rc_zmemo_forget(pg->z, pg->key, pg->nkey); /* (kept again once shaped) */
        return false;
    }
    pg->found = true;
    pg->open = false;
    pg->spent += pg->nkey + vn;
    pg->nfound++;
    return true;
}

void rc_shown_page_get(const rc_shown_page *pg, size_t i, const float **kern, const uint8_t **lig)
{
    const ptext *x = &pg->t[i];
    *kern = x->kofs == SIZE_MAX ? NULL : pg->kf + x->kofs;
    *lig = x->lofs == SIZE_MAX ? NULL : pg->lb + x->lofs;
}

void rc_shown_page_set(rc_shown_page *pg, size_t i, const float *kern, const uint8_t *lig)
{
    if (!pg || !pg->on || pg->found || !pg->val_ok) return;
    if (i != pg->nset || i >= pg->nt) {
        pg->val_ok = false;
        return;
    }
    const ptext *x = &pg->t[pg->nset++];
    unsigned char **b = &pg->val;
    size_t *n = &pg->nval, *cap = &pg->vcap, len = x->len;
    unsigned char flags = (unsigned char)((kern ? 1 : 0) | (lig ? 2 : 0));
    bool ok = (i > 0 || put_uint(b, n, cap, pg->page)) && put_bytes(b, n, cap, &flags, 1);
    if (kern) {
        size_t cnt = 0;
        for (size_t k = 0; k < len; k++) {
            uint32_t bits;
            memcpy(&bits, &kern[k], 4);
            cnt += bits != 0;
        }
        ok = ok && put_uint(b, n, cap, cnt);
        for (size_t k = 0; ok && k < len; k++) {
            uint32_t bits;
            memcpy(&bits, &kern[k], 4);
            if (bits) ok = put_uint(b, n, cap, k) && put_bytes(b, n, cap, &bits, 4);
        }
    }
    if (lig) {
        const rc_shaper *s = rc_font_shaper(x->f);
        bool used[RC_SHAPE_MAXLIG + 1] = {false};
        size_t cnt = 0;
        for (size_t k = 0; k < len; k++)
            cnt += lig[k] != 0;
        ok = ok && s && put_uint(b, n, cap, cnt);
        for (size_t k = 0; ok && k < len; k++) {
            if (!lig[k]) continue;
            unsigned char code = lig[k];
            ok = put_uint(b, n, cap, k) && put_bytes(b, n, cap, &code, 1);
            if (code == RC_FONT_LIG_HIDDEN) continue;
            if (code > RC_SHAPE_MAXLIG || !s->ligtext[code])
                ok = false; /* (cannot happen) */
            else
                used[code] = true;
        }
        unsigned char ncodes = 0;
        for (unsigned c = 1; c <= RC_SHAPE_MAXLIG; c++)
            ncodes = (unsigned char)(ncodes + used[c]);
        ok = ok && put_bytes(b, n, cap, &ncodes, 1);
        for (unsigned c = 1; ok && c <= RC_SHAPE_MAXLIG; c++) {
            if (!used[c]) continue;
            unsigned char code = (unsigned char)c;
            size_t tl = strlen(s->ligtext[c]);
            ok = put_bytes(b, n, cap, &code, 1) && put_uint(b, n, cap, tl) &&
                 put_bytes(b, n, cap, s->ligtext[c], tl);
        }
    }
    if (!ok) pg->val_ok = false;
}

void rc_shown_page_counts(const rc_shown_page *pg, size_t *found, size_t *from_pages)
{
    *found = pg ? pg->nfound : 0;
    *from_pages = pg ? pg->nfrom : 0;
}

bool rc_shape_page_open(const rc_shaper *s)
{
    return s->spage && s->spage->open && s->spage->z == s->disk;
}

/* The texts of 2..RC_SHAPE_KEEP_MAX bytes of a page shaped and not kept (it did not fit),
 * kept one by one instead, as without pages (their puts were held back
 * while it was open): the next build finds them there. */
static void spill(rc_shown_page *pg)
{
    if (!pg->val_ok || pg->nset != pg->nt ||
        !room((void **)&pg->kf, &pg->kfcap, pg->nkey, sizeof *pg->kf) ||
        !room((void **)&pg->lb, &pg->lbcap, pg->nkey, 1))
        return;
    const unsigned char *kc = pg->key + 1, *ke = pg->key + pg->nkey;
    const unsigned char *vc = pg->val, *ve = pg->val + pg->nval;
    size_t num, len;
    if (!get_uint(&vc, ve, &num)) return;
    for (size_t i = 0; i < pg->nt; i++) {
        const ptext *x = &pg->t[i];
        tents tv;
        tv.n = 0;
        unsigned flags;
        kc++; /* (the face's place) */
        if (!get_uint(&kc, ke, &len) || len != x->len) return;
        memset(pg->kf, 0, len * sizeof *pg->kf);
        memset(pg->lb, 0, len);
        if (!text_value(x->f, NULL, len, &vc, ve, &flags, &tv, pg->kf, pg->lb)) return;
        rc_shaper *s = rc_font_shaper(x->f);
        if (s && len >= 2 && len <= RC_SHAPE_KEEP_MAX)
            rc_shape_disk_keep(s, (const char *)kc, len, flags & 1 ? pg->kf : NULL,
                               flags & 2 ? pg->lb : NULL);
        kc += len;
    }
}

void rc_shown_page_end(rc_shown_page *pg)
{
    if (!pg || !pg->open) return;
    pg->open = false;
    bool whole = pg->on && !pg->found && pg->val_ok && pg->nset == pg->nt && pg->nt > 0;
    if (whole && pg->nkey + pg->nval <= pg->budget - pg->spent) {
        rc_zmemo_put(pg->z, pg->key, pg->nkey, pg->val, pg->nval);
        pg->spent += pg->nkey + pg->nval;
        return;
    }
    if (whole) pg->spent = pg->budget; /* the pages after it are not kept either */
    spill(pg);
}

static void list_pairs(rc_shown_page *pg);

bool rc_shown_page_keep(rc_shown_page *pg, size_t page)
{
    if (!pg || pg->spent >= pg->budget) return false;
    if (!pg->listed) list_pairs(pg);
    for (size_t i = 0; pg->pairs && i < pg->npairs; i++) {
        const unsigned char *k, *v;
        size_t kn, vn;
        if (pg->nums[i] != page || !rc_zmemo_loaded_pair(pg->z, pg->pairs[i], &k, &kn, &v, &vn))
            continue;
        if (kn + vn > pg->budget - pg->spent) {
            pg->spent = pg->budget; /* (as rc_shown_page_end: the pages after it neither) */
            return false;
        }
        if (!rc_zmemo_keep_loaded(pg->z, pg->pairs[i])) continue;
        pg->spent += kn + vn;
        return true;
    }
    return false;
}

/* ---- the index of the pages' texts ---- */

void rc_shaper_set_pages(rc_shaper *s, rc_shown_page *pg)
{
    s->spage = pg;
}

typedef struct pent {
    const unsigned char *text; /* NULL: a free slot */
    size_t len;
    unsigned face;
    const unsigned char *val, *end; /* its value, and the end of its page's */
} pent;

struct rc_page_index {
    pent *v;
    size_t cap, n; /* cap a power of two, at most half full */
};

static void free_index(struct rc_page_index *x)
{
    if (x) free(x->v);
    free(x);
}

static pent *slot(struct rc_page_index *x, unsigned face, const unsigned char *t, size_t n)
{
    uint64_t h = rc_hash_short((const char *)t, n) + face;
    size_t i = (size_t)(h ^ (h >> 29)) & (x->cap - 1);
    while (x->v[i].text &&
           (x->v[i].face != face || x->v[i].len != n || memcmp(x->v[i].text, t, n) != 0))
        i = (i + 1) & (x->cap - 1);
    return &x->v[i];
}

static bool index_add(struct rc_page_index *x, const pent *a)
{
    if (2 * (x->n + 1) > x->cap) {
        size_t nc = x->cap ? 2 * x->cap : 2048;
        struct rc_page_index g = {calloc(nc, sizeof *g.v), nc, x->n};
        if (!g.v) return false;
        for (size_t i = 0; i < x->cap; i++)
            if (x->v[i].text) *slot(&g, x->v[i].face, x->v[i].text, x->v[i].len) = x->v[i];
        free(x->v);
        *x = g;
    }
    pent *e = slot(x, a->face, a->text, a->len);
    if (e->text) return true; /* the first page's (the same value: shaped alike) */
    *e = *a;
    x->n++;
    return true;
}

/* Lists the file's pairs of pages and their numbers (once). */
static void list_pairs(rc_shown_page *pg)
{
    pg->listed = true;
    size_t np = rc_zmemo_loaded(pg->z);
    pg->pairs = malloc((np ? np : 1) * sizeof *pg->pairs);
    pg->nums = malloc((np ? np : 1) * sizeof *pg->nums);
    pg->added = calloc(np ? np : 1, sizeof *pg->added);
    pg->index = calloc(1, sizeof *pg->index);
    if (!pg->pairs || !pg->nums || !pg->added || !pg->index) return;
    for (size_t i = 0; i < np; i++) {
        const unsigned char *k, *v;
        size_t kn, vn, num;
        if (!rc_zmemo_loaded_pair(pg->z, i, &k, &kn, &v, &vn) || kn == 0 || k[0] != PAGE ||
            !get_uint(&v, v + vn, &num))
            continue;
        pg->pairs[pg->npairs] = i;
        pg->nums[pg->npairs++] = num;
    }
}

/* Adds the texts of 2..RC_SHAPE_KEEP_MAX bytes (those rc_shape_disk_get is asked for)
 * of the file's pair i, a page, to the index by face; a damaged pair adds
 * what it has before the damage. */
static void index_pair(rc_shown_page *pg, size_t i)
{
    const unsigned char *k, *v;
    size_t kn, vn, len, num;
    if (!rc_zmemo_loaded_pair(pg->z, i, &k, &kn, &v, &vn)) return;
    const unsigned char *kc = k + 1, *ke = k + kn, *vc = v, *ve = v + vn;
    if (!get_uint(&vc, ve, &num)) return;
    while (kc < ke) {
        pent a = {NULL, 0, *kc++, vc, ve};
        if (!get_uint(&kc, ke, &len) || (size_t)(ke - kc) < len) break;
        a.text = kc;
        a.len = len;
        kc += len;
        unsigned flags;
        if (!text_value(NULL, NULL, len, &vc, ve, &flags, NULL, NULL, NULL)) break;
        if (len >= 2 && len <= RC_SHAPE_KEEP_MAX && !index_add(pg->index, &a)) break;
    }
}

bool rc_shape_page_index_get(rc_shaper *s, const char *p, size_t n, const float **kern,
                             const uint8_t **lig)
{
    rc_shown_page *pg = s->spage;
    if (!pg || pg->z != s->disk || n < 2 || n > RC_SHAPE_KEEP_MAX) return false;
    /* Asked for while a page is shaped text by text (it was not found: an
     * edited page). Its texts are mostly those of the page of its number
     * in the last build, or of the pages beside it when lines moved: the
     * texts of the pages kept numbered page - 2 .. page + 2 are looked at
     * (once each), not all (a one-word edit of the sample shapes the 591
     * texts of one page; an index of the 10,625 texts of all 35 pages was
     * 3 M instructions, more than the shaping it saved). A text not there
     * (a new word; a page moved further) is shaped. */
    if (!pg->listed) list_pairs(pg);
    if (!pg->index || !pg->added) return false;
    for (size_t i = 0; i < pg->npairs; i++)
        if (!pg->added[i] && pg->nums[i] + 2 >= pg->page && pg->nums[i] <= pg->page + 2) {
            pg->added[i] = true;
            index_pair(pg, pg->pairs[i]);
        }
    if (pg->index->n == 0) return false;
    const pent *e = slot(pg->index, s->disk_face, (const unsigned char *)p, n);
    if (!e->text) return false;
    tents tv;
    tv.n = 0;
    unsigned flags;
    const unsigned char *c = e->val;
    float *k = rc_arena_array(s->a, n, sizeof *k);
    uint8_t *l = rc_arena_array(s->a, n, 1);
    if (!text_value(NULL, s, n, &c, e->end, &flags, &tv, k, l)) return false;
    take_codes(&tv);
    pg->nfrom++;
    *kern = flags & 1 ? k : NULL;
    *lig = flags & 2 ? l : NULL;
    rc_shape_disk_put(s, p, n, *kern, *lig); /* (held while its page is open) */
    return true;
}
