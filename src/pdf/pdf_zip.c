/* pdf_zip: the streams deflated here are deflated on a second thread while
 * the main thread goes on drawing pages and building the document.
 *
 * Deflate was about a sixth of the PDF stage's instructions (the sample's
 * 35 pages: 21 M of 127 M) and nothing in libharu's object graph depends
 * on the compressed bytes: since the packer puts stream data in by object
 * number (blobs, pdf_pack.c), a blob's bytes are needed only when the
 * document is saved. So rc_pdf_put_deflated queues the data here; one
 * worker with its own compressor deflates the queue in order into malloc'd
 * buffers, and rc_pdf_zip_finish waits for it before the packer runs. The
 * bytes are those the main thread would have made (same level, same
 * library, one compressor per stream), so the output does not change.
 *
 * Without a cache, the worker also draws the pages (pdf_drawjob.c): the
 * main thread hands it each page as a flat block it made, with the text
 * shaped and what drawing reads lazily made first, and the worker draws it
 * on an rc_pdf of its own, deflates it into a buffer made here and spools
 * it, in page order.
 *
 * The worker also makes the reduced fonts (rc_ttf_reduce_lig, hb-subset,
 * in an arena of its own per font) while the main thread builds the links,
 * outline and structure tree (pdf_face.c). Only libdeflate and HarfBuzz
 * run on the worker, on objects of their own; libharu, the build's arena
 * and the cache are touched by the main thread alone. The queue is bounded (RC_PDF_ZIP_DEPTH
 * streams waiting), so a long document does not hold all its page text at
 * once. When the process may run on one CPU only, or the thread cannot
 * be started, streams are deflated on the main thread as before.
 *
 * A stream this PDF's last build deflated is not deflated again: the
 * worker (and the main thread for pages it draws itself) looks each one up
 * in the PDF's memo (rc/zmemo.h) first, and the packer's helper
 * (pdf_zpipe.c) is given the memo for the object streams.
 *
 * Cost: the copies of the pages and the worker's own malloc arena (for
 * hb-subset) are about 550 more page faults on the sample (3,236 ->
 * 3,790); with a second core free, 37 M instructions leave the main
 * thread. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "pdf_zip_probe.h"
#include "pdf_zpipe.h"
#include "rc/util.h"
#include "rc/zmemo.h"

/* What the memo's key says of the compressor (rc/zmemo.h). */
#define STR_(x) #x
#define STR(x) STR_(x)
/* (no "deflate" followed by a space and a digit: lintian takes such a
 * string for an embedded zlib, e2e/static_deps) */
#define ZMEMO_CODER "zlib/libdeflate-" LIBDEFLATE_VERSION_STRING "/level-" STR(RC_PDF_ZLEVEL)

/* Streams queued and not yet deflated before the main thread waits. */
#define RC_PDF_ZIP_DEPTH 8

typedef struct zjob {
    const unsigned char *in;
    size_t n;
    bool own;    /* in is malloc'd here (page content) */
    size_t blob; /* index into p->blobs, or SIZE_MAX: a font to reduce */
    unsigned char *out;
    size_t outn; /* 0: failed */
    /* a font to reduce (rc_ttf_reduce_lig) into an arena of its own */
    const uint32_t *codes;
    size_t m;
    uint16_t lig[32];
    rc_arena *ra;
    bool taken, finished;
    bool spooled; /* out written to the spool at spool_off, and freed */
    uint64_t spool_off;
    /* a page to draw first (pdf_drawjob.c; the worker frees the block),
     * its index, and its font resources once drawn, for p->pfonts.v[pfi] */
    void *draw;
    size_t dcap; /* its size */
    size_t page, pfi;
    rc_pdf_pagefonts pf;
    bool is_page, pf_given, draw_failed;
    /* a page missing from the pages' memo: its key (malloc'd), kept
     * there with its value once drawn (keep_page) */
    unsigned char *pkey;
    size_t pkn;
    rc_zmemo *pmemo; /* the PDF's pages' memo */
    /* the PDF keeps its pages there: no page in the deflate memo, not even
     * those of a long document's pages after the ones kept (the memo then
     * holds the packer's object streams, deflated on the build's path at
     * its end: the 1,006-page document, 21 paired rounds, -4.5 ms) */
    bool paged;
} zjob;

