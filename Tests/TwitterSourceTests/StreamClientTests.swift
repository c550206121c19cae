import Foundation
import StreamCore
import StreamTestSupport
import Testing
import TwitterEmulator
import TwitterSource

@Suite("X stream client against the emulator", .timeLimit(.minutes(1)))
struct StreamClientTests {
    @Test func postsArriveDecodedAndInOrder() async throws {
        let emulator = try startEmulator(posts: 20)
        defer { emulator.stop() }
        let source = TwitterStreamSource(clientConfiguration(emulator))
        let tweets = try await firstBatch(of: source, after: 20)

        #expect(tweets.map(\.id) == emulator.sentPostIDs)
        #expect(tweets.allSatisfy { $0.username?.hasPrefix("user") == true && $0.createdAt != nil })
        #expect(source.statistics.connects == 1)
    }

    @Test func everyPostSentBeforeADisconnectArrivesExactlyOnce() async throws {
        let emulator = try startEmulator(posts: 23) { $0.faults.disconnectAfter = 5 }
        defer { emulator.stop() }
        let source = TwitterStreamSource(clientConfiguration(emulator))
        let tweets = try await firstBatch(of: source, after: 23)

        #expect(tweets.map(\.id) == emulator.sentPostIDs)
        #expect(Set(tweets.map(\.id)).count == 23)
        #expect(source.statistics.reconnects >= 4)
    }

    @Test func anOperationalDisconnectMessageLeadsToAReconnect() async throws {
        let emulator = try startEmulator(posts: 6) { $0.faults.operationalDisconnectAfter = 3 }
        defer { emulator.stop() }
        let source = TwitterStreamSource(clientConfiguration(emulator))
        let tweets = try await firstBatch(of: source, after: 6)

        #expect(tweets.map(\.id) == emulator.sentPostIDs)
        #expect(source.statistics.lastError?.contains("UpstreamOperationalDisconnect") == true)
    }

    @Test func aStalledStreamIsDroppedAndReconnected() async throws {
        // Keep-alives every 100 ms: once the 5 posts are out, the healthy second connection
        // stays alive, so only the fault's silence is a stall, however slow the machine is.
        let emulator = try startEmulator(posts: 5) { options in
            options.faults.stallAfter = 2
            options.keepAliveInterval = .milliseconds(100)
        }
        defer { emulator.stop() }
        var configuration = clientConfiguration(emulator)
        configuration.stallTimeout = .milliseconds(500)
        let source = TwitterStreamSource(configuration)
        let tweets = try await firstBatch(of: source, after: 5)

        #expect(tweets.map(\.id) == emulator.sentPostIDs)
        #expect(source.statistics.stalls == 1)
    }

    @Test func gzipAndLinesSplitAcrossChunksDecode() async throws {
        let emulator = try startEmulator(posts: 30) { options in
            options.faults.gzip = true
            options.faults.partialChunks = true
        }
        defer { emulator.stop() }
        let tweets = try await firstBatch(of: TwitterStreamSource(clientConfiguration(emulator)), after: 30)
        #expect(tweets.map(\.id) == emulator.sentPostIDs)
    }

    @Test func malformedLinesAreCountedAndHandedToTheDeadLetterHook() async throws {
        var generator = TweetGenerator(seed: 42, malformedShare: 0.2)
        let malformed = (0..<60).filter { _ in generator.next().malformedLine != nil }.count
        let emulator = try startEmulator(posts: 60) { $0.malformedShare = 0.2 }
        defer { emulator.stop() }
        let deadLetters = BatchLog<String>()
        let allRejected = Countdown(malformed)
        let source = TwitterStreamSource(clientConfiguration(emulator)) { rejected in
            deadLetters.append([rejected.reason])
            allRejected.tick()
        }
        let tweets = try await firstBatch(of: source, after: 60 - malformed)
        await allRejected.wait()

        #expect(malformed > 0)
        #expect(tweets.count == 60 - malformed)
        #expect(source.rejectedRecords == malformed)
        #expect(deadLetters.batches.flatMap { $0 }.allSatisfy { $0 == "not valid JSON" })
    }

    @Test func postsThatDoNotFitTheBufferAreCountedNotLost() async throws {
        let emulator = try startEmulator(posts: 20)
        defer { emulator.stop() }
        let overflowed = Countdown(15)
        let source = TwitterStreamSource(clientConfiguration(emulator), bufferCapacity: 5) { rejected in
            if rejected.reason.hasPrefix("buffer full") { overflowed.tick() }
        }
        try source.start()  // no batches run: the pipeline is "too slow"
        await overflowed.wait()
        source.stop()
        #expect(source.waitingRecords == 5)
        #expect(source.statistics.overflowed == 15)
        #expect(source.rejectedRecords == 15)
    }

    @Test func rateLimitsAndServerErrorsBackOffAsDocumented() async throws {
        let emulator = try startEmulator(posts: 1) { options in
            options.faults.tooManyConnections = 2
            options.faults.serviceUnavailable = 2
        }
        defer { emulator.stop() }
        let recorder = EventRecorder()
        let connection = TwitterStreamConnection(clientConfiguration(emulator)) { recorder.record($0) }
        let thread = Thread { try? connection.run { _ in } }
        thread.start()
        await recorder.wait(for: 5)
        connection.stop()

        let delays = recorder.events.compactMap { event -> Duration? in
            if case .reconnecting(_, let delay) = event { return delay }
            return nil
        }
        // 429: 60 s doubling; 5xx: 5 s doubling (scaled down a thousand times here).
        #expect(delays == [.milliseconds(60), .milliseconds(120), .milliseconds(5), .milliseconds(10)])
        guard case .connected(let rateLimit) = recorder.events[4] else { Issue.record("not connected"); return }
        #expect(rateLimit?.limit == 50)
    }

    @Test func aWrongTokenIsFatalAndNeverShown() async throws {
        let emulator = try startEmulator(posts: 1)
        defer { emulator.stop() }
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        let source = TwitterStreamSource(clientConfiguration(emulator, token: "wrong-secret-token"))
        try context.stream(from: source).print { _ in }
        try context.start()
        await source.waitForRecords(1)  // returns when the reader stops on the 401
        await clock.advance(by: .seconds(1))
        let error = await #expect(throws: StreamingError.self) { try await context.awaitTermination() }
        #expect(error?.description.contains("401") == true)
        #expect(error?.description.contains("TWITTER_BEARER_TOKEN") == true)
        #expect(error?.description.contains("wrong-secret-token") == false)
        #expect(source.statistics.connects == 0)
        #expect(source.statistics.reconnects == 0)  // refused for good: never retried
    }

    @Test func theFilteredStreamWithoutRulesIsFatalAndSaysHowToFixIt() async throws {
        let emulator = try startEmulator(posts: 1)
        defer { emulator.stop() }
        let connection = TwitterStreamConnection(clientConfiguration(emulator, endpoint: .filtered))
        let error = #expect(throws: TwitterStreamError.self) { try connection.run { _ in } }
        #expect(error?.description.contains("409") == true)
        #expect(error?.description.contains("no rules") == true)
    }
}
