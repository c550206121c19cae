import ExampleSupport
import Foundation
import LoopbackSockets
import StreamCore
import StreamTestSupport
import Testing

@Suite("Sources")
struct SourceTests {
    func socketSource(port: Int, configure: (inout SocketTextSource.Options) -> Void = { _ in }) -> SocketTextSource {
        var options = SocketTextSource.Options()
        options.initialReconnectDelay = .milliseconds(10)
        options.maxReconnectDelay = .milliseconds(50)
        configure(&options)
        return SocketTextSource(host: "127.0.0.1", port: port, options: options)
    }

    /// Runs `source` through one batch once `count` lines have arrived, and returns them.
    func firstBatch(of source: SocketTextSource, after count: Int) async throws -> [String] {
        try await StreamTestSupport.firstBatch(of: source) { await source.waitForRecords(count) }
    }

    @Test func socketLinesReachTheNextBatch() async throws {
        let server = try TCPLineServer()
        defer { server.close() }
        server.serve([Array("hello world\r\nsecond line\nno newline at end".utf8)])
        let lines = try await firstBatch(of: socketSource(port: server.port), after: 3)
        #expect(lines == ["hello world", "second line", "no newline at end"])
    }

    @Test func theSocketReconnectsWhenTheServerGoesAwayAndWhenItIsLate() async throws {
        let server = try TCPLineServer(listening: false)
        defer { server.close() }
        let source = socketSource(port: server.port)
        async let lines = firstBatch(of: source, after: 2)
        // The server comes up only once the source has failed to reach it; then it serves two
        // sessions, closing the connection after each.
        while source.statistics.failedConnects == 0 { await Task.yield() }
        try server.listen()
        server.serve([Array("first\n".utf8), Array("second\n".utf8)])
        #expect(try await lines == ["first", "second"])
        #expect(source.statistics.failedConnects >= 1)
        #expect(source.statistics.connects >= 2)
    }

    @Test func overLongAndInvalidLinesAreCountedAndReportedNotDropped() async throws {
        let server = try TCPLineServer()
        defer { server.close() }
        let rejected = BatchLog<String>()
        let source = socketSource(port: server.port) { options in
            options.maxLineBytes = 8
            options.onRejected = { rejected.append([$0.reason]) }
        }
        server.serve([
            Array("ok\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 100_000) + [0x0A, 0xFF, 0xFE, 0x0A]
                + Array("fine\n".utf8)
        ])
        let lines = try await firstBatch(of: source, after: 2)
        #expect(lines == ["ok", "fine"])
        #expect(source.rejectedRecords == 2)
        #expect(rejected.batches.flatMap { $0 } == ["line longer than 8 bytes", "line is not valid UTF-8"])
    }

    @Test func anAsyncSequenceFeedsBatches() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let source = AsyncSequenceSource(stream, maxRecordsPerBatch: 3)
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        let seen = BatchLog<Int>()
        try context.stream(from: source).foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        (1...5).forEach { continuation.yield($0) }
        continuation.finish()
        await source.awaitCompletion()
        await clock.advance(by: .seconds(3))
        await context.stop()
        // At most three records per batch: the rest waits (backpressure), nothing is lost.
        #expect(seen.batches == [[1, 2, 3], [4, 5], []])
    }

    @Test func aDirectoryStreamReadsNewFilesOnceAcrossRestarts() async throws {
        let watched = temporaryDirectory()
        let checkpoints = temporaryDirectory()
        try "old\n".write(toFile: watched + "/before-start.txt", atomically: true, encoding: .utf8)
        func run(_ drop: (String) throws -> Void) async throws -> [[String]] {
            let clock = ManualClock()
            let seen = BatchLog<String>()
            let context = try StreamingContext.getOrCreate(checkpoint: checkpoints) {
                let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
                try context.textFileStream(directory: watched).foreachBatch { batch, _ in seen.append(batch.records.sorted()) }
                return context
            }
            try context.start()
            try drop(watched)
            await clock.advance(by: .seconds(1))
            await context.stop(gracefully: false)
            return seen.batches
        }
        let first = try await run { try "a\nb\n".write(toFile: $0 + "/one.txt", atomically: true, encoding: .utf8) }
        try "c".write(toFile: watched + "/two.txt", atomically: true, encoding: .utf8)
        let second = try await run { _ in }
        #expect(first == [["a", "b"]])
        #expect(second == [["c"]])
    }

    @Test func aReplaySourceReadsAFileBatchByBatchAndCountsRejectedLines() async throws {
        let file = temporaryDirectory() + "/input.txt"
        let longLine = String(repeating: "x", count: 20)
        let notUTF8: [UInt8] = [0xFF, 0x0A]
        try Data(Array("one\r\ntwo\n\(longLine)\nthree\n".utf8) + notUTF8 + Array("four".utf8)).write(
            to: URL(fileURLWithPath: file))
        let rejected = BatchLog<String>()
        let source = try ReplaySource.lines(ofFile: file, recordsPerBatch: 3, maxLineBytes: 10) { rejected.append([$0.reason]) }
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        let seen = BatchLog<String>()
        try context.stream(from: source).foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        await clock.advance(by: .seconds(3))
        await context.stop(gracefully: false)
        #expect(seen.batches == [["one", "two", "three"], ["four"], []])
        #expect(source.rejectedRecords == 2)
        #expect(rejected.batches.flatMap { $0 } == ["line longer than 10 bytes", "line is not valid UTF-8"])
        #expect(!source.hasPendingRecords)
    }

