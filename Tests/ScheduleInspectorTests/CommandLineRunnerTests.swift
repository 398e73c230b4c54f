import Testing
@testable import rewind

/// Bad command lines, parsed in-process: each gives one line that names the fix.
@Suite struct CommandLineRunnerTests {
    /// The line `rewind` would print for `arguments`, or nil if they parse and validate.
    func errorLine(_ arguments: [String]) -> String? {
        do {
            _ = try RewindCommand.parseAsRoot(arguments)
            return nil
        } catch {
            let code = RewindCommand.exitCode(for: error).rawValue
            #expect(code != 0, "\(arguments) should fail")
            return CommandLineRunner.errorLine(RewindCommand.message(for: error), exitCode: code, arguments: arguments)
        }
    }

    @Test(arguments: [
        (["stats", "--steps", "0", "--slots", "3"], "--steps must be at least 1, got 0"),
        (["stats", "--steps", "10", "--slots", "0"], "--slots must be at least 1, got 0"),
        (["schedule", "--steps", "-5", "--slots", "3"], "--steps must be at least 1, got -5"),
        (["stats", "--slots", "3"], "Missing expected argument '--steps <steps>'"),
        (["stats", "--schedule", "foo", "--steps", "10", "--slots", "3"], "unknown schedule 'foo'; use one of revolve, two-level, h-revolve, online, online-wang, periodic, store-all"),
        (["stats", "--steps", "10"], "needs a checkpoint budget; pass --slots"),
        (["stats", "--schedule", "store-all", "--steps", "100", "--slots", "10"], "pass --slots 99 or more"),
        (["compare", "--steps", "10", "--slots", "3", "--schedules", "revolve,foo"], "unknown schedule 'foo'"),
        (["compare", "--steps", "10", "--slots", "3", "--schedules", "two-level"], "two-level needs disk slots; pass --disk-slots"),
        (["stats", "--steps", "10", "--slots", "3", "--disk-slots", "4"], "--disk-slots applies to --schedule two-level or h-revolve only"),
        (["stats", "--steps", "10", "--slots", "3", "--compressed-slots", "4"], "--compressed-slots applies to --schedule h-revolve only"),
        (["plot", "--steps", "10", "--slots", "3", "--width", "3"], "--width must be at least 10"),
        (["table", "--max-slots", "-1"], "--max-slots must be at least 1, got -1"),
        (["stats", "--steps", "ten", "--slots", "3"], "--steps 'ten' is not a number this option accepts; pass digits such as 1000"),
        (["stats", "--steps", "9223372036854775808", "--slots", "3"], "--steps 9223372036854775808 is out of range: whole numbers go from"),
        (["stats", "--steps", "10", "--slots", "3", "--advance-cost", "cheap"], "--advance-cost 'cheap' is not a number"),
        (["plan", "--steps", "100", "--state-size", "12XB", "--memory", "1GB"], "'12XB' has the unknown unit 'XB'; use one of B, KB"),
        (["plan", "--steps", "100", "--state-size", "-5MB", "--memory", "1GB"], "'-5MB' is negative; a byte count is at least 0"),
        (["plan", "--steps", "100", "--state-size", "1MB", "--memory", "1GB", "--step-time", "2 weeks"], "unknown time unit"),
        (["plan", "--steps", "-100", "--state-size", "1MB", "--memory", "1GB"], "--steps must be at least 1, got -100"),
        (["plan", "--steps", "100", "--memory", "1GB"], "Missing expected argument '--state-size <state-size>'"),
    ])
    func badInputGivesOneLineSayingTheFix(_ arguments: [String], _ expected: String) throws {
        let line = try #require(errorLine(arguments))
        #expect(line.hasPrefix("rewind: error: "))
        #expect(line.contains(expected), "\(line)")
        #expect(!line.contains("\n"))
        #expect(line.hasSuffix("(see 'rewind \(arguments[0]) --help' for an example)"))
    }

    @Test func goodInputParses() {
        #expect(errorLine(["schedule", "--schedule", "periodic", "--steps", "12", "--period", "4"]) == nil)
        #expect(errorLine(["stats", "--steps", "1000", "--slots", "10", "--format", "json"]) == nil)
        #expect(errorLine(["table", "--max-slots", "10", "--max-repetitions", "10"]) == nil)
        #expect(errorLine(["plan", "--steps", "10000", "--state-size", "64MB", "--memory", "1GB", "--disk", "100GB", "--step-time", "2ms",
                           "--disk-bandwidth", "1GB/s", "--compression", "zstd"]) == nil)
    }

    /// `errorLine` recognises a subcommand by the name its configuration spells out.
    @Test func everySubcommandNamesItself() {
        for command in RewindCommand.configuration.subcommands {
            #expect(command.configuration.commandName != nil, "\(command) needs commandName in its configuration")
        }
    }

    @Test func everySubcommandsHelpHasAnExample() {
        for command in RewindCommand.configuration.subcommands {
            let name = command.configuration.commandName ?? "\(command)"
            #expect(command.configuration.discussion.contains("Example:\n  rewind \(name) "), "\(name)")
        }
    }
}
