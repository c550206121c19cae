import Foundation
import StreamCore
import StreamTestSupport
import Testing

@Suite("Checkpoints and recovery")
struct CheckpointTests {
    /// A running word count whose totals survive a restart: the pipeline a user writes once
    /// and runs again after a crash.
    func runningTotals(directory: String, clock: ManualClock, input: ReplaySource<String>, name: String = "totals")
        throws -> (StreamingContext, BatchLog<(Word, Int)>)
    {
        let log = BatchLog<(Word, Int)>()
        let context = try StreamingContext.getOrCreate(checkpoint: directory) {
            let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
            try context.stream(from: input).flatMap(Word.split).map { ($0, 1) }.reduceByKey(+)
                .updateStateByKey(name: name) { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
                .foreachBatch { batch, _ in log.append(sortedByKey(batch.records)) }
            return context
        }
        return (context, log)
    }

    /// A directory holding the checkpoint of one batch of the running totals.
    func directoryCheckpointedAfterOneBatch() async throws -> String {
        let directory = temporaryDirectory()
        let clock = ManualClock()
        let (first, _) = try runningTotals(directory: directory, clock: clock, input: ReplaySource(["a"], recordsPerBatch: 1))
        try first.start()
        await clock.advance(by: .seconds(1))
        await first.stop(gracefully: false)
        return directory
    }

    @Test func aRestartedPipelineContinuesItsState() async throws {
        let directory = temporaryDirectory()
        let clock = ManualClock()
        let (first, _) = try runningTotals(directory: directory, clock: clock, input: Golden.corpusReplay)
        try first.start()
        await clock.advance(by: .seconds(3))
        await first.stop(gracefully: false)

        let restartClock = ManualClock()
        let (second, log) = try runningTotals(directory: directory, clock: restartClock, input: Golden.corpusReplay)
        let listener = RecordingListener()
        second.addListener(listener)
        try second.start()
        await restartClock.advance(by: .seconds(2))
        await second.stop(gracefully: false)

        let expected = try Golden.pairs("running_word_counts")
        #expect(difference(log.batches, Array(expected[3..<5])) == nil)
        #expect(listener.completed.map(\.time.milliseconds) == [4000, 5000])
    }

    @Test func aQueueSourceHoldingRecordsIsRefusedByGetOrCreate() throws {
        // A queue cannot hand the same records to the same batches after a restart: they
        // would be counted twice. Spark refuses to checkpoint a queue stream for that reason.
        let error = #expect(throws: StreamingError.self) {
            _ = try StreamingContext.getOrCreate(checkpoint: temporaryDirectory()) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: ManualClock())
                try context.stream(from: QueueSource([["a"], ["a", "b"]]), name: "queue").count().print { _ in }
                return context
            }
        }
        #expect(error?.description.contains("source 'queue'") == true)
        #expect(error?.description.contains("ReplaySource") == true)
    }

    @Test func aReplaySourceRestartsExactlyWhereItStopped() async throws {
        // Spark's answer for the queue [a], [a, b], [b], [c] restarted after two batches.
        let directory = temporaryDirectory()
        func run(batches: Int) async throws -> [[(Word, Int)]] {
            let clock = ManualClock()
            let (context, log) = try runningTotals(
                directory: directory, clock: clock, input: ReplaySource(["a", "a b", "b", "c"], recordsPerBatch: 1))
            try context.start()
            await clock.advance(by: .seconds(Int64(batches)))
            await context.stop(gracefully: false)
            return log.batches
        }
        _ = try await run(batches: 2)
        let afterRestart = try await run(batches: 2)
        #expect(afterRestart.map { $0.map { "\($0.0.text)=\($0.1)" } } == [["a=2", "b=2"], ["a=2", "b=2", "c=1"]])
    }

    /// The checkpoint files of the running totals after `batches` batches of the corpus.
    func checkpointFiles(after batches: Int, of input: ReplaySource<String>) async throws -> (String, [String]) {
        let directory = temporaryDirectory()
        let clock = ManualClock()
        let (context, _) = try runningTotals(directory: directory, clock: clock, input: input)
        try context.start()
        await clock.advance(by: .seconds(Int64(batches)))
        await context.stop(gracefully: false)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { directory + "/" + $0 }
        return (directory, files)
    }

    @Test func everyCorruptedByteOfTheNewestCheckpointIsDetected() async throws {
        let (directory, files) = try await checkpointFiles(
            after: 3, of: ReplaySource(["a b", "b c", "#c d"], recordsPerBatch: 1))
        let newest = try #require(files.last)
        let intact = try Data(contentsOf: URL(fileURLWithPath: newest))
        var skipped = 0
        for position in intact.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupt = intact
                corrupt[position] ^= flip
                try corrupt.write(to: URL(fileURLWithPath: newest))
                let restored = try CheckpointStore(directory: directory).latest { _, _ in skipped += 1 }
                #expect(restored?.batchIndex == 2, "byte \(position) ^ \(flip) was not detected")
            }
        }
        #expect(skipped == intact.count * 3)
        try intact.write(to: URL(fileURLWithPath: newest))
        #expect(try CheckpointStore(directory: directory).latest()?.batchIndex == 3)
    }

    /// Checkpoints written by any release must stay readable by the next: the header's and
    /// every section's checksum is CRC-32C exactly as the standard defines it, however fast
    /// the engine computes it (here against a bit-by-bit reference).
    @Test func checkpointChecksumsAreStandardCRC32C() async throws {
        func reference(_ bytes: some Sequence<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 != 0 ? 0x82F6_3B78 ^ (crc >> 1) : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        #expect(reference("123456789".utf8) == 0xE306_9283)  // the standard's check value
        let lines = (0..<300).map { i in "w\(i) https://t.co/link\(i % 7) été #tag\(i % 13)" }
        let (_, files) = try await checkpointFiles(after: 3, of: ReplaySource(lines, recordsPerBatch: 100))
        let file = try Data(contentsOf: URL(fileURLWithPath: try #require(files.last)))
        let parts = file.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
        let lengthAndChecksum = String(decoding: parts[1], as: UTF8.self).split(separator: " ")
        let headerLength = try #require(Int(lengthAndChecksum[0]))
        let header = Data(parts[2].prefix(headerLength))
        #expect(UInt32(lengthAndChecksum[1]) == reference(header))
        let fields = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
        let sections = (fields["operators"] as? [[String: Any]] ?? []) + (fields["sources"] as? [[String: Any]] ?? [])
        var offset = parts[2].startIndex + headerLength
        var checked = 0
        for section in sections {
            let length = try #require(section["length"] as? Int)
            let blob = file[offset..<(offset + length)]
            #expect((section["crc32c"] as? NSNumber)?.uint32Value == reference(blob), "section \(section["name"] ?? "?")")
            offset += length
            checked += blob.count
        }
        #expect(offset == file.endIndex && checked > 1_000)  // every section read, some of them long
    }

    @Test func aRestartFallsBackFromACorruptCheckpointAndEndsWithExactTotals() async throws {
        // Two batches, the newest checkpoint corrupted (a stored count changed), then a restart:
        // it resumes after batch 1 with batch 1's state, and ends with Spark's totals.
        let (directory, files) = try await checkpointFiles(after: 2, of: Golden.corpusReplay)
        var newest = try Data(contentsOf: URL(fileURLWithPath: files.last!))
        newest[newest.count - 10] ^= 0x04
        try newest.write(to: URL(fileURLWithPath: files.last!))

        let clock = ManualClock()
        let (context, log) = try runningTotals(directory: directory, clock: clock, input: Golden.corpusReplay)
        try context.start()
        await clock.advance(by: .seconds(4))
        await context.stop(gracefully: false)
        let expected = try Golden.pairs("running_word_counts")
        #expect(difference(log.batches, Array(expected[1..<5])) == nil)
    }

    @Test func strayFilesBesideCheckpointsAreIgnored() async throws {
        let (directory, _) = try await checkpointFiles(after: 1, of: ReplaySource(["a"], recordsPerBatch: 1))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/checkpoint-00000000000000009999.orig"))
        #expect(try CheckpointStore(directory: directory).latest()?.batchIndex == 1)
    }

    @Test func aCheckpointOfASourceThePipelineNoLongerHasIsRefused() async throws {
        let directory = try await directoryCheckpointedAfterOneBatch()
        let error = #expect(throws: StreamingError.self) {
            _ = try StreamingContext.getOrCreate(checkpoint: directory) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: ManualClock())
                try context.stream(from: ReplaySource(["a"], recordsPerBatch: 1), name: "another topic").flatMap(Word.split)
                    .map { ($0, 1) }.reduceByKey(+)
                    .updateStateByKey(name: "totals") { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
                    .print { _ in }
                return context
            }
        }
        #expect(error?.description.contains("source 'source', which the pipeline no longer has") == true)
    }

    @Test func aRenamedOperatorIsNamedInTheError() async throws {
        let directory = try await directoryCheckpointedAfterOneBatch()

        let error = #expect(throws: StreamingError.self) {
            _ = try runningTotals(
                directory: directory, clock: ManualClock(), input: ReplaySource([], recordsPerBatch: 1), name: "counts")
        }
        #expect(error?.description.contains("'counts'") == true || error?.description.contains("'totals'") == true)
        #expect(error?.description.contains("name:") == true)
    }

    @Test func anUnreadableCheckpointStopsTheRestore() async throws {
        let directory = temporaryDirectory()
        try Data("{ not json".utf8).write(
            to: URL(fileURLWithPath: directory).appendingPathComponent("checkpoint-00000000000000009000"))
        let error = #expect(throws: StreamingError.self) {
            _ = try runningTotals(directory: directory, clock: ManualClock(), input: ReplaySource([], recordsPerBatch: 1))
        }
        #expect(error?.description.contains("unreadable checkpoint") == true)
    }

    @Test func aChangedBatchIntervalIsRefused() async throws {
        let directory = try await directoryCheckpointedAfterOneBatch()

        let error = #expect(throws: StreamingError.self) {
            _ = try StreamingContext.getOrCreate(checkpoint: directory) {
                StreamingContext(batchInterval: .seconds(2), clock: ManualClock())
            }
        }
        #expect(error?.description.contains("batch interval") == true)
    }

    @Test func onlyTheNewestCheckpointsAreKept() async throws {
        let directory = temporaryDirectory()
        let clock = ManualClock()
        let context = StreamingContext(
            batchInterval: .seconds(1), clock: clock, checkpoint: try CheckpointStore(directory: directory, retained: 2))
        try context.stream(from: QueueSource<String>()).print { _ in }
        try context.start()
        await clock.advance(by: .seconds(5))
        await context.stop()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files == ["checkpoint-00000000000000004000", "checkpoint-00000000000000005000"])
    }

    @Test func windowsKeepTheirContentsAcrossARestart() async throws {
        let directory = temporaryDirectory()
        func pipeline(_ clock: ManualClock, _ input: ReplaySource<Int>, _ log: BatchLog<Int>) throws -> StreamingContext {
            try StreamingContext.getOrCreate(checkpoint: directory) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
                try context.stream(from: input).window(length: .seconds(3)).reduce(+)
                    .foreachBatch { batch, _ in log.append(batch.records) }
                return context
            }
        }
        let clock = ManualClock()
        let first = try pipeline(clock, ReplaySource([1, 10, 100, 1000], recordsPerBatch: 1), BatchLog())
        try first.start()
        await clock.advance(by: .seconds(2))
        await first.stop(gracefully: false)

        let log = BatchLog<Int>()
        let restartClock = ManualClock()
        let second = try pipeline(restartClock, ReplaySource([1, 10, 100, 1000], recordsPerBatch: 1), log)
        try second.start()
        await restartClock.advance(by: .seconds(2))
        await second.stop(gracefully: false)
        #expect(log.batches == [[111], [1110]])
    }

    @Test func windowStateCheckpointedByEarlierReleasesStillRestores() async throws {
        // Releases before the binary layout wrote a window's batches as JSON with base64 bytes,
        // in version 1 files (no checksums). Rewrite the newest checkpoint that way, then restart.
        let directory = temporaryDirectory()
        func pipeline(_ clock: ManualClock, _ log: BatchLog<Int>) throws -> StreamingContext {
            try StreamingContext.getOrCreate(checkpoint: directory) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
                try context.stream(from: ReplaySource([1, 10, 100, 1000], recordsPerBatch: 1)).window(length: .seconds(3))
                    .reduce(+).foreachBatch { batch, _ in log.append(batch.records) }
                return context
            }
        }
        let clock = ManualClock()
        let first = try pipeline(clock, BatchLog())
        try first.start()
        await clock.advance(by: .seconds(2))
        await first.stop(gracefully: false)
        let checkpoint = try #require(try CheckpointStore(directory: directory).latest())
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).sorted().last)
        try rewriteAsVersion1WithJSONWindows(URL(fileURLWithPath: directory).appendingPathComponent(file), checkpoint)

        let log = BatchLog<Int>()
        let restartClock = ManualClock()
        let second = try pipeline(restartClock, log)
        try second.start()
        await restartClock.advance(by: .seconds(2))
        await second.stop(gracefully: false)
        #expect(log.batches == [[111], [1110]])
    }

    /// Writes `checkpoint` over `file` as version 1 did, window state (`1`, a count, then index,
    /// length and bytes per batch) turned back into `{"indices": […], "batches": [base64…]}`.
    func rewriteAsVersion1WithJSONWindows(_ file: URL, _ checkpoint: Checkpoint) throws {
        func int64(_ bytes: Data, _ at: Int) -> Int {
            Int(bytes[(bytes.startIndex + at)..<(bytes.startIndex + at + 8)].reversed().reduce(0) { $0 << 8 | Int($1) })
        }
        var operators = checkpoint.operators
        for (name, blob) in operators where name.contains("window") {
            try #require(blob.first == 1)
            var indices: [Int] = [], batches: [String] = [], offset = 9
            for _ in 0..<int64(blob, 1) {
                let length = int64(blob, offset + 8)
                indices.append(int64(blob, offset))
                batches.append(
                    blob[(blob.startIndex + offset + 16)..<(blob.startIndex + offset + 16 + length)].base64EncodedString())
                offset += 16 + length
            }
            operators[name] = try JSONSerialization.data(withJSONObject: ["indices": indices, "batches": batches])
        }
        let lines = try Data(contentsOf: file).split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
        let headerLength = try #require(Int(String(decoding: lines[1], as: UTF8.self).split(separator: " ")[0]))
        var header = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].prefix(headerLength))) as? [String: Any])
        let sorted = operators.sorted { $0.key < $1.key }, sources = checkpoint.sources.sorted { $0.key < $1.key }
        header["formatVersion"] = 1
        header["operators"] = sorted.map { ["name": $0.key, "length": $0.value.count] }
        header["sources"] = sources.map { ["name": $0.key, "length": $0.value.count] }
        let headerBytes = try JSONSerialization.data(withJSONObject: header)
        var data = Data("SWIFTSTREAMING-CHECKPOINT 1\n\(headerBytes.count)\n".utf8) + headerBytes
        for (_, blob) in sorted + sources { data += blob }
        try data.write(to: file)
    }
}

