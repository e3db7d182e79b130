/* doc_memo: a watcher's memo of parsed Markdown (rc_doc_memo_enable,
 * doc.h). A one-word edit changes one chapter; the others, and the table
 * and box files, were parsed by cmark-gfm the build before, and parsing is
 * two thirds of building a document. So while the memo is on, the cmark
 * tree of each Markdown text is kept after its conversion, with the text
 * in NFC and its line index, and the next parse of the same bytes takes
 * them instead of parsing again.
 *
 * Key: the text's bytes, kept and compared byte for byte (the hash only
 * picks the slot); the parser's options never change. The file name is not
 * part of it: only diagnostics name the file, and those rc_md_parse gives
 * again on every parse (invalid UTF-8). The conversion only reads a cmark
 * tree (cmark fills a node's C string on first read, the same string every
 * time), so a kept tree converts to exactly what a new one would.
 *
 * Threads: the editions' documents are built at once, and two of them may
 * read the same file (a shared table file). An entry is taken by one
 * conversion at a time (busy); a parse that finds it taken parses anew and
 * does not keep its tree. The table is guarded by a mutex, held only to
 * look up, take, give back and sweep.
 *
 * Memory: every entry used since the last rc_doc_memo_sweep is kept, the
 * others are freed by it (the watcher sweeps after each build), and no more
 * than RC_DOC_MEMO_MAX bytes of text are held. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "rc/hash.h"

#define RC_DOC_MEMO_MAX ((size_t)64 << 20)

typedef struct dentry {
    uint64_t h;
    unsigned gen;
    bool busy;
    char *key; /* the text as read; NULL: an empty slot */
    size_t nkey;
    char *nfc; /* the text in NFC when it differs, else NULL */
    size_t nnfc;
    size_t *line_start;
    size_t nlines;
    cmark_node *root;
} dentry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool enabled;
static dentry *tab;
static size_t cap, count, bytes;
static unsigned gen;

void rc_doc_memo_enable(void)
{
    pthread_mutex_lock(&lock);
    enabled = true;
    pthread_mutex_unlock(&lock);
}

static void drop(dentry *e)
{
    bytes -= e->nkey + e->nnfc;
    if (e->root) cmark_node_free(e->root);
    free(e->key);
    free(e->nfc);
    free(e->line_start);
    memset(e, 0, sizeof *e);
}

static bool rehash(size_t nc)
{
    dentry *v = calloc(nc, sizeof *v);
    if (!v) return false;
    for (size_t i = 0; i < cap; i++) {
        if (!tab[i].key) continue;
        size_t k = tab[i].h & (nc - 1);
        while (v[k].key)
            k = (k + 1) & (nc - 1);
        v[k] = tab[i];
    }
    free(tab);
    tab = v;
    cap = nc;
    return true;
}

void rc_doc_memo_sweep(void)
{
    pthread_mutex_lock(&lock);
    size_t live = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!tab[i].key) continue;
        if (tab[i].gen != gen && !tab[i].busy)
            drop(&tab[i]);
        else
            live++;
    }
    count = live;
    if (cap && !rehash(cap)) { /* the probe chains may have holes: rebuild them */
        for (size_t i = 0; i < cap; i++)
            if (tab[i].key && !tab[i].busy) drop(&tab[i]);
    }
    gen++;
    pthread_mutex_unlock(&lock);
}

void rc_doc_memo_disable(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < cap; i++)
        if (tab[i].key) drop(&tab[i]);
    free(tab);
    tab = NULL;
    cap = count = bytes = 0;
    enabled = false;
    pthread_mutex_unlock(&lock);
}

size_t rc_doc_memo_entries(void)
{
    pthread_mutex_lock(&lock);
    size_t n = count;
    pthread_mutex_unlock(&lock);
    return n;
}

static uint64_t key_hash(const char *text, size_t len)
{
    return rc_hash128_64(text, len);
}

