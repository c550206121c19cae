import ArgumentParser

/// The replay flags every example accepts (DESIGN.md §3): run a pipeline over recorded input
/// on a manual clock, as fast as the machine allows, with machine-readable output.
public struct ReplayOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read records from this file instead of the live source ('-' for standard input).",
            valueName: "path"))
    public var input: String?

    @Option(help: "With --input: records per batch; batch k holds records (k-1)N+1 … kN.")
    public var recordsPerBatch: Int = 200

    @Option(
        help:
            "With --input: run exactly this many batches, padding with empty ones so windows drain (default: until the input ends)."
    )
    public var batches: Int?

    @Option(help: "Output format: 'console' for people, 'jsonl' for one JSON object per output per batch on stdout.")
    public var output: OutputFormat = .console

    public init() {}

    public mutating func validate() throws {
        try FlagCheck.integer(recordsPerBatch, "--records-per-batch", in: 1...100_000_000)
        if let batches { try FlagCheck.integer(batches, "--batches", in: 0...100_000_000) }
    }

    /// How results are written.
    public enum OutputFormat: String, ExpressibleByArgument, Sendable {
        case console, jsonl
    }
}
