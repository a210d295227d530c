/* flt_kinds.c -- the apply column of the fault kind table: the rows of
 * MDL_FAULT_KINDS (format/mdl_kinds.h), each naming its function. */
#include "flt_int.h"

#define FLT_APPLY_ROW(id, name, any, all, needs, flags, apply, doc) [id] = apply,
flt_apply_fn *const flt_apply[FAULT_KINDS] = {MDL_FAULT_KINDS(FLT_APPLY_ROW)};
