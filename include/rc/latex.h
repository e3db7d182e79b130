/* latex: the document tree -> one standalone .tex file (pdflatex, xelatex and
 * lualatex), a sibling of layout+pdf that walks the same tree. Charts become
 * pgfplots drawn from the same chart models. Atomic write. */
#ifndef RC_LATEX_H
#define RC_LATEX_H

#include <stdio.h>
#include "rc/doc.h"
#include "rc/status.h"

/* Writes the whole document to out (a stream: tests use memory streams). */
rc_status rc_latex_emit(rc_arena *a, const rc_doc *doc, FILE *out);
/* Escapes text for LaTeX (all specials, quotes, dashes) into the arena. */
char *rc_latex_escape(rc_arena *a, const char *s, size_t len);
/* Writes path atomically. */
rc_status rc_latex_write(rc_arena *a, const rc_doc *doc, const char *path, rc_diag *d);

#endif
