#ifndef REWIND_CMALLOCTUNING_H
#define REWIND_CMALLOCTUNING_H

/// Keeps glibc from returning freed large buffers to the operating system, so that
/// reallocating them does not page-fault. Returns 1 on success, 0 where unsupported.
int rewind_tune_malloc(long trim_threshold_bytes, long mmap_threshold_bytes);

#endif
