/* pdf_cache: what one PDF write keeps for the next write of the same
 * edition (rc_pdf_cache, pdf.h), for a watching process whose rebuild after
 * a one-word edit changes one or two pages.
 *
 * Entries are (kind, key bytes) -> value bytes, all malloc'd: the key is
 * kept and compared byte for byte on a hit, so a hit gives exactly what the
 * work would have given (the hash only picks the slot), and a write with the
 * cache is byte-identical to one without. Kinds (pdf_int.h): a stream's
 * bytes -> the same bytes deflated (page content, font files, maps), and a
 * font file's identity plus the codes it must map -> the reduced font.
 *
 * Memory: every write starts a generation; a lookup or insertion stamps the
 * entry with it, and a write that succeeds drops every entry it did not use
 * (rc_pdf_cache_sweep), so the cache holds about what the last document
 * needed (its uncompressed and deflated streams, and its reduced fonts), and
 * never more than RC_PDF_CACHE_MAX bytes. Not thread-safe: one cache per
 * writer. */
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/hash.h"

typedef struct centry {
    uint64_t h;
    int kind;
    unsigned gen;
    unsigned char *key; /* NULL: an empty slot */
    size_t nkey;
    unsigned char *val;
    size_t nval;
} centry;

struct rc_pdf_cache {
    centry *v;
    size_t cap, n; /* cap a power of two (or 0), at most half full */
    size_t bytes;  /* keys and values held */
    unsigned gen;
};

rc_pdf_cache *rc_pdf_cache_new(void)
{
    return calloc(1, sizeof(rc_pdf_cache));
}

static void drop(rc_pdf_cache *c, centry *e)
{
    c->bytes -= e->nkey + e->nval;
    free(e->key);
    free(e->val);
    e->key = e->val = NULL;
}

void rc_pdf_cache_free(rc_pdf_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++)
        if (c->v[i].key) drop(c, &c->v[i]);
    free(c->v);
    free(c);
}

size_t rc_pdf_cache_bytes(const rc_pdf_cache *c)
{
    return c ? c->bytes : 0;
}

size_t rc_pdf_cache_entries(const rc_pdf_cache *c)
{
    return c ? c->n : 0;
}

void rc_pdf_cache_begin(rc_pdf_cache *c)
{
    if (c) c->gen++;
}

/* The slot hash of a key: keys are page streams of tens of kilobytes,
 * hashed 32 bytes a step by rc_hash128; the kind is mixed in. */
static uint64_t key_hash(int kind, const void *key, size_t n)
{
    uint64_t h[2];
    rc_hash128(key, n, h);
    return h[0] ^ (h[1] + (uint64_t)kind) * 0x9E3779B97F4A7C15ULL;
}

/* Moves the live entries of the old table into a new one of cap slots
 * (a power of two); false (and the table unchanged) without memory. */
static bool rehash(rc_pdf_cache *c, size_t cap)
{
    centry *v = calloc(cap, sizeof *v);
    if (!v) return false;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->v[i].key) continue;
        size_t k = c->v[i].h & (cap - 1);
        while (v[k].key)
            k = (k + 1) & (cap - 1);
        v[k] = c->v[i];
    }
    free(c->v);
    c->v = v;
    c->cap = cap;
    return true;
}

/* The entry for (kind, key[0..n)) of hash h, marked as used; NULL when
 * absent. */
static centry *find(rc_pdf_cache *c, int kind, const void *key, size_t n, uint64_t h)
{
    if (!c->cap) return NULL;
    for (size_t k = h & (c->cap - 1); c->v[k].key; k = (k + 1) & (c->cap - 1)) {
        centry *e = &c->v[k];
        if (e->h == h && e->kind == kind && e->nkey == n && memcmp(e->key, key, n) == 0) {
            e->gen = c->gen;
            return e;
        }
    }
    return NULL;
}

const unsigned char *rc_pdf_cache_get(rc_pdf_cache *c, int kind, const void *key, size_t n,
                                      size_t *vlen)
{
    if (!c || !c->cap) return NULL;
    centry *e = find(c, kind, key, n, key_hash(kind, key, n));
    if (!e) return NULL;
    *vlen = e->nval;
    return e->val;
}

const unsigned char *rc_pdf_cache_put(rc_pdf_cache *c, int kind, const void *key, size_t n,
                                      const void *val, size_t vlen)
{
    if (!c) return NULL;
    /* the key hashed once (page streams are tens of kilobytes): a value
     * already stored for it is the one kept (equal keys, equal values) */
    uint64_t h = key_hash(kind, key, n);
    centry *e = find(c, kind, key, n, h);
    if (e) return e->val;
    if (n + vlen > RC_PDF_CACHE_MAX - c->bytes) return NULL; /* full: the work is redone */
    if ((c->n + 1) * 2 > c->cap && !rehash(c, c->cap ? c->cap * 2 : 256)) return NULL;
    unsigned char *k = malloc(n ? n : 1), *v = malloc(vlen ? vlen : 1);
    if (!k || !v) {
        free(k);
        free(v);
        return NULL;
    }
    memcpy(k, key, n);
    memcpy(v, val, vlen);
    size_t s = h & (c->cap - 1);
    while (c->v[s].key)
        s = (s + 1) & (c->cap - 1);
    c->v[s] = (centry){h, kind, c->gen, k, n, v, vlen};
    c->n++;
    c->bytes += n + vlen;
    return v;
}

void rc_pdf_cache_sweep(rc_pdf_cache *c)
{
    if (!c) return;
    size_t live = 0;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->v[i].key) continue;
        if (c->v[i].gen != c->gen)
            drop(c, &c->v[i]);
        else
            live++;
    }
    c->n = live;
    /* the survivors' probe chains may have holes now: reinsert them, into
     * a smaller table when most entries went */
    size_t cap = 256;
    while (cap < live * 2)
        cap *= 2;
    if (c->cap && !rehash(c, cap < c->cap ? cap : c->cap)) {
        /* without memory for a new table, empty the cache: still correct */
        for (size_t i = 0; i < c->cap; i++)
            if (c->v[i].key) drop(c, &c->v[i]);
        c->n = 0;
    }
}
