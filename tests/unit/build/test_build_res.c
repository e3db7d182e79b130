/* A one-edition build loads its fonts and dictionary on a thread of its own
 * from the moment its configuration is read (build_early.c), beside the data
 * and the document, and hands them to its typesetting when it starts (on
 * one CPU the pool's T_RES task does it, build_write.c). These tests watch the pool's steps
 * through the test probe (build_int.h): that the loading and the document
 * really overlap, that the typesetting starts only after both (on the
 * thread that called rc_build: the pool's other thread never takes it), that the PDF is the bytes
 * of a build on one CPU, and that what is reported, and in which order, is what a build that loaded
 * the fonts after the document reported: a document's errors alone, its warnings before the
 * resources' errors. The loading is made to fail deterministically by removing the dictionary once
 * the fonts' check has passed ("check-"). Also: the thread that unmaps the arenas' spare blocks
 * runs beside the renames and is joined before the build returns. */
#define _GNU_SOURCE /* sched_setaffinity */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/build.h"
#include "rc/util.h"
#include "../../../src/build/build_int.h" /* the pool's probe is internal to the build stage */
#include "../base/cpu_check.h"

#define MAXEV 64

typedef struct event {
    char step[16];
    pthread_t th;
} event;

/* What the probe saw, and what it does: hold "doc+" until "res+" has been
 * seen (so the overlap does not depend on the scheduler); hold "res-"
 * (before the loading says it is done) until "typeset+" is seen or half a
 * second has passed, so a typesetting that did not wait for its fonts
 * would be seen starting first; remove a file at "check-". For the spares'
 * thread: either hold the renames' end until the thread has taken the
 * work, and the work 50 ms (a build that did not join the thread would
 * return first), or hold the thread's start until the work is done, by
 * the joining thread. */
typedef struct watch {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    event ev[MAXEV];
    size_t n;
    bool hold_doc, hold_res, hold_data, spares_by_thread, spares_by_joiner;
    bool hold_main_worker; /* the build's thread waits at "worker+" for "doc+" */
    const char *remove_at_check;
    pthread_t main;
} watch;

static bool seen(const watch *w, const char *step)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->ev[i].step, step) == 0) return true;
    return false;
}

static void at(void *ctx, const char *step)
{
    watch *w = ctx;
    pthread_mutex_lock(&w->mu);
    if (w->n < MAXEV) {
        snprintf(w->ev[w->n].step, sizeof w->ev[w->n].step, "%s", step);
        w->ev[w->n].th = pthread_self();
        w->n++;
    }
    pthread_cond_broadcast(&w->cv);
    if (strcmp(step, "check-") == 0 && w->remove_at_check) unlink(w->remove_at_check);
    bool is = strcmp(step, "spares+") == 0;
    const char *wait_for = strcmp(step, "worker+") == 0 && w->hold_main_worker &&
                                   pthread_equal(pthread_self(), w->main)
                               ? "doc+"
                           : strcmp(step, "doc+") == 0 && w->hold_doc                  ? "res+"
                           : strcmp(step, "data+") == 0 && w->hold_data                ? "res+"
                           : strcmp(step, "res-") == 0 && w->hold_res                  ? "typeset+"
                           : strcmp(step, "renamed") == 0 && w->spares_by_thread       ? "spares+"
                           : strcmp(step, "spares-thread") == 0 && w->spares_by_joiner ? "spares-"
                                                                                       : NULL;
    if (wait_for) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        /* half a second for the typesetting, 10 s for the others (the
         * asserts below fail when they time out) */
        bool half = strcmp(wait_for, "typeset+") == 0;
        long ns = until.tv_nsec + (half ? 500000000L : 0);
        until.tv_sec += (half ? 0 : 10) + ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        while (!seen(w, wait_for))
            if (pthread_cond_timedwait(&w->cv, &w->mu, &until) != 0) break;
    }
    pthread_mutex_unlock(&w->mu);
    if (is && w->spares_by_thread) {
        struct timespec ms50 = {0, 50000000L};
        nanosleep(&ms50, NULL);
    }
}

/* The index of the first event named step, or -1. */
static int find(const watch *w, const char *step)
{
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->ev[i].step, step) == 0) return (int)i;
    return -1;
}

static char dir[64];

static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void copy(const char *from, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *in = fopen(from, "rb"), *out = fopen(path, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, k, out);
    fclose(in);
    fclose(out);
}

static const char ini[] = "[report]\ntitle = Overlap test\nyear = 2020\n\n"
                          "[output]\ndirectory = out\nformats = pdf\n\n"
                          "[document]\ncover = no\nimprint = no\nback_cover = no\n"
                          "chapters = chapter.md\n\n"
                          "[source survey]\nfile = survey.csv\nkey = id\n\n"
                          "[field survey.id]\ncolumn = Id\ntype = text\n\n"
                          "[field survey.continent]\ncolumn = Continent\ntype = category\n"
                          "values = EU: European Union | LA: Latin America\n\n"
                          "[metric respondents]\nsource = survey\n\n"
                          "[style]\nhyphenation = dict.dic\n";

