/* arena: a chain of large blocks; allocation is a pointer bump. */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "rc/arena.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux >= 5.14; the value is the kernel's ABI (older headers lack it,
 * older kernels answer EINVAL: see prefault). */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define ALIGN 16u
/* Head blocks are anonymous mappings of this many bytes (header
 * included); allocations of more than BLOCK_MIN / 4 get a block of their
 * own. */
#define BLOCK_MIN ((size_t)256 * 1024)
/* An arena's first head block is this small, of ordinary pages; the
 * blocks after it are BLOCK_MIN, cut from huge pages (see new_head). Every
 * allocation made in head blocks (at most BLOCK_MIN / 4) fits in one. */
#define BLOCK_FIRST ((size_t)128 * 1024)
/* Freed head blocks kept for the next arena (see new_head), at most
 * 16 MiB: a watcher's rebuild of the sample frees more than 8 (with 8 it
 * took 442 page faults per rebuild, with 64 it takes 14; bench/watch.py). */
#define SPARE_MAX 64
/* A vector growing past this many bytes moves to a block of its own (see
 * rc_arena_grow): a page's draw list is about 45 KB, and doubling it inside
 * the shared blocks left as much again abandoned behind it. Below this, the
 * copies it leaves while doubling are about as much again (at 8 KiB, a
 * 1,006-page report peaked at 312 MB; at 2 KiB, 299 MB). */
#define VEC_OWN ((size_t)2 * 1024)

typedef struct block {
    struct block *next; /* head blocks only */
    size_t size, used;
    /* Head blocks: bytes [0, dirty) may hold what a previous arena wrote
     * (a spare block is not cleared when taken, see take_spare); past
     * max(used, dirty) the block is zero. */
    size_t dirty;
    /* Head blocks: the bytes of the mapping (header included) whose pages
     * have been written, a multiple of the page size, at least
     * sizeof(block) + used (see reach). */
    size_t ready;
    bool mapped; /* an anonymous mapping of sizeof(block) + size bytes */
    bool huge;   /* (mapped) cut from a region of huge pages (see carve) */
    _Alignas(16) unsigned char data[];
} block;

_Static_assert(BLOCK_MIN / 4 + ALIGN <= BLOCK_FIRST - sizeof(block),
               "a first block holds any allocation");

typedef struct cleanup {
    struct cleanup *next;
    void (*fn)(void *);
    void *ctx;
} cleanup;

struct rc_arena {
    cleanup *cleanups; /* run by rc_arena_free, most recent first */
    block *head;
    /* Allocations of more than BLOCK_MIN / 4 and vectors of more than
     * VEC_OWN get a block each, found by their data address in this open
     * addressing table (linear probing, at most half full): a growing
     * vector is realloc'd (mremap for glibc's large chunks) instead of
     * copied and abandoned, whatever was allocated since, and
     * rc_arena_release can give one back early. */
    block **big;
    size_t nbig, bigcap;
    size_t total;
    void *last; /* the most recent allocation in head, for in-place growth */
    size_t last_size;
};

static void oom(size_t n)
{
    fprintf(stderr, "reportc: out of memory (allocating %zu bytes)\n", n);
    abort();
}

/* ---- blocks ----
 * Head blocks are anonymous mappings: their pages are zero when first
 * touched, so nothing clears them, and a page the arena never reaches costs
 * no page fault. calloc'd, they were cleared whole whenever glibc took them
 * from its heap (its mmap threshold rises past 256 KiB once such a block is
 * freed): 5.4 M instructions in callgrind of a one-edition --only pdf build
 * (rep stosb, counted per byte: little real time), and every page of every
 * block faulted in however little of it was used (the PDF writer's per-font
 * arenas use 13-24 KB of their 256). Own blocks stay with malloc: mapping
 * them (and growing them by mremap) cost ~370 more page faults than glibc,
 * which reuses what one arena frees for the next allocation. */

