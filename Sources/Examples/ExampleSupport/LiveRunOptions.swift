import ArgumentParser

/// The flags that bound a live run, shared by the streaming examples.
public struct LiveRunOptions: ParsableArguments {
    @Option(help: "Stop after this many consecutive batches with no input (default: run until Ctrl-C).")
    public var stopAfterIdleBatches: Int?

    @Option(parsing: .unconditional, help: "Stop gracefully after this many seconds (default: run until Ctrl-C).")
    public var runFor: Double?

    public init() {}

    public func validate() throws {
        if let stopAfterIdleBatches {
            try FlagCheck.integer(stopAfterIdleBatches, "--stop-after-idle-batches", in: 1...1_000_000_000)
        }
        if let runFor { try FlagCheck.seconds(runFor, "--run-for") }
    }

    /// `--run-for` as a duration.
    public var duration: Duration? { runFor.map { .milliseconds(Int64($0 * 1000)) } }

    /// A batch interval given in seconds, validated.
    public static func interval(seconds: Double) throws -> Duration {
        try FlagCheck.seconds(seconds, "--batch-interval")
        return .milliseconds(Int64(seconds * 1000))
    }
}
