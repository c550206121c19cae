import ArgumentParser
import ExampleSupport
import Foundation
import StreamCore

@main
struct DStreamBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dstream-bench",
        abstract: "Measures StreamCore pipelines against hand-written Swift loops doing the same counting.",
        discussion: """
            Build and run it in release mode: swift run -c release dstream-bench
            For each workload it prints lines/s through the library, lines/s of a single-pass hand-written loop,
            and their ratio (target ≥ 0.70); then the per-batch overhead of an empty pipeline (target < 1 ms).

            With --end-to-end it times the example programs as users run them instead (network-wordcount and
            kafka-wordcount: file in, JSON lines out, as separate processes), beside the same pipelines in the
            engine alone and a one-pass C hash-map word count, on a generated corpus of --lines lines (or --input).
            Build everything in release mode first: swift build -c release
            """)

    @Option(help: "Lines of generated tweet-like text (ignored with --input).")
    var lines = 400_000

    @Option(help: "Read the corpus from this file instead of generating it.")
    var input: String?

    @Option(help: "Lines per batch.")
    var linesPerBatch = 20_000

    @Flag(help: "Time the example programs end to end against the engine alone and a C loop.")
    var endToEnd = false

    @Option(help: "With --end-to-end: distinct words of the generated corpus (Zipf).")
    var vocabulary = 50_000

    @Option(help: "Window length in batches for the hashtag workload.")
    var window = 3

    @Option(help: "Checkpoint the running totals every this many batches (as a deployment would).")
    var checkpointEvery = 10

    @Option(help: "Run only the workloads whose name contains this text (e.g. 'word', 'hashtag').")
    var workload: String?

    @Option(help: "Runs of each measurement; the best is reported.")
    var repeats = 3

    @Option(help: "Batches run to measure the overhead of an empty pipeline.")
    var emptyBatches = 2_000

    func validate() throws {
        for (value, flag) in [
            (lines, "--lines"), (linesPerBatch, "--lines-per-batch"), (repeats, "--repeats"), (window, "--window"),
            (checkpointEvery, "--checkpoint-every"), (emptyBatches, "--empty-batches"), (vocabulary, "--vocabulary"),
        ] {
            try FlagCheck.integer(value, flag, in: 1...1_000_000_000)
        }
    }

    func run() async throws {
        if endToEnd {
            let corpus = try input ?? EndToEndBenchmark.generateCorpus(lines: lines, vocabulary: vocabulary)
            return try await EndToEndBenchmark(corpus: corpus, linesPerBatch: linesPerBatch, repeats: repeats).run()
        }
        let corpus = try input.map { try RecordFile.lines(of: $0) } ?? Array(TweetLikeText().prefix(lines))
        let batches = stride(from: 0, to: corpus.count, by: linesPerBatch).map {
            Array(corpus[$0..<min($0 + linesPerBatch, corpus.count)])
        }
        print(
            "corpus: \(corpus.count) lines in \(batches.count) batches of \(linesPerBatch); "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores; best of \(repeats)")

        let workloads: [Workload] = [
            RunningWordCountWorkload(checkpointEvery: checkpointEvery),
            HashtagWindowWorkload(window: window),
        ]
        for workload in workloads where self.workload.map(workload.name.contains) ?? true {
            var library = Measurement(), loop = Measurement()
            for _ in 0..<repeats {
                library.keep(try await workload.library(batches))
                loop.keep(workload.handWritten(batches))
            }
            guard library.checksum == loop.checksum else {
                throw ValidationError("\(workload.name): library and loop disagree (\(library.checksum) vs \(loop.checksum))")
            }
            let libraryRate = Double(corpus.count) / library.seconds
            let loopRate = Double(corpus.count) / loop.seconds
            print(workload.name)
            print("  library        \(format(libraryRate)) lines/s")
            print("  hand-written   \(format(loopRate)) lines/s")
            print("  ratio          \(String(format: "%.2f", libraryRate / loopRate)) (target ≥ 0.70)")
        }

        var overhead = Double.infinity
        for _ in 0..<repeats {
            overhead = min(overhead, try await emptyPipelineSeconds(batches: emptyBatches) / Double(emptyBatches))
        }
        print("empty pipeline")
        print("  per-batch overhead \(String(format: "%.3f", overhead * 1000)) ms (target < 1 ms)")
    }

    private func format(_ rate: Double) -> String {
        String(format: "%12.0f", rate)
    }

    /// Time to run `batches` empty batches through a source, a map and an output.
    private func emptyPipelineSeconds(batches: Int) async throws -> Double {
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try context.stream(from: QueueSource<String>()).map(\.count).foreachBatch { _, _ in }
        try context.start()
        let started = ContinuousClock.now
        await clock.advance(by: .seconds(Int64(batches)))
        let elapsed = ContinuousClock.now - started
        await context.stop()
        return elapsed.seconds
    }
}

/// A timed run and a checksum of what it emitted, so library and loop provably did the same work.
struct Measurement {
    var seconds = Double.infinity
    var checksum = 0

    mutating func keep(_ run: (seconds: Double, checksum: Int)) {
        seconds = min(seconds, run.seconds)
        checksum = run.checksum
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
