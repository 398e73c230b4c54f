#ifndef REWIND_CREPORTSUPPORT_H
#define REWIND_CREPORTSUPPORT_H

/// glibc's mallopt(M_TRIM_THRESHOLD, bytes); 1 on success, 0 off glibc.
int rewind_set_trim_threshold(long bytes);

/// glibc's mallopt(M_MMAP_THRESHOLD, bytes); 1 on success, 0 off glibc.
int rewind_set_mmap_threshold(long bytes);

/// Allocates `bytes`, writes one byte per page, and frees them: with glibc's default
/// settings a block over the mmap threshold is mapped, and its free raises the (dynamic)
/// mmap threshold to its size and the trim threshold to twice that.
void rewind_allocate_and_free(long bytes);

#endif
