/* thread: new threads started on another CPU than their creator's
 * (include/rc/thread.h says why). */
#define _GNU_SOURCE
#include "rc/thread.h"

#include <sched.h>

#include <stdatomic.h>
#include <stdlib.h>

typedef struct start {
    void *(*fn)(void *);
    void *arg;
    cpu_set_t all; /* the creator's set, which the thread takes back */
} start;

static atomic_uint turn;                /* spreads successive threads over the set */
static _Thread_local int last_cpu = -1; /* (per creator: tests run threads of their own) */

static void *trampoline(void *p)
{
    start s = *(start *)p;
    free(p);
    /* A set that includes the CPU it runs on: it stays there, and may go
     * anywhere in it from now on. */
    pthread_setaffinity_np(pthread_self(), sizeof s.all, &s.all);
    return s.fn(s.arg);
}

int rc_thread_pick(const int *cpus, size_t n, int here, unsigned k)
{
    if (here < 0) return -1;
    size_t first = 0, others = 0; /* first: the first CPU above here */
    for (size_t i = 0; i < n; i++) {
        if (cpus[i] == here) continue;
        others++;
        if (cpus[i] < here) first = i + 1;
    }
    if (others == 0) return -1;
    k %= (unsigned)others;
    for (size_t j = 0; j < n; j++) {
        int c = cpus[(first + j) % n];
        if (c != here && k-- == 0) return c;
    }
    return -1; /* (not reached) */
}

/* The CPUs of set, ascending, into cpus (CPU_SETSIZE of them at most). */
static size_t list(const cpu_set_t *set, int *cpus)
{
    size_t n = 0;
    for (int c = 0; c < CPU_SETSIZE; c++)
        if (CPU_ISSET(c, set)) cpus[n++] = c;
    return n;
}

int rc_thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
    cpu_set_t all;
    int cpu = -1, cpus[CPU_SETSIZE];
    if (sched_getaffinity(0, sizeof all, &all) == 0 && CPU_COUNT(&all) > 1)
        cpu = rc_thread_pick(cpus, list(&all, cpus), sched_getcpu(), atomic_fetch_add(&turn, 1));
    start *s = cpu >= 0 ? malloc(sizeof *s) : NULL;
    pthread_attr_t at;
    if (s && pthread_attr_init(&at) == 0) {
        *s = (start){fn, arg, all};
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        int rc = pthread_attr_setaffinity_np(&at, sizeof one, &one);
        if (rc == 0) rc = pthread_create(th, &at, trampoline, s);
        pthread_attr_destroy(&at);
        if (rc == 0) {
            last_cpu = cpu;
            return 0;
        }
    }
    free(s);
    last_cpu = -1;
    return pthread_create(th, NULL, fn, arg);
}

int rc_thread_last_cpu(void)
{
    return last_cpu;
}
