import ArgumentParser
import CheckpointStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses, runs, and turns every failure into one line on stderr that says the fix,
/// with a non-zero exit status (64 for bad usage, 1 for a failed run).
enum CommandLineRunner {
    /// Runs `rewind` with `arguments` (without the program name); returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try RewindCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            // An error caused by a signal's clean-up is not the outcome: that thread exits.
            CheckpointInterruption.waitIfInterrupted()
            let code = RewindCommand.exitCode(for: error)
            // A command that already printed its outcome and only sets the status.
            if let exit = error as? ExitCode { return exit.rawValue }
            if code == .success {
                // --help and friends.
                do { try FileOutput.print(RewindCommand.fullMessage(for: error)) } catch {
                    FileOutput.standardError().write(errorLine(error.description, exitCode: 1, arguments: arguments) + "\n")
                    return 1
                }
                return 0
            }
            let output = FileOutput.standardError()
            output.write(errorLine(RewindCommand.message(for: error), exitCode: code.rawValue, arguments: arguments) + "\n")
            return code.rawValue
        }
    }

    /// `rewind: error: <message>` on one line; usage errors point at the subcommand's help.
    static func errorLine(_ message: String, exitCode: Int32, arguments: [String]) -> String {
        var text = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
            .joined(separator: "; ")
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        text = explainedNumber(text)
        if exitCode == ExitCode.validationFailure.rawValue {
            // Every subcommand spells its name in its `configuration` (a test checks this).
            let names = RewindCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
            let command = arguments.first.flatMap { names.contains($0) ? "rewind \($0)" : nil } ?? "rewind"
            text += " (see '\(command) --help' for an example)"
        }
        return "rewind: error: " + text
    }

    /// The parser's bare "The value 'ten' is invalid for '--steps <steps>'" with what is
    /// wrong and what to pass: a whole number beyond 2⁶³ − 1 is out of range, anything else
    /// is not a number. Messages that already give a reason are returned as they are.
    static func explainedNumber(_ text: String) -> String {
        let prefix = "The value '", middle = "' is invalid for '"
        guard text.hasPrefix(prefix), text.hasSuffix(">'"), let split = text.range(of: middle) else { return text }
        let value = text[text.index(text.startIndex, offsetBy: prefix.count)..<split.lowerBound]
        let option = text[split.upperBound...].split(separator: " ").first.map(String.init) ?? "the option"
        let digits = value.drop { $0 == "-" || $0 == "+" }
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            return "\(option) \(value) is out of range: whole numbers go from -9223372036854775808 to 9223372036854775807; pass a smaller one"
        }
        return "\(option) '\(value)' is not a number this option accepts; pass digits such as 1000 (or 2.5 where a fraction makes sense)"
    }

    /// `rewind: interrupted by SIGINT; removed the checkpoint directory /tmp/rewind-Ab12Cd (12 files)`.
    static func interruptionLine(_ report: CheckpointInterruption.Report) -> String {
        let removed = report.removedDirectories.map { "\($0.path) (\($0.files) file\($0.files == 1 ? "" : "s"))" }
        return "rewind: interrupted by \(report.signalName)"
            + (removed.isEmpty ? "" : "; removed the checkpoint director\(removed.count == 1 ? "y" : "ies") " + removed.joined(separator: ", "))
    }

    /// Exits with `status`, unless a signal's clean-up is under way: then it exits the
    /// process with the signal's status (130, 143, 129) instead.
    static func exit(_ status: Int32) -> Never {
        CheckpointInterruption.waitIfInterrupted()
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
