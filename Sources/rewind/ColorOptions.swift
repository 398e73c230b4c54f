import ArgumentParser
import Foundation

/// `--color auto|always|never`: colour only when the stream is a terminal, by default.
struct ColorOptions: ParsableArguments {
    enum Mode: String, CaseIterable, ExpressibleByArgument { case auto, always, never }

    @Option(help: "Colour: auto (only on a terminal, and not with NO_COLOR set), always or never.")
    var color: Mode = .auto

    /// Whether to colour what goes to `stream`.
    func enabled(for stream: FileOutput) -> Bool {
        switch color {
        case .always: true
        case .never: false
        case .auto:
            stream.isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
                && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        }
    }
}