struct rc_pdf_zip {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t work, done_cv;
    zjob *jobs;
    size_t njobs, cap, taken, done;  /* taken: all jobs before it are */
    size_t red[RC_FONT_COUNT], nred; /* the fonts to reduce */
    bool quit;
    bool keep_in;                     /* copies of pages stay until finished (the cache's keys) */
    struct libdeflate_compressor *lc; /* the worker's */
    /* the streams this PDF's last build deflated (rc/zmemo.h; NULL: no
     * cache): looked up by both threads before deflating */
    rc_zmemo *memo;
    /* the deflated streams, written here as they are made (the worker's
     * alone until it has finished): a long document's streams are not
     * held in memory until the file is saved (1,006 pages: 6.3 MB;
     * 5,027: 31 MB), and the packer copies them from here. NULL: not
     * opened yet, or it failed (the streams then stay in memory). */
    FILE *spool;
    uint64_t spool_at;
    bool spool_failed;
    /* the worker's drawing: an rc_pdf of its own (no arena, no libharu),
     * and the buffer it deflates a drawn page into */
    rc_pdf wp;
    unsigned char *zbuf;
    size_t zcap;
    /* the main thread's, for pages it draws itself while it waits
     * (rc_pdf_zip_drain): an rc_pdf, code sets and a compressor of its own */
    rc_pdf mp;
    unsigned char *mcodes[RC_FONT_COUNT];
    struct libdeflate_compressor *mlc;
    /* the codes of a page being drawn and kept in the pages' memo, the
     * worker's (wpc, wpw) and this thread's (mpc, mpw) */
    unsigned char *wpc[RC_FONT_COUNT], *mpc[RC_FONT_COUNT];
    uint16_t *wpw[RC_FONT_COUNT], *mpw[RC_FONT_COUNT];
    /* pages' blocks drawn, kept for the next pages (rc_pdf_zip_block) */
    struct spare {
        void *b;
        size_t cap;
    } spare[RC_PDF_ZIP_DEPTH + 2];
    size_t nspare;
};

rc_pdf_zip_probe rc_pdf_zip_test_probe;

/* A test's probe (pdf_zip_probe.h) from under the lock: called without it,
 * so that it may hold this thread while the other goes on. */
static void probe(rc_pdf_zip *z, const char *step, size_t page)
{
    if (!rc_pdf_zip_test_probe.at) return;
    pthread_mutex_unlock(&z->mu);
    rc_pdf_zip_probe_at(step, page);
    pthread_mutex_lock(&z->mu);
}

/* Keeps a drawn page's block for another page (under the lock). */
static void give_back(rc_pdf_zip *z, void *b, size_t cap)
{
    if (z->nspare < sizeof z->spare / sizeof z->spare[0])
        z->spare[z->nspare++] = (struct spare){b, cap};
    else
        free(b);
}

/* Writes a deflated stream to the spool; false when it cannot (kept in
 * memory instead). Worker only. */
static bool spool_put(rc_pdf_zip *z, const unsigned char *s, size_t n, uint64_t *off)
{
    if (z->spool_failed) return false;
    if (!z->spool && !(z->spool = tmpfile())) {
        z->spool_failed = true;
        return false;
    }
    if (fwrite(s, 1, n, z->spool) != n) {
        z->spool_failed = true; /* what was written stays readable */
        return false;
    }
    *off = z->spool_at;
    z->spool_at += n;
    return true;
}

/* Deflates in[0..n) into out[0..cap) with lc, or copies the bytes the
 * last build of this PDF deflated it to (memo); the length, 0 when it
 * failed. */
static size_t deflate_or_kept(rc_zmemo *memo, struct libdeflate_compressor *lc, const void *in,
                              size_t n, unsigned char *out, size_t cap)
{
    size_t zn = 0;
    const unsigned char *kept = rc_zmemo_get(memo, in, n, &zn);
    if (kept && zn <= cap) {
        memcpy(out, kept, zn);
        return zn;
    }
    zn = libdeflate_zlib_compress(lc, in, n, out, cap);
    if (zn) rc_zmemo_put(memo, in, n, out, zn);
    return zn;
}

/* Draws page job j (pdf_drawjob.c) and deflates it into z->zbuf; the
 * length, 0 when it failed. Worker only. */
