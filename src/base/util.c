/* util: UTF-8, files, SHA-256 (FIPS 180-4), paths and atomic output files. */
#include "rc/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t rc_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0) return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

size_t rc_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t rc_utf8_validate(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, 8 bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= len) break;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, len - i, &cp);
        if (!k) return i;
        i += k;
    }
    return len;
}

size_t rc_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

_Static_assert(RC_MAX_INPUT_FILE == (size_t)256 << 20, "rc_read_error names the limit");

const char *rc_read_error(int err)
{
    return err == EFBIG ? "the file is larger than 256 MiB, the limit for an input read whole"
                        : strerror(err);
}

/* Closes fd and fails with errno = err (close must not clobber it). */
static rc_status read_fail(int fd, int err, rc_status st)
{
    close(fd);
    errno = err;
    return st;
}

rc_status rc_read_file(rc_arena *a, const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return RC_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0) return read_fail(fd, errno, RC_ERR_IO);
    if (S_ISDIR(st.st_mode)) return read_fail(fd, EISDIR, RC_ERR_IO);
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > (uint64_t)RC_MAX_INPUT_FILE)
        return read_fail(fd, EFBIG, RC_ERR_LIMIT);
    /* A regular file is read into a buffer of its size; growth is only
     * needed when it grows while being read, or for pipes. */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size : 65536;
    char *buf = rc_arena_alloc(a, cap + 1);
    size_t n = 0;
    for (;;) {
        /* A full buffer: probe one byte to learn whether the file goes on. */
        char probe;
        bool full = n == cap;
        ssize_t r = full ? read(fd, &probe, 1) : read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            return read_fail(fd, errno, RC_ERR_IO);
        }
        if (r == 0) break;
        if (!full) {
            n += (size_t)r;
            continue;
        }
        if (cap >= RC_MAX_INPUT_FILE) /* grew while read, or a pipe */
            return read_fail(fd, EFBIG, RC_ERR_LIMIT);
        size_t nc = cap * 2 + 4096;
        if (nc > RC_MAX_INPUT_FILE) nc = RC_MAX_INPUT_FILE;
        buf = rc_arena_grow(a, buf, cap + 1, nc + 1, 1);
        cap = nc;
        buf[n++] = probe;
    }
    close(fd);
    buf[n] = 0;
    *data = buf;
    *len = n;
    return RC_OK;
}

/* ---- SHA-256 (FIPS 180-4) ----
 * Portable C, and on x86-64 processors with the SHA extensions the same
 * compression with the SHA-NI instructions (chosen at run time through
 * cpuid; the layout of the state follows Intel's white paper "Intel SHA
 * Extensions", 2013). RC_SHA256_PORTABLE=1 in the environment forces the
 * portable code (the tests compare the two). */

#if defined(__x86_64__) && defined(__GNUC__)
#define RC_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

typedef struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char buf[64];
    size_t nbuf;
    bool ni; /* use the SHA-NI compression */
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(sha256 *s, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4], f = s->h[5],
             g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

#if RC_SHA_NI
/* The processor has SHA-NI, SSSE3 and SSE4.1. */
static bool cpu_has_sha_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    if (!(c & (1u << 9)) || !(c & (1u << 19))) return false; /* SSSE3, SSE4.1 */
    if (__get_cpuid_max(0, NULL) < 7) return false;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1; /* SHA */
}

/* Compresses n 64-byte blocks; sixteen groups of four rounds, the message
 * schedule four words at a time (sha256msg1/sha256msg2). */
