/* The build's threads (build_threads.c): rc_build_on_threads runs its body
 * on min(CPUs, n) threads, this one included, and with elsewhere starts
 * the others on other CPUs than the caller's (rc_thread_start), then lets
 * them run anywhere; without it they are plain threads. A build of several
 * editions starts its threads elsewhere: the data's beside the editions'
 * configurations (build.c), and the writer's pool's (build_write.c says
 * why). */
#define _GNU_SOURCE /* sched_getaffinity, CPU_* */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/build.h"
#include "rc/util.h"
#include "../../../src/build/build_int.h" /* rc_build_on_threads is internal to the build stage */

typedef struct shared {
    atomic_int bodies;
    atomic_int items; /* shared out by the bodies */
    int n;
    pthread_t caller;
    atomic_int others_masked; /* other threads whose affinity was every CPU again */
    cpu_set_t all;
} shared;

static void *body(void *arg)
{
    shared *s = arg;
    atomic_fetch_add(&s->bodies, 1);
    while (atomic_fetch_add(&s->items, 1) < s->n)
        usleep(200); /* long enough for every thread to take some */
    if (!pthread_equal(pthread_self(), s->caller)) {
        cpu_set_t now;
        if (sched_getaffinity(0, sizeof now, &now) == 0 && CPU_EQUAL(&now, &s->all))
            atomic_fetch_add(&s->others_masked, 1);
    }
    return NULL;
}

static void run(shared *s, size_t n, bool elsewhere)
{
    memset(s, 0, sizeof *s);
    s->n = (int)n;
    s->caller = pthread_self();
    assert_int_equal(sched_getaffinity(0, sizeof s->all, &s->all), 0);
    rc_build_on_threads(n, elsewhere, body, s);
}

static void test_on_threads(void **state)
{
    (void)state;
    size_t cpus = rc_cpus(), want = cpus < 6 ? cpus : 6;
    shared s;
    for (int round = 0; round < 10; round++) {
        atomic_store(&rc_thread_test_cpu[0], -1);
        atomic_store(&rc_thread_test_cpu[1], -1);
        run(&s, 6, true);
        assert_int_equal(atomic_load(&s.bodies), (int)want);
        assert_true(atomic_load(&s.items) >= 6);
        if (cpus < 2) continue; /* one CPU: the caller alone */
        int maker = atomic_load(&rc_thread_test_cpu[0]),
            first = atomic_load(&rc_thread_test_cpu[1]);
        assert_true(maker >= 0 && first >= 0);
        assert_int_not_equal(first, maker);                             /* started on another CPU */
        assert_int_equal(atomic_load(&s.others_masked), (int)want - 1); /* then anywhere */
    }
    /* without elsewhere: plain threads, not started by rc_thread_start */
    atomic_store(&rc_thread_test_cpu[1], -1);
    run(&s, 6, false);
    assert_int_equal(atomic_load(&s.bodies), (int)want);
    assert_int_equal(atomic_load(&rc_thread_test_cpu[1]), -1);
    /* never more threads than items */
    run(&s, 1, true);
    assert_int_equal(atomic_load(&s.bodies), 1);
}

/* The CPUs rc_thread_start saw for the load job (the data beside the
 * editions' configurations), taken when the data is read ("data-"); then
 * the record is cleared, so what is left after the build is the pool's. */
static int load_cpu[2];

static void at(void *ctx, const char *step)
{
    (void)ctx;
    if (strcmp(step, "data+") == 0) {
        atomic_store(&rc_thread_test_cpu[0], -1);
        atomic_store(&rc_thread_test_cpu[1], -1);
    } else if (strcmp(step, "data-") == 0) {
        load_cpu[0] = atomic_load(&rc_thread_test_cpu[0]);
        load_cpu[1] = atomic_load(&rc_thread_test_cpu[1]);
        atomic_store(&rc_thread_test_cpu[0], -1);
        atomic_store(&rc_thread_test_cpu[1], -1);
    }
}

/* The sample's three editions: the load job's thread and the writer's
 * pool's were both started elsewhere (rc_thread_start makes no other
 * thread in such a build). */
static void test_editions_threads(void **state)
{
    (void)state;
    if (rc_cpus() < 2) skip();
    char out[] = "/tmp/rc-test-threads-XXXXXX";
    assert_non_null(mkdtemp(out));
    load_cpu[0] = load_cpu[1] = -2;
    rc_options o = {.command = RC_CMD_BUILD,
                    .config = "config/iuc-lac-2019.ini",
                    .outdir = out,
                    .only = RC_OUT_PDF,
                    .quiet = true};
    rc_diag *d = rc_diag_new();
    rc_build_test_probe = (rc_build_probe){at, NULL};
    assert_int_equal(rc_build(&o, d), RC_OK);
    rc_build_test_probe = (rc_build_probe){0};
    rc_diag_free(d);
    assert_true(load_cpu[0] >= 0 && load_cpu[1] >= 0);
    assert_int_not_equal(load_cpu[1], load_cpu[0]);
    int maker = atomic_load(&rc_thread_test_cpu[0]), first = atomic_load(&rc_thread_test_cpu[1]);
    assert_true(maker >= 0 && first >= 0);
    assert_int_not_equal(first, maker);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_on_threads),
        cmocka_unit_test(test_editions_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
