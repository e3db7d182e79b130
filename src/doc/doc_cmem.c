/* doc_cmem: the allocator cmark-gfm parses with. cmark makes a few
 * thousand small allocations per chapter (a node, a strbuf, a delimiter
 * each) and frees them one by one; through libc that was a quarter of the
 * document stage (calloc, realloc and free ~2 M instructions of ~7 M for the
 * sample). Here each parse gets a slab: allocations are bumped out of
 * chunks, a free only counts down, and the slab's chunks go back to libc
 * when its last allocation is freed (the parser's own at
 * cmark_parser_free, the tree's when the tree is freed, by rc_md_release or
 * by the memo much later, on any thread).
 *
 * cmark_mem's functions take no context, so each allocation carries a
 * 16-byte header naming its slab, and allocation goes to the calling
 * thread's current slab (rc_cmem_begin .. rc_cmem_end around a parse).
 * While a tree is converted its slab is current again (rc_cmem_enter), for
 * the C strings cmark makes on a node's first read; with no current slab
 * libc serves the request, with the same header (slab NULL). A tree is
 * only ever used by one thread at a time (doc_memo.c), so its slab needs
 * no lock. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"

enum { CHUNK = 32 << 10, ALIGN = 16 };

typedef struct chunk {
    struct chunk *next;
    _Alignas(ALIGN) char data[];
} chunk;

struct rc_cmem_slab {
    size_t live; /* allocations not yet freed, +1 while the parse runs */
    chunk *chunks;
    char *at, *end; /* the free part of the newest chunk */
    char *last;     /* the newest allocation (grows in place) */
};

typedef struct hdr {
    rc_cmem_slab *slab; /* NULL: from libc */
    size_t size;        /* bytes asked for */
} hdr;
_Static_assert(sizeof(hdr) == ALIGN, "the header keeps 16-byte alignment");

static _Thread_local rc_cmem_slab *cur;

static size_t round_up(size_t n)
{
    return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void oom(void)
{
    /* cmark's own allocator aborts too: a parse cannot continue */
    abort();
}

static void *bump(rc_cmem_slab *s, size_t size)
{
    size_t need = sizeof(hdr) + round_up(size);
    if ((size_t)(s->end - s->at) < need) {
        size_t cs = need > CHUNK ? need : CHUNK;
        chunk *c = malloc(sizeof *c + cs);
        if (!c) oom();
        c->next = s->chunks;
        s->chunks = c;
        s->at = c->data;
        s->end = c->data + cs;
    }
    hdr *h = (hdr *)(void *)s->at;
    s->at += need;
    h->slab = s;
    h->size = size;
    s->live++;
    s->last = (char *)(h + 1);
    return h + 1;
}

/* size bytes, not cleared */
static void *get(size_t size)
{
    if (cur) return bump(cur, size);
    hdr *h = malloc(sizeof *h + size);
    if (!h) oom();
    h->slab = NULL;
    h->size = size;
    return h + 1;
}

static void destroy(rc_cmem_slab *s)
{
    for (chunk *c = s->chunks, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(s);
}

static void *cm_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / 2 / size) oom();
    void *p = get(n * size);
    memset(p, 0, n * size);
    return p;
}

static void cm_free(void *p)
{
    if (!p) return;
    hdr *h = (hdr *)p - 1;
    if (!h->slab)
        free(h);
    else if (--h->slab->live == 0)
        destroy(h->slab);
}

static void *cm_realloc(void *p, size_t size)
{
    if (!p) return get(size);
    if (size > SIZE_MAX / 2) oom();
    hdr *h = (hdr *)p - 1;
    if (size <= h->size) return p;
    rc_cmem_slab *s = h->slab;
    /* the newest allocation of the current slab grows where it is (cmark's
     * line buffers and a paragraph's content grow this way) */
    if (s && s == cur && s->last == p && (size_t)(s->end - (char *)p) >= round_up(size)) {
        s->at = (char *)p + round_up(size);
        h->size = size;
        return p;
    }
    void *q = get(size);
    memcpy(q, p, h->size);
    cm_free(p);
    return q;
}

cmark_mem rc_cmem = {cm_calloc, cm_realloc, cm_free};

rc_cmem_slab *rc_cmem_begin(void)
{
    rc_cmem_slab *s = calloc(1, sizeof *s);
    if (!s) oom();
    s->live = 1;
    rc_cmem_slab *prev = cur;
    cur = s;
    return prev;
}

void rc_cmem_end(rc_cmem_slab *prev)
{
    rc_cmem_slab *s = cur;
    cur = prev;
    if (--s->live == 0) destroy(s);
}

rc_cmem_slab *rc_cmem_enter(const cmark_node *root)
{
    rc_cmem_slab *prev = cur;
    cur = ((const hdr *)(const void *)root - 1)->slab;
    return prev;
}

void rc_cmem_leave(rc_cmem_slab *prev)
{
    cur = prev;
}
