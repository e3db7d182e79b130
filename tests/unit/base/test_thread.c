/* rc_thread_start / rc_thread_pick: a new thread is placed on another CPU
 * than its creator's (in turn over the others), runs there, and then has
 * the creator's whole set back; with one CPU it is a plain start. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <string.h>

#include "rc/thread.h"

static void test_pick_is_another_cpu_in_turn(void **state)
{
    (void)state;
    const int two[] = {0, 1};
    assert_int_equal(rc_thread_pick(two, 2, 0, 0), 1);
    assert_int_equal(rc_thread_pick(two, 2, 0, 7), 1);
    assert_int_equal(rc_thread_pick(two, 2, 1, 0), 0);
    /* upwards from here, wrapping, skipping here */
    const int four[] = {0, 2, 5, 9};
    assert_int_equal(rc_thread_pick(four, 4, 2, 0), 5);
    assert_int_equal(rc_thread_pick(four, 4, 2, 1), 9);
    assert_int_equal(rc_thread_pick(four, 4, 2, 2), 0);
    assert_int_equal(rc_thread_pick(four, 4, 2, 3), 5); /* (modulo the three others) */
    assert_int_equal(rc_thread_pick(four, 4, 9, 0), 0);
    /* a creator outside the set (it was moved meanwhile): every CPU counts */
    assert_int_equal(rc_thread_pick(four, 4, 3, 0), 5);
    assert_int_equal(rc_thread_pick(four, 4, 3, 3), 2);
    assert_int_equal(rc_thread_pick(four, 4, 12, 0), 0);
}

static void test_pick_without_another_cpu(void **state)
{
    (void)state;
    const int one[] = {3};
    assert_int_equal(rc_thread_pick(one, 1, 3, 0), -1);
    assert_int_equal(rc_thread_pick(one, 1, 1, 0), 3); /* (here elsewhere) */
    assert_int_equal(rc_thread_pick(one, 0, 0, 0), -1);
    const int two[] = {0, 1};
    assert_int_equal(rc_thread_pick(two, 2, -1, 0), -1); /* sched_getcpu failed */
}

typedef struct seen {
    cpu_set_t set;
    int ok;
} seen;

static void *record(void *arg)
{
    seen *s = arg;
    s->ok = sched_getaffinity(0, sizeof s->set, &s->set) == 0;
    return NULL;
}

static void test_started_thread_gets_the_whole_set_back(void **state)
{
    (void)state;
    cpu_set_t mine;
    assert_int_equal(sched_getaffinity(0, sizeof mine, &mine), 0);
    seen s = {.ok = 0};
    pthread_t th;
    assert_int_equal(rc_thread_start(&th, record, &s), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_true(s.ok);
    assert_true(CPU_EQUAL(&s.set, &mine));
    if (CPU_COUNT(&mine) > 1) { /* placed: on a CPU of the set */
        int c = rc_thread_last_cpu();
        assert_true(c >= 0 && CPU_ISSET(c, &mine));
    } else {
        assert_int_equal(rc_thread_last_cpu(), -1);
    }
}

static void *where(void *arg)
{
    *(int *)arg = sched_getcpu();
    return NULL;
}

/* Pinned to one CPU (as taskset would), the creator starts threads plainly,
 * and they run on that CPU. */
static void test_one_cpu_is_a_plain_start(void **state)
{
    (void)state;
    cpu_set_t mine, one;
    assert_int_equal(sched_getaffinity(0, sizeof mine, &mine), 0);
    int c = -1;
    for (int i = 0; i < CPU_SETSIZE && c < 0; i++)
        if (CPU_ISSET(i, &mine)) c = i;
    CPU_ZERO(&one);
    CPU_SET(c, &one);
    assert_int_equal(sched_setaffinity(0, sizeof one, &one), 0);
    int ran = -2;
    pthread_t th;
    assert_int_equal(rc_thread_start(&th, where, &ran), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(rc_thread_last_cpu(), -1);
    assert_int_equal(ran, c);
    assert_int_equal(sched_setaffinity(0, sizeof mine, &mine), 0);
}

/* Two CPUs or more: with a set of two, every thread is asked onto the
 * CPU its creator is not on, and gets both back. */
static void test_placed_on_the_other_cpu(void **state)
{
    (void)state;
    cpu_set_t mine;
    assert_int_equal(sched_getaffinity(0, sizeof mine, &mine), 0);
    if (CPU_COUNT(&mine) < 2) {
        skip();
        return;
    }
    int a = -1, b = -1;
    for (int i = 0; i < CPU_SETSIZE && b < 0; i++) {
        if (!CPU_ISSET(i, &mine)) continue;
        if (a < 0)
            a = i;
        else
            b = i;
    }
    cpu_set_t two;
    CPU_ZERO(&two);
    CPU_SET(a, &two);
    CPU_SET(b, &two);
    /* the creator may run on a and b; it is on one of them */
    assert_int_equal(sched_setaffinity(0, sizeof two, &two), 0);
    for (int round = 0; round < 8; round++) {
        seen s = {.ok = 0};
        pthread_t th;
        int before = sched_getcpu();
        assert_int_equal(rc_thread_start(&th, record, &s), 0);
        int after = sched_getcpu();
        int asked = rc_thread_last_cpu();
        assert_int_equal(pthread_join(th, NULL), 0);
        assert_true(asked == a || asked == b);
        /* (not moved during the call: the CPU it saw) */
        if (before == after) assert_int_not_equal(asked, before);
        assert_true(CPU_EQUAL(&s.set, &two));
    }
    assert_int_equal(sched_setaffinity(0, sizeof mine, &mine), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_is_another_cpu_in_turn),
        cmocka_unit_test(test_pick_without_another_cpu),
        cmocka_unit_test(test_started_thread_gets_the_whole_set_back),
        cmocka_unit_test(test_one_cpu_is_a_plain_start),
        cmocka_unit_test(test_placed_on_the_other_cpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
