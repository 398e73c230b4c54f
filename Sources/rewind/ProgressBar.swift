import RewindExamples
import ScheduleInspector

/// A one-line progress bar on stderr, redrawn in place; silent unless stderr is a terminal.
final class ProgressBar: DemoProgress {
    let stream = FileOutput.standardError()
    let enabled: Bool
    let width = 30
    private var lastDrawn = -1

    init() { enabled = stream.isTerminal }

    /// Draws the reverse sweep's progress.
    func update(fractionReversed: Double, advances: Int, elapsedSeconds: Double) {
        guard enabled else { return }
        let filled = Int(fractionReversed * Double(width))
        let percent = Int(fractionReversed * 100)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        stream.write("\r\(bar) \(percent)% reversed, \(advances) advances, \(Format.seconds(elapsedSeconds))")
        stream.flush()
    }

    /// Shows a free-form status (an optimiser's iteration, say).
    func update(status: String) {
        guard enabled else { return }
        lastDrawn = 0
        stream.write("\r" + status.prefix(width + 58) + "\u{1B}[K")
        stream.flush()
    }

    /// Clears the line.
    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        stream.write("\r" + String(repeating: " ", count: width + 60) + "\r")
        stream.flush()
    }
}
