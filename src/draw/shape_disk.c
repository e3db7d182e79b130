/* shape_disk: the shaper's memo of words kept between builds (issue 18).
 *
 * Every build of a report measures the same words again: a word not met
 * before in the process costs ~2,000 instructions (width_new, the pair
 * tables, HarfBuzz for new pairs) and ~800 more the first time the PDF
 * shows it (run_new); the sample's one-edition PDF has ~3,800 of each
 * (10.6 M instructions of the layout's thread). So when a build ends, the
 * shaper's memo of measured and shown strings is written to
 * CACHEDIR/shape/<key>, and the next build's shaper starts with it: the
 * file is mapped, checked by a hash of its bytes, and its entries are put
 * in the memo's tables pointing into the mapping (keys, kerning), without
 * an allocation per entry.
 *
 * Only strings that set no ligature are kept: they are set from the pair
 * tables, whose kerning of a pair does not depend on the text around it or
 * on what came before (tests/unit/draw/test_shape_disk.c checks every word
 * of the sample in all three languages, in several orders), so a kept
 * entry is bit for bit what shaping gives. Text that sets a ligature is
 * always shaped, in the build's own order, so the characters recorded for
 * each ligature code (rc_font_ligature) are those of a build without the
 * file.
 *
 * The key: the font file's signature (device, inode, size, modification
 * and change times in ns), the shaping features, the face's units per em,
 * reportc's and HarfBuzz's versions, the format and the running
 * executable's signature (rc_cache_exe_sig): any of them changed, the file
 * is not found. A font file changed less than two seconds before is not
 * kept (its times could survive a change in the same tick; cache.h). A
 * missing, short or damaged file is ignored (the memo starts empty); the
 * file is written under a temporary name and renamed. REPORTC_CACHE_DIR=""
 * turns it off with the other caches. */
#define _GNU_SOURCE /* MAP_POPULATE */
#include "shape_impl.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rc/cache.h"

#define MAGIC "rcshape1"

typedef struct header {
    char magic[8];
    uint64_t key[2];
    uint64_t nwords, nshown, datalen, datahash;
} header;

/* A record, 4-byte aligned: u32 length, u32 flags, f32 width (words), the
 * bytes padded to 4, then n floats of kerning when flags has KERN. */
enum { KERN = 1 };

typedef struct rc_shape_disk rc_shape_disk;
struct rc_shape_disk {
    char path[4200];
    uint64_t key[2];
    void *map;
    size_t maplen;
    size_t nwords, nshown; /* entries the tables held when loaded */
    bool keep;             /* the font file is old enough to be kept */
};

static const char *salt = "";

void rc_shape_disk_set_salt(const char *s)
{
    salt = s ? s : "";
}

/* The check of the records: rc_hash128's four lanes (0.2 M instructions
 * for the sample's 226 KB body face, where rc_hash_bytes took 0.67 M). */
static uint64_t data_hash(const void *p, size_t n)
{
    return rc_hash128_64(p, n);
}

static size_t pad4(size_t n)
{
    return (n + 3) & ~(size_t)3;
}

static void key_of(const rc_shaper *s, const struct stat *st, uint64_t out[2])
{
    static const hb_feature_t f0[] = RC_FEATS(0), f1[] = RC_FEATS(1);
    unsigned char b[512];
    size_t n = 0;
    int64_t id[8] = {(int64_t)st->st_dev,          (int64_t)st->st_ino,
                     (int64_t)st->st_size,         (int64_t)st->st_mtim.tv_sec,
                     (int64_t)st->st_mtim.tv_nsec, (int64_t)st->st_ctim.tv_sec,
                     (int64_t)st->st_ctim.tv_nsec, (int64_t)rc_cache_exe_sig()};
    memcpy(b + n, id, sizeof id);
    n += sizeof id;
    memcpy(b + n, f0, sizeof f0);
    n += sizeof f0;
    memcpy(b + n, f1, sizeof f1);
    n += sizeof f1;
    memcpy(b + n, &s->scale, sizeof s->scale);
    n += sizeof s->scale;
    int k = snprintf((char *)b + n, sizeof b - n, "%s/%s/%s/%s", MAGIC, RC_VERSION,
                     hb_version_string(), salt);
    if (k > 0) n += (size_t)k < sizeof b - n ? (size_t)k : sizeof b - n - 1;
    rc_hash128(b, n, out);
}

/* Puts the record's entry in its table (the key is new: the tables are
 * empty when the file is read, and a file holds each string once). */
