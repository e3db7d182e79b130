/* hyph_pat: Liang's hyphenation patterns read straight from a libhyphen
 * dictionary into a byte trie, for rc_hyph (hyph.c).
 *
 * Why not libhyphen's own loader: hnj_hyphen_load builds its state machine
 * with a malloc per state and a string hash per prefix, and cost 41 M
 * instructions (17 % of a `--only pdf` build of the sample) for the 14,000
 * lines of hyph_en_GB.dic on every run. This reader makes one pass over the
 * file into two flat arrays (about 2 M instructions) and gives the same
 * points: tests/unit/layout/test_hyph.c compares it with libhyphen on every
 * word of the sample report and a list of accented words.
 *
 * The trie is also written to a cache file keyed by the dictionary's size and
 * a hash of its bytes (see hyph_pat.c), which later runs mmap instead of
 * parsing: loading then costs a hash of the file and a few page faults.
 *
 * It takes the plain pattern files Debian ships (UTF-8 or ISO8859-1,
 * LEFTHYPHENMIN-style header keywords, % comments). A dictionary with what it
 * does not model (NEXTLEVEL compound levels, non-standard "/" patterns, "^^"
 * escapes, another charset) is refused with rc_hyph_pat_load returning NULL,
 * and hyph.c falls back to libhyphen for it. */
#ifndef RC_HYPH_PAT_H
#define RC_HYPH_PAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rc_hyph_pat rc_hyph_pat;

/* Reads the dictionary at path; NULL if it cannot be read or uses a feature
 * listed above (the caller then tries libhyphen). Free with rc_hyph_pat_free. */
rc_hyph_pat *rc_hyph_pat_load(const char *path);
void rc_hyph_pat_free(rc_hyph_pat *p);
/* True when p was mapped from the cache rather than parsed (for tests). */
bool rc_hyph_pat_cached(const rc_hyph_pat *p);
/* A hash of the dictionary's bytes and size, as read. */
uint64_t rc_hyph_pat_digest(const rc_hyph_pat *p);

/* Liang's values for a lower-cased UTF-8 word of len bytes (len <= 255):
 * hy[i] (0..9) is the largest value any pattern puts between byte i and
 * byte i+1; odd means a hyphen may go there. hy has room for len bytes. */
void rc_hyph_pat_values(const rc_hyph_pat *p, const char *word, size_t len, unsigned char *hy);

#endif
