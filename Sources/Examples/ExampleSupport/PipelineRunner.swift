import Foundation
import StreamCore

/// Runs an example's pipeline live (real clock, live source, Ctrl-C stops gracefully) or as a
/// replay of recorded input (manual clock, as fast as possible, byte-identical output from run
/// to run), and routes its outputs to the console or to JSON lines.
public struct PipelineRunner {
    public let replay: ReplayOptions
    public let batchInterval: Duration
    /// Partitions per batch and threads (default: all cores).
    public let parallelism: Int?

    public init(replay: ReplayOptions, batchInterval: Duration, parallelism: Int? = nil) {
        self.replay = replay
        self.batchInterval = batchInterval
        self.parallelism = parallelism
    }

    /// Registers an output: `console` renders it for people; with `--output jsonl` each batch
    /// becomes one JSON line named `name` instead, written with one `write`.
    @inlinable
    public func emit<T: JSONLineValue & Sendable>(
        _ stream: DStream<T>, name: String, console: (DStream<T>) throws -> Void
    ) throws {
        try emit(stream, name: name, console: console) { $0.appendJSON(to: &$1) }
    }

    /// Registers an output of key/value pairs, written as `[key, value]` in JSON lines.
    @inlinable
    public func emit<Key: JSONLineValue & Sendable, Value: JSONLineValue & Sendable>(
        _ stream: DStream<(Key, Value)>, name: String, console: (DStream<(Key, Value)>) throws -> Void
    ) throws {
        try emit(stream, name: name, console: console) { JSONPair.appendJSON(key: $0.0, value: $0.1, to: &$1) }
    }

    /// Inlinable, like the two above, so that each program encodes its own record types with
    /// specialized code (generic, it looked up tuple metadata for every record).
    @inlinable
    func emit<T: Sendable>(
        _ stream: DStream<T>, name: String, console: (DStream<T>) throws -> Void,
        encode: @escaping @Sendable (T, inout [UInt8]) -> Void
    ) throws {
        guard replay.output == .jsonl else { return try console(stream) }
        let context = stream.context
        try stream.foreachBatch(name: name) { batch, time in
            let line = JSONLines.bytes(
                output: name, batch: context.batchIndex(at: time), time: time, partitions: batch.partitions, encode: encode)
            try FileHandle.standardOutput.write(contentsOf: line)
        }
    }

    /// Builds and runs the pipeline until it ends: in replay mode when the input is consumed
    /// (and `--batches` reached), live when stopped by a signal or idle limit.
    /// - Parameters:
    ///   - checkpoint: a checkpoint directory, for stateful pipelines (live runs resume from it;
    ///     replays use a fresh temporary one, so they never resume).
    ///   - live: makes the live source stream.
    ///   - runFor: live only: stop gracefully after this long (default: until Ctrl-C).
    ///   - build: builds the pipeline on the input stream and registers outputs with `emit`.
    public func run(
        checkpoint: String? = nil,
        stopAfterIdleBatches: Int? = nil,
        runFor: Duration? = nil,
        live: (StreamingContext) throws -> DStream<String>,
        build: @escaping (StreamingContext, DStream<String>) throws -> Void
    ) async throws {
        if let input = replay.input {
            DeterministicHashing.reexecIfNeeded()
            try await runReplay(input: input, checkpoint: checkpoint, build: build)
        } else {
            try await runLive(checkpoint: checkpoint, stopAfterIdleBatches: stopAfterIdleBatches, runFor: runFor) {
                try build($0, try live($0))
            }
        }
    }

    /// Runs a live pipeline that `build` registers whole (its sources included), until a
    /// signal, `runFor` or `stopAfterIdleBatches` stops it.
    public func runLive(
        checkpoint: String? = nil,
        stopAfterIdleBatches: Int? = nil,
        runFor: Duration? = nil,
        build: (StreamingContext) throws -> Void
    ) async throws {
        var configuration = StreamingContext.Configuration()
        configuration.stopGracefullyOnSignals = true
        configuration.stopAfterIdleBatches = stopAfterIdleBatches
        if let parallelism { configuration.parallelism = parallelism }
        func make() throws -> StreamingContext {
            let context = StreamingContext(batchInterval: batchInterval, configuration: configuration)
            try build(context)
            return context
        }
        let context = try checkpoint.map { try StreamingContext.getOrCreate(checkpoint: $0, create: make) } ?? make()
        try context.start()
        if let runFor, try await !context.awaitTermination(timeout: runFor) {
            FileHandle.standardError.write(Data("ran for \(runFor): stopping gracefully\n".utf8))
            context.requestStop(gracefully: true)
        }
        try await context.awaitTermination()
    }

    private func runReplay(
        input: String, checkpoint: String?, build: (StreamingContext, DStream<String>) throws -> Void
    ) async throws {
        let source = try RecordFile.replay(input, recordsPerBatch: replay.recordsPerBatch)
        let clock = ManualClock()
        func make() throws -> StreamingContext {
            var configuration = StreamingContext.Configuration()
            if let parallelism { configuration.parallelism = parallelism }
            let context = StreamingContext(batchInterval: batchInterval, clock: clock, configuration: configuration)
            try build(context, context.stream(from: source, name: "input"))
            return context
        }
        let fresh = checkpoint.map { _ in
            FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)").path
        }
        defer { fresh.map { try? FileManager.default.removeItem(atPath: $0) } }
        let context = try fresh.map { try StreamingContext.getOrCreate(checkpoint: $0, create: make) } ?? make()
        try context.start()
        var k = 0
        while replay.batches.map({ k < $0 }) ?? source.hasPendingRecords {
            k += 1
            await clock.advance(by: batchInterval)
            if context.isStopped { break }
            if k % 100 == 0 {
                FileHandle.standardError.write(Data("replayed \(k)\(replay.batches.map { "/\($0)" } ?? "") batches\n".utf8))
            }
        }
        if source.rejectedRecords > 0 {
            FileHandle.standardError.write(Data("\(source.rejectedRecords) input lines rejected\n".utf8))
        }
        context.requestStop(gracefully: false)
        try await context.awaitTermination()
    }
}

/// Reads the records of `--input`: lines of a file, or of standard input for `-`.
public enum RecordFile {
    /// The file's lines as a replay source; a line that is not UTF-8 or is over 1 MiB is
    /// reported on stderr and counted, never silently dropped.
    public static func replay(_ path: String, recordsPerBatch: Int) throws -> ReplaySource<String> {
        do {
            return try ReplaySource.lines(ofFile: path, recordsPerBatch: recordsPerBatch) { rejected in
                FileHandle.standardError.write(Data("skipping an input line: \(rejected.reason)\n".utf8))
            }
        } catch {
            throw RecordFileError(description: "cannot read --input \(path): \(error)")
        }
    }

    /// All lines of the file, read at once (for programs that serve or send them all), and
    /// how many lines were rejected (each reported on stderr).
    public static func lines(of path: String) throws -> [String] {
        try linesAndRejections(of: path).lines
    }

    /// The file's lines and the number of lines rejected.
    public static func linesAndRejections(of path: String) throws -> (lines: [String], rejected: Int) {
        let source = try replay(path, recordsPerBatch: Int.max)
        let lines = try source.records(for: BatchTime(milliseconds: 0))
        if source.rejectedRecords > 0 {
            FileHandle.standardError.write(Data("\(source.rejectedRecords) input lines rejected\n".utf8))
        }
        return (lines, source.rejectedRecords)
    }
}

public struct RecordFileError: Error, CustomStringConvertible {
    public let description: String
}
