/* libs: the dlopen'ed libraries loaded at the start of a command
 * (rc/libs.h says why there and not on a thread). */
#include "rc/libs.h"

#include <stddef.h>

#include "rc/hb_lib.h"
#include "rc/pdf.h"

void rc_libs_preload(bool pdf)
{
    rc_hb_lib_load(NULL); /* (a failure is the first font's to report) */
    if (pdf) rc_hpdf_lib_load(NULL);
}
