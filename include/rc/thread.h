/* thread: starting the build's threads where they can run at once.
 *
 * Linux puts a new thread on its creator's CPU, and moves it to an idle one
 * only when the scheduler next balances: while the creator keeps computing
 * (it always does here: it starts a helper and goes on typesetting), the
 * new thread waits. On the project's 2-core machine a thread started by a
 * busy creator ran 3.8 ms later (7 of 8 starts), against 0.1 ms when it was
 * started on the other CPU; in the sample's three-edition build the pool's
 * second worker started 1.5-3.3 ms after the first in 4 of 6 builds.
 * rc_thread_start starts a thread on another CPU of the creator's set, and
 * the thread then takes back the whole set, so the scheduler stays free to
 * move it afterwards. */
#ifndef RC_THREAD_H
#define RC_THREAD_H

#include <pthread.h>
#include <stddef.h>

/* pthread_create(th, NULL, fn, arg), the thread started on another CPU than
 * the caller's when the caller may run on several (in turn over the others
 * for successive threads); a plain pthread_create when it may run on one,
 * or when the placement cannot be made (an offline CPU, more CPUs than a
 * cpu_set_t holds). Returns what pthread_create returned. */
int rc_thread_start(pthread_t *th, void *(*fn)(void *), void *arg);

/* The CPU a thread started from CPU here is placed on, given the n CPUs
 * the creator may run on (ascending): the turn-th (modulo their number) of
 * the others, counting upwards from here and wrapping; -1 when there is no
 * other or here is negative. */
int rc_thread_pick(const int *cpus, size_t n, int here, unsigned turn);

/* The CPU the calling thread's last rc_thread_start asked for, -1 when it
 * made a plain start (for tests). */
int rc_thread_last_cpu(void);

#endif
