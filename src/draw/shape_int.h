/* shape_int: the HarfBuzz shaper behind rc_font_text_width and
 * rc_font_kerning (shape.c), internal to the draw stage. */
#ifndef RC_SHAPE_INT_H
#define RC_SHAPE_INT_H

#include <stddef.h>
#include <stdint.h>
#include "rc/arena.h"

typedef struct rc_shaper rc_shaper;

/* A shaper over font bytes (kept by reference: they must live as long as
 * the arena); NULL for bytes it cannot take. Released with the arena. */
rc_shaper *rc_shaper_new(rc_arena *a, const unsigned char *data, size_t len, unsigned upem);
/* Width of UTF-8 text in 1/1000 em, kerning included; adv_of(font, cp)
 * gives a character's nominal advance. Pair kerning is cached per face. */
double rc_shaper_width(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font);
/* Per-byte advance changes (1/1000 em) at each character's first byte, or
 * NULL when the text has no kerning. Valid until the next call. */
const float *rc_shaper_kerning(rc_shaper *s, const char *p, size_t n,
                               double (*adv_of)(const void *, uint32_t), const void *font);

#endif
