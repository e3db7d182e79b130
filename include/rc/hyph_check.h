/* hyph_check: a hyphenation dictionary checked as a file before libhyphen
 * loads it (not empty, not compressed, not binary, a character-set first
 * line, valid UTF-8 when it says so, at least one pattern). A bad file is
 * an error at loc naming it. Reads into the arena. */
#ifndef RC_HYPH_CHECK_H
#define RC_HYPH_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/arena.h"
#include "rc/diag.h"

bool rc_hyph_check(rc_arena *a, const char *path, rc_loc loc, rc_diag *d);
/* The same on bytes already read; name is for messages. */
bool rc_hyph_check_data(const char *name, const char *data, size_t len, rc_loc loc, rc_diag *d);

#endif
