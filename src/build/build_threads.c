/* build_threads: the build's threads (how many, and running a body or n
 * items on them), the check of the fonts and dictionaries all editions
 * share, and the second names that let outputs replace their previous
 * files cheaply. */
#include "build_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/util.h"

/* Runs body(arg) on nthr threads, this one included (the others started
 * on other CPUs than this one's when elsewhere: rc_thread_start); returns
 * when all have returned. The bodies share out the n items themselves. */
static void on_nthreads(size_t nthr, bool elsewhere, void *(*body)(void *), void *arg)
{
    pthread_t th[64];
    size_t started = 0;
    for (size_t i = 1; i < nthr && started < 64; i++)
        if ((elsewhere ? rc_thread_start(&th[started], body, arg)
                       : pthread_create(&th[started], NULL, body, arg)) == 0)
            started++;
    body(arg);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

void rc_build_on_threads(size_t n, bool elsewhere, void *(*body)(void *), void *arg)
{
    size_t nthr = rc_cpus();
    on_nthreads(nthr < n ? nthr : n, elsewhere, body, arg);
}

typedef struct par {
    size_t n;
    void (*fn)(void *ctx, size_t i);
    void *ctx;
    atomic_size_t next;
} par;

static void *par_worker(void *arg)
{
    par *p = arg;
    for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
        p->fn(p->ctx, i);
    return NULL;
}

void rc_build_parallel(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    size_t nthr = rc_cpus();
    rc_build_parallel_n(n, nthr < n ? nthr : n, fn, ctx);
}

void rc_build_parallel_elsewhere(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    size_t nthr = rc_cpus();
    par p = {.n = n, .fn = fn, .ctx = ctx};
    on_nthreads(nthr < n ? nthr : n, true, par_worker, &p);
}

void rc_build_parallel_n(size_t n, size_t nthr, void (*fn)(void *ctx, size_t i), void *ctx)
{
    par p = {.n = n, .fn = fn, .ctx = ctx};
    on_nthreads(nthr ? nthr : 1, false, par_worker, &p);
}

/* The fonts and dictionaries, checked as files once for all editions (they
 * usually share the fonts; each language has its dictionary) rather than by
 * every edition's task. */
bool rc_build_check_resources(rc_arena *a, rc_config *const *cfgs, size_t ned, const bool *skip,
                              rc_diag *d)
{
    bool ok = true;
    for (size_t e = 0; e < ned; e++) {
        if (skip && skip[e]) continue;
        const rc_style_cfg *s = &cfgs[e]->style;
        bool fonts_seen = false, dict_seen = !s->hyphenate || !s->hyphenation;
        for (size_t k = 0; k < e; k++) {
            const rc_style_cfg *t = &cfgs[k]->style;
            if (skip && skip[k]) continue;
            bool same = true;
            for (int i = 0; i < RC_FONT_COUNT && same; i++)
                same = (s->font_path[i] == NULL) == (t->font_path[i] == NULL) &&
                       (!s->font_path[i] || strcmp(s->font_path[i], t->font_path[i]) == 0);
            fonts_seen |= same;
            dict_seen |= t->hyphenate && t->hyphenation && s->hyphenation &&
                         strcmp(s->hyphenation, t->hyphenation) == 0;
        }
        if (!fonts_seen) ok &= rc_build_check_fonts(a, cfgs[e], d);
        if (!dict_seen) ok &= rc_build_check_dictionary(a, cfgs[e], d);
    }
    return ok;
}

/* The file a target names now, given a second (temporary) name first, or
 * NULL when there is none (a first build) or it cannot be linked (the
 * rename then replaces it as it is).
 *
 * Why: a rename onto an existing file frees the old file's blocks inside
 * the rename, under the directory's lock, one output after the other; and
 * in a loop of builds (a watcher, a benchmark) the old file is the last
 * build's, whose pages may still be under writeback (ext4 starts it when a
 * rename replaces a file), which freeing them waits for. That was most of
 * the 2.7 ms between the three editions' last task and the exit (12
 * outputs), 35 ms on a machine busy writing. With a second name the rename
 * only drops a name, and the old
 * files are unlinked afterwards on several threads at once: unlink frees
 * the blocks after releasing the directory's lock, so the waits overlap. A
 * build killed in between leaves a "." temporary of its pid, which the
 * next build in the directory removes (rc_out_clean_stale). */
const char *rc_build_second_name(rc_arena *a, const char *target)
{
    char *p = rc_out_tmpname(a, target);
    bool go = rc_tmp_begin(); /* a name made on disk (see rc_tmp_begin) */
    bool linked = go && link(target, p) == 0;
    if (go) rc_tmp_end();
    if (linked) return p;
    rc_tmp_forget(p);
    return NULL;
}

typedef struct drops {
    const char *const *prev;
    bool spares; /* item 0 unmaps the arenas' spare blocks */
} drops;

static void drop_one(void *ctx, size_t i)
{
    const drops *d = ctx;
    if (d->spares && i-- == 0) {
        rc_arena_drop_spares();
        return;
    }
    if (d->prev[i]) rc_out_discard(d->prev[i]);
}

/* Unlinks the n second names (NULL ones skipped), one thread each up to
 * 16: the time is mostly waiting for writeback, not CPU. The sample's three
 * editions (12 outputs) rebuilt in a loop on a busy machine: 45 ms between
 * the last task and the exit with one thread, 12 with four, 5.7 with
 * twelve (medians of 15).
 *
 * With spares, the arenas' spare blocks (up to 16 MiB kept for the next
 * arena, include/rc/arena.h) are unmapped beside the unlinks, first: a
 * build that ends here has no next arena, and the exit would otherwise
 * tear those pages down alone on one CPU after everything else (the
 * sample's three editions: 52 blocks, 1.0 ms of munmap). */
void rc_build_drop_previous(const char **prev, size_t n, bool spares)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (prev[i]) prev[k++] = prev[i];
    drops d = {prev, spares};
    k += spares;
    if (k) rc_build_parallel_n(k, k < 16 ? k : 16, drop_one, &d);
}

