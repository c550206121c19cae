import Foundation
import Locking
import StreamCore

/// A counting job run two ways: as a StreamCore pipeline and as a hand-written loop.
protocol Workload {
    var name: String { get }
    func library(_ batches: [[String]]) async throws -> (seconds: Double, checksum: Int)
    func handWritten(_ batches: [[String]]) -> (seconds: Double, checksum: Int)
}

extension Workload {
    /// Runs `build`'s pipeline over `batches` on a manual clock, as fast as possible; the
    /// checksum adds up every emitted count.
    func runPipeline(
        _ batches: [[String]], checkpointEvery: Int? = nil,
        _ build: (DStream<String>) throws -> DStream<(Word, Int)>
    ) async throws -> (seconds: Double, checksum: Int) {
        let clock = ManualClock()
        var configuration = StreamingContext.Configuration()
        configuration.checkpointInterval = checkpointEvery ?? Int.max
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dstream-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let context = StreamingContext(
            batchInterval: .seconds(1), clock: clock, checkpoint: try CheckpointStore(directory: directory),
            configuration: configuration)
        let checksum = Checksum()
        try build(context.stream(from: QueueSource(batches))).foreachBatch { batch, _ in
            var sum = 0
            for partition in batch.partitions { for (_, count) in partition { sum &+= count } }
            checksum.add(sum)
        }
        try context.start()
        let started = ContinuousClock.now
        await clock.advance(by: .seconds(Int64(batches.count)))
        await context.stop(gracefully: false)  // includes the last checkpoint write
        let elapsed = ContinuousClock.now - started
        return (elapsed.seconds, checksum.value)
    }

    func timed(_ body: () -> Int) -> (seconds: Double, checksum: Int) {
        let started = ContinuousClock.now
        let checksum = body()
        return ((ContinuousClock.now - started).seconds, checksum)
    }
}

/// Tutorial 000's consumer: words counted per batch, then running totals of every word, the
/// whole state emitted every batch.
struct RunningWordCountWorkload: Workload {
    let checkpointEvery: Int
    var name: String { "word count with running totals (updateStateByKey, checkpoint every \(checkpointEvery) batches)" }

    func library(_ batches: [[String]]) async throws -> (seconds: Double, checksum: Int) {
        try await runPipeline(batches, checkpointEvery: checkpointEvery) { lines in
            lines.words().map { ($0, 1) }.reduceByKey(+)
                .updateStateByKey { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
        }
    }

    func handWritten(_ batches: [[String]]) -> (seconds: Double, checksum: Int) {
        timed {
            var totals: [Word: Int] = [:]
            var checksum = 0
            for batch in batches {
                var counts: [Word: Int] = [:]
                for line in batch { Word.forEachWord(in: line) { counts[$0, default: 0] += 1 } }
                for (word, count) in counts { totals[word, default: 0] += count }
                for (_, total) in totals { checksum &+= total }
            }
            return checksum
        }
    }
}

/// Tutorial 001's hashtags: counts of each hashtag over a sliding window, kept incrementally.
struct HashtagWindowWorkload: Workload {
    let window: Int
    var name: String { "hashtag countByValueAndWindow (window \(window) batches, slide 1)" }

    func library(_ batches: [[String]]) async throws -> (seconds: Double, checksum: Int) {
        try await runPipeline(batches + Array(repeating: [], count: window)) { lines in
            try lines.words().filter { $0.hasPrefix("#") }
                .countByValueAndWindow(length: .seconds(Int64(window)))
        }
    }

    func handWritten(_ batches: [[String]]) -> (seconds: Double, checksum: Int) {
        timed {
            var windowCounts: [Word: Int] = [:]
            var recent: [[Word: Int]] = []
            var checksum = 0
            for batch in batches + Array(repeating: [], count: window) {
                var counts: [Word: Int] = [:]
                for line in batch {
                    Word.forEachWord(in: line) { word in
                        if word.hasPrefix("#") { counts[word, default: 0] += 1 }
                    }
                }
                for (tag, count) in counts { windowCounts[tag, default: 0] += count }
                recent.append(counts)
                if recent.count > window {
                    for (tag, count) in recent.removeFirst() {
                        let left = windowCounts[tag]! - count
                        windowCounts[tag] = left == 0 ? nil : left
                    }
                }
                for (_, count) in windowCounts { checksum &+= count }
            }
            return checksum
        }
    }
}

final class Checksum: Sendable {
    private let sum = Locked(0)

    func add(_ value: Int) {
        sum.withLock { $0 &+= value }
    }

    var value: Int { sum.withLock { $0 } }
}
