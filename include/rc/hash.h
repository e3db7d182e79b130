/* hash: the one hash function of reportc's hash tables (INI sections and
 * keys, string sets, key uniqueness, PDF destinations). Not cryptographic:
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

#endif
