#ifndef REWIND_CMALLOCTUNING_H
#define REWIND_CMALLOCTUNING_H

/// Keeps glibc from returning freed large buffers to the operating system, so that
/// reallocating them does not page-fault. Returns 1 on success, 0 where unsupported.
int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes);

/// 1 once rewind_tune_malloc has succeeded in this process, else 0.
int rewind_malloc_is_tuned(void);

/// Records that Vector's first allocation decided about the tuning (for a test that fails
/// if Vector stops doing so); rewind_vector_decided returns 1 after that, else 0.
void rewind_note_vector_decided(void);
int rewind_vector_decided(void);

#endif