    /// A file of several 4 MiB blocks: lines are decoded on all cores and moved into batches;
    /// lines that cross a block, over-long and invalid ones come out exactly as a plain split.
    @Test func aLargeReplayFileComesOutLineForLineWhateverItsBlocks() throws {
        var random = SplitMix(seed: 7)
        var bytes: [UInt8] = []
        var expected: [String] = []
        var reasons: [String] = []
        while bytes.count < 10 << 20 {
            switch random.next(upTo: 1000) {
            case 0:
                bytes += [0x61, 0xFF, 0x0A]
                reasons.append("line is not valid UTF-8")
            case 1:
                bytes += Array(repeating: 0x78, count: 300) + [0x0A]
                reasons.append("line longer than 200 bytes")
            default:
                let line = (0..<random.next(upTo: 12)).map { _ in ["été", "#swift", "a", "https://t.co/x"][random.next(upTo: 4)] }
                    .joined(separator: " ")
                bytes += Array(line.utf8) + (random.next(upTo: 10) == 0 ? [0x0D, 0x0A] : [0x0A])
                expected.append(line)
            }
        }
        let file = temporaryDirectory() + "/large.txt"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let rejected = BatchLog<String>()
        let source = try ReplaySource.lines(ofFile: file, recordsPerBatch: 7_777, maxLineBytes: 200) {
            rejected.append([$0.reason])
        }
        var lines: [String] = []
        var batches = 0
        while case let batch = try source.records(for: BatchTime(milliseconds: Int64(batches))), !batch.isEmpty {
            #expect(batch.count == 7_777 || lines.count + batch.count == expected.count)
            lines += batch
            batches += 1
        }
        // Compared by their first difference: a failure prints one line, not two 150k-line arrays.
        #expect(lines.count == expected.count)
        let firstDifference = lines.indices.first { $0 >= expected.count || lines[$0] != expected[$0] }
        #expect(firstDifference.map { "line \($0): \(lines[$0])" } == nil)
        #expect(rejected.batches.flatMap { $0 } == reasons)
        #expect(source.rejectedRecords == reasons.count)
    }

    /// A replayed file keeps its lines as bytes, validated by the engine's own UTF-8 check:
    /// it must accept exactly the lines the standard library accepts, whatever ASCII comes
    /// before a multi-byte sequence (eight ASCII bytes are checked at a time).
    @Test func aReplayFileRejectsExactlyTheLinesThatAreNotUTF8() throws {
        var random = SplitMix(seed: 11)
        // Lead and continuation bytes at the edges of UTF-8's ranges, and bytes never allowed.
        let tricky: [UInt8] = [
            0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1,
            0xF3, 0xF4, 0xF5, 0xFF,
        ]
        let valid = ["é", "€", "\u{D7FF}", "\u{E000}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}", "😀"].map { Array($0.utf8) }
        var bytes: [UInt8] = []
        var accepted: [String] = []
        var rejections = 0
        for _ in 0..<40_000 {
            var line = Array(repeating: UInt8(ascii: "a"), count: random.next(upTo: 10))
            for _ in 0..<random.next(upTo: 4) {
                line +=
                    random.next(upTo: 2) == 0
                    ? valid[random.next(upTo: valid.count)]
                    : (0...random.next(upTo: 3)).map { _ in tricky[random.next(upTo: tricky.count)] }
                line += Array(repeating: UInt8(ascii: "b"), count: random.next(upTo: 9))
            }
            bytes += line + [0x0A]
            if let text = String(validating: line, as: UTF8.self) { accepted.append(text) } else { rejections += 1 }
        }
        #expect(rejections > 1_000 && accepted.count > 1_000)  // both kinds are well represented
        try expectReplayedLines(of: bytes, areExactly: accepted, rejecting: rejections)
    }

