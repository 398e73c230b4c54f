// Open MPI for Swift: <mpi.h> plus static inline functions returning the handles that
// Open MPI defines as macros (MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, …), which Swift cannot
// import. `apt-get install libopenmpi-dev openmpi-bin` provides the library and `mpirun`.
#ifndef REWIND_CMPI_SHIM_H
#define REWIND_CMPI_SHIM_H

#include <mpi.h>

/// MPI_COMM_WORLD.
static inline MPI_Comm rewind_mpi_comm_world(void) { return MPI_COMM_WORLD; }
/// MPI_DOUBLE.
static inline MPI_Datatype rewind_mpi_double(void) { return MPI_DOUBLE; }
/// MPI_UINT64_T.
static inline MPI_Datatype rewind_mpi_uint64(void) { return MPI_UINT64_T; }
/// MPI_INT64_T.
static inline MPI_Datatype rewind_mpi_int64(void) { return MPI_INT64_T; }
/// MPI_BYTE.
static inline MPI_Datatype rewind_mpi_byte(void) { return MPI_BYTE; }
/// MPI_INT.
static inline MPI_Datatype rewind_mpi_int(void) { return MPI_INT; }
/// MPI_SUM.
static inline MPI_Op rewind_mpi_sum(void) { return MPI_SUM; }
/// MPI_MAX.
static inline MPI_Op rewind_mpi_max(void) { return MPI_MAX; }
/// MPI_MIN.
static inline MPI_Op rewind_mpi_min(void) { return MPI_MIN; }
/// MPI_STATUS_IGNORE.
static inline MPI_Status *rewind_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
/// MPI_THREAD_FUNNELED: other threads exist (checkpoint I/O), only the main one calls MPI.
static inline int rewind_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
/// MPI_SUCCESS.
static inline int rewind_mpi_success(void) { return MPI_SUCCESS; }
/// MPI_ERRORS_RETURN: errors come back as return codes instead of aborting.
static inline MPI_Errhandler rewind_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

#endif
