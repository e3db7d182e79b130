/* arena: a chain of large blocks; allocation is a pointer bump. */
#include "rc/arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16u
#define BLOCK_MIN ((size_t)256 * 1024)
/* A vector growing past this many bytes moves to a block of its own (see
 * rc_arena_grow): a page's draw list is about 100 KB, and doubling it inside
 * the shared blocks left as much again abandoned behind it. */
#define VEC_OWN ((size_t)8 * 1024)

typedef struct block {
    struct block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} block;

typedef struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *ctx;
} cleanup;

struct rc_arena {
    cleanup *cleanups; /* run by rc_arena_free, most recent first */
    block *head;
    block *big; /* allocations of more than BLOCK_MIN / 4 and vectors of more
                 * than VEC_OWN, one block each, newest first: a growing
                 * vector is realloc'd (mremap for glibc's large chunks)
                 * instead of copied and abandoned */
    size_t total;
    void *last; /* the most recent allocation in head, for in-place growth */
    size_t last_size;
};

static void oom(size_t n)
{
    fprintf(stderr, "reportc: out of memory (allocating %zu bytes)\n", n);
    abort();
}

rc_arena *rc_arena_new(void)
{
    rc_arena *a = calloc(1, sizeof *a);
    if (!a) oom(sizeof *a);
    return a;
}

void rc_arena_on_free(rc_arena *a, void (*fn)(void *), void *ctx)
{
    cleanup *c = rc_arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->ctx = ctx;
    c->next = a->cleanups;
    a->cleanups = c;
}

void rc_arena_free(rc_arena *a)
{
    if (!a) return;
    for (cleanup *c = a->cleanups; c; c = c->next)
        c->fn(c->ctx);
    for (int k = 0; k < 2; k++) {
        block *b = k ? a->big : a->head;
        while (b) {
            block *n = b->next;
            free(b);
            b = n;
        }
    }
    free(a);
}

/* Allocates size bytes and zeroes all but the first keep (which the caller
 * is about to overwrite). */
static void *alloc(rc_arena *a, size_t size, size_t keep, bool own)
{
    if (size == 0) size = 1;
    if (size > SIZE_MAX - ALIGN) oom(size);
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    block *b = a->head;
    if (own || size > BLOCK_MIN / 4) {
        /* Big allocations get their own block, so the head's free space is
         * not wasted and a vector can grow by realloc (rc_arena_grow). */
        block *nb = malloc(sizeof *nb + size);
        if (!nb) oom(size);
        nb->size = nb->used = size;
        nb->next = a->big;
        a->big = nb;
        a->total += size;
        memset(nb->data + keep, 0, size - keep);
        return nb->data;
    }
    if (!b || b->size - b->used < size) {
        size_t bs = BLOCK_MIN;
        block *nb = malloc(sizeof *nb + bs);
        if (!nb) oom(size);
        nb->size = bs;
        nb->used = 0;
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    a->last = p;
    a->last_size = size;
    memset((unsigned char *)p + keep, 0, size - keep);
    return p;
}

void *rc_arena_alloc(rc_arena *a, size_t size)
{
    return alloc(a, size, 0, false);
}

void *rc_arena_array(rc_arena *a, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz) oom(SIZE_MAX);
    return rc_arena_alloc(a, n * sz);
}

char *rc_arena_strndup(rc_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *p = rc_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *rc_arena_strdup(rc_arena *a, const char *s)
{
    return s ? rc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *rc_arena_vprintf(rc_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = rc_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *rc_arena_printf(rc_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = rc_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void *rc_arena_grow(rc_arena *a, void *old, size_t old_n, size_t new_n, size_t sz)
{
    /* Growing the newest allocation of the head block extends it in place,
     * so vectors pushed without interleaved allocations cost no copies. */
    if (old && old == a->last && sz && new_n <= SIZE_MAX / sz) {
        size_t need = (new_n * sz + ALIGN - 1) & ~(size_t)(ALIGN - 1);
        block *b = a->head;
        if (need >= a->last_size && b->size - (b->used - a->last_size) >= need) {
            size_t extra = need - a->last_size;
            memset((unsigned char *)old + a->last_size, 0, extra);
            b->used += extra;
            a->total += extra;
            a->last_size = need;
            return old;
        }
    }
    /* A big vector among the newest big blocks is realloc'd: no copy for
     * glibc's mmap'd chunks, and nothing left behind. (Only the newest few
     * are looked at, so the search stays O(1); a vector that grows is almost
     * always the newest.) */
    if (old && sz && new_n <= SIZE_MAX / sz && new_n * sz > VEC_OWN) {
        block **link = &a->big;
        for (int k = 0; k < 4 && *link; k++, link = &(*link)->next) {
            block *bb = *link;
            if (bb->data != old) continue;
            size_t need = (new_n * sz + ALIGN - 1) & ~(size_t)(ALIGN - 1);
            if (need <= bb->size) return old;
            block *nb = realloc(bb, sizeof *nb + need);
            if (!nb) oom(need);
            memset(nb->data + nb->size, 0, need - nb->size);
            a->total += need - nb->size;
            nb->size = nb->used = need;
            *link = nb;
            return nb->data;
        }
    }
    /* A moved vector: only the part the copy does not fill is zeroed (the
     * draw lists of a 35-page build zeroed 11 M instructions' worth of bytes
     * twice before this). */
    if (sz && new_n > SIZE_MAX / sz) oom(SIZE_MAX);
    size_t keep = (old && old_n ? (old_n < new_n ? old_n : new_n) : 0) * sz;
    unsigned char *p = alloc(a, new_n * sz, keep, new_n * sz > VEC_OWN);
    if (keep) memcpy(p, old, keep);
    return p;
}

size_t rc_arena_used(const rc_arena *a)
{
    return a->total;
}

void rc_strbuf_put(rc_strbuf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->n + len + 1)
            nc *= 2;
        b->s = rc_arena_grow(b->a, b->s, b->cap, nc, 1);
        b->cap = nc;
    }
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

void rc_strbuf_puts(rc_strbuf *b, const char *s)
{
    rc_strbuf_put(b, s, strlen(s));
}
