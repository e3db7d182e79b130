/* hb_lib: loading HarfBuzz when the first font is made (rc/hb_lib.h says
 * why and how). */
#define _GNU_SOURCE         /* dladdr */
#define RC_HB_LIB_NO_MACROS /* the names below are the table's members */
#include "rc/hb_lib.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/cache.h"
#include "rc/dlib.h"
#include "rc/hash.h"
#include "rc/util.h"
#include "rc/zmemo.h"

/* RC_HB_LIB_SONAME, RC_HB_SUBSET_SONAME and RC_HB_LIB_DEB come from
 * CMakeLists.txt (the sonames of the libraries found at configure time and
 * libharfbuzz's Debian package). */
#if !defined(RC_HB_LIB_SONAME) || !defined(RC_HB_SUBSET_SONAME)
#error "RC_HB_LIB_SONAME and RC_HB_SUBSET_SONAME are defined by CMakeLists.txt"
#endif
#ifndef RC_HB_LIB_DEB
#define RC_HB_LIB_DEB ""
#endif

/* the file loaded instead of libharfbuzz's soname (docs/reportc.1) */
#define RC_HB_LIB_ENV "RC_HARFBUZZ_SO"

rc_hb_lib_table rc_hb_lib;

static const rc_dlib_sym core[] = {
#define RC_HB_LIB_SYMBOL(f) {#f, offsetof(rc_hb_lib_table, f)},
    RC_HB_LIB_FUNCTIONS(RC_HB_LIB_SYMBOL)
#undef RC_HB_LIB_SYMBOL
};
static const rc_dlib_sym subset[] = {
#define RC_HB_LIB_SYMBOL(f) {#f, offsetof(rc_hb_lib_table, f)},
    RC_HB_SUBSET_FUNCTIONS(RC_HB_LIB_SYMBOL)
#undef RC_HB_LIB_SYMBOL
};

static rc_dlib_once lib = RC_DLIB_ONCE_INIT;
static atomic_bool loaded;

/* libharfbuzz first (libharfbuzz-subset needs it, and an error then names
 * the one the user knows), each function looked up in its own library. */
static void load(void)
{
    rc_hb_lib_table t = {0};
    const char *file = rc_dlib_file(RC_HB_LIB_ENV, RC_HB_LIB_SONAME);
    void *h = rc_dlib_open(file, core, sizeof core / sizeof core[0], &t, lib.why, sizeof lib.why);
    if (!h || !rc_dlib_open(RC_HB_SUBSET_SONAME, subset, sizeof subset / sizeof subset[0], &t,
                            lib.why, sizeof lib.why))
        return; /* (libharfbuzz stays loaded, unused) */
    rc_hb_lib = t;
    lib.handle = h;
    atomic_store(&loaded, true);
}

static atomic_bool used;

bool rc_hb_lib_load(const char **why)
{
    atomic_store(&used, true);
    return rc_dlib_load(&lib, load, why);
}

bool rc_hb_lib_preload(void)
{
    return rc_dlib_load(&lib, load, NULL);
}

bool rc_hb_lib_used(void)
{
    return atomic_load(&used);
}

const char *rc_hb_lib_package(void)
{
    return RC_HB_LIB_DEB;
}

bool rc_hb_lib_loaded(void)
{
    return atomic_load(&loaded);
}

void rc_hb_lib_need(void)
{
    const char *why = NULL;
    if (rc_hb_lib_load(&why)) return;
    rc_tmp_abandon(); /* (the outputs' temporaries: the previous outputs stay) */
    fprintf(stderr, "reportc: error: libharfbuzz cannot be loaded: %s\n", why);
    if (*rc_hb_lib_package())
        fprintf(stderr, "reportc: note: fonts need the Debian package %s installed\n",
                rc_hb_lib_package());
    exit(3);
}

/* --- the libraries' identity (rc_hb_lib_ident) ---------------------------- */

/* The two files, in the order of the entry: libharfbuzz, libharfbuzz-subset. */
enum { NLIBS = 2 };
#define LDCACHE "/etc/ld.so.cache"

