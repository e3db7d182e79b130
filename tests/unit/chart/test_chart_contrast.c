/* The memo of rc_chart_contrasting (chart_kit.c): every answer is the one
 * the darkening search gives, bit for bit, whether it comes from the memo
 * or not; colours that share a slot of the memo, the same colour on
 * another background or for another ratio, and threads each with their own
 * memo all get their own answer. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/chart.h"
#include "../../../src/chart/chart_kit.h" /* internal to the chart stage */

/* The search written again: the reference the memo must agree with. */
static rc_rgb reference(rc_rgb c, rc_rgb bg, double ratio)
{
    if (rc_chart_contrast(c, bg) >= ratio) return c;
    for (int k = 1; k <= 50; k++) {
        rc_rgb d = rc_chart_mix(c, (rc_rgb){0, 0, 0}, 0.02 * k);
        if (rc_chart_contrast(d, bg) >= ratio) return d;
    }
    return (rc_rgb){0, 0, 0};
}

static bool same_bits(rc_rgb a, rc_rgb b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

enum { NCOL = 300 };

static rc_rgb colour(uint32_t *seed)
{
    double v[3];
    for (int i = 0; i < 3; i++) {
        *seed = *seed * 1664525u + 1013904223u;
        v[i] = (*seed >> 8) / 16777216.0;
    }
    return (rc_rgb){v[0], v[1], v[2]};
}

/* Many colours (far more than the memo's slots), asked for in two
 * interleaved rounds, on two backgrounds, for two ratios. */
static void check_all(uint32_t seed0)
{
    const rc_rgb bgs[] = {{1, 1, 1}, {0.35, 0.35, 0.35}};
    const double ratios[] = {3.0, 4.5};
    for (int round = 0; round < 3; round++) {
        uint32_t seed = seed0;
        for (size_t i = 0; i < NCOL; i++) {
            rc_rgb c = colour(&seed);
            for (size_t b = 0; b < 2; b++)
                for (size_t r = 0; r < 2; r++) {
                    rc_rgb want = reference(c, bgs[b], ratios[r]);
                    assert_true(same_bits(rc_chart_contrasting(c, bgs[b], ratios[r]), want));
                    /* asked again at once: from the memo */
                    assert_true(same_bits(rc_chart_contrasting(c, bgs[b], ratios[r]), want));
                }
        }
    }
}

static void test_memo_agrees(void **state)
{
    (void)state;
    check_all(1);
    /* the palette's light colours, and black on a dark background (no
     * colour reaches the ratio: black, which it already was) */
    const rc_rgb yellow = {1, 0xD6 / 255.0, 0x17 / 255.0}, white = {1, 1, 1};
    rc_rgb d = rc_chart_contrasting(yellow, white, 3.0);
    assert_true(same_bits(d, reference(yellow, white, 3.0)));
    assert_true(rc_chart_contrast(d, white) >= 3.0);
    const rc_rgb black = {0, 0, 0}, dark = {0.1, 0.1, 0.1};
    assert_true(same_bits(rc_chart_contrasting(black, dark, 3.0), black));
    assert_true(same_bits(rc_chart_contrasting(yellow, dark, 3.0), reference(yellow, dark, 3.0)));
}

static void *run(void *arg)
{
    check_all((uint32_t)(uintptr_t)arg);
    return NULL;
}

/* Threads asking at the same time (each has its own memo). */
static void test_memo_threads(void **state)
{
    (void)state;
    pthread_t t[4];
    for (uintptr_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run, (void *)(i % 2 + 7)), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_agrees),
        cmocka_unit_test(test_memo_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