    /// Input is validated sixteen bytes at a time: long lines of letters of one to four bytes
    /// put every kind of sequence, and one malformed byte in some lines, at every offset of
    /// those sixteen bytes. Each line is accepted exactly when the standard library's
    /// validator accepts it, in a file of only valid lines (checked whole, a core's share at
    /// a time) and in one where a line in twenty is not (checked line by line).
    @Test func longLinesAreAcceptedExactlyWhenTheyAreUTF8() throws {
        var random = SplitMix(seed: 23)
        let letters = ["a", " ", "é", "ü", "\u{80}", "\u{7FF}", "€", "\u{E000}", "😀", "\u{10FFFF}"].map { Array($0.utf8) }
        let malformed: [UInt8] = [0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
        for invalidShare in [0, 20] {
            var bytes: [UInt8] = []
            var accepted: [String] = []
            var rejections = 0
            while bytes.count < 3 << 20 {
                var line: [UInt8] = []
                for _ in 0..<random.next(upTo: 300) {
                    // Mostly ASCII and two-byte letters, in runs, as in text.
                    let pick = random.next(upTo: 20)
                    line += letters[pick < 10 ? 0 : pick < 16 ? 2 + pick % 2 : random.next(upTo: letters.count)]
                }
                if invalidShare > 0, random.next(upTo: invalidShare) == 0 {
                    line.insert(malformed[random.next(upTo: malformed.count)], at: random.next(upTo: line.count + 1))
                }
                bytes += line + [0x0A]
                if let text = String(validating: line, as: UTF8.self) { accepted.append(text) } else { rejections += 1 }
            }
            #expect(invalidShare == 0 ? rejections == 0 : rejections > 100)
            try expectReplayedLines(of: bytes, areExactly: accepted, rejecting: rejections)
        }
    }

    /// Replays `bytes` as a file in one batch and expects exactly the lines `accepted`, in
    /// order, and `rejections` lines rejected.
    private func expectReplayedLines(
        of bytes: [UInt8], areExactly accepted: [String], rejecting rejections: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let file = temporaryDirectory() + "/lines.txt"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let source = try ReplaySource.lines(ofFile: file, recordsPerBatch: .max)
        let lines = try source.records(for: BatchTime(milliseconds: 0))
        #expect(source.rejectedRecords == rejections, sourceLocation: sourceLocation)
        let firstDifference = lines.indices.first { $0 >= accepted.count || lines[$0] != accepted[$0] }
        #expect(firstDifference.map { "line \($0): \(Array(lines[$0].utf8))" } == nil, sourceLocation: sourceLocation)
        #expect(lines.count == accepted.count, sourceLocation: sourceLocation)
    }

    /// `words()` reads a replayed file's words straight from its bytes: they must be the words
    /// `Word.split` finds in its lines, batch by batch, in order, whatever the partitions and
    /// the 4 MiB blocks the file is read in (lines crossing blocks, CRLF, Unicode whitespace,
    /// rejected lines between accepted ones).
    @Test func aReplayedFilesWordsAreTheWordsOfItsLines() async throws {
        var random = SplitMix(seed: 5)
        let tokens = ["été", "#Swift", "a", "https://t.co/a-long-link", "\u{3000}", "\t", "\u{A0}", "  ", "😀x"]
        var bytes: [UInt8] = []
        var lines: [String] = []
        while bytes.count < 9 << 20 {
            // Not UTF-8: rejected, its bytes never tokenized. Only in the first blocks, so that
            // later ones are valid whole (checked in one pass, not line by line).
            if bytes.count < 5 << 20, random.next(upTo: 500) == 0 {
                bytes += [0x62, 0xC0, 0x0A]
                continue
            }
            let line = (0..<random.next(upTo: 14)).map { _ in tokens[random.next(upTo: tokens.count)] }.joined(separator: " ")
            bytes += Array(line.utf8) + (random.next(upTo: 8) == 0 ? [0x0D, 0x0A] : [0x0A])
            lines.append(line)
        }
        let file = temporaryDirectory() + "/words.txt"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        var configuration = StreamingContext.Configuration()
        configuration.parallelism = 3
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock, configuration: configuration)
        let perBatch = 40_000
        let seen = BatchLog<Word>()
        try context.stream(from: try ReplaySource.lines(ofFile: file, recordsPerBatch: perBatch)).words()
            .foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        let batches = (lines.count + perBatch - 1) / perBatch
        await clock.advance(by: .seconds(Int64(batches)))
        await context.stop(gracefully: false)
        let expected = stride(from: 0, to: lines.count, by: perBatch).map { start in
            lines[start..<min(start + perBatch, lines.count)].flatMap(Word.split)
        }
        #expect(seen.batches.count == expected.count && batches > 4)
        let firstDifference = expected.indices.first { $0 >= seen.batches.count || seen.batches[$0] != expected[$0] }
        #expect(firstDifference == nil)
    }

    @Test func aReplaySourceOfOneBigBatchHandsOutEverything() async throws {
        let source = ReplaySource(["a", "b", "c"], recordsPerBatch: .max)
        #expect(try source.records(for: BatchTime(milliseconds: 0)) == ["a", "b", "c"])
        #expect(try source.records(for: BatchTime(milliseconds: 1)) == [])
    }

    @Test func aMissingReplayFileIsAClearError() {
        let error = #expect(throws: StreamingError.self) {
            _ = try ReplaySource.lines(ofFile: "/nonexistent/input.txt", recordsPerBatch: 1)
        }
        #expect(error?.description.contains("/nonexistent/input.txt: No such file or directory") == true)
    }

    @Test func aLoopbackServerNamedLocalhostListensOnLoopbackOnly() throws {
        let byName = try LoopbackListener(host: "localhost", port: 0)
        defer { byName.close() }
        #expect(byName.address == "127.0.0.1")
        #expect(throws: SocketError.self) { try LoopbackListener(host: "nonexistent.invalid", port: 0) }
    }
}
