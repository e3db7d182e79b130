/* para_style: the styles of a paragraph's fragments, kept once each in a
 * set shared by the paragraphs of a build (rc_para_style_of). */
#include <string.h>

#include "para_int.h"
#include "rc/hash.h"

struct rc_style_set {
    rc_arena *a;
    rc_frag_style **v;
    size_t cap, n;             /* cap a power of two, at most half full */
    const rc_frag_style *last; /* most runs have the style of the one before */
};

rc_style_set *rc_style_set_new(rc_arena *a)
{
    rc_style_set *s = rc_arena_alloc(a, sizeof *s);
    s->a = a;
    return s;
}

static rc_frag_style **style_slot(rc_frag_style **v, size_t cap, const rc_frag_style *k, uint64_t h)
{
    for (size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!v[i] || memcmp(v[i], k, sizeof *k) == 0) return &v[i];
}

/* The style of run r, from the set when there is one (else a copy in a). */
const rc_frag_style *rc_para_style_of(rc_arena *a, rc_style_set *set, const rc_run *r)
{
    rc_frag_style k;
    memset(&k, 0, sizeof k); /* the padding too: styles are compared as bytes */
    k.font = r->font;
    k.size = r->size;
    k.rise = r->rise;
    k.colour = r->colour;
    k.link_dest = r->link_dest;
    k.link_uri = r->link_uri;
    if (!set) return memcpy(rc_arena_alloc(a, sizeof k), &k, sizeof k);
    if (set->last && memcmp(set->last, &k, sizeof k) == 0) return set->last;
    if (2 * (set->n + 1) > set->cap) {
        size_t nc = set->cap ? 2 * set->cap : 64;
        rc_frag_style **nv = rc_arena_array(set->a, nc, sizeof *nv);
        for (size_t i = 0; i < set->cap; i++)
            if (set->v[i])
                *style_slot(nv, nc, set->v[i], rc_hash_bytes(set->v[i], sizeof k, 0)) = set->v[i];
        set->v = nv;
        set->cap = nc;
    }
    rc_frag_style **e = style_slot(set->v, set->cap, &k, rc_hash_bytes(&k, sizeof k, 0));
    if (!*e) {
        *e = memcpy(rc_arena_alloc(set->a, sizeof k), &k, sizeof k);
        set->n++;
    }
    return set->last = *e;
}
