import ArgumentParser
import CheckpointStorage
import Distributed
import DistributedExamples
import Foundation

/// `mpirun -np P rewind-mpi-heat [gradient|halo-check] …`: the distributed checkpointed
/// gradient of the 2-D heat equation, and the halo exchange's dot-product test;
/// `rewind-mpi-heat plan --ranks P …` (no mpirun) prints what each rank would hold.
///
/// Errors print once: a start-up error found on every rank is printed by rank 0 and every
/// rank exits with status 1; an error one rank meets mid-run is printed by that rank, which
/// aborts the job (`MPI_Abort`); the others receive `SIGTERM` and remove their checkpoint
/// files before they exit.
@main
struct MPIHeatMain {
    static func main() {
        // First, before MPI starts its threads: SIGTERM from mpirun removes this rank's files.
        try? CheckpointInterruption.install()
        do {
            var command = try MPIHeatCommand.parseAsRoot()
            if !(command is PlanCommand) { MPIEnvironment.initialize() }
            try command.run()
            MPIEnvironment.finalize()
        } catch let error as DistributedError {
            if !MPIEnvironment.isInitialized || Communicator.world.rank == 0 {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
            MPIEnvironment.finalize()
            exit(1)
        } catch let failure as RankFailure {
            FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
            Communicator.world.abort(code: 1)
        } catch {
            // Argument errors: every rank found the same one; the first rank prints it.
            let environment = ProcessInfo.processInfo.environment
            let isFirstRank = (environment["OMPI_COMM_WORLD_RANK"] ?? "0") == "0"
            MPIEnvironment.finalize()
            if isFirstRank { MPIHeatCommand.exit(withError: error) }
            exit(MPIHeatCommand.exitCode(for: error).rawValue)
        }
    }
}

/// The command line.
struct MPIHeatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rewind-mpi-heat",
        abstract: "The checkpointed gradient of the 2-D heat equation over MPI ranks (run it with mpirun -np P).",
        subcommands: [GradientCommand.self, HaloCheckCommand.self, PlanCommand.self],
        defaultSubcommand: GradientCommand.self)
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
