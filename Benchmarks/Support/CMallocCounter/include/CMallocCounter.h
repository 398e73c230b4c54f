#ifndef REWIND_CMALLOCCOUNTER_H
#define REWIND_CMALLOCCOUNTER_H
#include <stddef.h>

/// How many times malloc has been called in this process since it started. Linking this
/// target interposes malloc (forwarding to glibc's __libc_malloc), so only reports that
/// count allocations should depend on it.
size_t rewind_malloc_calls(void);

#endif
