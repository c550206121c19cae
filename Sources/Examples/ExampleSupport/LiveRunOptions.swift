import ArgumentParser

/// The flags that bound a live run, shared by the streaming examples.
public struct LiveRunOptions: ParsableArguments {
    @Option(help: "Stop after this many consecutive batches with no input (default: run until Ctrl-C).")
    public var stopAfterIdleBatches: Int?

    @Option(help: "Stop gracefully after this many seconds (default: run until Ctrl-C).")
    public var runFor: Double?

    public init() {}

    public func validate() throws {
        if let stopAfterIdleBatches, stopAfterIdleBatches < 1 { throw ValidationError("--stop-after-idle-batches must be at least 1") }
        if let runFor, runFor <= 0 { throw ValidationError("--run-for must be positive") }
    }

    /// `--run-for` as a duration.
    public var duration: Duration? { runFor.map { .milliseconds(Int64($0 * 1000)) } }

    /// A batch interval given in seconds, validated.
    public static func interval(seconds: Double) throws -> Duration {
        guard seconds >= 0.001 else { throw ValidationError("--batch-interval must be at least 0.001 seconds") }
        return .milliseconds(Int64(seconds * 1000))
    }
}