/* ---- pages ----
 * Fresh anonymous memory read before it is written (a hash table probed
 * before its first entry goes in, a flag array tested) is mapped at the
 * first read to the kernel's shared zero page, and the first write must
 * replace that mapping: a second fault, and when another thread of the
 * process has run on another CPU (the PDF's deflate thread, the workbook
 * threads), a TLB shootdown IPI to that CPU (perf, full one-edition build:
 * do_wp_page -> flush_tlb_mm_range -> smp_call_function_many_cond, ~3-6 %
 * of reportc's CPU, from the shaper's tables). So the first touch of every
 * page of a head block is a write: a zero at the start of each, as the
 * allocations reach it. A block of its own comes from calloc untouched (it
 * may be a buffer used in part, where faulting in every page cost ~125
 * more pages a build); a table asked for with rc_arena_table, probed all
 * over, is faulted in whole with MADV_POPULATE_WRITE (one system call).
 * A one-edition build went from ~250-300 copy-on-write faults after
 * start-up to 4 (exceptions:page_fault_user, error code 7), and the full
 * build took ~2.5 ms less CPU (29.0 -> 26.7 ms median of 100 alternating
 * runs, load ~1.3). Populating head blocks too, 16 or 64 KiB ahead, saved
 * no more: the kernel's cost per page (allocating, clearing
 * and charging it) stays, and ahead of need it populated pages no one
 * used. */
static atomic_bool no_populate; /* the kernel said EINVAL (before 5.14) */

/* Writes a zero at p and at the start of each later page of [p, p + n):
 * the bytes there are zero, or free. */
static void touch(void *p, size_t n)
{
    uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (uintptr_t a = (uintptr_t)p; a < (uintptr_t)p + n; a = (a & ~(ps - 1)) + ps)
        *(volatile unsigned char *)a = 0;
}

/* Faults the pages of [p, p + n), which is zero, in writable; bytes of the
 * first and last page outside the range stay as they are. */
static void prefault(void *p, size_t n)
{
    if (n == 0) return;
    uintptr_t ps = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t lo = (uintptr_t)p & ~(ps - 1), hi = ((uintptr_t)p + n + ps - 1) & ~(ps - 1);
    if (!atomic_load_explicit(&no_populate, memory_order_relaxed)) {
        if (madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0) return;
        if (errno != EINVAL) return; /* no memory now: the ordinary faults will say */
        atomic_store_explicit(&no_populate, true, memory_order_relaxed);
    }
    touch(p, n); /* an older kernel: a fault per page, but each a write */
}

/* Head block b is about to be used up to data offset end (from its used
 * mark, so what lies between is free): the pages up to there are written
 * first. */
static inline void reach(block *b, size_t end)
{
    size_t need = sizeof(block) + end;
    if (need <= b->ready) return;
    size_t ps = (size_t)sysconf(_SC_PAGESIZE), to = (need + ps - 1) & ~(ps - 1);
    touch((unsigned char *)b + b->ready, to - b->ready);
    b->ready = to;
}

/* ---- huge pages ----
 * Head blocks are cut one after the other from regions of 32 MiB aligned
 * to 2 MiB and marked MADV_HUGEPAGE, so that where the kernel has
 * transparent huge pages (enabled "always" or "madvise", the common
 * defaults) the first touch of a 2 MiB stretch maps it whole: one page
 * fault for eight blocks instead of one per 4 KiB page. A page fault costs
 * ~2 us here (trap, allocation, memory-cgroup charge, zeroing), and
 * faults were most of the build's system time: the one-edition --only pdf
 * build went from 1,988 to 829 faults with every block of huge pages, to
 * 1,489 with an arena's first block of ordinary ones (see new_head). On a
 * loaded machine (load 1.2-3.4) the three editions took 38.1 against
 * 42.1 ms; on a quiet one the gain is 1-2 % (32.1-32.6 against 32.6-33.0
 * ms, 61 alternating rounds of one binary with the regions on and off,
 * both orders). The cost: a stretch is zeroed and counted
 * in the resident set whole, however little of it is used (at most one
 * partly used stretch per region, since blocks are cut in order), and a
 * freed block given back to the kernel splits its huge page. So spare
 * blocks from these regions are not unmapped by rc_arena_drop_spares: the
 * exit frees their huge pages whole, cheaper than splitting them. Where
 * madvise refuses (no transparent huge pages in the kernel) or the kernel
 * never uses them, blocks are ordinary 4 KiB pages, as before. */
