/* build_early: a one-edition build's fonts and dictionary checked and
 * loaded on a thread of their own from the moment its configuration is
 * read, while the main thread reads the data and builds the document.
 *
 * Why: before, the fonts' check and the loading (run_res, build_write.c)
 * were tasks of the writer's pool, which starts once the data are read:
 * the check ran first, then the document on one thread and the loading on
 * the other. When the second thread was slow to come up (a new thread on a
 * 2-CPU virtual machine often waited a millisecond or more for a CPU), the
 * first thread ran the document and then the loading itself, one after
 * the other: in 6 of 12 timed `--only pdf` builds of the sample the
 * typesetting started 2.1-3.1 ms after the pool did, against 1.4-2.3 ms
 * when the two overlapped. Started here, the loading (~1 ms) overlaps the
 * data (~1.4 ms) instead, on a thread that has that long to start, and
 * the typesetting waits only for the document.
 *
 * What is reported does not change: the check reports into the build's
 * check diagnostics (rc_build_check, merged where the pool's check job's
 * were), the loading into diagnostics the typesetting task takes as its
 * first (as run_res wrote into the task's own), and a build that fails
 * before its outputs (the data, a document) reports neither, as before:
 * the work is then wasted, and freed with the build's arena. Only for a
 * build of one edition on two or more CPUs (several editions keep both
 * cores busy already); everything else goes as before. */
#include "build_int.h"

#include <pthread.h>
#include <stdlib.h>

#include "rc/arena.h"
#include "rc/util.h"

struct rc_build_early {
    const rc_config *cfg;
    rc_build_check check; /* ok is set by the join */
    rc_arena *ca, *ra;    /* the check's and the loading's */
    rc_diag *rd;          /* the loading's, the typesetting task's first */
    rc_edition_cache cache;
    rc_fonts fonts;
    rc_hyph *hyph;
    rc_status st;
    bool ok;
    bool started, joined; /* joined: under mu */
    pthread_t th;
    pthread_mutex_t mu;
};

static void *body(void *arg)
{
    rc_build_early *e = arg;
    rc_build_probe_at("check+"); /* (the steps of the pool's check job and T_RES task) */
    rc_config *const cfgs[1] = {(rc_config *)e->cfg};
    e->ok = rc_build_check_resources(e->ca, cfgs, 1, NULL, e->check.d);
    rc_build_probe_at("check-");
    e->st = RC_ERR_CONFIG;
    if (e->ok) {
        rc_build_probe_at("res+");
        e->st = rc_build_resources(e->ra, e->cfg, &e->cache, true, e->rd, &e->fonts, &e->hyph);
        if (e->st == RC_OK) rc_build_warm_fonts(&e->fonts);
        rc_build_probe_at("res-");
    }
    return NULL;
}

void rc_build_early_join(rc_build_early *e)
{
    pthread_mutex_lock(&e->mu);
    if (!e->joined) {
        if (e->started) pthread_join(e->th, NULL);
        e->joined = true;
        e->check.ok = e->ok;
    }
    pthread_mutex_unlock(&e->mu);
}

/* The build's arena is freed: its thread is waited for, and what it made
 * but nobody took is freed (a build that failed, or the fonts when the
 * spares' thread did not free them: rc_edition_cache_free clears). */
static void early_free(void *arg)
{
    rc_build_early *e = arg;
    rc_build_early_join(e);
    rc_edition_cache_free(&e->cache);
    rc_arena_free(e->ca);
    rc_arena_free(e->ra);
    rc_diag_free(e->check.d);
    rc_diag_free(e->rd);
    pthread_mutex_destroy(&e->mu);
    free(e);
}

rc_build_early *rc_build_early_start(rc_arena *a, const rc_config *cfg, bool strict)
{
    if (rc_cpus() < 2) return NULL; /* the thread would only take turns with this one */
    rc_build_early *e = calloc(1, sizeof *e);
    if (!e) return NULL; /* (the pool's tasks do it then) */
    e->cfg = cfg;
    e->ca = rc_arena_new();
    e->ra = rc_arena_new();
    e->check.d = rc_diag_new();
    e->rd = rc_diag_new();
    if (strict) {
        rc_diag_set_strict(e->check.d);
        rc_diag_set_strict(e->rd);
    }
    pthread_mutex_init(&e->mu, NULL);
    rc_arena_on_free(a, early_free, e);
    e->started = rc_thread_start(&e->th, body, e) == 0;
    if (!e->started) body(e); /* no thread: here, as the pool would have */
    return e;
}

bool rc_build_early_take(rc_build_early *e, rc_diag *d, rc_edition_cache **cache, rc_fonts *fonts,
                         rc_hyph **hyph, rc_status *st)
{
    rc_build_early_join(e);
    if (!e->ok) return false;
    rc_diag_append(d, e->rd);
    *cache = &e->cache;
    *fonts = e->fonts;
    *hyph = e->hyph;
    *st = e->st;
    return true;
}

rc_edition_cache *rc_build_early_cache(rc_build_early *e)
{
    return &e->cache;
}

const rc_build_check *rc_build_early_check(rc_build_early *e)
{
    return &e->check;
}
