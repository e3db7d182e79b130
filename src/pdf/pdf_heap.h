/* pdf_heap: the memory of one libharu document, from the write's arena
 * (pdf_heap.c). */
#ifndef RC_PDF_HEAP_H
#define RC_PDF_HEAP_H

#include "hpdf_lib.h"
#include "rc/arena.h"

typedef struct rc_pdf_heap rc_pdf_heap;

/* Makes the heap the calling thread's and sets the callbacks to give
 * HPDF_NewEx; the document must then be used on this thread only. */
rc_pdf_heap *rc_pdf_heap_begin(rc_arena *a, HPDF_Alloc_Func *alloc_fn, HPDF_Free_Func *free_fn);
/* Frees the big blocks the document still holds; its small ones go with
 * the arena. The document must not be used (nor HPDF_Free'd) afterwards. */
void rc_pdf_heap_end(rc_pdf_heap *h);

#endif