/* Before drawing job j on dp: with a key, the codes it shows are recorded
 * into pc (made on first use; false: not recorded). */
static void record_codes(rc_pdf *dp, const zjob *j, unsigned char *pc[RC_FONT_COUNT],
                         uint16_t *pw[RC_FONT_COUNT])
{
    dp->pcodes_on = false;
    if (!j->pkey) return;
    for (int f = 0; f < RC_FONT_COUNT; f++) {
        if (!pc[f] && !(pc[f] = calloc(1, RC_PDF_CODESET_BYTES))) return;
        if (!pw[f] && !(pw[f] = malloc(RC_PDF_CODESET_WORDS * sizeof *pw[f]))) return;
        if (dp->pcodes[f] != pc[f]) { /* (first use: empty) */
            dp->pcodes[f] = pc[f];
            dp->pwords[f] = pw[f];
            dp->npwords[f] = 0;
        }
    }
    rc_pdf_page_codes_clear(dp);
    dp->pcodes_on = true;
}

/* After drawing job j on dp into z[0..zn) deflated: a page missing from
 * the pages' memo is kept there (its codes as record_codes recorded). */
static void keep_page(rc_pdf *dp, const zjob *j, const unsigned char *zb, size_t zn)
{
    bool rec = dp->pcodes_on;
    dp->pcodes_on = false;
    if (!rec || !zn || rc_pdf_failed(dp)) return;
    size_t vn = 0;
    unsigned char *v = rc_pdf_page_value(dp, &j->pf, zb, zn, &vn);
    if (v) rc_zmemo_put(j->pmemo, j->pkey, j->pkn, v, vn);
    free(v);
}

static size_t draw_and_deflate(rc_pdf_zip *z, zjob *j)
{
    rc_pdf *wp = &z->wp;
    wp->err = HPDF_OK;
    record_codes(wp, j, z->wpc, z->wpw);
    rc_pdf_drawjob_run(wp, j->draw, j->page, &j->pf, NULL);
    if (rc_pdf_failed(wp)) {
        wp->pcodes_on = false;
        return 0;
    }
    size_t bound = libdeflate_zlib_compress_bound(z->lc, wp->cn);
    if (bound > z->zcap) { /* (the main thread's buffer fits all but a huge page) */
        unsigned char *b = realloc(z->zbuf, bound);
        if (!b) return 0;
        z->zbuf = b;
        z->zcap = bound;
    }
    /* (a page kept in the pages' memo is not kept in this one too) */
    size_t zn = deflate_or_kept(j->paged ? NULL : z->memo, z->lc, wp->cs, wp->cn, z->zbuf, z->zcap);
    keep_page(wp, j, z->zbuf, zn);
    return zn;
}

/* Runs job j (a copy: the array may move meanwhile) without the lock. */
static void run(rc_pdf_zip *z, zjob j, unsigned char **out, size_t *outn)
{
    *out = NULL;
    *outn = 0;
    if (j.blob == SIZE_MAX) { /* HarfBuzz objects of its own, an arena of its own */
        if (rc_ttf_reduce_lig(j.ra, j.in, j.n, j.codes, j.m, j.lig, out, outn) != RC_OK)
            *out = NULL, *outn = 0;
        return;
    }
    /* into the buffer the main thread gave (no malloc here: the worker
     * would get a malloc arena of its own, hundreds of page faults) */
    *out = j.out;
    *outn = deflate_or_kept(z->memo, z->lc, j.in, j.n, j.out, j.outn);
    if (*outn) { /* give back the slack now: the bound is about the page's
                  * size, and a long document's pages all wait for saving */
        unsigned char *fit = realloc(j.out, *outn);
        if (fit) *out = fit;
    }
}

/* Records job k's result (under the lock). */
static void finish_job(rc_pdf_zip *z, size_t k, unsigned char *out, size_t outn)
{
    z->jobs[k].out = out;
    z->jobs[k].outn = outn;
    z->jobs[k].finished = true;
    z->done++;
    pthread_cond_broadcast(&z->done_cv);
}

/* Takes job k, runs it without the lock and records its result: called,
 * and returns, under the lock. */
