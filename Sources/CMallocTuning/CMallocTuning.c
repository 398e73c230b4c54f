#include "CMallocTuning.h"
// Any libc header defines __GLIBC__ (through <features.h>); without one the test below is
// always false and the tuning silently does nothing.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes) {
#if defined(__GLIBC__)
    int trim = mallopt(M_TRIM_THRESHOLD, (int)trim_threshold_bytes);
    int mmap = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold_bytes);
    return trim == 1 && mmap == 1;
#else
    (void)trim_threshold_bytes; (void)mmap_threshold_bytes;
    return 0;
#endif
}
