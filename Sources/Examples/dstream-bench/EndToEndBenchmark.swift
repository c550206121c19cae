import CWordCount
import ExampleSupport
import Foundation
import StreamCore
import TutorialPipelines

/// The programs users run, timed end to end (file in, JSON lines out), beside the engine
/// alone on the same corpus and a one-pass C word count: the yardstick an engine benchmark
/// alone cannot give (it once hid a 10× loss in input parsing and JSON output).
struct EndToEndBenchmark {
    let corpus: String
    let linesPerBatch: Int
    let repeats: Int

    /// Writes `lines` lines of generated tweet-like text (Zipf words, hashtags, mentions,
    /// unique links) to a temporary file, with progress on stderr.
    static func generateCorpus(lines: Int, vocabulary: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dstream-bench-corpus-\(lines).txt").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let file = FileHandle(forWritingAtPath: path) else { throw BenchmarkError("cannot write \(path)") }
        defer { try? file.close() }
        var text = TweetLikeText(vocabulary: vocabulary)
        var block: [UInt8] = []
        for n in 1...max(lines, 1) {
            block.append(contentsOf: text.next()!.utf8)
            block.append(0x0A)
            if block.count > 1 << 22 || n == lines {
                try file.write(contentsOf: block)
                block.removeAll(keepingCapacity: true)
            }
            if n % 250_000 == 0 { FileHandle.standardError.write(Data("generated \(n)/\(lines) lines\n".utf8)) }
        }
        return path
    }

    func run() async throws {
        let size = (try FileManager.default.attributesOfItem(atPath: corpus)[.size] as? Int) ?? 0
        var c = cwordcount_result()
        let cSeconds = try await best { c = cwordcount_file(corpus) }
        guard c.ok != 0 else { throw BenchmarkError("cannot read \(corpus)") }
        let lines = Double(c.lines)
        print(
            "corpus: \(c.lines) lines, \(c.words) words, \(c.distinct) distinct, \(size / 1_000_000) MB; "
                + "\(linesPerBatch) lines a batch; \(ProcessInfo.processInfo.activeProcessorCount) cores; best of \(repeats)")
        print("")
        print(row("", "lines/s", "÷ C loop", "peak RSS"))
        print(row("C hash-map word count (1 core)", rate(lines / cSeconds), "1.00", ""))

        // The programs first: a spawned child is charged the parent's memory until it execs,
        // so the corpus is loaded for the engine runs only afterwards.
        var programs: [String: (seconds: Double, peakKiB: Int)] = [:]
        for name in ["network-wordcount", "kafka-wordcount"] {
            var peak = 0
            let seconds = try await best { peak = max(peak, try runProgram(name)) }
            programs[name] = (seconds, peak)
        }
        let records = try RecordFile.lines(of: corpus)
        let batchCount = (records.count + linesPerBatch - 1) / linesPerBatch
        let batchBytes = size / max(1, batchCount)
        for (name, pipeline) in [("network-wordcount", Pipeline.counts), ("kafka-wordcount", Pipeline.totals)] {
            let engine = try await best { try await engineOnly(records, batches: batchCount, pipeline) }
            print(row("engine alone: \(name) pipeline", rate(lines / engine), ratio(lines / engine, lines / cSeconds), ""))
            let program = programs[name]!
            print(
                row(
                    "program: \(name) --input … --output jsonl", rate(lines / program.seconds),
                    ratio(lines / program.seconds, lines / cSeconds), "\(program.peakKiB / 1024) MB"))
        }
        print("")
        print("peak RSS is the program's whole process; one batch of input is about \(batchBytes / 1_000_000) MB of text.")
    }

    enum Pipeline { case counts, totals }

    /// The example's pipeline over batches already in memory, outputs consumed without encoding.
    private func engineOnly(_ records: [String], batches: Int, _ pipeline: Pipeline) async throws {
        let clock = ManualClock()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dstream-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let context = StreamingContext(
            batchInterval: .seconds(1), clock: clock, checkpoint: try CheckpointStore(directory: directory))
        let lines = context.stream(from: ReplaySource(records, recordsPerBatch: linesPerBatch))
        let output =
            switch pipeline {
            case .counts: NetworkWordCount.counts(lines)
            case .totals: RunningWordCount.totals(lines)
            }
        try output.foreachBatch { batch, _ in _ = batch.count }
        try context.start()
        await clock.advance(by: .seconds(Int64(batches)))
        await context.stop(gracefully: false)
    }

    /// Runs the example program as a user would, stdout to /dev/null; returns its peak RSS in KiB.
    private func runProgram(_ name: String) throws -> Int {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(name).path
        let arguments = [executable, "--input", corpus, "--records-per-batch", String(linesPerBatch), "--output", "jsonl"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
            throw BenchmarkError("cannot start \(executable): build the examples first (swift build -c release)")
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        guard status == 0 else { throw BenchmarkError("\(name) failed with status \(status)") }
        return usage.ru_maxrss
    }

    /// The shortest of `repeats` runs of `body`, in seconds.
    private func best(_ body: () async throws -> Void) async throws -> Double {
        var seconds = Double.infinity
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            try await body()
            seconds = min(seconds, (ContinuousClock.now - started).seconds)
        }
        return seconds
    }

    private func row(_ name: String, _ rate: String, _ ratio: String, _ rss: String) -> String {
        name.padding(toLength: 52, withPad: " ", startingAt: 0) + rate.leftPadded(12) + ratio.leftPadded(10) + rss.leftPadded(11)
    }

    private func rate(_ value: Double) -> String { String(format: "%.0f", value) }
    private func ratio(_ value: Double, _ reference: Double) -> String { String(format: "%.2f", value / reference) }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
