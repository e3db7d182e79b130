/* Head blocks cut from regions of transparent huge pages (src/base/arena.c,
 * "huge pages"): 2 MiB-aligned regions the kernel may back with huge pages,
 * blocks cut in order, kept spare by rc_arena_drop_spares and reused; and
 * ordinary mappings when turned off. An arena's first block is a smaller
 * one of ordinary pages; a freed first block is the next arena's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/arena.h"

#define BLOCK ((uintptr_t)256 * 1024)
/* An allocation four of which fill a 256 KiB block, two an arena's first
 * block (128 KiB, its header and anything else). */
#define SZ 65504

/* The smaps entry of the mapping holding p: its size in KiB and its
 * THPeligible flag (-1 when the kernel does not say). */
static void mapping_of(const void *p, unsigned long *kib, int *eligible)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    char line[512];
    bool in = false;
    *kib = 0;
    *eligible = -1;
    uintptr_t a = (uintptr_t)p;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            in = a >= lo && a < hi;
            continue;
        }
        if (!in) continue;
        sscanf(line, "Size: %lu kB", kib);
        sscanf(line, "THPeligible: %d", eligible);
    }
    fclose(f);
}

/* The kernel's setting ("always", "madvise" or "never"; "" when it has
 * no transparent huge pages). */
static const char *thp_mode(void)
{
    static char mode[16];
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    char s[128] = "";
    bool got = f && fgets(s, sizeof s, f);
    if (f) fclose(f);
    const char *o = got ? strchr(s, '[') : NULL, *c = o ? strchr(o, ']') : NULL;
    if (!c || c - o - 1 >= (long)sizeof mode) return "";
    memcpy(mode, o + 1, (size_t)(c - o - 1));
    mode[c - o - 1] = 0;
    return mode;
}

/* The first allocation of each new head block, of an arena asked for
 * SZ bytes at a time (four per 256 KiB block). */
static size_t block_starts(rc_arena *a, unsigned char **starts, size_t n)
{
    size_t k = 0;
    uintptr_t last = 0; /* (in one block, each follows the last: 65,504 = 4,094 x 16) */
    for (size_t i = 0; k < n; i++) {
        unsigned char *p = rc_arena_alloc(a, SZ);
        if ((uintptr_t)p != last + SZ) starts[k++] = p;
        last = (uintptr_t)p;
        assert_true(i < 4 * n + 4);
    }
    return k;
}

