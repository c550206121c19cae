import Foundation

/// Makes a replay's output byte for byte the same from run to run.
///
/// Swift seeds hashing per process, so the order in which unsorted keyed outputs (a
/// `reduceByKey`, a `countByValue`) come out changes between runs. A replay of recorded input
/// runs with a fixed seed instead (`SWIFT_DETERMINISTIC_HASHING=1`), which the runtime reads
/// only at process start: the replay executes itself again with it set. Live runs keep the
/// random seed, so input from strangers cannot be crafted to collide.
enum DeterministicHashing {
    static let variable = "SWIFT_DETERMINISTIC_HASHING"

    /// Returns when hashing is already deterministic; otherwise replaces this process by a
    /// copy of itself with the fixed seed (and returns only if that fails).
    static func reexecIfNeeded() {
        guard getenv(variable) == nil else { return }
        setenv(variable, "1", 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // exec failed (no /proc): run on with a per-process seed; the output is still right.
        FileHandle.standardError.write(
            Data("note: could not fix the hashing seed; unsorted outputs may come out in another order\n".utf8))
    }
}