static void take_and_run(rc_pdf_zip *z, size_t k)
{
    z->jobs[k].taken = true;
    zjob j = z->jobs[k];
    pthread_mutex_unlock(&z->mu);
    unsigned char *out = NULL;
    size_t outn = 0;
    if (j.draw) { /* a page: drawn, deflated, spooled (else kept in a copy) */
        rc_pdf_zip_probe_at("draw", j.page);
        outn = draw_and_deflate(z, &j);
        uint64_t off = 0;
        bool spooled = outn && spool_put(z, z->zbuf, outn, &off);
        if (outn && !spooled && (out = malloc(outn)) != NULL) memcpy(out, z->zbuf, outn);
        if (!spooled && !out) outn = 0;
        pthread_mutex_lock(&z->mu);
        give_back(z, j.draw, j.dcap);
        free(j.pkey);
        z->jobs[k].pkey = NULL;
        z->jobs[k].draw = NULL;
        z->jobs[k].pf = j.pf;
        z->jobs[k].draw_failed = outn == 0;
        z->jobs[k].spooled = spooled;
        z->jobs[k].spool_off = off;
        finish_job(z, k, out, outn);
        return;
    }
    run(z, j, &out, &outn);
    /* a page's copy: done with (a long document would hold all its pages' text) */
    if (j.own && !z->keep_in) free((void *)(uintptr_t)j.in);
    /* a stream not kept by the cache goes to the spool; only the worker
     * runs streams (the main thread only fonts: rc_pdf_zip_reduced) */
    uint64_t off = 0;
    bool spooled = j.blob != SIZE_MAX && !z->keep_in && outn && spool_put(z, out, outn, &off);
    if (spooled) {
        free(out);
        out = NULL;
    }
    pthread_mutex_lock(&z->mu);
    if (j.own && !z->keep_in) z->jobs[k].in = NULL, z->jobs[k].own = false;
    z->jobs[k].spooled = spooled;
    z->jobs[k].spool_off = off;
    finish_job(z, k, out, outn);
}

/* The next job for the worker (under the lock): a font to reduce first
 * (the main thread waits for fonts before it can save; streams only when
 * saving), else the oldest stream; SIZE_MAX: none. */
static size_t next_job(rc_pdf_zip *z)
{
    for (size_t i = 0; i < z->nred; i++)
        if (!z->jobs[z->red[i]].taken) return z->red[i];
    while (z->taken < z->njobs && z->jobs[z->taken].taken)
        z->taken++;
    return z->taken < z->njobs ? z->taken : SIZE_MAX;
}

static void *worker(void *arg)
{
    rc_pdf_zip *z = arg;
    pthread_mutex_lock(&z->mu);
    for (;;) {
        size_t k;
        while ((k = next_job(z)) == SIZE_MAX && !z->quit)
            pthread_cond_wait(&z->work, &z->mu);
        if (k == SIZE_MAX) break; /* quit, nothing left */
        if (rc_pdf_zip_test_probe.at && z->jobs[k].is_page) {
            probe(z, "take", z->jobs[k].page);
            if (z->jobs[k].taken) continue; /* the main thread stole it meanwhile */
        }
        take_and_run(z, k);
    }
    pthread_mutex_unlock(&z->mu);
    return NULL;
}

void rc_pdf_zip_start(rc_pdf *p)
{
    /* one CPU (taskset, a container's cpuset): a second thread only costs */
    if (rc_cpus() < 2) return;
    rc_pdf_zip *z = calloc(1, sizeof *z);
    if (!z) return;
    z->lc = libdeflate_alloc_compressor(RC_PDF_ZLEVEL);
    if (!z->lc || pthread_mutex_init(&z->mu, NULL) != 0) {
        libdeflate_free_compressor(z->lc);
        free(z);
        return;
    }
    pthread_cond_init(&z->work, NULL);
    pthread_cond_init(&z->done_cv, NULL);
    if (pthread_create(&z->th, NULL, worker, z) != 0) {
        pthread_cond_destroy(&z->work);
        pthread_cond_destroy(&z->done_cv);
        pthread_mutex_destroy(&z->mu);
        libdeflate_free_compressor(z->lc);
        free(z);
        return;
    }
    z->keep_in = p->cache != NULL;
    z->memo = rc_zmemo_open(p->path, "pdf", ZMEMO_CODER, (rc_zmemo_fn)libdeflate_zlib_compress);
    /* pages drawn there write into buffers made here, so that the worker
     * does not start a malloc arena of its own (hundreds of page faults):
     * 256 KiB, of which only what the largest page needs is ever touched */
    z->wp.ccap = (size_t)256 << 10;
    z->wp.cs = malloc(z->wp.ccap);
    z->zcap = libdeflate_zlib_compress_bound(z->lc, z->wp.ccap);
    z->zbuf = malloc(z->zcap);
    if (!z->wp.cs || !z->zbuf) { /* then pages are drawn by the main thread */
        free(z->wp.cs);
        free(z->zbuf);
        z->wp.cs = NULL, z->zbuf = NULL;
        z->wp.ccap = z->zcap = 0;
    }
    p->zip = z;
}