static dentry *find(const char *text, size_t len, uint64_t h)
{
    if (!cap) return NULL;
    for (size_t i = h & (cap - 1); tab[i].key; i = (i + 1) & (cap - 1))
        if (tab[i].h == h && tab[i].nkey == len && memcmp(tab[i].key, text, len) == 0)
            return &tab[i];
    return NULL;
}

cmark_node *rc_md_memo_take(rc_md *m, const char *text, size_t len)
{
    m->memo_h = 0;
    m->memo_keep = false;
    pthread_mutex_lock(&lock);
    if (!enabled) {
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    uint64_t h = key_hash(text, len);
    dentry *e = find(text, len, h);
    if (e && e->busy) { /* another edition converts it now: parse anew, keep nothing */
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    m->memo_h = h;
    if (!e) {
        m->memo_keep = len <= RC_DOC_MEMO_MAX - bytes;
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    e->busy = true;
    e->gen = gen;
    cmark_node *root = e->root;
    rc_arena *a = m->st->a;
    if (e->nfc) { /* as rc_unicode_nfc gives it: a copy in the arena */
        char *t = rc_arena_alloc(a, e->nnfc + 1);
        memcpy(t, e->nfc, e->nnfc);
        m->text = t;
        m->len = e->nnfc;
    }
    m->line_start = rc_arena_array(a, e->nlines, sizeof *m->line_start);
    memcpy(m->line_start, e->line_start, e->nlines * sizeof *m->line_start);
    m->nlines = e->nlines;
    m->memo_root = root;
    pthread_mutex_unlock(&lock);
    return root;
}

/* Keeps root, parsed from text[0..len) (m: its NFC text and line index),
 * when the memo wants it; false when it does not (the caller frees it). */
static bool keep(rc_md *m, const char *text, size_t len, cmark_node *root)
{
    if (!m->memo_keep) return false;
    m->memo_keep = false;
    char *key = malloc(len ? len : 1);
    bool changed = m->text != text;
    char *nfc = changed ? malloc(m->len ? m->len : 1) : NULL;
    size_t *ls = malloc(m->nlines * sizeof *ls);
    if (!key || (changed && !nfc) || !ls) {
        free(key);
        free(nfc);
        free(ls);
        return false;
    }
    memcpy(key, text, len);
    if (nfc) memcpy(nfc, m->text, m->len);
    memcpy(ls, m->line_start, m->nlines * sizeof *ls);
    pthread_mutex_lock(&lock);
    bool kept = false;
    if (enabled && !find(text, len, m->memo_h) && len + m->len <= RC_DOC_MEMO_MAX - bytes &&
        ((count + 1) * 2 <= cap || rehash(cap ? cap * 2 : 64))) {
        size_t s = m->memo_h & (cap - 1);
        while (tab[s].key)
            s = (s + 1) & (cap - 1);
        /* busy: the conversion that parsed it reads it until rc_md_release */
        tab[s] = (dentry){.h = m->memo_h,
                          .gen = gen,
                          .busy = true,
                          .key = key,
                          .nkey = len,
                          .nfc = nfc,
                          .nnfc = changed ? m->len : 0,
                          .line_start = ls,
                          .nlines = m->nlines,
                          .root = root};
        count++;
        bytes += len + (changed ? m->len : 0);
        kept = true;
    }
    pthread_mutex_unlock(&lock);
    if (!kept) {
        free(key);
        free(nfc);
        free(ls);
    }
    return kept;
}

void rc_md_memo_keep(rc_md *m, const char *text, size_t len, cmark_node *root)
{
    if (keep(m, text, len, root)) m->memo_root = root;
}

void rc_md_memo_give_back(rc_md *m)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < cap; i++)
        if (tab[i].key && tab[i].root == m->memo_root) tab[i].busy = false;
    pthread_mutex_unlock(&lock);
    m->memo_root = NULL;
}
