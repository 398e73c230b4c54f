import CheckpointedAD

/// Why a shooting transcription could not evaluate a gradient or cannot be solved as asked. Each description says what to try.
public enum ControlError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The checkpointed gradient failed: a budget too small for single shooting's working set
    /// (stepper stages, controls, gradient) plus the driver's minimum, a missing store, a
    /// corrupt checkpoint.
    case checkpointing(CheckpointingError)
    /// A combination of transcription and solver that cannot work; the text says what to use.
    case unsupported(String)

    /// What happened and what to try.
    public var description: String {
        switch self {
        case let .checkpointing(error):
            "the checkpointed gradient failed: \(error); or use checkpointing: .storeAll"
        case let .unsupported(reason):
            reason
        }
    }
}
