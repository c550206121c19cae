import StreamCore
import StreamTestSupport
import Testing

/// Every pipeline here is one whose output real Apache Spark 4.3 recorded for the golden
/// corpus; the tests require the exact same records, batch by batch.
@Suite("Spark golden outputs")
struct GoldenSparkTests {
    let corpus = Golden.corpusBatches
    let words: @Sendable (DStream<String>) -> DStream<Word> = { $0.flatMap(Word.split) }

    @Test func batchWordCounts() async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { lines in
            lines.flatMap(Word.split).map { ($0, 1) }.reduceByKey(+)
        }
        #expect(difference(counts.map(sortedByKey), try Golden.pairs("batch_word_counts")) == nil)
    }

    @Test func runningWordCounts() async throws {
        let totals = try await replay(corpus, total: Golden.batchCount) { lines in
            lines.flatMap(Word.split).map { ($0, 1) }.reduceByKey(+)
                .updateStateByKey { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
        }
        #expect(difference(totals.map(sortedByKey), try Golden.pairs("running_word_counts")) == nil)
        #expect(totals.last?.count == 5038)
    }

    @Test(arguments: ["words", "lines"])
    func countByWindow(of unit: String) async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { lines in
            try (unit == "words" ? lines.flatMap { Word.split($0).map(\.text) } : lines)
                .countByWindow(length: .seconds(3), slide: .seconds(1))
        }
        #expect(counts == (try Golden.counts("count_by_window_\(unit)_w3_s1")))
    }

    @Test(arguments: [3, 6])
    func hashtagCountByValueAndWindow(length: Int) async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { lines in
            try lines.flatMap(Word.split).filter { $0.hasPrefix("#") }
                .countByValueAndWindow(length: .seconds(length), slide: .seconds(1))
        }
        let expected = try Golden.pairs("hashtag_count_by_value_and_window_w\(length)_s1")
        #expect(difference(counts.map(sortedByKey), expected) == nil)
    }

    @Test(arguments: [3, 6])
    func reduceByKeyAndWindowRecomputed(length: Int) async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { lines in
            try lines.flatMap(Word.split).map { ($0, 1) }
                .reduceByKeyAndWindow(+, length: .seconds(length), slide: .seconds(1))
        }
        let expected = try Golden.pairs("reduce_by_key_and_window_noinv_w\(length)_s1")
        #expect(difference(counts.map(sortedByKey), expected) == nil)
    }

    @Test(arguments: [3, 6])
    func reduceByKeyAndWindowIncremental(length: Int) async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { lines in
            try lines.flatMap(Word.split).map { ($0, 1) }
                .reduceByKeyAndWindow(+, inverse: -, length: .seconds(length), slide: .seconds(1))
        }
        let expected = try Golden.pairs("reduce_by_key_and_window_inv_w\(length)_s1")
        #expect(difference(counts.map(sortedByKey), expected) == nil)
        // Keys that left the window stay with the value 0, as on the JVM.
        #expect(counts.last?.allSatisfy { $0.1 == 0 } == true)
    }

    @Test func reduceByKeyAndWindowIncrementalWithFilter() async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { lines in
            try lines.flatMap(Word.split).map { ($0, 1) }
                .reduceByKeyAndWindow(+, inverse: -, length: .seconds(6), slide: .seconds(1), filter: { $0.1 != 0 })
        }
        let expected = try Golden.pairs("reduce_by_key_and_window_inv_filter_w6_s1")
        #expect(difference(counts.map(sortedByKey), expected) == nil)
    }
}
