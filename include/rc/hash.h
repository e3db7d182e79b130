/* hash: the one hash function of reportc's hash tables (INI sections and
 * keys, string sets, key uniqueness, PDF destinations, the PDF cache) and
 * the PDF's document ID, and its inlined form for the hottest tables of
 * short keys (rc_hash_short: the shaper's words). Not cryptographic:
 * provenance hashes of inputs are SHA-256 (rc_sha256_*, util.h, nettle).
 * Equal bytes give equal hashes on every machine (little-endian reads are
 * made explicit), so nothing that depends on table order can vary. */
#ifndef RC_HASH_H
#define RC_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 64-bit hash of n bytes at p, mixed with seed (which lets one table key on
 * a kind as well as a name). Word-at-a-time with SplitMix64's mixing steps:
 * the strings hashed are short, so the loop runs once or twice. */
uint64_t rc_hash_bytes(const void *p, size_t n, uint64_t seed);
/* rc_hash_bytes of a NUL-terminated string. */
uint64_t rc_hash_str(const char *s, uint64_t seed);
/* 128 bits of n bytes, for long data: four 64-bit lanes over 32-byte
 * blocks (the last padded with zeros), words read little-endian on every
 * host. The PDF's document /ID and the keys of the PDF cache (page streams
 * of tens of kilobytes) use it. */
void rc_hash128(const void *p, size_t n, uint64_t out[2]);
/* rc_hash128 folded to 64 bits: a table slot for long keys (the watch's
 * memos of parsed Markdown and of set paragraphs). */
uint64_t rc_hash128_64(const void *p, size_t n);

/* A 64-bit hash of n bytes for tables keyed by short strings hashed very
 * often (the shaper's word tables: every word the layout measures and the
 * PDF shows, twice; the hyphenation memo and exceptions): rc_hash_bytes'
 * mixing, inlined, with fixed-size loads (the last one overlapping) where
 * rc_hash_bytes copies the tail with a variable-length memcpy. 53 -> ~20
 * instructions a word. Other values than rc_hash_bytes; the same on every
 * machine. */
static inline uint64_t rc_hash_short_le(const unsigned char *s, size_t k)
{
    uint64_t w = 0;
    uint32_t v = 0;
    if (k == 8)
        memcpy(&w, s, 8);
    else
        memcpy(&v, s, 4), w = v;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = k == 8 ? __builtin_bswap64(w) : __builtin_bswap32((uint32_t)w);
#endif
    return w;
}

static inline uint64_t rc_hash_short(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xC2B2AE3D27D4EB4Full), w;
    if (n >= 8) {
        for (; n > 8; s += 8, n -= 8) {
            h = (h ^ rc_hash_short_le(s, 8)) * 0xBF58476D1CE4E5B9ull;
            h ^= h >> 31;
        }
        w = rc_hash_short_le(s + n - 8, 8); /* the last eight bytes */
    } else if (n >= 4) {
        w = rc_hash_short_le(s, 4) << 32 | rc_hash_short_le(s + n - 4, 4);
    } else {
        w = n ? (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1] : 0;
    }
    h = (h ^ w) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

#endif
