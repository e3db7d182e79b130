/* libs: the dlopen'ed libraries loaded at the start of a command
 * (rc/libs.h says why there and not on a thread, and when HarfBuzz is
 * not loaded at all). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "rc/libs.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "rc/cache.h"
#include "rc/hb_lib.h"
#include "rc/pdf.h"

/* The prediction's entry (CACHEDIR/lib/): its key, and what it said. */
static char need_key[PATH_MAX + 64];
static size_t need_nk;
static bool predicted = true;

/* Whether the last run of the same command on the same configuration
 * needed HarfBuzz (true when no run has said). */
static bool predict(const char *config, unsigned what)
{
    char abs[PATH_MAX];
    need_nk = 0;
    if (!config || !realpath(config, abs)) return true;
    int n = snprintf(need_key, sizeof need_key, "hb-need 1|%u|%s", what, abs);
    if (n < 0 || (size_t)n >= sizeof need_key) return true;
    need_nk = (size_t)n;
    size_t nv = 0;
    unsigned char *v = rc_cache_entry_get("lib", NULL, need_key, need_nk, &nv);
    bool need = !v || nv != 1 || v[0] != 0;
    free(v);
    return need;
}

void rc_libs_preload(bool pdf, const char *config, unsigned what)
{
    predicted = predict(config, what);
    /* HarfBuzz's identity, from the cache without loading it when a run
     * before kept it; else it is loaded now (a failure is the first
     * font's to report) */
    (void)rc_hb_lib_ident();
    if (predicted) (void)rc_hb_lib_preload();
    if (pdf) rc_hpdf_lib_load(NULL);
}

void rc_libs_done(bool ok)
{
    bool used = rc_hb_lib_used();
    if (!ok || !need_nk || used == predicted) return;
    unsigned char v = used;
    rc_cache_entry_put("lib", NULL, need_key, need_nk, &v, 1);
}
