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

#endif
