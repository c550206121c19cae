#ifndef CMALLOC_H
#define CMALLOC_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Asks glibc's malloc to keep the memory a program frees for its next allocations: blocks of
/// up to `largest` bytes come from its heaps rather than their own mappings (unmapped when
/// freed), and free memory at a heap's top is returned to the system only beyond `keep`
/// bytes. Returns 1 when both settings took, 0 when they did not or the C library is not glibc.
static inline int stream_keep_freed_memory(int largest, int keep) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, largest) == 1 && mallopt(M_TRIM_THRESHOLD, keep) == 1;
#else
    (void)largest;
    (void)keep;
    return 0;
#endif
}

#endif
