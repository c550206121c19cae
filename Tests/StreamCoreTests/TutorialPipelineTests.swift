import ExampleSupport
import StreamCore
import StreamTestSupport
import Testing
import TutorialPipelines

/// The example programs' pipelines, run on the golden corpus.
@Suite("Tutorial pipelines")
struct TutorialPipelineTests {
    let corpus = Golden.corpusBatches

    @Test func networkWordCountMatchesSpark() async throws {
        let counts = try await replay(corpus, total: Golden.batchCount) { NetworkWordCount.counts($0) }
        #expect(difference(counts.map(sortedByKey), try Golden.pairs("batch_word_counts")) == nil)
    }

    @Test func runningWordCountRanksSparksTotals() async throws {
        let ranked = try await replay(corpus, total: 5) { RunningWordCount.totals($0) }
        let expected = try Golden.pairs("running_word_counts")[4]
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        #expect(difference([ranked[4]], [expected]) == nil)
    }

    @Test func hashtagTop10OverTwoBatchWindows() async throws {
        let top = try await replay(corpus, total: 7, interval: .seconds(10)) { lines in
            try HashtagTop10.top10(lines, window: .seconds(20))
        }
        // Oracle: count the lowercased hashtags of batches k-1 and k with a plain loop.
        let perBatch: [[Word: Int]] = (corpus + [[], []]).map { lines in
            var counts: [Word: Int] = [:]
            for line in lines { for tag in HashtagTop10.hashtags(line) { counts[tag, default: 0] += 1 } }
            return counts
        }
        for k in 0..<7 {
            let window = perBatch[max(0, k - 1)...k].reduce(into: [Word: Int]()) { $0.merge($1, uniquingKeysWith: +) }
            let expected = window.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
            #expect(top[k].map(\.0) == expected.map(\.key), "batch \(k + 1)")
            #expect(top[k].map(\.1) == expected.map(\.value), "batch \(k + 1)")
        }
        #expect(top[0].first?.0.text.hasPrefix("#") == true)
    }

    @Test func hashtagsAreLowercasedTokensStartingWithHash() {
        #expect(HashtagTop10.hashtags("Loving #SwiftLang and #iOS, not # or x#y") == ["#swiftlang", "#ios,"])
    }

    @Test func replayRecordsAreJSONLines() {
        let line = JSONLines.line(
            output: "counts", batch: 2, time: BatchTime(milliseconds: 2000),
            records: [(Word("say \"hi\"\n"), 3)])
        #expect(line == #"{"output":"counts","batch":2,"time":2000,"records":[["say \"hi\"\n",3]]}"#)
    }

    @Test func largeBatchesAreEncodedInChunksAcrossPartitionsInOrder() {
        // Large enough to be cut into chunks; the partitions (uneven, one empty) do not line up with them.
        let records = (0..<30_000).map { JSONPair((Word("w\($0)"), $0)) }
        let partitions = [Array(records[..<1_000]), [], Array(records[1_000..<25_000]), Array(records[25_000...])]
        let time = BatchTime(milliseconds: 1000)
        let chunked = JSONLines.bytes(output: "counts", batch: 1, time: time, partitions: partitions) { $0.appendJSON(to: &$1) }
        let whole = JSONLines.line(output: "counts", batch: 1, time: time, records: records) + "\n"
        #expect(String(decoding: chunked, as: UTF8.self) == whole)
    }
}
