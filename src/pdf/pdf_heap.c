/* pdf_heap: the memory of one libharu document, taken from the write's
 * arena and given back with it.
 *
 * libharu allocates every object, name and number of the document with
 * malloc, and HPDF_Free walks all of them again to free them one by one:
 * 1.8 M instructions at the end of the sample's one-edition PDF, plus a
 * malloc and a free per object. Here small blocks come from the arena
 * (the word before each says its size class) and a freed one waits in
 * a list of its class for the next request of that class, as malloc would
 * reuse it; blocks over SMALL_MAX come from malloc, on a list of their own
 * so that what the document still holds at the end is freed without the
 * walk (rc_pdf_heap_end). The document is then dropped, not freed: its
 * memory is the arena's (pdf.c).
 *
 * libharu's allocation callbacks take no context: the heap is the
 * thread's (a write runs on one thread, and the deflating thread never
 * calls libharu), set by rc_pdf_heap_begin until rc_pdf_heap_end. */
#include "pdf_heap.h"

#include <stdint.h>
#include <stdlib.h>

enum { GRAIN = 16, SMALL_MAX = 2048, NCLASS = SMALL_MAX / GRAIN + 1 };

/* Under AddressSanitizer every block is malloc'ed on its own (the big
 * blocks' path), so that a read or write past a libharu object is still
 * caught, as it was before the arena (whose blocks it cannot tell apart). */
#if defined(__SANITIZE_ADDRESS__)
#define EACH_OWN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EACH_OWN 1
#endif
#endif
#ifndef EACH_OWN
#define EACH_OWN 0
#endif

/* The word before every block: a small block's class (1..NCLASS-1: it
 * spans class * GRAIN bytes with this word, the most malloc would take for
 * the same request), 0 for a big one, which is preceded by its links in
 * the heap's ring of big blocks. Blocks are 8-byte aligned, as libharu's
 * objects (pointers, doubles) need. A free small block keeps the next free
 * one of its class in its first word. */
typedef struct big {
    struct big *prev, *next;
    size_t tag; /* 0 */
} big;

struct rc_pdf_heap {
    rc_arena *a;
    size_t *free[NCLASS];
    big ring; /* the big blocks still held */
};

static _Thread_local rc_pdf_heap *cur;

static void *HPDF_STDCALL heap_alloc(HPDF_UINT size)
{
    rc_pdf_heap *h = cur;
    size_t cls = ((size_t)size + sizeof(size_t) + GRAIN - 1) / GRAIN;
    if (!EACH_OWN && cls < NCLASS) {
        size_t *w = h->free[cls];
        if (w) {
            h->free[cls] = *(size_t **)(void *)w;
        } else {
            w = (size_t *)rc_arena_alloc(h->a, cls * GRAIN) + 1;
            w[-1] = cls;
        }
        return w;
    }
    big *b = malloc(sizeof *b + (size_t)size);
    if (!b) return NULL; /* libharu reports HPDF_FAILD_TO_ALLOC_MEM */
    b->tag = 0;
    b->next = h->ring.next;
    b->prev = &h->ring;
    h->ring.next->prev = b;
    h->ring.next = b;
    return b + 1;
}

static void HPDF_STDCALL heap_free(void *p)
{
    if (!p) return;
    rc_pdf_heap *h = cur;
    size_t *w = p, cls = w[-1];
    if (cls) {
        *(size_t **)p = h->free[cls];
        h->free[cls] = w;
        return;
    }
    big *b = (big *)p - 1;
    b->prev->next = b->next;
    b->next->prev = b->prev;
    free(b);
}

rc_pdf_heap *rc_pdf_heap_begin(rc_arena *a, HPDF_Alloc_Func *alloc_fn, HPDF_Free_Func *free_fn)
{
    rc_pdf_heap *h = rc_arena_alloc(a, sizeof *h);
    h->a = a;
    h->ring.next = h->ring.prev = &h->ring;
    cur = h;
    *alloc_fn = heap_alloc;
    *free_fn = heap_free;
    return h;
}

void rc_pdf_heap_end(rc_pdf_heap *h)
{
    if (!h) return;
    for (big *b = h->ring.next; b != &h->ring;) {
        big *next = b->next;
        free(b);
        b = next;
    }
    h->ring.next = h->ring.prev = &h->ring;
    if (cur == h) cur = NULL;
}
