// CMalloc is a header of static inline functions; SwiftPM needs one source file per C target.
#include "CMalloc.h"
