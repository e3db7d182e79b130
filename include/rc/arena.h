/* arena: one region allocator per build. Everything a build creates (config,
 * rows, aggregates, the document tree, boxes, pages) is allocated here and
 * released at once by rc_arena_free. Allocation failure aborts the process
 * with a message (there is nothing sensible to do on a 24 GiB machine that
 * ran out of memory in a report compiler), so callers never check for NULL. */
#ifndef RC_ARENA_H
#define RC_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <string.h>

typedef struct rc_arena rc_arena;

rc_arena *rc_arena_new(void);
void rc_arena_free(rc_arena *a);
/* Unmaps the blocks freed arenas left for the next ones (at most 16 MiB)
 * and returns how many it unmapped: for a process that makes no more
 * arenas, or few, and would otherwise unmap them in its exit. Blocks in
 * transparent huge pages (src/base/arena.c, "huge pages") stay: the exit
 * frees those 2 MiB at a time. Thread-safe; arenas in use are untouched. */
size_t rc_arena_drop_spares(void);
/* Head blocks from regions of transparent huge pages (the default), or
 * from ordinary mappings; for tests of either kind. Affects blocks mapped
 * afterwards. */
void rc_arena_huge_pages(bool on);

/* Zeroed memory aligned for any type. */
void *rc_arena_alloc(rc_arena *a, size_t size);
/* Zeroed array of n elements of size sz (overflow-checked). */
void *rc_arena_array(rc_arena *a, size_t n, size_t sz);
/* The same for a table probed all over before it is filled (a hash
 * table): its pages are faulted in writable at once, so that no probe maps
 * the kernel's zero page for a later write to replace (a second fault, and
 * a TLB shootdown when other threads run). Head-block memory is always
 * handed out written (src/base/arena.c); this matters for more than 64 KiB,
 * which rc_arena_array leaves to fault page by page as it is touched. */
void *rc_arena_table(rc_arena *a, size_t n, size_t sz);
/* Copies of strings; the result is NUL-terminated and packed (no alignment,
 * so a short word costs its length plus one). NULL in gives NULL out. */
char *rc_arena_strdup(rc_arena *a, const char *s);
char *rc_arena_strndup(rc_arena *a, const char *s, size_t n);
char *rc_arena_printf(rc_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *rc_arena_vprintf(rc_arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Grows an array allocated in this arena: in place when it is the newest
 * allocation, by realloc when it has a block of its own (more than 2 KiB
 * grown here, or more than 64 KiB allocated at once), else by a copy that
 * abandons the old one. Elements old_n..new_n-1 of the result are zero
 * (whatever the vector held past old_n before); the first old_n are kept. */
void *rc_arena_grow(rc_arena *a, void *old, size_t old_n, size_t new_n, size_t sz);
/* The same, but elements old_n..new_n-1 are left as they come (garbage):
 * for callers that write every element before reading it (RC_PUSH, the
 * draw lists, rc_strbuf). Clearing them was most of the cost of growing a
 * page's draw list (a realloc'd block's new half zeroed at every doubling). */
void *rc_arena_grow_raw(rc_arena *a, void *old, size_t old_n, size_t new_n, size_t sz);
/* Gives back early the memory of p when it has a block of its own (see
 * rc_arena_grow: a vector that outgrew 2 KiB among other allocations has);
 * anything else stays until rc_arena_free. p must not be used afterwards
 * either way. */
void rc_arena_release(rc_arena *a, void *p);
/* Registers fn(ctx) to run when the arena is freed (before its memory
 * goes), for resources a library allocates outside it (HarfBuzz fonts). */
void rc_arena_on_free(rc_arena *a, void (*fn)(void *), void *ctx);
/* Bytes held: handed out and not released (for tests and benchmarks). */
size_t rc_arena_used(const rc_arena *a);

/* A growable array of T in an arena: RC_VEC(int) v = {0}; RC_PUSH(a, v, 3);
 * Elements past n are garbage (RC_PUSH writes each one it adds). */
#define RC_VEC(T)                                                                                  \
    struct {                                                                                       \
        T *v;                                                                                      \
        size_t n, cap;                                                                             \
    }
#define RC_PUSH(arena, vec, x)                                                                     \
    do {                                                                                           \
        if ((vec).n == (vec).cap) {                                                                \
            size_t nc_ = (vec).cap ? (vec).cap * 2 : 8;                                            \
            (vec).v = rc_arena_grow_raw((arena), (vec).v, (vec).n, nc_, sizeof *(vec).v);          \
            (vec).cap = nc_;                                                                       \
        }                                                                                          \
        (vec).v[(vec).n++] = (x);                                                                  \
    } while (0)

/* A growable NUL-terminated string in an arena (the back ends' and the
 * document's text builders). Zero-initialise with the arena set:
 * rc_strbuf b = {.a = a}; b.s is NULL until something is put. */
typedef struct rc_strbuf {
    rc_arena *a;
    char *s;
    size_t n, cap;
} rc_strbuf;
/* Makes room for len more bytes and the NUL. */
void rc_strbuf_reserve(rc_strbuf *b, size_t len);
/* Inline: the LaTeX writer puts a piece at a time (68,000 for the
 * sample), and the call was most of the cost of a short one. */
static inline void rc_strbuf_put(rc_strbuf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) rc_strbuf_reserve(b, len);
    memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}
void rc_strbuf_puts(rc_strbuf *b, const char *s);

#endif
