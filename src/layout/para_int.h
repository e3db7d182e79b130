/* para_int: internals shared by paragraph.c (runs -> tokens -> items, the
 * breaking passes) and paraline.c (breaks -> positioned lines, drawing). */
#ifndef RC_PARA_INT_H
#define RC_PARA_INT_H

#include <stdint.h>
#include "rc/linebreak.h"

/* What an item stands for, beyond its rc_lb_item. */
typedef enum pkind {
    K_BOX,       /* text bytes [start, end) of run */
    K_SPACE,     /* inter-word glue (breakable) */
    K_FIXGLUE,   /* non-breaking space glue */
    K_AUX,       /* ragged-right helper glue / forbidding penalty: no width when set */
    K_FILL,      /* \parfillskip or a line separator's \hfil */
    K_PEN_HYPH,  /* discretionary: a hyphen is added when broken here */
    K_PEN_PLAIN, /* break with nothing added (after '-', '/', zero-width space, split) */
    K_PEN_FORCE  /* forced break */
} pkind;

typedef struct meta {
    const char *anchor; /* K_BOX: destination placed at its start */
    double cap;         /* K_SPACE/K_FIXGLUE: widest gap allowed (justified) */
    uint32_t run, start, end;
    uint8_t kind;
} meta;

typedef struct para_items {
    rc_lb_item *it;
    meta *m;
    size_t n;
} para_items;

/* Builds the lines of p from the breaks found for items. */
void rc_para_build_lines(rc_arena *a, rc_para *p, const para_items *pi, const size_t *breaks,
                         size_t nbreaks, const rc_run *runs, const rc_frag_style *const *styles,
                         const rc_para_opts *o, const rc_fonts *fonts, const double widths[2]);
/* First-fit breaking that always succeeds (overfull lines allowed). */
size_t rc_para_greedy(const para_items *pi, const double widths[2], size_t *breaks);

/* The style of run r as rc_para_set gives it to fragments: from the set
 * when there is one, else a copy in a. */
const rc_frag_style *rc_para_style_of(rc_arena *a, rc_style_set *set, const rc_run *r);

/* The points of word w[0..len) (at most 240 bytes; pts holds cap) as
 * rc_hyph_points and rc_hyph_exc_apply (exc, may be NULL) give them, from
 * memo m when it holds the word, else found and kept there (m may be NULL:
 * found each time). */
size_t rc_para_word_points(rc_hyph_memo *m, const rc_hyph *hyph, const struct rc_hyph_exc *exc,
                           const char *w, size_t len, size_t *pts, size_t cap);

/* The memo the current thread's layout uses (rc_para_memo_begin), or NULL. */
rc_para_memo *rc_para_memo_current(void);
/* Makes the key of rc_para_set(runs, o, fonts, hyph) the memo's current
 * one; false without memory (the paragraph is then set and not kept). */
bool rc_para_memo_key(rc_para_memo *m, const rc_run *runs, size_t nruns, const rc_para_opts *o,
                      const rc_fonts *fonts, const rc_hyph *hyph);
/* The paragraph kept under the current key, rebuilt in a for these runs,
 * or NULL. */
rc_para *rc_para_memo_get(rc_para_memo *m, rc_arena *a, const rc_run *runs, size_t nruns,
                          const rc_para_opts *o);
/* Keeps para (just set from runs; st: the runs' styles, NULL when no run
 * had a token) under the current key. */
void rc_para_memo_put(rc_para_memo *m, const rc_para *para, const rc_run *runs, size_t nruns,
                      const rc_frag_style *const *st);

#endif
