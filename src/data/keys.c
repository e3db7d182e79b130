/* keys: uniqueness of a source's key field, in bounded memory. Each key is
 * kept as a 64-bit hash and its position (16 bytes, whatever its length;
 * a 2 GB CSV no longer costs its key column twice over). At the end a
 * stable LSD radix sort brings equal hashes together; keys that share a
 * hash are only candidates, so their texts are read again from the file
 * (data.c re-reads it only when there are candidates, i.e. when the source
 * almost surely has duplicates) and compared in full, so a hash collision
 * can never report a false duplicate. Later occurrences are reported in
 * file order. */
#include <stdlib.h>
#include <string.h>

#include "data_int.h"
#include "rc/hash.h"

/* The one hash of reportc's tables (rc/hash.h), all 64 bits: keys that
 * share it are only candidates, confirmed by their texts. */
static uint64_t hash64(const char *s, size_t n)
{
    return rc_hash_bytes(s, n, 0);
}

void rc_keys_init(rc_keys *k)
{
    memset(k, 0, sizeof *k);
}

void rc_keys_free(rc_keys *k)
{
    for (size_t i = 0; i < k->ncand; i++)
        free(k->text ? k->text[i] : NULL);
    free(k->text);
    free(k->cand);
    free(k->hash);
    free(k->e);
    memset(k, 0, sizeof *k);
}

bool rc_keys_add(rc_keys *k, const char *s, size_t len, unsigned line, unsigned col)
{
    if (k->n >= INT32_MAX) return false; /* positions are 31 bits (see rc_keys_candidates) */
    if (k->n == k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 4096;
        rc_key_ent *e = realloc(k->e, nc * sizeof *e);
        if (!e) return false;
        k->e = e;
        uint64_t *h = realloc(k->hash, nc * sizeof *h);
        if (!h) return false;
        k->hash = h;
        k->cap = nc;
    }
    k->hash[k->n] = hash64(s, len);
    k->e[k->n++] = (rc_key_ent){line, col};
    return true;
}

/* (hash, index) pairs sorted by the hash's low LOW_BITS bits (stable:
 * file order within equal bits). Keys sharing a full hash come together;
 * so, rarely, do keys sharing only those bits, which rc_keys_candidates
 * tells apart. Four passes of 11 bits instead of six for all 64 (each
 * pass scatters every pair: the sort was 11 % of `metrics` on a 1M-row
 * survey), the four histograms counted in one read. */
enum { DIGIT = 11, BUCKETS = 1 << DIGIT, PASSES = 4, LOW_BITS = DIGIT * PASSES };
#define LOW(h) ((h) & ((UINT64_C(1) << LOW_BITS) - 1))

typedef struct hpair {
    uint64_t h;
    uint32_t i;
} hpair;

static hpair *sorted(const rc_keys *k)
{
    size_t n = k->n;
    hpair *src = malloc(n * sizeof *src), *dst = malloc(n * sizeof *dst);
    size_t *cnt = calloc((size_t)PASSES * BUCKETS, sizeof *cnt);
    if (!src || !dst || !cnt) {
        free(src), free(dst), free(cnt);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t h = k->hash[i];
        src[i] = (hpair){h, (uint32_t)i};
        for (unsigned p = 0; p < PASSES; p++)
            cnt[p * BUCKETS + ((h >> (p * DIGIT)) & (BUCKETS - 1))]++;
    }
    for (unsigned p = 0; p < PASSES; p++) {
        size_t *c = cnt + (size_t)p * BUCKETS, sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t x = c[b];
            c[b] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].h >> (p * DIGIT)) & (BUCKETS - 1)]++] = src[i];
        hpair *t = src;
        src = dst;
        dst = t;
    }
    free(dst);
    free(cnt);
    return src;
}

