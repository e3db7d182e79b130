/* libs: the dlopen'ed libraries loaded on a thread of their own at the
 * start of a command (rc/libs.h says why). */
#include "rc/libs.h"

#include <pthread.h>
#include <signal.h>
#include <stddef.h>

#include "rc/hb_lib.h"
#include "rc/pdf.h"
#include "rc/util.h"

static pthread_t thread;
static bool started;

/* HarfBuzz first: the fonts need it before any PDF is written. */
static void *preload(void *pdf)
{
    rc_hb_lib_load(NULL);
    if (pdf) rc_hpdf_lib_load(NULL);
    return NULL;
}

void rc_libs_preload(bool pdf)
{
    if (started) return;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); /* the new thread inherits the mask */
    /* joinable, not detached: rc_libs_preload_end waits for it. Started
     * off this thread's CPU (rc_thread_start, util.c): left to the
     * scheduler it was queued behind this thread on this machine, and the
     * loading ran only when the main thread waited, when the fonts needed
     * it, as if on the main thread. */
    started = rc_thread_start(&thread, preload, pdf ? &thread : NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void rc_libs_preload_end(void)
{
    if (!started) return;
    pthread_join(thread, NULL);
    started = false;
}
