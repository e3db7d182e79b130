/* test_date: the one civil-date implementation (rc/date.h) and the report's
 * date rule shared by the PDF, the .tex and the workbooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "rc/date.h"

static void test_known_days(void **state)
{
    (void)state;
    assert_int_equal(rc_date_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(rc_date_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(rc_date_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(rc_date_days_from_civil(2019, 1, 1), 17897);
    assert_int_equal(rc_date_days_from_civil(2020, 2, 29) + 1, rc_date_days_from_civil(2020, 3, 1));
    assert_int_equal(rc_date_days_from_civil(1900, 3, 1) - rc_date_days_from_civil(1900, 2, 28), 1);
}

static void test_from_epoch(void **state)
{
    (void)state;
    rc_date d = rc_date_from_epoch(1600000000); /* date -u -d @1600000000 */
    assert_int_equal(d.year, 2020);
    assert_int_equal(d.month, 9);
    assert_int_equal(d.day, 13);
    assert_int_equal(d.hour, 12);
    assert_int_equal(d.minute, 26);
    assert_int_equal(d.second, 40);
    d = rc_date_from_epoch(253402300799LL); /* the largest SOURCE_DATE_EPOCH accepted */
    assert_int_equal(d.year, 9999);
    assert_int_equal(d.month, 12);
    assert_int_equal(d.day, 31);
    assert_int_equal(d.second, 59);
    d = rc_date_from_epoch(-5);
    assert_int_equal(d.year, 1970);
    assert_int_equal(d.day, 1);
}

/* Every day from 1970 to 2400 against a naive day-by-day calendar. */
static void test_round_trip_against_naive_calendar(void **state)
{
    (void)state;
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t n = 0;
    for (int y = 1970; y <= 2400; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (unsigned m = 1; m <= 12; m++) {
            unsigned len = mdays[m - 1] + (m == 2 && leap);
            for (unsigned d = 1; d <= len; d++, n++) {
                assert_int_equal(rc_date_days_from_civil(y, m, d), n);
                rc_date c = rc_date_from_epoch(n * 86400 + 3661);
                if (c.year != y || c.month != m || c.day != d || c.hour != 1 || c.minute != 1 ||
                    c.second != 1)
                    fail_msg("day %lld: %d-%u-%u, expected %d-%u-%u", (long long)n, c.year, c.month,
                             c.day, y, m, d);
            }
        }
    }
}

static void test_report_epoch_rule(void **state)
{
    (void)state;
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(rc_date_report_epoch("2019"), 1546300800LL);
    assert_int_equal(rc_date_report_epoch(NULL), 0);
    assert_int_equal(rc_date_report_epoch(""), 0);
    assert_int_equal(rc_date_report_epoch("1969"), 0);
    assert_int_equal(rc_date_report_epoch("20x9"), 0);
    setenv("SOURCE_DATE_EPOCH", "1600000000", 1);
    assert_int_equal(rc_date_report_epoch("2019"), 1600000000LL);
    assert_int_equal(rc_date_report_epoch(NULL), 1600000000LL);
    setenv("SOURCE_DATE_EPOCH", "junk", 1); /* rc_build reports it; the rule falls back */
    assert_int_equal(rc_date_report_epoch("2019"), 1546300800LL);
    unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_from_epoch),
        cmocka_unit_test(test_round_trip_against_naive_calendar),
        cmocka_unit_test(test_report_epoch_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
