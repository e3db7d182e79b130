/* pdf_zpipe: deflating on a helper thread for the packer (pdf_zpipe.h).
 *
 * Saving is the last serial step of a PDF build, and deflating the object
 * streams was 2.9 M of its 7.2 M instructions in the sample's one-edition
 * build; by then the deflating thread of the pages (pdf_zip.c) has ended
 * and the second CPU is idle. The packer builds the text of the next
 * object stream while this helper deflates the previous one. The bytes
 * are those of deflating on the caller's thread (same library and level,
 * one call per stream), so the file does not change. The helper only
 * calls libdeflate on buffers the caller made (no malloc there: no malloc
 * arena of its own). A stream the helper has not started when the caller
 * waits for it (a busy machine: the helper not scheduled yet) is deflated
 * by the caller itself, so waiting never costs more than deflating here. */
#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_zpipe.h"
#include "rc/util.h"
#include "rc/zmemo.h"

typedef struct zjob {
    const unsigned char *in;
    size_t n;
    unsigned char *out;
    size_t cap, got;
    bool done;
} zjob;

struct rc_zpipe {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* the helper's (the caller's own, lent: its tables are touched once
     * for both), and one for streams the caller deflates itself (made
     * then) */
    struct libdeflate_compressor *lc, *mine;
    int level;
    zjob q[2];
    size_t put, started, taken; /* counts: queued, started (by either), returned */
    bool quit;
    rc_zmemo *memo; /* rc_zpipe_use_memo's, when at this level */
};

/* rc_zpipe_use_memo's, for pipes this thread starts */
static _Thread_local struct {
    rc_zmemo *memo;
    int level;
} use;

void rc_zpipe_use_memo(rc_zmemo *memo, int level)
{
    use.memo = memo;
    use.level = level;
}

/* Deflates job k (started by the caller of this, under the lock): runs
 * without the lock, returns under it. */
static void run(rc_zpipe *zp, size_t k, struct libdeflate_compressor *lc)
{
    zjob j = zp->q[k % 2];
    pthread_mutex_unlock(&zp->mu);
    /* the packer's object streams of an unchanged document are those of
     * its last build: kept (rc/zmemo.h) */
    size_t got = 0;
    const unsigned char *kept = rc_zmemo_get(zp->memo, j.in, j.n, &got);
    if (kept && got <= j.cap) {
        memcpy(j.out, kept, got);
    } else {
        got = libdeflate_zlib_compress(lc, j.in, j.n, j.out, j.cap);
        if (got) rc_zmemo_put(zp->memo, j.in, j.n, j.out, got);
    }
    pthread_mutex_lock(&zp->mu);
    zp->q[k % 2].got = got;
    zp->q[k % 2].done = true;
    pthread_cond_broadcast(&zp->cv);
}

static void *helper(void *arg)
{
    rc_zpipe *zp = arg;
    pthread_mutex_lock(&zp->mu);
    for (;;) {
        while (zp->started == zp->put && !zp->quit)
            pthread_cond_wait(&zp->cv, &zp->mu);
        if (zp->started == zp->put) break; /* quit, nothing left */
        run(zp, zp->started++, zp->lc);
    }
    pthread_mutex_unlock(&zp->mu);
    return NULL;
}

rc_zpipe *rc_zpipe_start(struct libdeflate_compressor *lc, int level)
{
    if (rc_cpus() < 2) return NULL;
    rc_zpipe *zp = calloc(1, sizeof *zp);
    if (!zp) return NULL;
    zp->lc = lc;
    zp->level = level;
    zp->memo = use.memo && use.level == level ? use.memo : NULL;
    bool mu = pthread_mutex_init(&zp->mu, NULL) == 0;
    bool cv = mu && pthread_cond_init(&zp->cv, NULL) == 0;
    if (cv && pthread_create(&zp->th, NULL, helper, zp) == 0) return zp;
    if (cv) pthread_cond_destroy(&zp->cv);
    if (mu) pthread_mutex_destroy(&zp->mu);
    free(zp);
    return NULL;
}

void rc_zpipe_put(rc_zpipe *zp, const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    pthread_mutex_lock(&zp->mu);
    while (zp->put - zp->taken >= 2) /* (the caller waits first; kept safe) */
        pthread_cond_wait(&zp->cv, &zp->mu);
    zp->q[zp->put % 2] = (zjob){in, n, out, cap, 0, false};
    zp->put++;
    pthread_cond_broadcast(&zp->cv);
    pthread_mutex_unlock(&zp->mu);
}

size_t rc_zpipe_wait(rc_zpipe *zp)
{
    pthread_mutex_lock(&zp->mu);
    size_t got = 0;
    if (zp->taken < zp->put) {
        if (zp->started == zp->taken && /* not started: deflated here */
            (zp->mine || (zp->mine = libdeflate_alloc_compressor(zp->level)) != NULL))
            run(zp, zp->started++, zp->mine);
        while (!zp->q[zp->taken % 2].done)
            pthread_cond_wait(&zp->cv, &zp->mu);
        got = zp->q[zp->taken % 2].got;
        zp->taken++;
        pthread_cond_broadcast(&zp->cv);
    }
    pthread_mutex_unlock(&zp->mu);
    return got;
}

void rc_zpipe_end(rc_zpipe *zp)
{
    if (!zp) return;
    pthread_mutex_lock(&zp->mu);
    zp->quit = true;
    pthread_cond_broadcast(&zp->cv);
    pthread_mutex_unlock(&zp->mu);
    pthread_join(zp->th, NULL);
    pthread_cond_destroy(&zp->cv);
    pthread_mutex_destroy(&zp->mu);
    libdeflate_free_compressor(zp->mine);
    free(zp);
}