static int by_index(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

static int by_hash_index(const void *pa, const void *pb)
{
    const hpair *a = pa, *b = pb;
    if (a->h != b->h) return a->h < b->h ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* p[x].i with this bit set: the pair's full hash is shared (rc_keys_add
 * keeps positions below it). */
#define MARK (UINT32_C(1) << 31)

/* Within p[i..j) (equal low bits), marks the pairs whose full hash another
 * pair shares; returns how many. A run is almost always one pair; a long
 * one (keys made to share the low bits) is sorted first. Only the hashes
 * are compared, so a mark set on the way changes nothing that follows. */
static size_t mark_run(hpair *p, size_t i, size_t j)
{
    size_t n = 0;
    if (j - i > 8) {
        qsort(p + i, j - i, sizeof *p, by_hash_index);
        for (size_t x = i; x < j; x++)
            if ((x > i && p[x - 1].h == p[x].h) || (x + 1 < j && p[x + 1].h == p[x].h))
                p[x].i |= MARK, n++;
        return n;
    }
    for (size_t x = i; x < j; x++)
        for (size_t y = i; y < j; y++)
            if (y != x && p[y].h == p[x].h) {
                p[x].i |= MARK, n++;
                break;
            }
    return n;
}

size_t rc_keys_candidates(rc_keys *k)
{
    if (k->n < 2) return 0;
    hpair *p = sorted(k);
    if (!p) return 0;
    /* first the runs of equal low bits, marking the pairs that share the
     * full hash, then those gathered */
    size_t nc = 0;
    for (size_t i = 0; i < k->n;) {
        size_t j = i + 1;
        while (j < k->n && LOW(p[j].h) == LOW(p[i].h))
            j++;
        if (j - i > 1) nc += mark_run(p, i, j);
        i = j;
    }
    if (nc == 0) {
        free(p);
        return 0;
    }
    k->cand = malloc(nc * sizeof *k->cand);
    k->text = calloc(nc, sizeof *k->text);
    if (!k->cand || !k->text) {
        free(p);
        return 0;
    }
    for (size_t x = 0; x < k->n; x++)
        if (p[x].i & MARK) k->cand[k->ncand++] = p[x].i & ~MARK;
    free(p);
    qsort(k->cand, k->ncand, sizeof *k->cand, by_index); /* file order, for the re-read */
    return k->ncand;
}

bool rc_keys_want(const rc_keys *k, unsigned line, unsigned col)
{
    if (k->next >= k->ncand) return false;
    const rc_key_ent *e = &k->e[k->cand[k->next]];
    return e->line == line && e->col == col;
}

bool rc_keys_set_text(rc_keys *k, const char *s, size_t len)
{
    char *t = malloc(len + 1);
    if (!t) return false;
    memcpy(t, s, len);
    t[len] = 0;
    k->text[k->next++] = t;
    return true;
}

typedef struct dup {
    unsigned line, col, first;
    const char *text;
} dup;

static int by_line(const void *pa, const void *pb)
{
    const dup *a = pa, *b = pb;
    return a->line < b->line ? -1 : a->line > b->line;
}

size_t rc_keys_check(rc_keys *k, rc_diag *d, const char *file, const char *field)
{
    size_t n = k->ncand, nd = 0;
    if (n < 2) return 0;
    dup *dups = malloc(n * sizeof *dups);
    if (!dups) return 0;
    /* candidates are in file order: each is compared with the earlier ones
     * of the same hash (groups are tiny: a key and its duplicates) */
    for (size_t x = 0; x < n; x++) {
        const char *tx = k->text[x];
        if (!tx) continue; /* not read again (the file changed): not confirmed */
        for (size_t y = 0; y < x; y++)
            if (k->text[y] && k->hash[k->cand[y]] == k->hash[k->cand[x]] &&
                strcmp(k->text[y], tx) == 0) {
                const rc_key_ent *ex = &k->e[k->cand[x]], *ey = &k->e[k->cand[y]];
                dups[nd++] = (dup){ex->line, ex->col, ey->line, tx};
                break;
            }
    }
    qsort(dups, nd, sizeof *dups, by_line);
    for (size_t i = 0; i < nd && i < RC_KEYS_MAX_REPORT; i++) {
        rc_loc loc = {file, dups[i].line, dups[i].col};
        rc_diag_error(d, loc, "duplicate key '%s' in field '%s' (first on line %u)", dups[i].text,
                      field, dups[i].first);
    }
    if (nd > RC_KEYS_MAX_REPORT) {
        rc_loc loc = {file, 0, 0};
        rc_diag_note(d, loc, "%zu more duplicate keys in field '%s' not shown",
                     nd - RC_KEYS_MAX_REPORT, field);
    }
    free(dups);
    return nd;
}
