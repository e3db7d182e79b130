#include "build_int.h"
rc_status rc_watch(const rc_options *o, rc_diag *d) { (void)o; (void)d; return RC_ERR_USAGE; }
