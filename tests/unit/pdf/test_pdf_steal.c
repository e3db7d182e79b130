/* Tests for the pages the PDF stage's main thread takes from its helper
 * (pdf_zip.c, rc_pdf_zip_drain): when the pages are all queued, the main
 * thread draws itself, the last first, those the worker has not started.
 * A loaded machine makes that happen now and then; here the test's probe
 * (pdf_zip_probe.h) holds the worker at a chosen page so that it happens
 * every run, at a known page: before the worker takes page k, while it is
 * drawing page k, before the first page, and released while the main
 * thread is stealing (the two meet somewhere). Each time: every page is
 * drawn exactly once, by the thread expected; the worker, let go, finishes
 * and draws nothing stolen; and the file is the one a process allowed one
 * CPU (no helper thread: every page drawn in order, here) writes. */
#define _GNU_SOURCE /* sched_setaffinity */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"
#include "../../../src/pdf/pdf_zip_probe.h" /* the helper's probe is internal to the PDF stage */

#include "pdf_fixture.h"

/* The queue holds RC_PDF_ZIP_DEPTH (8) pages not yet drawn: with the
 * worker held at page k, the main thread queues pages up to k + 7 and
 * would wait for the worker before the next, so the documents here have
 * at most k + 8 pages. */
#define MAXPAGES 16
#define ANY SIZE_MAX

typedef pdf_fx fixture;

/* What the probe saw, and when to hold and let go of the worker. */
typedef struct event {
    char step[8];
    size_t page;
    bool main; /* on the thread writing the PDF */
} event;

typedef struct watch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t main_th;
    /* the worker waits at (hold, hold_page) until the main thread reaches
     * (release, release_page); the main thread waits at "drain" until the
     * worker is held, so that the worker has not run past the page */
    const char *hold, *release;
    size_t hold_page, release_page;
    bool held, released;
    event ev[256];
    size_t n;
    bool overflow;
    int drawing[MAXPAGES]; /* per page, who started drawing it: 1 worker, 2 main */
    size_t at_release;     /* the index of the event that let the worker go */
} watch;

static void at(void *ctx, const char *step, size_t page)
{
    watch *w = ctx;
    pthread_mutex_lock(&w->mu);
    bool is_main = pthread_equal(pthread_self(), w->main_th);
    if (w->n == sizeof w->ev / sizeof w->ev[0]) { /* (cmocka asserts on the main thread only) */
        w->overflow = true;
    } else {
        event *e = &w->ev[w->n++];
        snprintf(e->step, sizeof e->step, "%s", step);
        e->page = page;
        e->main = is_main;
    }
    /* a page drawn twice is caught as it starts: the second drawing would
     * give its block back twice, and a crash tells less */
    if (strcmp(step, "draw") == 0 || strcmp(step, "steal") == 0) {
        if (page < MAXPAGES && w->drawing[page]) {
            fprintf(stderr, "page %zu drawn twice (%s, then %s)\n", page,
                    w->drawing[page] == 1 ? "worker" : "main thread",
                    is_main ? "main thread" : "worker");
            abort(); /* (cmocka fails a test on its own thread only) */
        }
        if (page < MAXPAGES) w->drawing[page] = is_main ? 2 : 1;
    }
    if (is_main && strcmp(step, "drain") == 0)
        while (!w->held)
            pthread_cond_wait(&w->cv, &w->mu);
    if (is_main && !w->released && strcmp(step, w->release) == 0 &&
        (w->release_page == ANY || page == w->release_page)) {
        w->released = true;
        w->at_release = w->n - 1;
        pthread_cond_broadcast(&w->cv);
    }
    if (!is_main && !w->held && strcmp(step, w->hold) == 0 && page == w->hold_page) {
        w->held = true;
        pthread_cond_broadcast(&w->cv);
        while (!w->released)
            pthread_cond_wait(&w->cv, &w->mu);
    }
    pthread_mutex_unlock(&w->mu);
}

static int setup(void **state)
{
    pdf_fx_open(state, "/tmp/rc-test-steal-XXXXXX", "Steal test", "2019");
    return 0;
}

static int teardown(void **state)
{
    rc_pdf_zip_test_probe = (rc_pdf_zip_probe){0};
    return pdf_fx_close(state);
}

/* Pages of text in two faces, a rule and links between pages; each page's
 * words differ, so a page drawn in another's place shows, and each page
 * has a letter of its own: the font must hold the letters of the pages the
 * main thread drew as well (their codes are merged). */
static rc_layout document(fixture *fx, size_t pages)
{
    static const char *const letters[MAXPAGES] = {"À", "Á", "Â", "Ã", "Ä", "Å", "Æ", "Ç",
                                                  "È", "É", "Ê", "Ë", "Ì", "Í", "Î", "Ï"};
    return pdf_fixture_document(fx->a, pages, 5, 0, NULL, letters);
}

