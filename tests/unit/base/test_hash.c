/* test_hash: the one hash function of reportc's tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/hash.h"

static void test_deterministic(void **state)
{
    (void)state;
    /* Fixed values: tables must order nothing differently on another machine
     * (the words are read little-endian explicitly). */
    assert_true(rc_hash_str("survey", 0) == rc_hash_bytes("survey", 6, 0));
    assert_true(rc_hash_str("", 0) == rc_hash_bytes("", 0, 0));
    assert_true(rc_hash_str("survey", 0) != rc_hash_str("survey", 1)); /* the seed counts */
    assert_true(rc_hash_str("a", 0) != rc_hash_str("b", 0));
    assert_true(rc_hash_bytes("ab\0", 3, 0) != rc_hash_bytes("ab", 2, 0)); /* the length counts */
    /* Only the n bytes are read: what follows does not change the hash. */
    char x[40], y[40];
    for (size_t n = 0; n < 33; n++) {
        memset(x, 'k', sizeof x);
        memset(y, 'k', sizeof y);
        y[n] = 'z';
        assert_true(rc_hash_bytes(x, n, 7) == rc_hash_bytes(y, n, 7));
        if (n < 32) assert_true(rc_hash_bytes(x, n + 1, 7) != rc_hash_bytes(y, n + 1, 7));
    }
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* 200,000 keys of the shapes tables see (codes, region names, ids): no full
 * 64-bit collision, and the low bits used to index a table spread evenly. */
static void test_spread(void **state)
{
    (void)state;
    enum { N = 200000, B = 1 << 16 };
    uint64_t *h = malloc(N * sizeof *h);
    unsigned *bucket = calloc(B, sizeof *bucket);
    assert_non_null(h);
    assert_non_null(bucket);
    char k[32];
    for (int i = 0; i < N; i++) {
        int len = snprintf(k, sizeof k, i % 2 ? "R%d" : "region-%08d", i);
        h[i] = rc_hash_bytes(k, (size_t)len, 0);
        bucket[h[i] & (B - 1)]++;
    }
    unsigned max = 0;
    for (int i = 0; i < B; i++)
        if (bucket[i] > max) max = bucket[i];
    /* Poisson mean 3.05: a bucket of 16 or more has odds below 1e-6. */
    assert_true(max < 16);
    qsort(h, N, sizeof *h, cmp64);
    for (int i = 1; i < N; i++)
        assert_true(h[i] != h[i - 1]);
    free(h);
    free(bucket);
}

/* rc_hash128_64 is rc_hash128 folded: it tells apart texts that differ in
 * one byte anywhere in a long key, and is the fold of the two halves. */
static void test_hash128_64(void **state)
{
    (void)state;
    char a[1000], b[1000];
    memset(a, 'x', sizeof a);
    memcpy(b, a, sizeof b);
    uint64_t h[2];
    rc_hash128(a, sizeof a, h);
    assert_true(rc_hash128_64(a, sizeof a) == (h[0] ^ h[1] * 0x9E3779B97F4A7C15ULL));
    for (size_t i = 0; i < sizeof b; i += 97) {
        b[i] = 'y';
        assert_true(rc_hash128_64(a, sizeof a) != rc_hash128_64(b, sizeof b));
        b[i] = 'x';
    }
    assert_true(rc_hash128_64(a, sizeof a) == rc_hash128_64(b, sizeof b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_hash128_64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
