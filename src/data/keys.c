/* keys: uniqueness of a source's key field. Keys are appended as they come
 * (sequential memory, no hash table to miss in) with a 32-bit hash; at the
 * end a stable LSD radix sort on the hash brings equal keys together (equal
 * hashes are confirmed with strcmp) and the later occurrences are reported,
 * in file order. */
#include <stdlib.h>
#include <string.h>

#include "data_int.h"
#include "rc/hash.h"

/* Equal hashes are confirmed with strcmp; the hash only groups candidates. */
static uint32_t hash32(const char *s, size_t n)
{
    return (uint32_t)rc_hash_bytes(s, n, 0);
}

void rc_keys_init(rc_keys *k)
{
    memset(k, 0, sizeof *k);
}

void rc_keys_free(rc_keys *k)
{
    free(k->hash);
    free(k->e);
    free(k->blob);
    memset(k, 0, sizeof *k);
}

bool rc_keys_add(rc_keys *k, const char *s, size_t len, unsigned line, unsigned col)
{
    if (k->n == k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 4096;
        rc_key_ent *e = realloc(k->e, nc * sizeof *e);
        if (!e) return false;
        k->e = e;
        uint32_t *h = realloc(k->hash, nc * sizeof *h);
        if (!h) return false;
        k->hash = h;
        k->cap = nc;
    }
    if (k->blen + len + 1 > UINT32_MAX) return false;
    if (k->blen + len + 1 > k->bcap) {
        size_t nc = k->bcap ? k->bcap * 2 : 65536;
        while (nc < k->blen + len + 1)
            nc *= 2;
        char *b = realloc(k->blob, nc);
        if (!b) return false;
        k->blob = b;
        k->bcap = nc;
    }
    memcpy(k->blob + k->blen, s, len);
    k->blob[k->blen + len] = 0;
    k->hash[k->n] = hash32(s, len);
    rc_key_ent *e = &k->e[k->n++];
    e->off = (uint32_t)k->blen;
    e->line = line;
    e->col = col;
    k->blen += len + 1;
    return true;
}

typedef struct dup {
    unsigned line, col, first;
    size_t off;
} dup;

static int by_line(const void *pa, const void *pb)
{
    const dup *a = pa, *b = pb;
    return a->line < b->line ? -1 : a->line > b->line;
}

size_t rc_keys_check(rc_keys *k, rc_diag *d, const char *file, const char *field)
{
    size_t n = k->n;
    if (n < 2) return 0;
    /* (hash, index) pairs sorted by the hash's low 24 bits: two stable
     * passes of 12-bit digits whose counters stay in L1 (a million keys make
     * runs of a key or two); within a run file order is kept and the full
     * hash is compared. */
    enum { DIGIT = 12, BUCKETS = 1 << DIGIT };
    uint64_t *src = malloc(n * sizeof *src), *dst = malloc(n * sizeof *dst);
    size_t *cnt = calloc(BUCKETS, sizeof *cnt);
    dup *dups = NULL;
    size_t nd = 0, capd = 0;
    if (!src || !dst || !cnt) goto out;
    for (size_t i = 0; i < n; i++)
        src[i] = (uint64_t)k->hash[i] << 32 | i;
    for (unsigned shift = 32; shift < 32 + 2 * DIGIT; shift += DIGIT) {
        memset(cnt, 0, BUCKETS * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i] >> shift) & (BUCKETS - 1)]++;
        size_t sum = 0;
        for (size_t b = 0; b < BUCKETS; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> shift) & (BUCKETS - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && ((src[j] ^ src[i]) >> 32 & ((1u << 2 * DIGIT) - 1)) == 0)
            j++;
        for (size_t x = i + 1; x < j; x++) {
            const rc_key_ent *ex = &k->e[(uint32_t)src[x]];
            for (size_t y = i; y < x; y++) { /* the first earlier equal key */
                const rc_key_ent *ey = &k->e[(uint32_t)src[y]];
                if (src[x] >> 32 == src[y] >> 32 &&
                    strcmp(k->blob + ex->off, k->blob + ey->off) == 0) {
                    if (nd == capd) {
                        capd = capd ? capd * 2 : 16;
                        dup *nds = realloc(dups, capd * sizeof *nds);
                        if (!nds) goto out;
                        dups = nds;
                    }
                    dups[nd++] = (dup){ex->line, ex->col, ey->line, ex->off};
                    break;
                }
            }
        }
        i = j;
    }
    if (nd) qsort(dups, nd, sizeof *dups, by_line);
    for (size_t i = 0; i < nd && i < RC_KEYS_MAX_REPORT; i++) {
        rc_loc loc = {file, dups[i].line, dups[i].col};
        rc_diag_error(d, loc, "duplicate key '%s' in field '%s' (first on line %u)",
                      k->blob + dups[i].off, field, dups[i].first);
    }
    if (nd > RC_KEYS_MAX_REPORT) {
        rc_loc loc = {file, 0, 0};
        rc_diag_note(d, loc, "%zu more duplicate keys in field '%s' not shown",
                     nd - RC_KEYS_MAX_REPORT, field);
    }
out:
    free(cnt);
    free(dups);
    free(src);
    free(dst);
    return nd;
}
