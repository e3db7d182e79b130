/* para_hmemo: the memo of the hyphenation points of the words set so far
 * (rc_hyph_memo, linebreak.h), for one dictionary and one set of
 * exceptions: most words of a document recur, and finding a word's points
 * costs ~2,500 instructions (the patterns, then the exceptions). Moved out
 * of paragraph.c, which asks it for every word of a hyphenating pass. */
#include <string.h>

#include "para_int.h"
#include "rc/hash.h"

typedef struct hword {
    const char *key; /* NULL: free slot */
    uint32_t len;
    uint8_t n;          /* points */
    const uint8_t *pts; /* byte offsets (a word is at most 240 bytes: paragraph.c) */
} hword;

struct rc_hyph_memo {
    rc_arena *a;
    hword *v;
    size_t cap, n; /* cap a power of two, at most half full */
};

rc_hyph_memo *rc_hyph_memo_new(rc_arena *a)
{
    rc_hyph_memo *m = rc_arena_alloc(a, sizeof *m);
    m->a = a;
    return m;
}

static hword *memo_slot(hword *v, size_t cap, const char *w, size_t len, uint64_t h)
{
    for (size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!v[i].key || (v[i].len == len && memcmp(v[i].key, w, len) == 0)) return &v[i];
}

size_t rc_para_word_points(rc_hyph_memo *m, const rc_hyph *hyph, const struct rc_hyph_exc *exc,
                           const char *w, size_t len, size_t *pts, size_t cap)
{
    hword *e = NULL;
    if (m) {
        if (2 * (m->n + 1) > m->cap) {
            size_t nc = m->cap ? 2 * m->cap : 1024;
            hword *nv = rc_arena_array(m->a, nc, sizeof *nv);
            for (size_t i = 0; i < m->cap; i++)
                if (m->v[i].key)
                    *memo_slot(nv, nc, m->v[i].key, m->v[i].len,
                               rc_hash_short(m->v[i].key, m->v[i].len)) = m->v[i];
            m->v = nv;
            m->cap = nc;
        }
        e = memo_slot(m->v, m->cap, w, len, rc_hash_short(w, len));
        if (e->key) {
            for (size_t k = 0; k < e->n; k++)
                pts[k] = e->pts[k];
            return e->n;
        }
    }
    size_t n = rc_hyph_points(hyph, w, len, pts, cap);
    if (n > cap) n = cap;
    if (exc) n = rc_hyph_exc_apply(exc, w, len, pts, n, cap);
    if (e) {
        uint8_t *q = n ? rc_arena_alloc(m->a, n) : NULL;
        for (size_t k = 0; k < n; k++)
            q[k] = (uint8_t)pts[k];
        *e = (hword){rc_arena_strndup(m->a, w, len), (uint32_t)len, (uint8_t)n, q};
        m->n++;
    }
    return n;
}
