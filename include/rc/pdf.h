/* pdf: pages (display lists) -> a PDF through libharu: embedded subset
 * TrueType fonts with a correct ToUnicode CMap, outline, page labels,
 * internal links, document metadata, deterministic dates and IDs. Writes to
 * a temporary file beside path and renames it into place only when complete. */
#ifndef RC_PDF_H
#define RC_PDF_H

#include "rc/config.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/status.h"

rc_status rc_pdf_write(rc_arena *a, const rc_layout *lay, const rc_config *cfg,
                       const rc_fonts *fonts, const char *path, rc_diag *d);

#endif