/* Appends job j to the queue (waiting while it is full); false without
 * memory. */
static bool enqueue(rc_pdf_zip *z, const zjob *j)
{
    pthread_mutex_lock(&z->mu);
    while (z->njobs - z->done >= RC_PDF_ZIP_DEPTH) /* bounded: wait for the worker */
        pthread_cond_wait(&z->done_cv, &z->mu);
    if (z->njobs == z->cap) {
        size_t nc = z->cap ? z->cap * 2 : 64;
        zjob *v = realloc(z->jobs, nc * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&z->mu);
            return false;
        }
        z->jobs = v;
        z->cap = nc;
    }
    z->jobs[z->njobs++] = *j;
    pthread_cond_signal(&z->work);
    pthread_mutex_unlock(&z->mu);
    return true;
}

size_t rc_pdf_zip_reduce(rc_pdf *p, const unsigned char *font, size_t len, const uint32_t *codes,
                         size_t m, const uint16_t lig[32])
{
    rc_pdf_zip *z = p->zip;
    pthread_mutex_lock(&z->mu);
    size_t k = z->njobs, nred = z->nred;
    pthread_mutex_unlock(&z->mu);
    if (nred == RC_FONT_COUNT) return SIZE_MAX;
    zjob j = {.in = font, .n = len, .blob = SIZE_MAX, .codes = codes, .m = m, .ra = rc_arena_new()};
    memcpy(j.lig, lig, sizeof j.lig);
    if (!enqueue(z, &j)) {
        rc_arena_free(j.ra);
        return SIZE_MAX;
    }
    pthread_mutex_lock(&z->mu);
    z->red[z->nred++] = k; /* only this thread appends, so the index holds */
    pthread_mutex_unlock(&z->mu);
    return k;
}

bool rc_pdf_zip_reduced(rc_pdf *p, size_t job, const unsigned char **out, size_t *n)
{
    rc_pdf_zip *z = p->zip;
    pthread_mutex_lock(&z->mu);
    if (!z->jobs[job].taken) /* not started: this thread does it rather than wait */
        take_and_run(z, job);
    while (!z->jobs[job].finished)
        pthread_cond_wait(&z->done_cv, &z->mu);
    *out = z->jobs[job].out;
    *n = z->jobs[job].outn;
    pthread_mutex_unlock(&z->mu);
    return *out != NULL;
}

bool rc_pdf_zip_submit(rc_pdf *p, size_t blob, const void *data, size_t n, bool copy)
{
    rc_pdf_zip *z = p->zip;
    const unsigned char *in = data;
    if (copy) {
        unsigned char *c = malloc(n ? n : 1);
        if (!c) return false;
        memcpy(c, data, n);
        in = c;
    }
    size_t bound = libdeflate_zlib_compress_bound(z->lc, n); /* reads nothing of z->lc */
    unsigned char *out = malloc(bound);
    zjob j = {.in = in, .n = n, .own = copy, .blob = blob, .out = out, .outn = bound};
    if (!out || !enqueue(z, &j)) {
        if (copy) free((void *)(uintptr_t)in);
        free(out);
        return false;
    }
    return true;
}

bool rc_pdf_zip_draws(const rc_pdf *p)
{
    return p->zip && p->zip->zbuf && !p->zip->keep_in;
}