#define HUGE_PAGE ((size_t)2 << 20)
#define REGION ((size_t)32 << 20)
static pthread_mutex_t region_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char *region_at, *region_end;
static atomic_bool no_huge; /* madvise said no, or tests asked (rc_arena_huge_pages) */

void rc_arena_huge_pages(bool on)
{
    atomic_store(&no_huge, !on);
}

/* BLOCK_MIN bytes of a huge-page region, or NULL. */
static void *carve(void)
{
    if (atomic_load_explicit(&no_huge, memory_order_relaxed)) return NULL;
    pthread_mutex_lock(&region_lock);
    if (region_at == region_end) {
        unsigned char *m = mmap(NULL, REGION + HUGE_PAGE, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        unsigned char *r = NULL;
        if (m != MAP_FAILED) { /* aligned, the rest unmapped */
            r = (unsigned char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
            if (r > m) munmap(m, (size_t)(r - m));
            if (m + HUGE_PAGE > r) munmap(r + REGION, (size_t)(m + HUGE_PAGE - r));
            if (madvise(r, REGION, MADV_HUGEPAGE) != 0) {
                munmap(r, REGION);
                r = NULL;
                atomic_store(&no_huge, true);
            }
        }
        if (!r) {
            pthread_mutex_unlock(&region_lock);
            return NULL; /* (an ordinary mapping then; it says if memory is out) */
        }
        region_at = r;
        region_end = r + REGION;
    }
    void *p = region_at;
    region_at += BLOCK_MIN;
    pthread_mutex_unlock(&region_lock);
    return p;
}

static block *map_block(size_t size, bool want_huge)
{
    void *m = want_huge && size == BLOCK_MIN - sizeof(block) ? carve() : NULL;
    bool huge = m != NULL;
    if (!m)
        m = mmap(NULL, sizeof(block) + size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
    if (m == MAP_FAILED) oom(size);
    block *b = m;
    b->size = size;
    b->dirty = 0;
    b->ready = (size_t)sysconf(_SC_PAGESIZE); /* the header's page, written here */
    b->mapped = true;
    b->huge = huge;
    return b;
}

static void drop_block(block *b)
{
    if (b->mapped)
        munmap(b, sizeof *b + b->size);
    else
        free(b);
}

/* Freed head blocks wait here for the next arena (the layout's scratch
 * arena, the PDF writer's per-font ones, a watcher's next build), where a
 * fresh mapping costs a page fault per page touched. Taking one clears
 * nothing: what it had used is marked dirty, and alloc clears only what it
 * hands out from there to a caller that needs zeros (strings and raw
 * vectors overwrite it anyway). Clearing the used part on taking was
 * 7.8 M instructions of a 211-page --only pdf build, and zeroed most of it
 * twice (again by the draw lists' growth). */
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static block *spare[SPARE_MAX];
static size_t nspare;
/* arenas' first blocks (BLOCK_FIRST), kept for the next arenas' */
static block *small[SPARE_MAX];
static size_t nsmall;

static bool is_first(const block *b)
{
    return b->size == BLOCK_FIRST - sizeof(block);
}

static void put_spare(block *b)
{
    pthread_mutex_lock(&spare_lock);
    block **v = is_first(b) ? small : spare;
    size_t *n = is_first(b) ? &nsmall : &nspare;
    bool kept = *n < SPARE_MAX;
    if (kept) v[(*n)++] = b;
    pthread_mutex_unlock(&spare_lock);
    if (!kept) drop_block(b);
}

/* Unmaps the spare blocks but those of huge pages, which stay spare (a
 * build about to exit: see rc_arena_drop_spares and "huge pages"). */
size_t rc_arena_drop_spares(void)
{
    pthread_mutex_lock(&spare_lock);
    size_t n = 0, kept = 0;
    block *mine[2 * SPARE_MAX];
    for (size_t i = 0; i < nspare; i++)
        if (spare[i]->huge)
            spare[kept++] = spare[i];
        else
            mine[n++] = spare[i];
    nspare = kept;
    for (size_t i = 0; i < nsmall; i++)
        mine[n++] = small[i];
    nsmall = 0;
    pthread_mutex_unlock(&spare_lock);
    for (size_t i = 0; i < n; i++)
        drop_block(mine[i]);
    return n;
}

/* A spare BLOCK_MIN block, or with first, an arena's first block or else
 * that. */
static block *take_spare(bool first)
{
    pthread_mutex_lock(&spare_lock);
    block *b = first && nsmall ? small[--nsmall] : nspare ? spare[--nspare] : NULL;
    pthread_mutex_unlock(&spare_lock);
    if (b && b->used > b->dirty) b->dirty = b->used;
    return b;
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
    for (block *b = a->head; b;) {
        block *n = b->next;
        put_spare(b);
        b = n;
    }
    for (size_t i = 0; i < a->bigcap; i++)
        if (a->big[i]) drop_block(a->big[i]);
    free(a->big);
    free(a);
}

/* ---- the table of own blocks ---- */

static size_t slot_of(const rc_arena *a, const void *data)
{
    uint64_t h = (uint64_t)(uintptr_t)data * 0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 32) & (a->bigcap - 1);
}

/* The slot holding the block whose data is p, or the empty slot where it
 * would go. */
static size_t find_big(const rc_arena *a, const void *p)
{
    size_t i = slot_of(a, p);
    while (a->big[i] && a->big[i]->data != p)
        i = (i + 1) & (a->bigcap - 1);
    return i;
}

static void put_big(rc_arena *a, block *b)
{
    if (2 * (a->nbig + 1) > a->bigcap) {
        size_t oc = a->bigcap, nc = oc ? oc * 2 : 64;
        block **old = a->big;
        a->big = calloc(nc, sizeof *a->big);
        if (!a->big) oom(nc * sizeof *a->big);
        a->bigcap = nc;
        for (size_t i = 0; i < oc; i++)
            if (old[i]) a->big[find_big(a, old[i]->data)] = old[i];
        free(old);
    }
    a->big[find_big(a, b->data)] = b;
    a->nbig++;
}

/* Empties slot i, moving later entries of its probe run back so every
 * entry stays reachable from its home slot. */
static void drop_slot(rc_arena *a, size_t i)
{
    size_t mask = a->bigcap - 1;
    a->big[i] = NULL;
    a->nbig--;
    for (size_t j = (i + 1) & mask; a->big[j]; j = (j + 1) & mask) {
        size_t home = slot_of(a, a->big[j]->data);
        /* j's entry may move to i when i lies cyclically in [home, j) */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            a->big[i] = a->big[j];
            a->big[j] = NULL;
            i = j;
        }
    }
}

static block *own_block(const rc_arena *a, const void *p)
{
    return p && a->nbig ? a->big[find_big(a, p)] : NULL;
}

/* Head blocks are zero past their dirty mark (a fresh mapping is zero
 * throughout) and never hand out a byte twice, so what is allocated from
 * them past the mark needs no memset: clearing every allocation was 11 M
 * instructions of the sample's 439 M, most of it on pages already zero. */
static block *new_head(rc_arena *a)
{
    /* An arena's first block is small (BLOCK_FIRST) and of ordinary pages:
     * many arenas stay small (the PDF writer's per-font arenas use 13-24
     * KB), and in a huge page their whole block would be cleared and
     * resident. The blocks after it are cut from huge pages. The first
     * block was BLOCK_MIN (256 KiB) until 4 December: every arena that
     * grew past 128 KiB, the layout's and the PDF writer's among them, took
     * up to 64 page faults of ~2 us each (most on the typesetting thread)
     * before reaching huge pages. With 128 KiB, the one-edition --only pdf
     * build takes about 1,220 page faults instead of 1,580 and ~0.5 ms
     * less, peaking at 16.4 MiB instead of 15.1 (41 alternating rounds,
     * paired medians). 64 KiB saved another 0.5 ms, but more arenas then
     * reached huge pages, whose 2 MiB are resident whole: the 1,006-page
     * build peaked at 63.0-64.5 MiB in five runs, over the 64 MiB it must
     * stay within, against 62.7-63.4 with 128 KiB and 60.5-63.2 before.
     * A spare is taken first (a first block's for a first block): its
     * pages are there already. */
    bool first = !a->head;
    block *nb = take_spare(first);
    if (!nb)
        nb = first ? map_block(BLOCK_FIRST - sizeof(block), false)
                   : map_block(BLOCK_MIN - sizeof(block), true);
    nb->used = 0;
    nb->next = a->head;
    a->head = nb;
    return nb;
}

/* Clears [at, at + n) of head block b where it lies below the dirty mark
 * (past it the block is still zero). */
static void clear_dirty(block *b, size_t at, size_t n)
{
    if (at >= b->dirty) return;
    size_t end = b->dirty - at < n ? b->dirty : at + n;
    memset(b->data + at, 0, end - at);
}

/* Allocates size bytes, zeroed but for the first keep (which the caller
 * is about to overwrite; keep == size: nothing is cleared). */
static void *alloc(rc_arena *a, size_t size, size_t keep, bool own)
{
    if (size == 0) size = 1;
    if (size > SIZE_MAX - ALIGN) oom(size);
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    block *b = a->head;
    if (own || size > BLOCK_MIN / 4) {
        /* Big allocations get their own block, so the head's free space is
         * not wasted and a vector can grow by realloc (rc_arena_grow). */
        block *nb = keep ? malloc(sizeof *nb + size) : calloc(1, sizeof *nb + size);
        if (!nb) oom(size);
        nb->mapped = false;
        nb->huge = false;
        nb->dirty = 0;
        if (keep && keep < size) memset(nb->data + keep, 0, size - keep);
        nb->size = nb->used = size;
        nb->next = NULL;
        put_big(a, nb);
        a->total += size;
        return nb->data;
    }
    size_t at = b ? (b->used + ALIGN - 1) & ~(size_t)(ALIGN - 1) : 0; /* after a string */
    if (!b || at > b->size || b->size - at < size) {
        b = new_head(a);
        at = 0;
    }
    void *p = b->data + at;
    reach(b, at + size);
    if (keep < size) clear_dirty(b, at + keep, size - keep);
    b->used = at + size;
    a->total += size;
    a->last = p;
    a->last_size = size;
    return p;
}

/* n bytes with no alignment and not zeroed, for strings: a word of seven
 * letters takes eight bytes, not sixteen (the draw lists of a 1,000-page
 * report hold about 380,000 words). */
static char *bytes(rc_arena *a, size_t n)
{
    if (n == 0) n = 1;
    if (n > BLOCK_MIN / 4) return alloc(a, n, n, false);
    block *b = a->head;
    if (!b || b->size - b->used < n) b = new_head(a);
    char *p = (char *)b->data + b->used;
    reach(b, b->used + n);
    b->used += n;
    a->total += n;
    a->last = NULL; /* the newest aligned allocation no longer ends the block */
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

void *rc_arena_table(rc_arena *a, size_t n, size_t sz)
{
    void *p = rc_arena_array(a, n, sz);
    /* in a head block, reach wrote its pages; a block of its own comes
     * from calloc untouched */
    if (n * sz > BLOCK_MIN / 4) prefault(p, n * sz);
    return p;
}

char *rc_arena_strndup(rc_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    if (n == SIZE_MAX) oom(n);
    char *p = bytes(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *rc_arena_strdup(rc_arena *a, const char *s)
{
    return s ? rc_arena_strndup(a, s, strlen(s)) : NULL;
}

/* Formats straight into the head block's free space, and only when the
 * text does not fit there measures it and formats it again where it does:
 * formatting every text twice (once to measure) was 4 M instructions of a
 * full one-edition build. */
char *rc_arena_vprintf(rc_arena *a, const char *fmt, va_list ap)
{
    block *b = a->head;
    size_t room = b ? b->size - b->used : 0;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(room ? (char *)b->data + b->used : NULL, room, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    if ((size_t)n < room) { /* it fit: take what it used */
        char *p = (char *)b->data + b->used;
        b->used += (size_t)n + 1;
        /* written: its pages are faulted in */
        size_t ps = (size_t)sysconf(_SC_PAGESIZE),
               w = (sizeof(block) + b->used + ps - 1) & ~(ps - 1);
        if (w > b->ready) b->ready = w;
        a->total += (size_t)n + 1;
        a->last = NULL;
        return p;
    }
    /* what was tried is dirty now (alloc clears it before handing it out) */
    size_t tried = (size_t)n + 1 < room ? (size_t)n + 1 : room;
    if (b && b->used + tried > b->dirty) b->dirty = b->used + tried;
    char *p = bytes(a, (size_t)n + 1);
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

/* zero: the new elements are cleared (rc_arena_grow); else left as they
 * come (rc_arena_grow_raw). */
static void *grow(rc_arena *a, void *old, size_t old_n, size_t new_n, size_t sz, bool zero)
{
    /* Growing the newest allocation of the head block extends it in place,
     * so vectors pushed without interleaved allocations cost no copies. */
    if (old && old == a->last && sz && new_n <= SIZE_MAX / sz) {
        size_t need = (new_n * sz + ALIGN - 1) & ~(size_t)(ALIGN - 1);
        block *b = a->head;
        if (need >= a->last_size && b->size - (b->used - a->last_size) >= need) {
            size_t extra = need - a->last_size;
            reach(b, b->used + extra);
            if (zero) { /* what it held past old_n (a raw grow's), then the dirt */
                size_t from = old_n * sz < a->last_size ? old_n * sz : a->last_size;
                memset((unsigned char *)old + from, 0, a->last_size - from);
                clear_dirty(b, b->used, extra);
            }
            b->used += extra;
            a->total += extra;
            a->last_size = need;
            return old;
        }
    }
    /* A vector in a block of its own is realloc'd: no copy for glibc's
     * mmap'd chunks, and nothing left behind. */
    block *bb = own_block(a, old);
    if (bb && sz && new_n <= SIZE_MAX / sz) {
        size_t need = (new_n * sz + ALIGN - 1) & ~(size_t)(ALIGN - 1);
        /* zero: from old_n on (a raw grow may have left garbage there) */
        size_t from = old_n * sz < bb->size ? old_n * sz : bb->size;
        if (need <= bb->size) {
            if (zero && need > from) memset(bb->data + from, 0, need - from);
            return old;
        }
        size_t at = find_big(a, old);
        block *nb = realloc(bb, sizeof *nb + need);
        if (!nb) oom(need);
        if (zero) memset(nb->data + from, 0, need - from);
        a->total += need - nb->size;
        nb->size = nb->used = need;
        if (nb != bb) { /* moved: file it under its new address */
            drop_slot(a, at);
            put_big(a, nb);
        }
        return nb->data;
    }
    /* A moved vector: only the part the copy does not fill is zeroed (the
     * draw lists of a 35-page build zeroed 11 M instructions' worth of bytes
     * twice before this), and nothing when the caller does not ask. */
    if (sz && new_n > SIZE_MAX / sz) oom(SIZE_MAX);
    size_t keep = (old && old_n ? (old_n < new_n ? old_n : new_n) : 0) * sz;
    unsigned char *p = alloc(a, new_n * sz, zero ? keep : SIZE_MAX, new_n * sz > VEC_OWN);
    if (keep) memcpy(p, old, keep);
    return p;
}

void *rc_arena_grow(rc_arena *a, void *old, size_t old_n, size_t new_n, size_t sz)
{
    return grow(a, old, old_n, new_n, sz, true);
}

void *rc_arena_grow_raw(rc_arena *a, void *old, size_t old_n, size_t new_n, size_t sz)
{
    return grow(a, old, old_n, new_n, sz, false);
}

void rc_arena_release(rc_arena *a, void *p)
{
    block *b = own_block(a, p);
    if (!b) return;
    drop_slot(a, find_big(a, p));
    a->total -= b->size;
    drop_block(b);
}

size_t rc_arena_used(const rc_arena *a)
{
    return a->total;
}

void rc_strbuf_reserve(rc_strbuf *b, size_t len)
{
    if (b->n + len + 1 <= b->cap) return;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < b->n + len + 1)
        nc *= 2;
    /* raw: rc_strbuf_put writes every byte up to the NUL it ends with */
    b->s = rc_arena_grow_raw(b->a, b->s, b->cap, nc, 1);
    b->cap = nc;
}

void rc_strbuf_puts(rc_strbuf *b, const char *s)
{
    rc_strbuf_put(b, s, strlen(s));
}