static const char good_md[] = "# Findings\n\nOf the {{respondents}} respondents, most answered "
                              "every question of the survey, and a representative of each "
                              "continent took part in the workshops that followed.\n";

/* A fresh project; chapter is the chapter's Markdown. */
static void project(const char *chapter)
{
    snprintf(dir, sizeof dir, "/tmp/rc-test-res-XXXXXX");
    assert_non_null(mkdtemp(dir));
    put("case.ini", ini);
    put("chapter.md", chapter);
    copy("tests/bad/_fixtures/survey.csv", "survey.csv");
    copy("/usr/share/hyphen/hyph_en_US.dic", "dict.dic");
}

static void cleanup(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static rc_status build(watch *w, rc_diag *d)
{
    char cfg[128], out[128];
    snprintf(cfg, sizeof cfg, "%s/case.ini", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    rc_options o = {
        .command = RC_CMD_BUILD, .config = cfg, .outdir = out, .only = RC_OUT_PDF, .quiet = true};
    rc_build_test_probe = (rc_build_probe){w ? at : NULL, w};
    rc_status st = rc_build(&o, d);
    rc_build_test_probe = (rc_build_probe){0};
    return st;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)len);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return p;
}

static void watch_init(watch *w)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
}

/* The loading runs beside the document, the typesetting after both, and
 * the PDF is the one a build on one CPU (one thread: no hand-over) makes. */
