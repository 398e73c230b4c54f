// The allocator report tries settings that AllocatorTuning does not make (mallopt is not
// visible through `import Glibc`).
#include "CReportSupport.h"
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
int rewind_set_trim_threshold(long bytes) { return mallopt(M_TRIM_THRESHOLD, (int)bytes); }
int rewind_set_mmap_threshold(long bytes) { return mallopt(M_MMAP_THRESHOLD, (int)bytes); }
#else
int rewind_set_trim_threshold(long bytes) { (void)bytes; return 0; }
int rewind_set_mmap_threshold(long bytes) { (void)bytes; return 0; }
#endif

void rewind_allocate_and_free(long bytes) {
    volatile char *block = malloc((size_t)bytes);
    if (!block) return;
    for (long i = 0; i < bytes; i += 4096) block[i] = 1;
    free((void *)block);
}