void *rc_pdf_zip_block(rc_pdf *p, size_t need, size_t *cap)
{
    rc_pdf_zip *z = p->zip;
    struct spare got = {NULL, 0};
    pthread_mutex_lock(&z->mu);
    size_t fit = SIZE_MAX, big = SIZE_MAX; /* the smallest that fits; the largest */
    for (size_t i = 0; i < z->nspare; i++) {
        size_t c = z->spare[i].cap;
        if (c >= need && (fit == SIZE_MAX || c < z->spare[fit].cap)) fit = i;
        if (big == SIZE_MAX || c > z->spare[big].cap) big = i;
    }
    size_t k = fit != SIZE_MAX ? fit : big; /* (one too small is replaced) */
    if (k != SIZE_MAX) {
        got = z->spare[k];
        z->spare[k] = z->spare[--z->nspare];
    }
    pthread_mutex_unlock(&z->mu);
    if (got.b && got.cap >= need) {
        *cap = got.cap;
        return got.b;
    }
    free(got.b);
    size_t c = (size_t)64 << 10; /* a few sizes, so that blocks fit other pages */
    while (c < need)
        c *= 2;
    void *b = malloc(c);
    *cap = b ? c : 0;
    return b;
}

bool rc_pdf_zip_draw(rc_pdf *p, size_t blob, void *block, size_t cap, size_t index, size_t pfi,
                     const unsigned char *key, size_t kn)
{
    rc_pdf_zip *z = p->zip;
    if (!rc_pdf_zip_draws(p)) return false;
    zjob j = {.blob = blob,
              .draw = block,
              .dcap = cap,
              .page = index,
              .pfi = pfi,
              .is_page = true,
              .paged = p->pmemo != NULL};
    if (key && p->pmemo && (j.pkey = malloc(kn ? kn : 1)) != NULL) { /* (else not kept) */
        memcpy(j.pkey, key, kn);
        j.pkn = kn;
        j.pmemo = p->pmemo;
    }
    if (enqueue(z, &j)) return true;
    free(j.pkey);
    return false;
}

/* Draws and deflates page job k here (taken, under the lock; returns
 * under it): into code sets of this thread's own, since the worker marks
 * the document's meanwhile; the deflated page stays in memory. False when
 * it cannot be done here (then the worker does it). */
static bool steal(rc_pdf_zip *z, size_t k)
{
    if (!z->mlc && !(z->mlc = libdeflate_alloc_compressor(RC_PDF_ZLEVEL))) return false;
    for (int f = 0; f < RC_FONT_COUNT; f++)
        if (!z->mcodes[f] && !(z->mcodes[f] = calloc(1, RC_PDF_CODESET_BYTES))) return false;
    z->jobs[k].taken = true;
    zjob j = z->jobs[k];
    pthread_mutex_unlock(&z->mu);
    rc_pdf_zip_probe_at("steal", j.page);
    rc_pdf *mp = &z->mp;
    mp->err = HPDF_OK;
    record_codes(mp, &j, z->mpc, z->mpw);
    rc_pdf_drawjob_run(mp, j.draw, j.page, &j.pf, z->mcodes);
    unsigned char *out = NULL;
    size_t outn = 0;
    if (!rc_pdf_failed(mp)) {
        size_t bound = libdeflate_zlib_compress_bound(z->mlc, mp->cn);
        if ((out = malloc(bound)) != NULL) {
            outn = deflate_or_kept(j.paged ? NULL : z->memo, z->mlc, mp->cs, mp->cn, out, bound);
            unsigned char *fit = outn ? realloc(out, outn) : NULL;
            if (fit) out = fit;
        }
    }
    keep_page(mp, &j, out, outn);
    free(j.pkey);
    pthread_mutex_lock(&z->mu);
    z->jobs[k].pkey = NULL;
    give_back(z, j.draw, j.dcap);
    z->jobs[k].draw = NULL;
    z->jobs[k].pf = j.pf;
    z->jobs[k].draw_failed = outn == 0;
    finish_job(z, k, out, outn);
    return true;
}