__attribute__((target("sha,ssse3,sse4.1"))) static void
sha_blocks_ni(uint32_t h[8], const unsigned char *p, size_t n)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
    t = _mm_shuffle_epi32(t, 0xB1);         /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);       /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8); /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);      /* CDGH */
    for (; n; n--, p += 64) {
        __m128i abef = s0, cdgh = s1, m[4];
        for (int i = 0; i < 16; i++) {
            __m128i x;
            if (i < 4)
                x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)),
                                     bswap);
            else /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time */
                x = _mm_sha256msg2_epu32(
                    _mm_add_epi32(_mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]),
                                  _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4)),
                    m[(i + 3) & 3]);
            m[i & 3] = x;
            __m128i k = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, k);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0E));
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);  /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0); /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);    /* ABEF */
    _mm_storeu_si128((__m128i *)(void *)&h[0], s0);
    _mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}
#endif

static void sha_blocks(sha256 *s, const unsigned char *p, size_t n)
{
#if RC_SHA_NI
    if (s->ni) {
        sha_blocks_ni(s->h, p, n);
        return;
    }
#endif
    for (; n; n--, p += 64)
        sha_block(s, p);
}

static void sha_init(sha256 *s)
{
#if RC_SHA_NI
    const char *env = getenv("RC_SHA256_PORTABLE");
    s->ni = !(env && *env && strcmp(env, "0") != 0) && cpu_has_sha_ni();
#else
    s->ni = false;
#endif
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->bytes = 0;
    s->nbuf = 0;
}

static void sha_update(sha256 *s, const unsigned char *p, size_t n)
{
    s->bytes += n;
    if (s->nbuf) {
        size_t k = 64 - s->nbuf < n ? 64 - s->nbuf : n;
        memcpy(s->buf + s->nbuf, p, k);
        s->nbuf += k;
        p += k;
        n -= k;
        if (s->nbuf == 64) {
            sha_blocks(s, s->buf, 1);
            s->nbuf = 0;
        }
    }
    if (n >= 64) {
        sha_blocks(s, p, n / 64);
        p += n / 64 * 64;
        n %= 64;
    }
    if (n) {
        memcpy(s->buf, p, n);
        s->nbuf = n;
    }
}

static void sha_final(sha256 *s, char out[65])
{
    uint64_t bits = s->bytes * 8;
    unsigned char pad = 0x80;
    sha_update(s, &pad, 1);
    unsigned char z = 0;
    while (s->nbuf != 56)
        sha_update(s, &z, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha_update(s, len, 8);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) {
            unsigned v = (s->h[i] >> (24 - 8 * j)) & 0xFF;
            out[8 * i + 2 * j] = hex[v >> 4];
            out[8 * i + 2 * j + 1] = hex[v & 15];
        }
    out[64] = 0;
}

void rc_sha256_hex(const void *data, size_t len, char out[65])
{
    sha256 s;
    sha_init(&s);
    sha_update(&s, data, len);
    sha_final(&s, out);
}

rc_status rc_sha256_file(const char *path, char out[65])
{
    FILE *f = fopen(path, "rb");
    if (!f) return RC_ERR_IO;
    sha256 s;
    sha_init(&s);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha_update(&s, buf, n);
    int err = ferror(f);
    fclose(f);
    if (err) return RC_ERR_IO;
    sha_final(&s, out);
    return RC_OK;
}

/* ---- paths ---- */

char *rc_path_join(rc_arena *a, const char *dir, const char *rel)
{
    if (!rel) return NULL;
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0) return rc_arena_strdup(a, rel);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    return rc_arena_printf(a, "%.*s/%s", (int)dl, dir, rel);
}

char *rc_path_dir(rc_arena *a, const char *file)
{
    const char *slash = strrchr(file, '/');
    if (!slash) return rc_arena_strdup(a, ".");
    if (slash == file) return rc_arena_strdup(a, "/");
    return rc_arena_strndup(a, file, (size_t)(slash - file));
}

const char *rc_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- atomic output ---- */

