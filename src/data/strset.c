/* strset: a string hash set with linear probing (rc_hash_bytes), used for
 * code lookup, distinct counts, key uniqueness and warning dedupe. */
#include <string.h>

#include "data_int.h"
#include "rc/hash.h"

static uint32_t hash(const char *k, size_t len)
{
    return (uint32_t)rc_hash_bytes(k, len, 0);
}

void rc_strset_init(rc_strset *s, rc_arena *a)
{
    s->a = a;
    s->t = NULL;
    s->cap = s->n = 0;
}

static void rehash(rc_strset *s)
{
    size_t nc = s->cap ? s->cap * 2 : 16;
    rc_strset_ent *t = rc_arena_array(s->a, nc, sizeof *t);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->t[i].s) continue;
        size_t j = s->t[i].hash & (nc - 1);
        while (t[j].s)
            j = (j + 1) & (nc - 1);
        t[j] = s->t[i];
    }
    s->t = t;
    s->cap = nc;
}

rc_strset_ent *rc_strset_add(rc_strset *s, const char *k, size_t len, unsigned val, bool *added)
{
    if ((s->n + 1) * 4 > s->cap * 3) rehash(s);
    uint32_t h = hash(k, len);
    size_t j = h & (s->cap - 1);
    while (s->t[j].s) {
        if (s->t[j].hash == h && s->t[j].len == len && memcmp(s->t[j].s, k, len) == 0) {
            if (added) *added = false;
            return &s->t[j];
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->t[j].s = rc_arena_strndup(s->a, k, len);
    s->t[j].len = (uint32_t)len;
    s->t[j].hash = h;
    s->t[j].val = val;
    s->n++;
    if (added) *added = true;
    return &s->t[j];
}

const rc_strset_ent *rc_strset_find(const rc_strset *s, const char *k, size_t len)
{
    if (!s->n) return NULL;
    uint32_t h = hash(k, len);
    size_t j = h & (s->cap - 1);
    while (s->t[j].s) {
        if (s->t[j].hash == h && s->t[j].len == len && memcmp(s->t[j].s, k, len) == 0)
            return &s->t[j];
        j = (j + 1) & (s->cap - 1);
    }
    return NULL;
}
