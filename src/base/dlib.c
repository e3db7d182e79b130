/* dlib: a library loaded into a table of function pointers (rc/dlib.h). */
#include "rc/dlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dlsym's pointers are copied into the tables' function pointers whole. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers the size of void *");

void *rc_dlib_open(const char *file, const rc_dlib_sym *syms, size_t n, void *table, char *why,
                   size_t cap)
{
    void *h = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, cap, "%s", e ? e : file);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        void *sym = dlsym(h, syms[i].name);
        if (!sym) {
            snprintf(why, cap, "%s has no function %s", file, syms[i].name);
            dlclose(h);
            return NULL;
        }
        /* POSIX's object-to-function pointer conversion, without the cast
         * ISO C forbids */
        memcpy((char *)table + syms[i].off, &sym, sizeof sym);
    }
    return h;
}

const char *rc_dlib_file(const char *env, const char *soname)
{
    const char *e = getenv(env);
    return e && *e ? e : soname;
}

bool rc_dlib_load(rc_dlib_once *o, void (*load)(void), const char **why)
{
    pthread_once(&o->once, load);
    if (!o->handle && why) *why = o->why;
    return o->handle != NULL;
}
