/* para_spare: the memory of rc_para_set's scratch vectors (tokens, items,
 * breaks, ...) kept from one paragraph to the next on the same thread. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "para_int.h"

/* The scratch vectors' memory between two paragraphs set by one thread:
 * a malloc and a free of each vector per paragraph were 1.2 M
 * instructions of the sample. Freed when the thread ends (the key's
 * destructor); a vector grown past SPARE_MAX elements (4,096: a long
 * paragraph) is freed at once rather than kept. */
struct rc_para_spare {
    void *v[SP_COUNT];
    size_t cap[SP_COUNT];
};
enum { SPARE_MAX = 1 << 12 };

static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static bool spare_ok;

static void spare_free(void *v)
{
    rc_para_spare *s = v;
    for (size_t i = 0; i < SP_COUNT; i++)
        free(s->v[i]);
    free(s);
}

static void spare_init(void)
{
    spare_ok = pthread_key_create(&spare_key, spare_free) == 0;
}

rc_para_spare *rc_para_spare_take(void)
{
    pthread_once(&spare_once, spare_init);
    if (!spare_ok) return NULL;
    rc_para_spare *s = pthread_getspecific(spare_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (s && pthread_setspecific(spare_key, s) != 0) {
            free(s);
            s = NULL;
        }
    }
    return s;
}

void *rc_para_spare_get(rc_para_spare *s, int k, size_t *cap)
{
    if (!s) {
        *cap = 0;
        return NULL;
    }
    void *v = s->v[k];
    *cap = s->cap[k];
    s->v[k] = NULL;
    s->cap[k] = 0;
    return v;
}

void rc_para_spare_put(rc_para_spare *s, int k, void *v, size_t cap)
{
    if (!s || cap > SPARE_MAX) {
        free(v);
        return;
    }
    s->v[k] = v;
    s->cap[k] = cap;
}