bool rc_pdf_zip_drain(rc_pdf *p)
{
    rc_pdf_zip *z = p->zip;
    if (!z) return true;
    pthread_mutex_lock(&z->mu);
    probe(z, "drain", SIZE_MAX);
    /* the pages the worker has not started are drawn here, the last first
     * (it takes them from the first): on a busy machine the worker may not
     * run for a while, and waiting for it would cost more */
    for (;;) {
        size_t k = z->njobs;
        while (k-- > z->taken && (z->jobs[k].taken || !z->jobs[k].is_page)) {
        }
        if (k + 1 == z->taken || k >= z->njobs || !steal(z, k)) break;
    }
    probe(z, "wait", SIZE_MAX);
    while (z->done < z->njobs)
        pthread_cond_wait(&z->done_cv, &z->mu);
    for (int f = 0; f < RC_FONT_COUNT; f++) /* the codes of the pages drawn here */
        if (z->mcodes[f] && p->codes[f])
            for (size_t b = 0; b < RC_PDF_CODESET_BYTES; b++)
                p->codes[f][b] |= z->mcodes[f][b];
    bool ok = true;
    for (size_t k = 0; k < z->njobs; k++) {
        zjob *j = &z->jobs[k];
        if (!j->is_page || j->pf_given) continue;
        if (j->draw_failed || j->pfi >= p->pfonts.n) {
            ok = false;
            continue;
        }
        p->pfonts.v[j->pfi].n = j->pf.n;
        memcpy(p->pfonts.v[j->pfi].order, j->pf.order, sizeof j->pf.order);
        j->pf_given = true;
    }
    pthread_mutex_unlock(&z->mu);
    return ok;
}

bool rc_pdf_zip_finish(rc_pdf *p)
{
    rc_pdf_zip *z = p->zip;
    if (!z) return true;
    pthread_mutex_lock(&z->mu);
    z->quit = true;
    pthread_cond_signal(&z->work);
    pthread_mutex_unlock(&z->mu);
    pthread_join(z->th, NULL);
    bool ok = !z->spool || fflush(z->spool) == 0; /* the packer reads it back */
    for (size_t k = 0; k < z->njobs; k++) {
        zjob *j = &z->jobs[k];
        if (j->blob == SIZE_MAX) continue; /* a reduced font (taken by pdf_face.c) */
        if (!j->outn) {
            ok = false;
        } else if (j->spooled) {
            p->blobs.v[j->blob] = (rc_pdf_blob){.num = p->blobs.v[j->blob].num,
                                                .n = j->outn,
                                                .file = z->spool,
                                                .off = j->spool_off};
        } else {
            /* the cache keeps a copy (one: two streams of a write may
             * have had the same data); the blob points at whichever lives
             * until the document is saved */
            const unsigned char *kept =
                rc_pdf_cache_put(p->cache, RC_PDF_CK_DEFLATE, j->in, j->n, j->out, j->outn);
            p->blobs.v[j->blob].data = kept ? kept : j->out;
            p->blobs.v[j->blob].n = j->outn;
            if (kept) {
                free(j->out);
                j->out = NULL;
            }
        }
        if (j->own) free((void *)(uintptr_t)j->in);
        j->in = NULL;
    }
    p->zip = NULL;
    p->zdone = z; /* its outputs are freed after saving (rc_pdf_zip_free) */
    rc_zpipe_use_memo(z->memo, RC_PDF_ZLEVEL); /* for the packer's streams, next */
    return ok;
}

void rc_pdf_zip_free(rc_pdf *p)
{
    rc_pdf_zip_finish(p);
    rc_pdf_zip *z = p->zdone;
    if (!z) return;
    /* kept for the next build when this one made its document */
    rc_zpipe_use_memo(NULL, 0);
    rc_zmemo_close(z->memo, !rc_pdf_failed(p));
    for (size_t k = 0; k < z->njobs; k++) {
        if (z->jobs[k].blob == SIZE_MAX)
            rc_arena_free(z->jobs[k].ra); /* holds the reduced font */
        else
            free(z->jobs[k].out);
        free(z->jobs[k].pkey); /* (a page never drawn: a failed write) */
    }
    free(z->jobs);
    free(z->wp.cs);
    free(z->zbuf);
    free(z->mp.cs);
    for (size_t i = 0; i < z->nspare; i++)
        free(z->spare[i].b);
    for (int f = 0; f < RC_FONT_COUNT; f++) {
        free(z->mcodes[f]);
        free(z->wpc[f]);
        free(z->mpc[f]);
        free(z->wpw[f]);
        free(z->mpw[f]);
    }
    libdeflate_free_compressor(z->mlc);
    if (z->spool) fclose(z->spool);
    libdeflate_free_compressor(z->lc);
    pthread_cond_destroy(&z->work);
    pthread_cond_destroy(&z->done_cv);
    pthread_mutex_destroy(&z->mu);
    free(z);
    p->zdone = NULL;
}
