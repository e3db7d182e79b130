/* hash.c: rc_hash_bytes (see rc/hash.h). One function for every table. */
#include <string.h>

#include "rc/hash.h"

/* n (<= 8) bytes as a little-endian word on every host: one load where
 * the compiler can (the byte loop it replaces was most of the time spent
 * hashing the PDF cache's page streams). */
static uint64_t load_le(const unsigned char *s, size_t n)
{
    uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&w, s, n);
#else
    for (size_t i = n; i-- > 0;)
        w = w << 8 | s[i];
#endif
    return w;
}

uint64_t rc_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ seed ^ ((uint64_t)n * 0xC2B2AE3D27D4EB4Full);
    for (; n >= 8; s += 8, n -= 8) {
        h = (h ^ load_le(s, 8)) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    h = (h ^ load_le(s, n)) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

uint64_t rc_hash_str(const char *s, uint64_t seed)
{
    return rc_hash_bytes(s, strlen(s), seed);
}

static uint64_t fmix(uint64_t h) /* SplitMix64's finaliser */
{
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    return h ^ (h >> 31);
}

void rc_hash128(const void *data, size_t n, uint64_t out[2])
{
    const unsigned char *s = data;
    uint64_t h[4] = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL, 0xA4093822299F31D0ULL,
                     0x082EFA98EC4E6C89ULL};
    unsigned char tail[32];
    for (size_t i = 0; i < n + 1; i += 32) { /* the last block padded with zeros */
        const unsigned char *b = s + i;
        if (n - i < 32 || i >= n) {
            memset(tail, 0, sizeof tail);
            if (i < n) memcpy(tail, s + i, n - i);
            b = tail;
        }
        for (int l = 0; l < 4; l++) {
            h[l] = (h[l] ^ load_le(b + 8 * l, 8)) * 0x9E3779B97F4A7C15ULL;
            h[l] ^= h[l] >> 32;
        }
        if (b == tail) break;
    }
    out[0] = fmix(h[0] ^ fmix(h[2]) ^ (uint64_t)n);
    out[1] = fmix(h[1] ^ fmix(h[3]) ^ out[0]);
}

uint64_t rc_hash128_64(const void *p, size_t n)
{
    uint64_t h[2];
    rc_hash128(p, n, h);
    return h[0] ^ h[1] * 0x9E3779B97F4A7C15ULL;
}
