/* libs: the libraries reportc loads with dlopen, loaded at the start of the
 * commands that need them (issue 18).
 *
 * HarfBuzz (rc/hb_lib.h) and libharu (src/pdf/hpdf_lib.h) are not linked
 * but loaded by the first font and the first PDF, so that `--version`,
 * `metrics`, `--only tex,xlsx` never map them. A command that will read
 * fonts (a check, a PDF, the SVG figures; src/main.c) loads them here, on
 * the main thread, before the build starts any thread.
 *
 * Why not later, or on a thread of their own: measured on the 2-CPU
 * virtual machine (one-edition `--only pdf`, 201 alternating rounds,
 * paired medians, 4 December 09:30 UTC), loading here was 0.47 ms faster
 * than the code with the libraries linked (CPU -0.10 ms), while a loading
 * thread started at the same point was 0.65 ms slower (CPU +0.70 ms), and
 * loading on first use (the fonts on the build's early thread, libharu on
 * the main thread) about 1.0 ms slower (81 rounds, unpaired). Likely
 * reasons: once the build's threads run on the other CPU, each of a
 * dlopen's mappings and page protections costs a TLB shootdown there, and
 * a thread created meanwhile waits for the loader's lock (timelines showed
 * the early thread's creation waiting for the loading thread); and with
 * the libraries loaded RTLD_LOCAL the global scope every lazy symbol
 * lookup searches holds 4 libraries instead of 14. */
#ifndef RC_LIBS_H
#define RC_LIBS_H

#include <stdbool.h>

/* Loads HarfBuzz, and libharu too when pdf (the command may write a PDF),
 * on this thread; a library that cannot be loaded is reported later, by
 * the first font or PDF that needs it. Call before any other thread. */
void rc_libs_preload(bool pdf);

#endif