/* The entry's key: what picks the files the dynamic loader opens (the
 * names reportc asks for, the environment that may point elsewhere); the
 * loader's own cache is in the value, checked like the files. */
static size_t ident_key(char *k, size_t cap)
{
    const char *env[] = {RC_HB_LIB_ENV, "LD_LIBRARY_PATH", "LD_PRELOAD"};
    int n = snprintf(k, cap, "hb-lib 1|%s|%s", RC_HB_LIB_SONAME, RC_HB_SUBSET_SONAME);
    for (size_t i = 0; i < sizeof env / sizeof env[0] && n >= 0 && (size_t)n < cap; i++) {
        const char *v = getenv(env[i]);
        n += snprintf(k + n, cap - (size_t)n, "|%s=%s", env[i], v ? v : "");
    }
    return n >= 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* The identity an entry records when every file it names is unchanged;
 * 0 when not (or not well formed). Value: the identity, the loader
 * cache's signature, then per library its file's signature, its path's
 * length (8 bytes) and its path. */
static uint64_t ident_check(const unsigned char *v, size_t n)
{
    uint64_t id, sig;
    if (n < 16) return 0;
    memcpy(&id, v, 8);
    memcpy(&sig, v + 8, 8);
    if (sig != rc_zmemo_file_sig(LDCACHE)) return 0;
    size_t o = 16;
    for (int i = 0; i < NLIBS; i++) {
        uint64_t len;
        char path[4096];
        if (n - o < 16) return 0;
        memcpy(&sig, v + o, 8);
        memcpy(&len, v + o + 8, 8);
        o += 16;
        if (len == 0 || len >= sizeof path || len > n - o) return 0;
        memcpy(path, v + o, (size_t)len);
        path[len] = 0;
        o += (size_t)len;
        if (!sig || sig != rc_zmemo_file_sig(path)) return 0;
    }
    return o == n ? id : 0;
}

/* The file fn was loaded from (dladdr). */
static const char *file_of(const void *fn)
{
    Dl_info info;
    return dladdr(fn, &info) && info.dli_fname && *info.dli_fname ? info.dli_fname : NULL;
}

static uint64_t ident;
static pthread_once_t ident_once = PTHREAD_ONCE_INIT;

static void find_ident(void)
{
    char key[8192];
    size_t nk = ident_key(key, sizeof key);
    size_t nv = 0;
    unsigned char *v = nk ? rc_cache_entry_get("lib", NULL, key, nk, &nv) : NULL;
    uint64_t id = v ? ident_check(v, nv) : 0;
    free(v);
    if (id) {
        ident = id;
        return;
    }
    if (!rc_hb_lib_preload()) return;
    /* the version and the files, as loaded */
    void *fns[NLIBS];
    memcpy(&fns[0], &rc_hb_lib.hb_shape_plan_execute, sizeof fns[0]);
    memcpy(&fns[1], &rc_hb_lib.hb_subset_plan_execute_or_fail, sizeof fns[1]);
    unsigned char val[16 + NLIBS * (16 + 4096)];
    uint64_t h = rc_hash_str(rc_hb_lib.hb_version_string(), 0x68626c6962u), /* "hblib" */
        sig = rc_zmemo_file_sig(LDCACHE);
    size_t o = 16;
    bool keep = nk > 0;
    memcpy(val + 8, &sig, 8);
    for (int i = 0; i < NLIBS; i++) {
        const char *f = file_of(fns[i]);
        uint64_t fs = f ? rc_zmemo_file_sig(f) : 0, len = f ? strlen(f) : 0;
        h = rc_hash_bytes(&fs, sizeof fs, h);
        if (!fs || len == 0 || len >= 4096) {
            keep = false;
            continue;
        }
        memcpy(val + o, &fs, 8);
        memcpy(val + o + 8, &len, 8);
        memcpy(val + o + 16, f, (size_t)len);
        o += 16 + (size_t)len;
    }
    ident = h | 1;
    memcpy(val, &ident, 8);
    if (keep) rc_cache_entry_put("lib", NULL, key, nk, val, o);
}

uint64_t rc_hb_lib_ident(void)
{
    pthread_once(&ident_once, find_ident);
    return ident;
}
