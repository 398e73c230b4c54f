// `import Rewind` brings in every library module of the package.
@_exported import AdjointODE
@_exported import CheckpointSchedules
@_exported import CheckpointStorage
@_exported import CheckpointedAD
@_exported import Kernels
@_exported import OptimalControl
@_exported import ScheduleInspector
