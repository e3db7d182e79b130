/* unicode: the one place where reportc asks Unicode questions, answered by
 * utf8proc (Debian libutf8proc-dev): normalisation to NFC at the edges
 * (CSV cells, INI values, Markdown text), and the character classes and case
 * mapping that hyphenation, sorting and column widths use, for every script
 * rather than Latin-1 tables. So a decomposed "Córdoba" (o + U+0301, as
 * macOS writes it) behaves exactly as a composed one. */
#ifndef RC_UNICODE_H
#define RC_UNICODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc/arena.h"

/* True when s[0..len) is certainly NFC without looking it up: no code point
 * from U+0300 on (every character below U+0300 is stable under NFC). This is
 * a byte scan, so callers use it to skip the normaliser on common text. */
bool rc_unicode_simple(const char *s, size_t len);
/* s[0..len) (valid UTF-8) in NFC. Returns s itself when it is already NFC,
 * else a NUL-terminated copy in a (or, with a == NULL, malloc'd: the caller
 * frees it when it differs from s). *out_len receives the length. Returns
 * NULL only when memory runs out. */
const char *rc_unicode_nfc(rc_arena *a, const char *s, size_t len, size_t *out_len);

bool rc_unicode_is_letter(uint32_t cp); /* general category L* */
bool rc_unicode_is_upper(uint32_t cp);  /* Lu or Lt */
bool rc_unicode_is_mark(uint32_t cp);   /* M*: combining marks */
uint32_t rc_unicode_lower(uint32_t cp); /* simple lower-case mapping */
/* The base letter of a precomposed letter (é -> e, Ł -> Ł: no decomposition). */
uint32_t rc_unicode_base(uint32_t cp);
/* Terminal columns: 0 for marks and zero-width characters, 2 for East Asian
 * wide ones, else 1. */
int rc_unicode_width(uint32_t cp);

#endif
