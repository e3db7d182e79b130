/* Tests for rc_hash_short (rc/hash.h), the inlined hash of the shaper's
 * word tables: every byte of a key counts (its loads overlap at the ends
 * and must not skip one), keys hash the same wherever they lie in memory,
 * and short keys do not collide. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/hash.h"

/* Changing any one byte of a key of 0..40 bytes changes its hash. */
static void test_every_byte_counts(void **state)
{
    (void)state;
    unsigned char key[40];
    for (size_t n = 1; n <= sizeof key; n++) {
        for (size_t i = 0; i < n; i++)
            key[i] = (unsigned char)('a' + (i * 7 + n) % 26);
        uint64_t h = rc_hash_short(key, n);
        for (size_t i = 0; i < n; i++) {
            for (unsigned bit = 0; bit < 8; bit++) {
                key[i] ^= (unsigned char)(1u << bit);
                assert_true(rc_hash_short(key, n) != h);
                key[i] ^= (unsigned char)(1u << bit);
            }
        }
        assert_true(rc_hash_short(key, n) == h);
        /* a key and its prefix differ */
        assert_true(rc_hash_short(key, n - 1) != h);
    }
}

/* The same bytes at any alignment give the same hash. */
static void test_alignment(void **state)
{
    (void)state;
    unsigned char buf[64];
    const char *w = "characterisation";
    uint64_t want = rc_hash_short(w, strlen(w));
    for (size_t off = 0; off < 16; off++) {
        memcpy(buf + off, w, strlen(w));
        assert_true(rc_hash_short(buf + off, strlen(w)) == want);
    }
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Every key of one to three lower-case letters, and their capitalised
 * forms: no two of the 36,504 share a hash, nor the slot of a 4,096-entry
 * table more than a few times over. */
static void test_no_collisions(void **state)
{
    (void)state;
    enum { N = 2 * (26 + 26 * 26 + 26 * 26 * 26) };
    uint64_t *h = malloc(N * sizeof *h);
    size_t n = 0;
    char k[3];
    for (int cap = 0; cap < 2; cap++)
        for (size_t len = 1; len <= 3; len++) {
            size_t count = len == 1 ? 26 : len == 2 ? 676 : 17576;
            for (size_t v = 0; v < count; v++) {
                size_t x = v;
                for (size_t i = 0; i < len; i++, x /= 26)
                    k[i] = (char)('a' + x % 26);
                if (cap) k[0] = (char)(k[0] - 32);
                h[n++] = rc_hash_short(k, len);
            }
        }
    assert_int_equal(n, N);
    unsigned slots[4096] = {0}, most = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned s = (unsigned)((h[i] ^ (h[i] >> 29)) & 4095);
        if (++slots[s] > most) most = slots[s];
    }
    assert_true(most < 30); /* ~9 a slot on average */
    qsort(h, n, sizeof *h, cmp64);
    for (size_t i = 1; i < n; i++)
        assert_true(h[i] != h[i - 1]);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_counts),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_no_collisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
