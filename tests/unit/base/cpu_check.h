/* cpu_check: a test's process pinned to one CPU and back, to run the
 * one-CPU paths of code that starts threads only with two or more.
 * Header-only; include after <cmocka.h>, in a file that defines
 * _GNU_SOURCE (sched_setaffinity). */
#ifndef RC_TEST_CPU_CHECK_H
#define RC_TEST_CPU_CHECK_H

#include <sched.h>

/* Keeps the process to the first CPU it may run on, and returns it; *all
 * receives the CPUs it could run on, for rc_test_all_cpus. */
static inline int rc_test_one_cpu(cpu_set_t *all)
{
    cpu_set_t one;
    assert_int_equal(sched_getaffinity(0, sizeof *all, all), 0);
    int c = 0;
    while (c < CPU_SETSIZE - 1 && !CPU_ISSET(c, all))
        c++;
    CPU_ZERO(&one);
    CPU_SET(c, &one);
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    return c;
}

/* Lets the process run on all of them again. */
static inline void rc_test_all_cpus(const cpu_set_t *all)
{
    assert_int_equal(sched_setaffinity(0, sizeof *all, all), 0);
}

#endif
