/* font_check: a font file checked as a file before it is loaded (sfnt
 * header, table directory, required tables, table checksums, hmtx and loca
 * against the glyph count). A bad file is an error at loc naming the file
 * and saying what is wrong with it. Reads into the arena. */
#ifndef RC_FONT_CHECK_H
#define RC_FONT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include "rc/arena.h"
#include "rc/diag.h"

bool rc_font_check(rc_arena *a, const char *path, rc_loc loc, rc_diag *d);
/* The same on bytes already read (tests, fuzzing); name is for messages. */
bool rc_font_check_data(const char *name, const unsigned char *data, size_t len, rc_loc loc,
                        rc_diag *d);

#endif
