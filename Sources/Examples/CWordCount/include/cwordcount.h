#ifndef CWORDCOUNT_H
#define CWORDCOUNT_H

#include <stdint.h>

/// What one pass of the C word count saw.
typedef struct {
    int64_t lines;
    int64_t words;
    int64_t distinct;
    int ok;  /* 0 when the file could not be read */
} cwordcount_result;

/// The benchmark's physical reference: reads `path` in 4 MiB blocks and counts every
/// whitespace-separated word in an open-addressing hash map (FNV-1a), on one core.
cwordcount_result cwordcount_file(const char *path);

#endif