extension CheckpointTests {
    struct Visits: Codable, Sendable, Equatable {
        var count: Int
        var pages: [String]
    }

    @Test func stateOfAnyCodableTypeSurvivesARestart() async throws {
        let directory = temporaryDirectory()
        func pipeline(_ clock: ManualClock, _ input: ReplaySource<(String, String)>, _ log: BatchLog<(String, Visits)>) throws
            -> StreamingContext
        {
            try StreamingContext.getOrCreate(checkpoint: directory) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
                try context.stream(from: input)
                    .updateStateByKey(name: "visits") { (pages: [String], old: Visits?) in
                        Visits(count: (old?.count ?? 0) + pages.count, pages: (old?.pages ?? []) + pages)
                    }
                    .foreachBatch { batch, _ in log.append(batch.records) }
                return context
            }
        }
        let clock = ManualClock()
        let visits = [("ann", "/home"), ("ann", "/cart"), ("ann", "/pay")]
        let first = try pipeline(clock, ReplaySource(visits, recordsPerBatch: 2), BatchLog())
        try first.start()
        await clock.advance(by: .seconds(1))
        await first.stop(gracefully: false)

        let log = BatchLog<(String, Visits)>()
        let restartClock = ManualClock()
        let second = try pipeline(restartClock, ReplaySource(visits, recordsPerBatch: 2), log)
        try second.start()
        await restartClock.advance(by: .seconds(1))
        await second.stop(gracefully: false)
        #expect(log.batches.first?.first?.1 == Visits(count: 3, pages: ["/home", "/cart", "/pay"]))
    }
}

