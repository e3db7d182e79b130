/* Tests of the arena's zeroing contract: rc_arena_alloc, rc_arena_array and
 * rc_arena_grow hand out zeros even from head blocks a freed arena left
 * dirty (spare blocks are not cleared when taken, only what is handed out
 * from their dirty part), and rc_arena_grow_raw keeps what a vector held
 * on every path (in place, moved, own block, realloc'd). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "rc/arena.h"

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i]) return false;
    return true;
}

/* Fills an arena's head blocks with 0xAB (aligned allocations, packed
 * strings and a printf that did not fit) and frees it: its blocks become
 * the spares the next arena takes. */
static void dirty_spares(void)
{
    rc_arena *a = rc_arena_new();
    char word[40];
    memset(word, 0xAB, sizeof word - 1);
    word[sizeof word - 1] = 0;
    for (int i = 0; i < 40; i++) {
        memset(rc_arena_alloc(a, 20000), 0xAB, 20000);
        for (int j = 0; j < 30; j++)
            (void)rc_arena_strndup(a, word, (size_t)j + 1);
        unsigned char *v = rc_arena_grow_raw(a, NULL, 0, 100, 1);
        memset(v, 0xAB, 100);
    }
    (void)rc_arena_printf(a, "%200000d", 1); /* tried in the room left, then moved */
    rc_arena_free(a);
}

static void test_zeroing_callers_get_zeros_from_dirty_blocks(void **state)
{
    (void)state;
    dirty_spares();
    rc_arena *a = rc_arena_new();
    /* A raw allocation shows the blocks are the dirty ones (without this
     * the test below would pass on fresh mappings and prove nothing). */
    bool saw_dirt = false;
    for (int i = 0; i < 64 && !saw_dirt; i++) {
        unsigned char *r = rc_arena_grow_raw(a, NULL, 0, 512, 1);
        saw_dirt = !all_zero(r, 512);
    }
    assert_true(saw_dirt);
    for (int i = 0; i < 300; i++) {
        size_t n = 1 + (size_t)i * 97 % 6000;
        unsigned char *z = rc_arena_alloc(a, n);
        assert_true(all_zero(z, n));
        memset(z, 0xEE, n);
        int *arr = rc_arena_array(a, n / 4 + 1, sizeof *arr);
        assert_true(all_zero(arr, (n / 4 + 1) * sizeof *arr));
        /* grown in place (the newest allocation): the new part is zero */
        int *g = rc_arena_grow(a, arr, n / 4 + 1, n / 2 + 2, sizeof *g);
        assert_true(all_zero(g, (n / 2 + 2) * sizeof *g));
        (void)rc_arena_strdup(a, "between");
        /* moved (a string came after it): the copy plus zeros */
        g[0] = 5;
        int *m = rc_arena_grow(a, g, n / 2 + 2, n + 4, sizeof *m);
        assert_int_equal(m[0], 5);
        assert_true(all_zero(m + 1, (n + 3) * sizeof *m));
    }
    rc_arena_free(a);
}

/* Raw growth on each path keeps every element; a zeroing grow after raw
 * ones still clears its own new part. */
static void test_raw_growth_keeps_contents(void **state)
{
    (void)state;
    dirty_spares();
    rc_arena *a = rc_arena_new();
    RC_VEC(uint32_t) v = {0};
    const char *s = NULL;
    for (uint32_t i = 0; i < 40000; i++) { /* up to 160 KB: in place, moved, own block, realloc */
        RC_PUSH(a, v, i * 2654435761u);
        if (i % 700 == 0) s = rc_arena_strdup(a, "interleaved");
        if (i % 4999 == 0)
            for (uint32_t j = 0; j <= i; j++)
                assert_int_equal(v.v[j], j * 2654435761u);
    }
    for (uint32_t j = 0; j < v.n; j++)
        assert_int_equal(v.v[j], j * 2654435761u);
    assert_string_equal(s, "interleaved");
    /* in place without interleaving, from a dirty block */
    RC_VEC(uint64_t) w = {0};
    for (uint64_t i = 0; i < 1000; i++)
        RC_PUSH(a, w, i * 3);
    for (uint64_t i = 0; i < 1000; i++)
        assert_true(w.v[i] == i * 3);
    /* a zeroing grow of an own-block vector after raw ones */
    uint32_t *z = rc_arena_grow(a, v.v, v.n, v.n * 2, sizeof *z);
    for (uint32_t j = 0; j < v.n; j++)
        assert_int_equal(z[j], j * 2654435761u);
    assert_true(all_zero(z + v.n, v.n * sizeof *z));
    rc_arena_free(a);
}

/* rc_strbuf grows raw: what was put stays, NUL-terminated. */
static void test_strbuf_raw_growth(void **state)
{
    (void)state;
    dirty_spares();
    rc_arena *a = rc_arena_new();
    /* a printf as the first allocation (no head block yet) */
    assert_string_equal(rc_arena_printf(a, "%d pages", 211), "211 pages");
    rc_strbuf b = {.a = a};
    for (int i = 0; i < 5000; i++) {
        rc_strbuf_puts(&b, "ab");
        if (i % 300 == 0) (void)rc_arena_strdup(a, "x");
    }
    assert_int_equal(strlen(b.s), 10000);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.s[i], i % 2 ? 'b' : 'a');
    rc_arena_free(a);
}

