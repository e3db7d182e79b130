/* rc_thread_start (util.c): a thread that starts on a CPU other than its
 * maker's, then may run on any. What is checked is what the affinity
 * guarantees whatever the scheduler does: the CPU the thread started on is
 * not the one its maker was on, the thread's own affinity is the whole set
 * again by the time its function runs, its function gets its argument and
 * its result is joined; with one CPU allowed it is an ordinary thread. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_* */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rc/util.h"
#include "cpu_check.h"

typedef struct seen {
    int arg;
    cpu_set_t mask;
    bool masked;
} seen;

static void *body(void *x)
{
    seen *s = x;
    s->masked = sched_getaffinity(0, sizeof s->mask, &s->mask) == 0;
    s->arg *= 2;
    return s;
}

static void test_starts_elsewhere_then_anywhere(void **state)
{
    (void)state;
    cpu_set_t all;
    assert_int_equal(sched_getaffinity(0, sizeof all, &all), 0);
    if (CPU_COUNT(&all) < 2) skip(); /* (the next test covers one CPU) */
    for (int round = 0; round < 20; round++) {
        atomic_store(&rc_thread_test_cpu[0], -1);
        atomic_store(&rc_thread_test_cpu[1], -1);
        seen s = {.arg = round};
        pthread_t th;
        assert_int_equal(rc_thread_start(&th, body, &s), 0);
        void *ret = NULL;
        assert_int_equal(pthread_join(th, &ret), 0);
        assert_ptr_equal(ret, &s);
        assert_int_equal(s.arg, 2 * round);
        int maker = atomic_load(&rc_thread_test_cpu[0]),
            first = atomic_load(&rc_thread_test_cpu[1]);
        assert_true(maker >= 0 && first >= 0);
        assert_int_not_equal(first, maker);
        assert_true(CPU_ISSET(first, &all));
        assert_true(s.masked);
        assert_true(CPU_EQUAL(&s.mask, &all)); /* anywhere again */
    }
}

static void test_one_cpu_plain_thread(void **state)
{
    (void)state;
    cpu_set_t all, one;
    CPU_ZERO(&one);
    CPU_SET(rc_test_one_cpu(&all), &one);
    atomic_store(&rc_thread_test_cpu[1], -1);
    seen s = {.arg = 21};
    pthread_t th;
    int r = rc_thread_start(&th, body, &s);
    if (r == 0) pthread_join(th, NULL);
    rc_test_all_cpus(&all);
    assert_int_equal(r, 0);
    assert_int_equal(s.arg, 42);
    assert_int_equal(atomic_load(&rc_thread_test_cpu[1]), -1); /* not moved */
    assert_true(CPU_EQUAL(&s.mask, &one));                     /* the maker's, inherited */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_starts_elsewhere_then_anywhere),
        cmocka_unit_test(test_one_cpu_plain_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
