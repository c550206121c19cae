// CPrefetch is a header of static inline functions; SwiftPM needs one source file per C target.
#include "CPrefetch.h"