/* The first allocation of a new arena, of a few bytes: its first block. */
static unsigned char *first_block(rc_arena *a)
{
    unsigned char *p = rc_arena_alloc(a, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(p[i], 0);
    return p;
}

static void test_blocks_cut_in_order_from_an_aligned_region(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    unsigned char *all[7], **s = all + 1;
    block_starts(a, all, 7); /* (an arena's first block: ordinary pages) */
    unsigned long kib;
    int eligible;
    mapping_of(all[0], &kib, &eligible);
    if (!strcmp(thp_mode(), "madvise") && eligible != -1) assert_int_equal(eligible, 0);
    for (int i = 1; i < 6; i++) /* each the next 256 KiB of one region */
        assert_int_equal((uintptr_t)s[i] - (uintptr_t)s[i - 1], BLOCK);
    mapping_of(s[0], &kib, &eligible);
    assert_true(kib >= 32 * 1024);               /* the region (maybe merged with a neighbour) */
    assert_true((uintptr_t)s[0] % BLOCK < 4096); /* a block starts at 256 KiB */
    const char *mode = thp_mode();
    if ((!strcmp(mode, "always") || !strcmp(mode, "madvise")) && eligible != -1)
        assert_int_equal(eligible, 1); /* the kernel may give it huge pages */
    for (int i = 0; i < 6; i++)        /* zeroed, and writable */
        for (size_t j = 0; j < SZ; j += 997) {
            assert_int_equal(s[i][j], 0);
            s[i][j] = 1;
        }
    rc_arena_free(a);
}

/* An arena holding every spare block there is (at most 64), so that the
 * next arena maps blocks of its own. */
static rc_arena *hold_spares(void)
{
    rc_arena *hold = rc_arena_new();
    for (int i = 0; i < 64 * 4; i++)
        rc_arena_alloc(hold, SZ);
    return hold;
}

static void test_huge_spares_stay_and_are_reused_zeroed(void **state)
{
    (void)state;
    rc_arena *hold = hold_spares();
    rc_arena *a = rc_arena_new();
    unsigned char *all[4], **s = all + 1;
    block_starts(a, all, 4);
    for (int i = 0; i < 4; i++)
        memset(all[i], 0xAB, SZ);
    rc_arena_free(a);
    /* the first block unmapped, the three of huge pages kept */
    assert_int_equal(rc_arena_drop_spares(), 1);
    rc_arena *b = rc_arena_new();
    unsigned char *t[3];
    rc_arena_alloc(b, SZ); /* its first block, filled */
    rc_arena_alloc(b, SZ);
    block_starts(b, t, 3);
    for (int i = 0; i < 3; i++) {
        uintptr_t tb = (uintptr_t)t[i] & ~(BLOCK - 1);
        bool reused = false;
        for (int k = 0; k < 3; k++)
            reused |= tb == ((uintptr_t)s[k] & ~(BLOCK - 1));
        assert_true(reused);
        for (size_t j = 0; j < SZ; j++)
            assert_int_equal(t[i][j], 0);
    }
    rc_arena_free(b);
    rc_arena_free(hold);
}

/* An arena's first block is the small one a freed arena left, written
 * over and handed out zeroed; the next is a whole one. */
static void test_first_blocks_are_small_and_reused(void **state)
{
    (void)state;
    rc_arena *hold = hold_spares();
    rc_arena *a = rc_arena_new();
    unsigned char *p = first_block(a);
    memset(p, 0xAB, 100);
    char *s = rc_arena_strndup(a, "abcdef", 6); /* the same block */
    assert_true((uintptr_t)s >= (uintptr_t)p && (uintptr_t)s < (uintptr_t)p + 4096);
    rc_arena_free(a);
    rc_arena *b = rc_arena_new();
    assert_ptr_equal(first_block(b), p); /* the first block a left */
    /* another arena meanwhile: another first block */
    rc_arena *c = rc_arena_new();
    unsigned char *q = first_block(c);
    assert_true(q != p);
    /* the first block fills up: the next is a whole one */
    unsigned char *in = rc_arena_alloc(c, SZ), *big = rc_arena_alloc(c, SZ);
    assert_true((uintptr_t)in > (uintptr_t)q && (uintptr_t)in < (uintptr_t)q + 128 * 1024);
    assert_false((uintptr_t)big >= (uintptr_t)q && (uintptr_t)big < (uintptr_t)q + 128 * 1024);
    for (size_t j = 0; j < SZ; j++)
        assert_int_equal(big[j], 0);
    rc_arena_free(c);
    rc_arena_free(b);
    rc_arena_free(hold);
}

static void test_off_gives_ordinary_blocks_a_drop_unmaps(void **state)
{
    (void)state;
    rc_arena_huge_pages(false);
    rc_arena *hold = hold_spares(); /* (the huge spares the tests above left) */
    rc_arena *a = rc_arena_new();
    unsigned char *s[3];
    block_starts(a, s, 3);
    unsigned long kib;
    int eligible;
    mapping_of(s[0], &kib, &eligible);
    if (!strcmp(thp_mode(), "madvise") && eligible != -1) assert_int_equal(eligible, 0);
    rc_arena_free(a);
    assert_true(rc_arena_drop_spares() >= 3);
    rc_arena_free(hold);
    rc_arena_huge_pages(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_cut_in_order_from_an_aligned_region),
        cmocka_unit_test(test_huge_spares_stay_and_are_reused_zeroed),
        cmocka_unit_test(test_first_blocks_are_small_and_reused),
        cmocka_unit_test(test_off_gives_ordinary_blocks_a_drop_unmaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
