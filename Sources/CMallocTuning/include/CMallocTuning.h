#ifndef REWIND_CMALLOCTUNING_H
#define REWIND_CMALLOCTUNING_H

/// Keeps glibc from returning freed large buffers to the operating system, so that
/// reallocating them does not page-fault: sets the trim and mmap thresholds and the most
/// blocks glibc maps on their own (0: every block comes from the heap and is reused).
/// Returns 1 on success, 0 where unsupported.
int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes, int max_mapped_blocks);

/// 1 once rewind_tune_malloc has succeeded in this process, else 0.
int rewind_malloc_is_tuned(void);

/// Records that Vector's first allocation decided about the tuning (for a test that fails
/// if Vector stops doing so); rewind_vector_decided returns 1 after that, else 0.
void rewind_note_vector_decided(void);
int rewind_vector_decided(void);

/// Allocates and frees a block of `bytes` and returns whether glibc mapped it on its own (1)
/// or carved it from the heap (0); -1 off glibc or when the allocation fails.
int rewind_malloc_maps_block(long bytes);

/// The cap on rewind_retain_free_bytes: set by rewind_set_retention_cap (0 restores the
/// default), by default half of physical memory.
long rewind_retention_cap(void);
void rewind_set_retention_cap(long bytes);

/// The free bytes the heap keeps for reuse now (glibc's trim threshold as set here); 0
/// before rewind_tune_malloc.
long rewind_retained_bytes(void);

/// Raises the free bytes the heap keeps for reuse to `bytes`, at most the cap, never lowering
/// it; returns the retention now (0 when untuned or off glibc). Above INT_MAX glibc cannot
/// express the threshold and trims nothing by itself: rewind_trim_excess enforces the bound.
long rewind_retain_free_bytes(long bytes);

/// Free bytes in all of glibc's arenas (mallinfo2's fordblks); -1 off glibc.
long rewind_free_heap_bytes(void);

/// Returns every free page to the system (malloc_trim(0)) when the retention is above what
/// glibc can enforce (INT_MAX) and the heap holds more free bytes than it; 1 when memory was
/// released, else 0.
int rewind_trim_excess(void);

/// Lowers the retention back to what rewind_tune_malloc set and returns every free page
/// to the system (malloc_trim(0)); 1 when memory was released, else 0.
int rewind_release_free_memory(void);

/// This thread's minor page faults so far (getrusage RUSAGE_THREAD); -1 off Linux.
long rewind_thread_minor_faults(void);

#endif