static bool add(rc_shaper *s, bool isword, const unsigned char *p, size_t n, uint32_t flags,
                float width, const float *kern)
{
    if (isword) {
        s->words = table_grow(s->a, s->words, &s->wcap, s->nwords, sizeof *s->words, 512);
        measured *w = (measured *)rc_shape_slot_in(s->words, sizeof *s->words, s->wcap,
                                                   (const char *)p, n, rc_hash_short(p, n));
        if (w->w.key) return false;
        *w = (measured){{(const char *)p, (uint32_t)n, width}, flags & KERN ? kern : NULL, true};
        s->nwords++;
    } else {
        s->shown = table_grow(s->a, s->shown, &s->scap, s->nshown, sizeof *s->shown, 512);
        shown *e = (shown *)rc_shape_slot_in(s->shown, sizeof *s->shown, s->scap, (const char *)p,
                                             n, rc_hash_short(p, n));
        if (e->w.key) return false;
        *e = (shown){{(const char *)p, (uint32_t)n, 0}, flags & KERN ? kern : NULL, NULL};
        s->nshown++;
    }
    return true;
}

/* The entries of a checked file, into the empty tables; false (tables
 * then as they were not: the caller drops the shaper's memo) when a
 * record does not fit. */
static bool load(rc_shaper *s, const unsigned char *d, size_t len, const header *h)
{
    size_t at = 0;
    for (uint64_t i = 0; i < h->nwords + h->nshown; i++) {
        bool isword = i < h->nwords;
        size_t fixed = isword ? 12 : 8;
        if (len - at < fixed) return false;
        uint32_t n, flags;
        float width = 0;
        memcpy(&n, d + at, 4);
        memcpy(&flags, d + at + 4, 4);
        if (isword) memcpy(&width, d + at + 8, 4);
        at += fixed;
        if (n < 1 || n > 64 || (flags & ~(uint32_t)KERN) || len - at < pad4(n)) return false;
        const unsigned char *p = d + at;
        at += pad4(n);
        const float *kern = NULL;
        if (flags & KERN) {
            if (len - at < 4 * (size_t)n) return false;
            kern = (const float *)(const void *)(d + at);
            at += 4 * (size_t)n;
        }
        if (!add(s, isword, p, n, flags, width, kern)) return false;
    }
    return at == len;
}

/* The tables made at the size they will have with the file's entries
 * (table_grow's rule), not grown (and rehashed) four times on the way. */
static size_t cap_for(size_t n)
{
    size_t cap = 512;
    while (4 * (n + 1) > 3 * cap)
        cap *= 2;
    return cap;
}

static void presize(rc_shaper *s, size_t nwords, size_t nshown)
{
    s->wcap = cap_for(nwords);
    s->words = rc_arena_table(s->a, s->wcap, sizeof *s->words);
    s->scap = cap_for(nshown);
    s->shown = rc_arena_table(s->a, s->scap, sizeof *s->shown);
}

static void forget(rc_shaper *s)
{
    s->words = NULL;
    s->wcap = s->nwords = 0;
    s->shown = NULL;
    s->scap = s->nshown = 0;
}

