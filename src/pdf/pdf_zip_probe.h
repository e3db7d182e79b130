/* pdf_zip_probe: a hook for tests into the PDF stage's helper thread
 * (pdf_zip.c), so that a test can hold the worker at a chosen page and
 * make the main thread draw ("steal") the pages the worker has not
 * started: a situation a loaded machine makes now and then, and a test
 * otherwise cannot (tests/unit/pdf/test_pdf_steal.c). Internal to the PDF
 * stage; not part of the library's API.
 *
 * When set, at(ctx, step, page) is called, without pdf_zip.c's lock:
 * - on the worker: "take" before it takes page `page` (when it returns, the
 *   worker looks again: the page may have been stolen meanwhile), "draw"
 *   once it has taken it, before drawing it;
 * - on the thread writing the PDF: "drain" when it starts waiting for the
 *   pages (page: SIZE_MAX), "steal" once it has taken page `page` from the
 *   worker, before drawing it, "wait" when it has stolen all it could and
 *   waits for the worker (page: SIZE_MAX).
 * The callback may block the worker, not the writing thread for long (it
 * would only wait). Set it before a write starts, never during one; unset
 * (the default), each step costs one load and a branch. */
#ifndef RC_PDF_ZIP_PROBE_H
#define RC_PDF_ZIP_PROBE_H

#include <stddef.h>

typedef struct rc_pdf_zip_probe {
    void (*at)(void *ctx, const char *step, size_t page);
    void *ctx;
} rc_pdf_zip_probe;
extern rc_pdf_zip_probe rc_pdf_zip_test_probe;
static inline void rc_pdf_zip_probe_at(const char *step, size_t page)
{
    if (rc_pdf_zip_test_probe.at) rc_pdf_zip_test_probe.at(rc_pdf_zip_test_probe.ctx, step, page);
}

#endif