/* Writes lay and returns the file's bytes. */
static char *write_pdf(fixture *fx, const rc_layout *lay, size_t *n)
{
    char *path = rc_arena_printf(fx->a, "%s/%d.pdf", fx->dir, fx->serial++);
    assert_int_equal(rc_pdf_write(fx->a, lay, &fx->cfg, &fx->fonts, path, fx->d), RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    char *s;
    assert_int_equal(rc_read_file(fx->a, path, &s, n), RC_OK);
    return s;
}

/* lay written by a process allowed one CPU: no helper thread. */
static char *write_one_cpu(fixture *fx, const rc_layout *lay, size_t *n)
{
    cpu_set_t old;
    pdf_fixture_one_cpu(&old);
    char *s = write_pdf(fx, lay, n);
    pdf_fixture_all_cpus(&old);
    return s;
}

/* Writes lay (pages pages) with the probe holding the worker at (hold,
 * hold_page) until the main thread reaches (release, release_page); the
 * file must be the one-CPU write's. Fills *w and drawn_by: per page, 1
 * when the worker drew it, 2 when the main thread did (each seen once). */
static void write_held(fixture *fx, size_t pages, const char *hold, size_t hold_page,
                       const char *release, size_t release_page, watch *w, int drawn_by[MAXPAGES])
{
    assert_true(pages <= MAXPAGES);
    rc_layout lay = document(fx, pages);
    size_t n1, n2;
    char *one = write_one_cpu(fx, &lay, &n1);

    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->main_th = pthread_self();
    w->hold = hold, w->hold_page = hold_page;
    w->release = release, w->release_page = release_page;
    rc_pdf_zip_test_probe = (rc_pdf_zip_probe){at, w};
    char *two = write_pdf(fx, &lay, &n2);
    rc_pdf_zip_test_probe = (rc_pdf_zip_probe){0};
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);

    assert_false(w->overflow);
    assert_true(w->held);
    assert_true(w->released);
    /* drawn exactly once, each page: by the worker ("draw") or stolen */
    memset(drawn_by, 0, MAXPAGES * sizeof *drawn_by);
    for (size_t i = 0; i < w->n; i++) {
        const event *e = &w->ev[i];
        bool draw = strcmp(e->step, "draw") == 0, steal = strcmp(e->step, "steal") == 0;
        if (!draw && !steal) continue;
        assert_true(draw ? !e->main : e->main); /* each step on its own thread */
        assert_true(e->page < pages);
        assert_int_equal(drawn_by[e->page], 0); /* not drawn twice */
        drawn_by[e->page] = draw ? 1 : 2;
    }
    for (size_t p = 0; p < pages; p++)
        assert_int_not_equal(drawn_by[p], 0);
    /* stolen the last first */
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->ev[i].step, "steal") == 0) {
            assert_true(w->ev[i].page < last);
            last = w->ev[i].page;
        }
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, n1);
}

/* Whether the worker drew anything after the event that let it go. */
static bool worker_drew_after_release(const watch *w)
{
    for (size_t i = w->at_release + 1; i < w->n; i++)
        if (strcmp(w->ev[i].step, "draw") == 0) return true;
    return false;
}

/* Held before it takes page 5 of 12: the main thread draws pages 11 to
 * 5; let go, the worker finds page 5 taken and draws nothing more. */
static void test_held_before_a_page(void **state)
{
    fixture *fx = *state;
    if (rc_cpus() < 2) skip(); /* one CPU: no helper thread, nothing to steal */
    watch w;
    int by[MAXPAGES];
    write_held(fx, 12, "take", 5, "wait", ANY, &w, by);
    for (size_t p = 0; p < 12; p++)
        assert_int_equal(by[p], p < 5 ? 1 : 2);
    assert_false(worker_drew_after_release(&w));
    /* its look again after the hold was its last at a page */
    size_t takes = 0;
    for (size_t i = w.at_release + 1; i < w.n; i++)
        takes += strcmp(w.ev[i].step, "take") == 0;
    assert_int_equal(takes, 0);
}

/* Held once it has taken page 5, before drawing it: the main thread
 * steals pages 11 to 6 only, then waits for page 5, which the worker,
 * let go, finishes. */
static void test_held_mid_page(void **state)
{
    fixture *fx = *state;
    if (rc_cpus() < 2) skip();
    watch w;
    int by[MAXPAGES];
    write_held(fx, 12, "draw", 5, "wait", ANY, &w, by);
    for (size_t p = 0; p < 12; p++)
        assert_int_equal(by[p], p <= 5 ? 1 : 2);
    assert_false(worker_drew_after_release(&w));
    /* the main thread waited for it: its "wait" came after its steals */
    size_t steals = 0;
    for (size_t i = 0; i < w.at_release; i++)
        steals += strcmp(w.ev[i].step, "steal") == 0;
    assert_int_equal(steals, 6);
}

/* Held before the first page: the main thread draws them all (8: as
 * many as the queue holds before the main thread must wait). */
static void test_held_before_the_first_page(void **state)
{
    fixture *fx = *state;
    if (rc_cpus() < 2) skip();
    watch w;
    int by[MAXPAGES];
    write_held(fx, 8, "take", 0, "wait", ANY, &w, by);
    for (size_t p = 0; p < 8; p++)
        assert_int_equal(by[p], 2);
    assert_false(worker_drew_after_release(&w));
}

/* Let go while the main thread steals the last page: both draw what is
 * left, from both ends, and meet somewhere; still each page once. */
static void test_released_while_stealing(void **state)
{
    fixture *fx = *state;
    if (rc_cpus() < 2) skip();
    watch w;
    int by[MAXPAGES];
    write_held(fx, 12, "take", 4, "steal", 11, &w, by);
    for (size_t p = 0; p < 4; p++)
        assert_int_equal(by[p], 1);
    assert_int_equal(by[11], 2);
    /* from each end, no gap: the worker's pages, then the main thread's */
    size_t p = 0;
    while (p < 12 && by[p] == 1)
        p++;
    while (p < 12 && by[p] == 2)
        p++;
    assert_int_equal(p, 12);
}

int main(void)
{
    alarm(300); /* a broken hand-over waits for ever: fail instead */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_held_before_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_mid_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_before_the_first_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_released_while_stealing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