/* The spares' work, by whichever thread claims it first. */
static void spares_work(rc_build_spares *s)
{
    if (atomic_exchange(&s->claimed, true)) return;
    rc_build_probe_at("spares+");
    if (s->cache) rc_edition_cache_free(s->cache);
    if (s->drop) rc_arena_drop_spares();
    rc_build_probe_at("spares-");
}

static void *drop_spares(void *arg)
{
    rc_build_probe_at("spares-thread");
    spares_work(arg);
    return NULL;
}

/* After a one-edition PDF, 0.15-0.5 ms of freeing its fonts (HarfBuzz's
 * faces, plans and tables) and 0.6 ms of the spares' munmap were on the
 * build's path, before and after the renames; beside the renames they are
 * not, and the unlink after them needs no thread of their own for a single
 * output. The same number of threads as before (one fewer in
 * rc_build_drop_previous); none on one CPU. */
void rc_build_spares_start(rc_build_spares *s, bool drop)
{
    s->drop = drop;
    atomic_init(&s->claimed, false);
    /* (on one CPU the thread would only wait for the renames to end) */
    s->on =
        (drop || s->cache) && rc_cpus() >= 2 && pthread_create(&s->th, NULL, drop_spares, s) == 0;
    if (!s->on && s->cache) rc_edition_cache_free(s->cache);
}

/* A thread not started yet would make the joiner wait for the scheduler
 * and then for the work: the joiner does the work instead, and the late
 * thread only ends. */
void rc_build_spares_join(rc_build_spares *s)
{
    if (!s->on) return;
    spares_work(s);
    pthread_join(s->th, NULL);
    s->on = false;
}