void rc_shape_disk_open(rc_shaper *s, const struct stat *st)
{
    char dir[4096];
    if (!rc_cache_dir(dir, sizeof dir)) return;
    rc_shape_disk *k = rc_arena_alloc(s->a, sizeof *k);
    memset(k, 0, sizeof *k);
    key_of(s, st, k->key);
    int m = snprintf(k->path, sizeof k->path, "%s/shape/%016llx%016llx", dir,
                     (unsigned long long)k->key[0], (unsigned long long)k->key[1]);
    if (m <= 0 || (size_t)m >= sizeof k->path) return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    k->keep = now.tv_sec - st->st_mtim.tv_sec >= 2 && now.tv_sec - st->st_ctim.tv_sec >= 2;
    s->disk = k;
    int fd = open(k->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat fs;
    void *map = MAP_FAILED;
    if (fstat(fd, &fs) == 0 && (size_t)fs.st_size >= sizeof(header))
        map = mmap(NULL, (size_t)fs.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return;
    const unsigned char *d = map;
    size_t len = (size_t)fs.st_size;
    header h;
    memcpy(&h, d, sizeof h);
    bool ok = memcmp(h.magic, MAGIC, 8) == 0 && h.key[0] == k->key[0] && h.key[1] == k->key[1] &&
              h.datalen == len - sizeof h && h.nwords <= h.datalen && h.nshown <= h.datalen &&
              data_hash(d + sizeof h, len - sizeof h) == h.datahash;
    if (ok && !s->words && !s->shown) {
        presize(s, (size_t)h.nwords, (size_t)h.nshown);
        ok = load(s, d + sizeof h, len - sizeof h, &h);
        if (!ok) forget(s);
    }
    if (!ok) {
        munmap(map, len);
        return;
    }
    k->map = map;
    k->maplen = len;
    k->nwords = s->nwords;
    k->nshown = s->nshown;
}

size_t rc_shape_disk_loaded(const rc_shaper *s)
{
    return s->disk ? s->disk->nwords + s->disk->nshown : 0;
}

/* Appends a record at o (see above); returns the end. */
static unsigned char *put(unsigned char *o, const word *w, bool isword, const float *kern)
{
    uint32_t n = w->len, flags = kern ? KERN : 0;
    memcpy(o, &n, 4);
    memcpy(o + 4, &flags, 4);
    o += 8;
    if (isword) {
        memcpy(o, &w->width, 4);
        o += 4;
    }
    memcpy(o, w->key, n);
    memset(o + n, 0, pad4(n) - n);
    o += pad4(n);
    if (kern) {
        memcpy(o, kern, 4 * (size_t)n);
        o += 4 * (size_t)n;
    }
    return o;
}

static size_t rec_size(const word *w, bool isword, const float *kern)
{
    return (isword ? 12 : 8) + pad4(w->len) + (kern ? 4 * (size_t)w->len : 0);
}

/* The entries to keep: short strings set without a ligature (see the top). */
static bool keep_word(const measured *w)
{
    return w->w.key && w->plain && w->w.len <= 64;
}

static bool keep_shown(const shown *e)
{
    return e->w.key && !e->lig && e->w.len <= 64;
}

/* Writes the file when the memo learnt strings since it was read: the
 * records made in one buffer, written once under a temporary name, then
 * renamed over the old file. */
void rc_shape_disk_save(rc_shaper *s)
{
    rc_shape_disk *k = s->disk;
    if (!k || !k->keep || (s->nwords == k->nwords && s->nshown == k->nshown)) return;
    char dir[4096], tmp[4300];
    if (!rc_cache_dir(dir, sizeof dir)) return;
    int m = snprintf(dir + strlen(dir), sizeof dir - strlen(dir), "/shape");
    if (m <= 0) return;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) return;
    m = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", k->path, (long)getpid());
    if (m <= 0 || (size_t)m >= sizeof tmp) return;
    header h = {.key = {k->key[0], k->key[1]}};
    memcpy(h.magic, MAGIC, 8);
    size_t len = sizeof h, nw = 0, ns = 0;
    for (size_t i = 0; i < s->wcap; i++)
        if (keep_word(&s->words[i])) {
            len += rec_size(&s->words[i].w, true, s->words[i].kern);
            nw++;
        }
    for (size_t i = 0; i < s->scap; i++)
        if (keep_shown(&s->shown[i])) {
            len += rec_size(&s->shown[i].w, false, s->shown[i].kern);
            ns++;
        }
    /* the file holds them all already (what was learnt sets ligatures) */
    if (nw == k->nwords && ns == k->nshown) return;
    unsigned char *buf = malloc(len), *o;
    if (!buf) return;
    o = buf + sizeof h;
    for (size_t i = 0; i < s->wcap; i++)
        if (keep_word(&s->words[i])) {
            o = put(o, &s->words[i].w, true, s->words[i].kern);
            h.nwords++;
        }
    for (size_t i = 0; i < s->scap; i++)
        if (keep_shown(&s->shown[i])) {
            o = put(o, &s->shown[i].w, false, s->shown[i].kern);
            h.nshown++;
        }
    assert(o == buf + len);
    h.datalen = len - sizeof h;
    h.datahash = data_hash(buf + sizeof h, h.datalen);
    memcpy(buf, &h, sizeof h);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    bool ok = fd >= 0;
    for (size_t at = 0; ok && at < len;) {
        ssize_t w = write(fd, buf + at, len - at);
        if (w < 0 && errno == EINTR) continue;
        ok = w > 0;
        if (ok) at += (size_t)w;
    }
    if (fd >= 0 && close(fd) != 0) ok = false;
    free(buf);
    if (!ok || rename(tmp, k->path) != 0) unlink(tmp);
}

void rc_shape_disk_close(rc_shaper *s)
{
    if (!s->disk) return;
    rc_shape_disk_save(s);
    if (s->disk->map) munmap(s->disk->map, s->disk->maplen);
    s->disk->map = NULL;
}
