#include "CMallocTuning.h"
// Any libc header defines __GLIBC__ (through <features.h>); without one the test below is
// always false and the tuning silently does nothing.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static _Atomic int tuned = 0;
static _Atomic int vector_decided = 0;

int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes, int max_mapped_blocks) {
#if defined(__GLIBC__)
    int trim = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold_bytes);
    int mmap = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold_bytes);
    int mapped = mallopt(M_MMAP_MAX, max_mapped_blocks);
    int ok = trim == 1 && mmap == 1 && mapped == 1;
    if (ok) tuned = 1;
    return ok;
#else
    (void)trim_threshold_bytes; (void)mmap_threshold_bytes; (void)max_mapped_blocks;
    return 0;
#endif
}

int rewind_malloc_is_tuned(void) { return tuned; }

void rewind_note_vector_decided(void) { vector_decided = 1; }
int rewind_vector_decided(void) { return vector_decided; }

int rewind_malloc_maps_block(long bytes) {
#if defined(__GLIBC__)
    void *block = malloc((size_t)bytes);
    if (block == 0) return -1;
    // glibc's chunk header: the size word just before the block, whose bit 1 (IS_MMAPPED)
    // marks a block mapped on its own rather than carved from the heap.
    size_t header = ((size_t *)block)[-1];
    free(block);
    return (header & 2) ? 1 : 0;
#else
    (void)bytes;
    return -1;
#endif
}