char *rc_out_tmpname(rc_arena *a, const char *target)
{
    /* Unique per process and call; created exclusively by the library or
     * by rc_out_open. The name starts with '.' so a listing hides it. */
    static _Atomic unsigned long counter; /* names stay unique across threads */
    char *dir = rc_path_dir(a, target);
    unsigned long n = ++counter;
    const char *base = rc_path_base(target);
    /* Any name legal for the file system must work: the temporary adds
     * ".", ".PID.N.tmp", and a back end may make a temporary of a temporary,
     * so the base is cut (at a UTF-8 boundary) to keep the entry within
     * NAME_MAX. The pid and counter keep it unique; the base is for people. */
    char tail[64];
    int tl = snprintf(tail, sizeof tail, ".%ld.%lu.tmp", (long)getpid(), n);
    size_t keep = strlen(base), room = 255 - 1 - (size_t)tl;
    if (keep > room) {
        keep = room;
        while (keep > 0 && ((unsigned char)base[keep] & 0xC0) == 0x80)
            keep--;
    }
    char *tmp = rc_arena_printf(a, "%s/.%.*s%s", dir, (int)keep, base, tail);
    rc_tmp_register(tmp);
    return tmp;
}

const char *rc_out_shown(rc_arena *a, const char *path)
{
    const char *base = rc_path_base(path);
    size_t n = strlen(base);
    if (base[0] != '.' || n < 10 || strcmp(base + n - 4, ".tmp") != 0) return path;
    size_t e = n - 4, dots = 0;
    while (e > 1 && dots < 2) {
        size_t k = e;
        while (k > 1 && base[k - 1] >= '0' && base[k - 1] <= '9')
            k--;
        if (k == e || base[k - 1] != '.') return path;
        e = k - 1;
        dots++;
    }
    if (dots < 2 || e <= 1) return path;
    return rc_arena_printf(a, "%.*s%.*s", (int)(base - path), path, (int)(e - 1), base + 1);
}

rc_status rc_out_open(rc_arena *a, const char *target, rc_outfile *o)
{
    o->target = rc_arena_strdup(a, target);
    o->tmp = rc_out_tmpname(a, target);
    o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    return o->fd < 0 ? RC_ERR_IO : RC_OK;
}

rc_status rc_out_commit(rc_outfile *o)
{
    if (o->fd < 0) return RC_ERR_IO;
    /* No fsync: the rename is atomic for readers and for a crashed build;
     * durability against power loss is the file system's business and an
     * fsync per output would cost more than the whole build. */
    int ok = close(o->fd) == 0;
    o->fd = -1;
    if (!ok) {
        rc_out_discard(o->tmp);
        return RC_ERR_IO;
    }
    return rc_out_rename(o->tmp, o->target);
}

void rc_out_abort(rc_outfile *o)
{
    if (o->fd >= 0) close(o->fd);
    o->fd = -1;
    if (o->tmp) rc_out_discard(o->tmp);
}

rc_status rc_out_rename(const char *tmp, const char *target)
{
    if (rename(tmp, target) != 0) {
        int e = errno;
        rc_out_discard(tmp);
        errno = e;
        return RC_ERR_IO;
    }
    rc_tmp_forget(tmp);
    return RC_OK;
}

void rc_out_discard(const char *tmp)
{
    int e = errno;
    unlink(tmp);
    rc_tmp_forget(tmp);
    errno = e;
}

static bool parse_epoch(const char *s, int64_t *out)
{
    if (*s < '0' || *s > '9') return false; /* no sign, no blank */
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != 0 || v < 0 || v >= 253402300800LL) return false;
    *out = (int64_t)v;
    return true;
}

int64_t rc_build_epoch(int64_t fallback)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    int64_t v;
    return s && *s && parse_epoch(s, &v) ? v : fallback;
}

bool rc_build_epoch_valid(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    int64_t v;
    return !s || !*s || parse_epoch(s, &v);
}

char *rc_shortest_double(char buf[32], double v)
{
    /* 17 significant digits always round-trip (IEEE 754 binary64); fewer
     * often do, and the first that does is the shortest in %g form. */
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, 32, "%.*g", p, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}
