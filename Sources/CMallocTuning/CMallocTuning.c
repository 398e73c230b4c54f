#include "CMallocTuning.h"
// Any libc header defines __GLIBC__ (through <features.h>); without one the test below is
// always false and the tuning silently does nothing.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static _Atomic int tuned = 0;
static _Atomic int vector_decided = 0;

int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes) {
#if defined(__GLIBC__)
    int trim = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold_bytes);
    int mmap = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold_bytes);
    if (trim == 1 && mmap == 1) tuned = 1;
    return trim == 1 && mmap == 1;
#else
    (void)trim_threshold_bytes; (void)mmap_threshold_bytes;
    return 0;
#endif
}

int rewind_malloc_is_tuned(void) { return tuned; }

void rewind_note_vector_decided(void) { vector_decided = 1; }
int rewind_vector_decided(void) { return vector_decided; }
