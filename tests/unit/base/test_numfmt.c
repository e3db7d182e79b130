/* Tests for rc_fmt_f / rc_fmt_g (rc/numfmt.h): the same bytes as glibc's
 * snprintf for every format reportc uses ("%.1f", "%.2f", "%.3f", "%g",
 * "%.10g", "%.16G") and every precision, on values chosen to hit the edges:
 * exact ties (rounded half to even), carries (9.995 -> "10.00"), the switch
 * between %g's two styles, powers of ten on either side, negative zero,
 * subnormals, NaN and infinities (which take the snprintf path), and a few
 * million random values of each kind a report holds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/numfmt.h"

static unsigned long mismatches;

static void check(double v)
{
    char want[RC_FMT_CAP + 64], got[RC_FMT_CAP];
    for (int p = 0; p <= 17; p++) {
        snprintf(want, sizeof want, "%.*f", p, v);
        size_t n = rc_fmt_f(v, p, got);
        if (strlen(want) < RC_FMT_CAP && (strcmp(want, got) != 0 || n != strlen(got))) {
            if (mismatches++ < 10) print_error("%%.%df of %a: want %s got %s\n", p, v, want, got);
        }
        for (int up = 0; up <= 1; up++) {
            snprintf(want, sizeof want, up ? "%.*G" : "%.*g", p, v);
            n = rc_fmt_g(v, p, up, got);
            if (strcmp(want, got) != 0 || n != strlen(got)) {
                if (mismatches++ < 10)
                    print_error("%%.%d%c of %a: want %s got %s\n", p, up ? 'G' : 'g', v, want, got);
            }
        }
    }
}

static void check_pm(double v)
{
    check(v);
    check(-v);
}

/* Ties, carries, style switches, powers of ten and their neighbours. */
static void test_edges(void **state)
{
    (void)state;
    mismatches = 0;
    static const double fixed[] = {0.0,
                                   0.5,
                                   1.5,
                                   2.5,
                                   0.125,
                                   0.375,
                                   0.0625,
                                   1e-5,
                                   1e-4,
                                   9.9995e-5,
                                   0.001,
                                   9.995,
                                   9.9949999,
                                   99.95,
                                   0.05,
                                   0.15,
                                   0.25,
                                   0.35,
                                   1.005,
                                   1.115,
                                   123456.5,
                                   999999.5,
                                   1e15,
                                   1e16,
                                   1e17,
                                   9.2,
                                   0.1,
                                   0.3,
                                   1.0 / 3,
                                   2.0 / 3,
                                   1e19,
                                   1.8446744073709552e19,
                                   1e21,
                                   4.9e-324,
                                   2.2250738585072014e-308,
                                   1e300,
                                   1.7976931348623157e308,
                                   87.5,
                                   32.0,
                                   4096.25};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        check_pm(fixed[i]);
    for (int k = -30; k <= 30; k++) {
        double p = pow(10, k);
        check_pm(p);
        check_pm(nextafter(p, 0));
        check_pm(nextafter(p, INFINITY));
        for (int d = 1; d <= 9; d++) /* d.5 * 10^k and its neighbours: ties after rounding */
            check_pm((d + 0.5) * p);
    }
    for (int i = 0; i < 4096; i++) /* dyadic values: exact ties at many precisions */
        check_pm(i / 1024.0);
    check(NAN);
    check(-NAN);
    check(INFINITY);
    check(-INFINITY);
    assert_int_equal(mismatches, 0);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random doubles of every kind: any bit pattern, coordinates in points,
 * shares in percent with few decimals, counts, and values of wide range. */
static void test_random(void **state)
{
    (void)state;
    mismatches = 0;
    for (int i = 0; i < 15000; i++) {
        uint64_t b = next();
        double v;
        memcpy(&v, &b, sizeof v);
        check(v);
        check((double)(next() % 1000000) / 10.0);                        /* 123.4 */
        check((double)(next() % 10000000) / 100.0);                      /* 1234.56 */
        check((double)(int64_t)(next() % 2000001) - 1e6);                /* counts */
        check(ldexp((double)(next() >> 11), (int)(next() % 140) - 110)); /* wide range */
        check((double)(next() >> 11) / 9007199254740992.0 * 600.0);      /* chart points */
    }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
