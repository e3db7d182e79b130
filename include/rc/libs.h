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
 * lookup searches holds 4 libraries instead of 14.
 *
 * HarfBuzz not at all: a build whose fonts' facts (rc/font.h), texts
 * shown and paragraphs all come from the cache never calls HarfBuzz, and
 * loading it was 0.8 ms and 3.4 M instructions of a one-edition PDF
 * (loader and relocations of HarfBuzz, glib, freetype, graphite2, ...).
 * What identifies the library in the cache's keys is known without
 * loading it (rc_hb_lib_ident). Whether a build will need it is known
 * only when it shapes its first new text, in the middle of the layout,
 * where loading it costs more than here (above: one-word edit then a
 * full build, +0.93 and +1.10 ms in 41 and 61 paired rounds when it was
 * loaded there). So the last run's
 * outcome is the prediction: kept in the cache (CACHEDIR/lib/) per
 * configuration file and command, it loads HarfBuzz here when the last
 * run of the same needed it (an author editing and building again), and
 * not when it did not (a rebuild of unchanged inputs, CI). A wrong
 * prediction only moves the loading: to the first text shaped. */
#ifndef RC_LIBS_H
#define RC_LIBS_H

#include <stdbool.h>

/* Loads libharu when pdf (the command may write a PDF), and HarfBuzz
 * unless a run before says this one will not need it (below), on this
 * thread; a library that cannot be loaded is reported later, by the
 * first font or PDF that needs it. config is the configuration's path
 * and what says which command and outputs (the prediction is kept per
 * both). Call before any other thread. */
void rc_libs_preload(bool pdf, const char *config, unsigned what);
/* At the command's end: keeps whether it needed HarfBuzz
 * (rc_hb_lib_used) for the next run's prediction, when that differs from
 * what was predicted and the command succeeded (ok). */
void rc_libs_done(bool ok);

#endif
