/* keys: uniqueness of a source's key field. Keys are appended as they come
 * (sequential memory, no hash table to miss in) with a 32-bit hash; at the
 * end a stable LSD radix sort on the hash brings equal keys together (equal
 * hashes are confirmed with strcmp) and the later occurrences are reported,
 * in file order. */
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

static uint32_t hash32(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return (uint32_t)(h ^ (h >> 32));
}

void rc_keys_init(rc_keys *k)
{
    memset(k, 0, sizeof *k);
}

void rc_keys_free(rc_keys *k)
{
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
    rc_key_ent *e = &k->e[k->n++];
    e->hash = hash32(s, len);
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
    rc_key_ent *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return 0;
    /* 16-bit digits: two stable passes; the result ends in k->e. */
    size_t *cnt = calloc(65536, sizeof *cnt);
    if (!cnt) {
        free(tmp);
        return 0;
    }
    rc_key_ent *src = k->e, *dst = tmp;
    for (unsigned shift = 0; shift < 32; shift += 16) {
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[(src[i].hash >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 65536; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i].hash >> shift) & 0xFFFF]++] = src[i];
        rc_key_ent *t = src;
        src = dst;
        dst = t;
    }
    free(cnt);
    /* After an even number of passes src == k->e. */
    dup *dups = NULL;
    size_t nd = 0, capd = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && src[j].hash == src[i].hash)
            j++;
        for (size_t x = i + 1; x < j; x++)
            for (size_t y = i; y < x; y++) /* first earlier equal key */
                if (strcmp(k->blob + src[x].off, k->blob + src[y].off) == 0) {
                    if (nd == capd) {
                        capd = capd ? capd * 2 : 16;
                        dup *nds = realloc(dups, capd * sizeof *nds);
                        if (!nds) goto out;
                        dups = nds;
                    }
                    /* the earliest occurrence of this key in the run */
                    unsigned first = src[y].line;
                    dups[nd++] = (dup){src[x].line, src[x].col, first, src[x].off};
                    break;
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
    free(dups);
    free(tmp);
    return nd;
}
