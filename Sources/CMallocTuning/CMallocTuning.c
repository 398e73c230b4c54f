#define _GNU_SOURCE  // RUSAGE_THREAD
#include "CMallocTuning.h"
// Any libc header defines __GLIBC__ (through <features.h>); without one the test below is
// always false and the tuning silently does nothing.
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

static _Atomic int tuned = 0;
static _Atomic int vector_decided = 0;

// The retention: the trim threshold in force (free bytes the heap keeps for reuse), raised by
// rewind_retain_free_bytes up to the cap, reset by rewind_release_free_memory. Changed under
// the lock so that concurrent raises reach mallopt in order.
static pthread_mutex_t retention_lock = PTHREAD_MUTEX_INITIALIZER;
static long base_retention = 0;      // what rewind_tune_malloc set
static _Atomic long retention = 0;   // in force now; 0 before tuning
static _Atomic long retention_cap = 0;  // 0: the default, half of physical memory

#if defined(__GLIBC__)
// glibc's mallopt takes an int: a threshold above INT_MAX cannot be expressed, so it becomes
// -1, "never trim" (documented in mallopt(3)); rewind_trim_excess then enforces the bound.
static int set_trim_threshold(long bytes) {
    return mallopt(M_TRIM_THRESHOLD, bytes > INT_MAX ? -1 : (int)bytes);
}
#endif

int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes, int max_mapped_blocks) {
#if defined(__GLIBC__)
    pthread_mutex_lock(&retention_lock);
    int trim = set_trim_threshold(trim_threshold_bytes);
    int mmap = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold_bytes);
    int mapped = mallopt(M_MMAP_MAX, max_mapped_blocks);
    int ok = trim == 1 && mmap == 1 && mapped == 1;
    if (ok) {
        tuned = 1;
        base_retention = trim_threshold_bytes;
        retention = trim_threshold_bytes;
    }
    pthread_mutex_unlock(&retention_lock);
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

long rewind_retention_cap(void) {
    long cap = retention_cap;
    if (cap > 0) return cap;
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? pages / 2 * page : 0;
}

void rewind_set_retention_cap(long bytes) { retention_cap = bytes > 0 ? bytes : 0; }

long rewind_retained_bytes(void) { return retention; }

long rewind_retain_free_bytes(long bytes) {
#if defined(__GLIBC__)
    if (!tuned) return 0;
    pthread_mutex_lock(&retention_lock);
    long cap = rewind_retention_cap();
    long wanted = bytes < cap ? bytes : cap;
    if (wanted > retention && set_trim_threshold(wanted) == 1) retention = wanted;
    long now = retention;
    pthread_mutex_unlock(&retention_lock);
    return now;
#else
    (void)bytes;
    return 0;
#endif
}

long rewind_free_heap_bytes(void) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
    struct mallinfo2 info = mallinfo2();
    return (long)info.fordblks;
#elif defined(__GLIBC__)
    // Before glibc 2.33 only mallinfo, whose int fields wrap past 2 GiB.
    struct mallinfo info = mallinfo();
    return (long)(unsigned int)info.fordblks;
#else
    return -1;
#endif
}

int rewind_trim_excess(void) {
#if defined(__GLIBC__)
    // Up to INT_MAX glibc enforces the threshold itself; skip mallinfo2's walk of the bins.
    if (!tuned || retention <= INT_MAX || rewind_free_heap_bytes() <= retention) return 0;
    return malloc_trim(0);
#else
    return 0;
#endif
}

int rewind_release_free_memory(void) {
#if defined(__GLIBC__)
    pthread_mutex_lock(&retention_lock);
    if (tuned && set_trim_threshold(base_retention) == 1) retention = base_retention;
    pthread_mutex_unlock(&retention_lock);
    return malloc_trim(0);
#else
    return 0;
#endif
}

long rewind_thread_minor_faults(void) {
#if defined(__linux__)
    struct rusage usage;
    if (getrusage(RUSAGE_THREAD, &usage) != 0) return -1;
    return usage.ru_minflt;
#else
    return -1;
#endif
}