static void test_overlap_and_hand_over(void **state)
{
    (void)state;
    if (rc_cpus() < 2) skip(); /* one thread: nothing runs beside anything */
    setenv("SOURCE_DATE_EPOCH", "1577836800", 1);
    project(good_md);
    watch w;
    watch_init(&w);
    w.hold_doc = w.hold_res = w.spares_by_thread = true;
    rc_diag *d = rc_diag_new();
    assert_int_equal(build(&w, d), RC_OK);
    assert_int_equal(rc_diag_errors(d), 0);
    rc_diag_free(d);
    int res0 = find(&w, "res+"), res1 = find(&w, "res-"), doc0 = find(&w, "doc+"),
        doc1 = find(&w, "doc-"), ts = find(&w, "typeset+");
    assert_true(res0 >= 0 && res1 >= 0 && doc0 >= 0 && doc1 >= 0 && ts >= 0);
    assert_true(res0 < doc1); /* loaded while the document was built */
    assert_false(pthread_equal(w.ev[res0].th, w.ev[doc0].th)); /* on the other thread */
    assert_true(ts > res1 && ts > doc1);                       /* typeset after both */
    assert_true(pthread_equal(w.ev[ts].th, pthread_self()));   /* by the build's thread */
    /* the spare blocks: a thread of their own took the work (before the
     * renames ended, or after: the renames' end waits for it) and was
     * joined before the build returned (the work takes 50 ms here) */
    int sp0 = find(&w, "spares+"), ren = find(&w, "renamed"), sp1 = find(&w, "spares-");
    assert_true(sp0 >= 0 && ren >= 0 && sp1 > sp0);
    assert_false(pthread_equal(w.ev[sp0].th, pthread_self()));
    char pdf[128];
    snprintf(pdf, sizeof pdf, "%s/out/case.pdf", dir);
    size_t n1;
    unsigned char *two = slurp(pdf, &n1);

    /* the same build on one CPU */
    cpu_set_t all;
    rc_test_one_cpu(&all);
    watch w1;
    watch_init(&w1);
    d = rc_diag_new();
    rc_status st = build(&w1, d);
    rc_test_all_cpus(&all);
    assert_int_equal(st, RC_OK);
    rc_diag_free(d);
    for (size_t i = 1; i < w1.n; i++) /* (one thread, and no spares' thread) */
        assert_true(pthread_equal(w1.ev[i].th, w1.ev[0].th));
    assert_int_equal(find(&w1, "spares+"), -1);
    size_t n2;
    unsigned char *one_cpu = slurp(pdf, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(two, one_cpu, n1);
    free(two);
    free(one_cpu);
    cleanup();
}

/* The loading starts once the configuration is read, before the data:
 * held at "data+" until "res+" is seen (10 s at most), a loading that
 * waited for the data (the pool's T_RES task) would be seen after "data-". */
static void test_loading_beside_the_data(void **state)
{
    (void)state;
    if (rc_cpus() < 2) skip(); /* one thread: the pool's task loads them */
    project(good_md);
    watch w;
    watch_init(&w);
    w.hold_data = true;
    rc_diag *d = rc_diag_new();
    assert_int_equal(build(&w, d), RC_OK);
    assert_int_equal(rc_diag_errors(d), 0);
    rc_diag_free(d);
    int c0 = find(&w, "check+"), res0 = find(&w, "res+"), res1 = find(&w, "res-"),
        d0 = find(&w, "data+"), d1 = find(&w, "data-"), ts = find(&w, "typeset+");
    assert_true(c0 >= 0 && res0 > c0 && res1 > res0 && d0 >= 0 && d1 > d0 && ts > res1);
    assert_true(res0 < d1);
    assert_false(pthread_equal(w.ev[res0].th, w.ev[d0].th));
    assert_true(pthread_equal(w.ev[c0].th, w.ev[res0].th));  /* checked, then loaded */
    assert_true(pthread_equal(w.ev[ts].th, pthread_self())); /* typeset by the build's thread */
    cleanup();
}

/* The lone typesetting runs on the thread that called rc_build, whichever
 * thread built the document (build_write.c, main_typesets): the build's
 * thread is held at the pool's start until the other thread has taken the
 * document, so that thread, done with it, is the first to look for the
 * typesetting (before, it took it). Eight builds. */
static void test_typeset_on_build_thread(void **state)
{
    (void)state;
    if (rc_cpus() < 2) skip(); /* one thread: trivially */
    project(good_md);
    for (int i = 0; i < 8; i++) {
        watch w;
        watch_init(&w);
        w.hold_main_worker = true;
        w.main = pthread_self();
        rc_diag *d = rc_diag_new();
        assert_int_equal(build(&w, d), RC_OK);
        rc_diag_free(d);
        int ts = find(&w, "typeset+"), doc = find(&w, "doc+");
        assert_true(ts >= 0 && doc >= 0);
        assert_false(pthread_equal(w.ev[doc].th, pthread_self())); /* held as meant */
        assert_true(pthread_equal(w.ev[ts].th, pthread_self()));
    }
    cleanup();
}

/* A spares' thread that has not started by the join: the joining thread
 * does the work, once, and the late thread only ends. */
static void test_spares_by_joiner(void **state)
{
    (void)state;
    if (rc_cpus() < 2) skip(); /* no spares' thread on one CPU */
    project(good_md);
    watch w;
    watch_init(&w);
    w.spares_by_joiner = true;
    rc_diag *d = rc_diag_new();
    assert_int_equal(build(&w, d), RC_OK);
    rc_diag_free(d);
    int sp0 = find(&w, "spares+"), sp1 = find(&w, "spares-");
    assert_true(sp0 >= 0 && sp1 > sp0);
    assert_true(pthread_equal(w.ev[sp0].th, pthread_self()));
    assert_true(pthread_equal(w.ev[sp1].th, pthread_self()));
    size_t works = 0;
    for (size_t i = 0; i < w.n; i++)
        works += strcmp(w.ev[i].step, "spares+") == 0;
    assert_int_equal(works, 1);
    cleanup();
}

/* The text of diagnostic i of d. */
static const char *text(const rc_diag *d, size_t i, char *buf, size_t n)
{
    rc_diag_format(rc_diag_get(d, i), buf, n);
    return buf;
}

/* A document with an error and fonts that fail to load: the document's
 * error alone, as when nothing was loaded before it was built. */
static void test_bad_document_and_resources(void **state)
{
    (void)state;
    project("# Findings\n\n## \n\nText.\n");
    char dic[128];
    snprintf(dic, sizeof dic, "%s/dict.dic", dir);
    watch w;
    watch_init(&w);
    w.remove_at_check = dic;
    rc_diag *d = rc_diag_new();
    assert_int_not_equal(build(&w, d), RC_OK);
    char buf[512];
    assert_int_equal(rc_diag_count(d), 1);
    assert_non_null(
        strstr(text(d, 0, buf, sizeof buf), "chapter.md:3:1: error: heading has no text"));
    rc_diag_free(d);
    char out[128];
    snprintf(out, sizeof out, "%s/out/case.pdf", dir);
    assert_int_not_equal(access(out, F_OK), 0);
    cleanup();
}

/* A sound document with a warning, fonts that fail to load: the warning
 * first, then the loading's error, as the typesetting reported them. */
static void test_warning_then_resource_error(void **state)
{
    (void)state;
    project("# Findings\n\n<div>raw</div>\n\nOf the {{respondents}} respondents.\n");
    char dic[128];
    snprintf(dic, sizeof dic, "%s/dict.dic", dir);
    watch w;
    watch_init(&w);
    w.remove_at_check = dic;
    rc_diag *d = rc_diag_new();
    assert_int_equal(build(&w, d), RC_ERR_CONFIG);
    char buf[512];
    assert_int_equal(rc_diag_count(d), 2);
    assert_non_null(
        strstr(text(d, 0, buf, sizeof buf), "chapter.md:3:1: warning: raw HTML is ignored"));
    assert_non_null(strstr(text(d, 1, buf, sizeof buf), "error: hyphenation dictionary"));
    assert_non_null(strstr(buf, "dict.dic' not found"));
    rc_diag_free(d);
    int res0 = find(&w, "res+"), ts = find(&w, "typeset+");
    assert_true(res0 >= 0 && ts > res0);
    cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overlap_and_hand_over),
        cmocka_unit_test(test_loading_beside_the_data),
        cmocka_unit_test(test_typeset_on_build_thread),
        cmocka_unit_test(test_spares_by_joiner),
        cmocka_unit_test(test_bad_document_and_resources),
        cmocka_unit_test(test_warning_then_resource_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
