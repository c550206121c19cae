// A plain C word count: the "near a C loop" yardstick of dstream-bench --end-to-end.
#include "cwordcount.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *word;      /* owned copy, NUL-terminated */
    uint32_t length;
    uint64_t hash;
    int64_t count;
} entry;

typedef struct {
    entry *slots;
    size_t capacity; /* a power of two */
    size_t used;
} table;

static uint64_t fnv1a(const unsigned char *p, size_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}

static void grow(table *t) {
    size_t capacity = t->capacity ? t->capacity * 2 : 1 << 16;
    entry *slots = calloc(capacity, sizeof(entry));
    for (size_t i = 0; i < t->capacity; i++) {
        if (!t->slots[i].word) continue;
        size_t j = t->slots[i].hash & (capacity - 1);
        while (slots[j].word) j = (j + 1) & (capacity - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->capacity = capacity;
}

static void add(table *t, const unsigned char *p, size_t n) {
    if ((t->used + 1) * 10 >= t->capacity * 7) grow(t);
    uint64_t h = fnv1a(p, n);
    size_t j = h & (t->capacity - 1);
    while (t->slots[j].word) {
        entry *e = &t->slots[j];
        if (e->hash == h && e->length == n && memcmp(e->word, p, n) == 0) { e->count++; return; }
        j = (j + 1) & (t->capacity - 1);
    }
    entry *e = &t->slots[j];
    e->word = malloc(n + 1);
    memcpy(e->word, p, n);
    e->word[n] = 0;
    e->length = (uint32_t)n;
    e->hash = h;
    e->count = 1;
    t->used++;
}

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

cwordcount_result cwordcount_file(const char *path) {
    cwordcount_result result = {0, 0, 0, 0};
    FILE *file = fopen(path, "rb");
    if (!file) return result;
    enum { block = 4 << 20 };
    unsigned char *buffer = malloc(block + 4096);
    table t = {0, 0, 0};
    grow(&t);
    size_t carried = 0;  /* bytes of an unfinished word carried to the next block */
    for (;;) {
        size_t n = fread(buffer + carried, 1, block, file);
        size_t end = carried + n;
        int last = n == 0;
        size_t start = 0, i = 0;
        int in_word = carried > 0;
        for (; i < end; i++) {
            unsigned char c = buffer[i];
            if (c == '\n') result.lines++;
            if (is_space(c)) {
                if (in_word) { add(&t, buffer + start, i - start); result.words++; in_word = 0; }
            } else if (!in_word) {
                start = i;
                in_word = 1;
            }
        }
        if (last) {
            if (in_word && end > start) { add(&t, buffer + start, end - start); result.words++; }
            break;
        }
        carried = in_word ? end - start : 0;
        if (carried > 4096) carried = 0;  /* a word longer than 4 KiB is not a word here */
        memmove(buffer, buffer + start, carried);
    }
    fclose(file);
    for (size_t i = 0; i < t.capacity; i++) free(t.slots[i].word);
    free(t.slots);
    free(buffer);
    result.distinct = (int64_t)t.used;
    result.ok = 1;
    return result;
}
