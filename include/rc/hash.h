/* hash: the one hash function of reportc's hash tables (INI sections and
 * keys, string sets, key uniqueness, PDF destinations, the PDF cache) and
 * the PDF's document ID. Not cryptographic:
 * provenance hashes of inputs are SHA-256 (rc_sha256_*, util.h, nettle).
 * Equal bytes give equal hashes on every machine (little-endian reads are
 * made explicit), so nothing that depends on table order can vary. */
#ifndef RC_HASH_H
#define RC_HASH_H

#include <stddef.h>
#include <stdint.h>

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

#endif
