/* libs: the libraries reportc loads with dlopen, loaded early on a thread
 * of their own (issue 18).
 *
 * HarfBuzz (rc/hb_lib.h) and libharu (src/pdf/hpdf_lib.h) are not linked
 * but loaded by the first font and the first PDF. A build would then load
 * them on its main thread when it reaches the fonts, after reading the
 * configuration and the data; started here at the beginning of `build`,
 * `check` and `watch` when the command will read fonts (a check, a PDF,
 * the SVG figures; src/main.c), the loading overlaps that reading and the
 * fonts find the libraries loaded, or wait (pthread_once) only for the
 * rest of it. */
#ifndef RC_LIBS_H
#define RC_LIBS_H

#include <stdbool.h>

/* Starts loading HarfBuzz, and libharu too when pdf (the command may write
 * a PDF), on a new thread with every signal blocked (the handlers of
 * rc_tmp_handlers run on the other threads). Once per process; from the
 * main thread only. When the thread cannot be made, nothing is done: the
 * first font and the first PDF load the libraries as without it. */
void rc_libs_preload(bool pdf);

/* Waits for the thread rc_libs_preload started to end (returns at once when
 * it started none or it ended). Called before main returns, so that exit()
 * never runs (its atexit handlers, the libraries' destructors, a
 * sanitizer's leak check) while the thread is inside dlopen. */
void rc_libs_preload_end(void);

#endif
