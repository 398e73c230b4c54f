// PlanningProblem's JSON: every field by name, as the synthesised conformance wrote it,
// except that the disk latencies may be missing (JSON written before they existed).

extension PlanningProblem {
    enum CodingKeys: String, CodingKey {
        case steps, stateSize, memory, disk, advanceTime, reverseTime
        case diskWriteBandwidth, diskReadBandwidth, diskWriteLatency, diskReadLatency
        case memoryBandwidth, codecs, reservedStates
    }

    /// Decodes a problem; missing disk latencies are 0 s, the model such JSON was planned with.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            steps: try container.decode(Int.self, forKey: .steps),
            stateSize: try container.decode(ByteCount.self, forKey: .stateSize),
            memory: try container.decode(ByteCount.self, forKey: .memory),
            disk: try container.decodeIfPresent(ByteCount.self, forKey: .disk),
            advanceTime: try container.decode(Double.self, forKey: .advanceTime),
            reverseTime: try container.decode(Double.self, forKey: .reverseTime),
            diskWriteBandwidth: try container.decode(Double.self, forKey: .diskWriteBandwidth),
            diskReadBandwidth: try container.decode(Double.self, forKey: .diskReadBandwidth),
            diskWriteLatency: try container.decodeIfPresent(Double.self, forKey: .diskWriteLatency) ?? 0,
            diskReadLatency: try container.decodeIfPresent(Double.self, forKey: .diskReadLatency) ?? 0,
            memoryBandwidth: try container.decodeIfPresent(Double.self, forKey: .memoryBandwidth),
            codecs: try container.decode([CodecProfile].self, forKey: .codecs),
            reservedStates: try container.decode(Int.self, forKey: .reservedStates))
    }
}
