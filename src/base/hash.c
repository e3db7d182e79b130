/* hash.c: rc_hash_bytes (see rc/hash.h). One function for every table. */
#include <string.h>

#include "rc/hash.h"

static uint64_t load_le(const unsigned char *s, size_t n)
{
    uint64_t w = 0;
    for (size_t i = n; i-- > 0;)
        w = w << 8 | s[i];
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
