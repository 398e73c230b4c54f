import ArgumentParser
import ScheduleInspector

/// `rewind table`: Griewank & Walther's β(s, r) table.
struct TableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table",
        abstract: "Print β(s, r) = C(s + r, s), the most steps s slots reverse with r repetitions.",
        discussion: """
        Reproduces the table of repetition numbers of Griewank & Walther 2000 (ACM TOMS 26(1), \
        doi:10.1145/347837.347846). With --steps N it also lists r(N, s) and t(N, s) for each s. \
        Tables beyond --max-cells (default 10^6) are refused.

        Example:
          rewind table --max-slots 10 --max-repetitions 10
          rewind table --max-slots 10 --max-repetitions 6 --steps 1000
        """
    )

    @Option(parsing: .unconditional, help: "Rows: s = 1 … this many slots.")
    var maxSlots: Int = 10

    @Option(parsing: .unconditional, help: "Columns: r = 1 … this many repetitions.")
    var maxRepetitions: Int = 10

    @Option(parsing: .unconditional, help: "Also list r(n, s) and t(n, s) for this many steps.")
    var steps: Int?

    @Option(parsing: .unconditional, help: "Refuse tables with more than this many β cells (rows × columns).")
    var maxCells: Int = 1_000_000

    @OptionGroup var formatOptions: FormatOptions

    func validate() throws {
        try positive(maxSlots, "--max-slots", "number of rows")
        try positive(maxRepetitions, "--max-repetitions", "number of columns")
        if let steps { try positive(steps, "--steps", "number of steps") }
        try positive(maxCells, "--max-cells", "cell count")
    }

    func run() throws {
        let table = try RepetitionTable(maxSlots: maxSlots, maxRepetitions: maxRepetitions, steps: steps, maxCells: maxCells)
        try FileOutput.print(table.rendered(as: formatOptions.format))
    }
}
