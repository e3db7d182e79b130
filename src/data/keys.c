/* keys: uniqueness of a source's key field, in bounded memory. Each key is
 * kept as a 64-bit hash and its position (16 bytes, whatever its length;
 * a 2 GB CSV no longer costs its key column twice over). At the end a
 * stable LSD radix sort brings equal hashes together; keys that share a
 * hash are only candidates, so their texts are read again from the file
 * (data.c re-reads it only when there are candidates, i.e. when the source
 * almost surely has duplicates) and compared in full, so a hash collision
 * can never report a false duplicate. Later occurrences are reported in
 * file order. */
#include <stdbool.h>
#include <stdint.h>
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
    if (k->n >= INT32_MAX) return false; /* candidates are 32-bit positions (rc_keys_candidates) */
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

/* The hashes sorted by their low LOW_BITS bits (LSD radix). Keys sharing a
 * full hash come together; so, rarely, do keys sharing only those bits,
 * which dup_hashes tells apart. Three passes of 11 bits instead of six for
 * all 64 (each pass scatters every item: the sort was 11 % of `metrics` on
 * a 1M-row survey), the three histograms counted in one read: 33 bits leave
 * about n^2 / 2^34 pairs of distinct hashes in one run (58 at 1M keys), each
 * told apart by one comparison, where a fourth pass cost a quarter of the
 * sort. The items are
 * the 8-byte hashes alone, not (hash, index) pairs: half the bytes to
 * scatter per pass and half the buffers to fault in (a 1M-row survey's
 * `metrics`: 12,490 page faults -> 8,550); the positions of the shared
 * hashes are found again by one pass over the keys in file order. */
enum { DIGIT = 11, BUCKETS = 1 << DIGIT, PASSES = 3, LOW_BITS = DIGIT * PASSES };
#define LOW(h) ((h) & ((UINT64_C(1) << LOW_BITS) - 1))

static uint64_t *sorted(const rc_keys *k)
{
    size_t n = k->n;
    uint64_t *src = malloc(n * sizeof *src), *dst = malloc(n * sizeof *dst);
    size_t *cnt = calloc((size_t)PASSES * BUCKETS, sizeof *cnt);
    if (!src || !dst || !cnt) {
        free(src), free(dst), free(cnt);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t h = k->hash[i];
        src[i] = h;
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
            dst[c[(src[i] >> (p * DIGIT)) & (BUCKETS - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    free(dst);
    free(cnt);
    return src;
}

static int by_hash(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The hashes more than one key of s[0..n) has, each once, into *out
 * (malloc); returns how many, or SIZE_MAX when out of memory. A run of
 * equal low bits is almost always one hash; any longer run (rare, or keys
 * made to share the low bits) is sorted in full, so equal hashes are
 * neighbours and each is taken at its first. */
static size_t dup_hashes(uint64_t *s, size_t n, uint64_t **out)
{
    size_t nd = 0, cap = 0;
    *out = NULL;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && LOW(s[j]) == LOW(s[i]))
            j++;
        if (j - i > 1) qsort(s + i, j - i, sizeof *s, by_hash);
        for (size_t x = i; x + 1 < j; x++) {
            if (s[x + 1] != s[x] || (x > i && s[x - 1] == s[x])) continue;
            if (nd == cap) {
                cap = cap ? 2 * cap : 16;
                uint64_t *v = realloc(*out, cap * sizeof *v);
                if (!v) return SIZE_MAX;
                *out = v;
            }
            (*out)[nd++] = s[x];
        }
        i = j;
    }
    return nd;
}

size_t rc_keys_candidates(rc_keys *k)
{
    if (k->n < 2) return 0;
    uint64_t *s = sorted(k), *dups = NULL;
    if (!s) return 0;
    size_t nd = dup_hashes(s, k->n, &dups);
    free(s);
    if (nd == 0 || nd == SIZE_MAX) { /* the usual case: every key has a hash of its own */
        free(dups);
        return 0;
    }
    /* The shared hashes in an open-addressing set (at most half full), then
     * every key whose hash is in it, in file order (for the re-read). */
    size_t cap = 16;
    while (cap < 2 * nd)
        cap *= 2;
    uint64_t *set = calloc(cap, sizeof *set);
    bool *used = calloc(cap, sizeof *used);
    if (!set || !used) {
        free(dups), free(set), free(used);
        return 0;
    }
    for (size_t x = 0; x < nd; x++) {
        size_t h = (size_t)(dups[x] >> 17) & (cap - 1); /* not the low bits: runs share them */
        while (used[h])
            h = (h + 1) & (cap - 1);
        used[h] = true;
        set[h] = dups[x];
    }
    free(dups);
    size_t nc = 0;
    for (int pass = 0; pass < 2; pass++) { /* count, then fill */
        for (size_t i = 0; i < k->n; i++) {
            uint64_t v = k->hash[i];
            size_t h = (size_t)(v >> 17) & (cap - 1);
            while (used[h] && set[h] != v)
                h = (h + 1) & (cap - 1);
            if (!used[h]) continue;
            if (pass == 1)
                k->cand[k->ncand++] = (uint32_t)i;
            else
                nc++;
        }
        if (pass == 0) {
            k->cand = malloc(nc * sizeof *k->cand);
            k->text = calloc(nc, sizeof *k->text);
            if (!k->cand || !k->text) {
                free(set), free(used);
                return 0;
            }
        }
    }
    free(set);
    free(used);
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