extension CheckpointTests {
    /// Runs `build` over the golden corpus in two runs, restarting from the checkpoint after
    /// batch 3, and returns what the second run saw in batches 4–12.
    func restartedAfterBatchThree(
        _ build: @escaping (DStream<String>) throws -> DStream<(Word, Int)>
    ) async throws -> [[(Word, Int)]] {
        let directory = temporaryDirectory()
        func run(batches: Int) async throws -> [[(Word, Int)]] {
            let clock = ManualClock()
            let log = BatchLog<(Word, Int)>()
            let context = try StreamingContext.getOrCreate(checkpoint: directory) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
                try build(context.stream(from: Golden.corpusReplay)).foreachBatch { batch, _ in
                    log.append(sortedByKey(batch.records))
                }
                return context
            }
            try context.start()
            await clock.advance(by: .seconds(Int64(batches)))
            await context.stop(gracefully: false)
            return log.batches
        }
        _ = try await run(batches: 3)
        return try await run(batches: 9)
    }

    @Test func incrementalWindowsContinueExactlyAfterARestart() async throws {
        let counts = try await restartedAfterBatchThree { lines in
            try lines.words().filter { $0.text.hasPrefix("#") }.countByValueAndWindow(length: .seconds(3))
        }
        let expected = try Golden.pairs("hashtag_count_by_value_and_window_w3_s1")
        #expect(difference(counts, Array(expected[3...])) == nil)
    }

    @Test func recomputedPairWindowsContinueExactlyAfterARestart() async throws {
        let counts = try await restartedAfterBatchThree { lines in
            try lines.words().map { ($0, 1) }.reduceByKeyAndWindow(+, length: .seconds(3))
        }
        let expected = try Golden.pairs("reduce_by_key_and_window_noinv_w3_s1")
        #expect(difference(counts, Array(expected[3...])) == nil)
    }
}