/* The arena writes a zero at the start of each page of a head block before
 * handing out memory there (so no page is first read as the kernel's zero
 * page): those writes must land only on free bytes. Strings packed up to
 * and across page boundaries, printfs formatted in place and vectors grown
 * in place all keep their bytes while zeroed allocations (and zeroed
 * tables of their own, faulted in by MADV_POPULATE_WRITE) come after them,
 * in fresh blocks and in dirty spares alike. */
static void test_first_writes_spare_live_bytes(void **state)
{
    (void)state;
    /* Round 0 needs fresh mappings (a spare block's pages were written
     * before): this arena takes every spare the earlier tests left. */
    rc_arena *hog = rc_arena_new();
    for (int i = 0; i < 4 * 80; i++)
        (void)rc_arena_alloc(hog, 60000);
    for (int round = 0; round < 2; round++) {
        if (round) dirty_spares();
        rc_arena *a = rc_arena_new();
        enum { N = 3000 };
        static char *s[N];
        static size_t len[N];
        static char *pr[N];
        char buf[320];
        for (size_t i = 0; i < N; i++) {
            len[i] = 1 + i * 7919 % 47; /* packed: ends fall anywhere in a page */
            memset(buf, 'a' + (int)(i % 26), len[i]);
            s[i] = rc_arena_strndup(a, buf, len[i]);
            if (i % 5 == 0) {
                unsigned char *z = rc_arena_alloc(a, 1 + i % 300);
                assert_true(all_zero(z, 1 + i % 300));
            }
            pr[i] = i % 3 ? NULL : rc_arena_printf(a, "%zu-%0*d", i, (int)(i % 300), 0);
            if (i % 11 == 0) { /* grown in place over a page boundary */
                unsigned char *v = rc_arena_grow_raw(a, NULL, 0, 16, 1);
                memset(v, 0xCD, 16);
                v = rc_arena_grow(a, v, 16, 16 + i % 5000, 1);
                assert_int_equal(v[15], 0xCD);
                assert_true(all_zero(v + 16, i % 5000));
            }
            if (i % 500 == 0) { /* a zeroed table of its own */
                uint64_t *t = rc_arena_array(a, 40000, sizeof *t);
                assert_true(all_zero(t, 40000 * sizeof *t));
                t[39999] = 1;
            }
        }
        for (size_t i = 0; i < N; i++) {
            assert_int_equal(strlen(s[i]), len[i]);
            for (size_t j = 0; j < len[i]; j++)
                assert_int_equal(s[i][j], 'a' + (int)(i % 26));
            if (pr[i]) {
                snprintf(buf, sizeof buf, "%zu-%0*d", i, (int)(i % 300), 0);
                assert_string_equal(pr[i], buf);
            }
        }
        rc_arena_free(a);
    }
    rc_arena_free(hog);
}

/* Pages the arena hands out zeroed are already written (faulted in
 * writable) when the caller gets them: reading them and then writing them
 * takes no page fault. Left to the caller, the reads would map the
 * kernel's zero page and each first write would fault again to replace it
 * (a copy-on-write, and a TLB shootdown on every CPU another thread of the
 * process has run on). Fresh blocks, a head allocation spanning pages and a
 * table of its own (rc_arena_table: MADV_POPULATE_WRITE, or a write per
 * page on kernels before 5.14). */
static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru); /* cmocka runs the tests on one thread */
    return ru.ru_minflt;
}

static void test_zeroed_pages_written_before_handed_out(void **state)
{
    (void)state;
    rc_arena *hog = rc_arena_new(); /* fresh mappings: take every spare */
    for (int i = 0; i < 4 * 80; i++)
        (void)rc_arena_alloc(hog, 60000);
    rc_arena *a = rc_arena_new();
    (void)rc_arena_strdup(a, "first"); /* the block's header page */
    enum { HEAD = 48 * 1024, OWN = 512 * 1024 };
    volatile unsigned char *h = rc_arena_alloc(a, HEAD);
    volatile unsigned char *t = rc_arena_table(a, OWN / 8, 8);
    unsigned sum = 0;
    for (size_t i = 0; i < HEAD; i += 64)
        sum += h[i];
    for (size_t i = 0; i < OWN; i += 64)
        sum += t[i];
    assert_int_equal(sum, 0);
    long before = minor_faults();
    for (size_t i = 0; i < HEAD; i += 1024)
        h[i] = 1;
    for (size_t i = 0; i < OWN; i += 1024)
        t[i] = 1;
    assert_int_equal(minor_faults() - before, 0);
    rc_arena_free(a);
    rc_arena_free(hog);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroing_callers_get_zeros_from_dirty_blocks),
        cmocka_unit_test(test_raw_growth_keeps_contents),
        cmocka_unit_test(test_strbuf_raw_growth),
        cmocka_unit_test(test_first_writes_spare_live_bytes),
        cmocka_unit_test(test_zeroed_pages_written_before_handed_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
