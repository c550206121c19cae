#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the processor to start loading the cache line of `address` for a read soon, without
/// waiting for it (Swift has no prefetch of its own). A hint: it never faults.
static inline void stream_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
