import StreamCore
import StreamTestSupport
import Testing
import TweetPipelines
import TwitterSource

/// Tutorial 002 through the library API, against what PySpark 4.3 printed for the same records.
@Suite("Tutorial 002: tweet analytics")
struct TweetAnalyticsTests {
    @Test func everyOutputMatchesSpark() async throws {
        let outputs = try await replayGoldenTweets { records, recorder in
            let analytics = try TweetAnalytics.outputs(of: records, deadLetter: { _, _ in })
            try recorder.record(analytics.batchCount, as: "batch_count") { $0 }
            try recorder.record(analytics.windowCount, as: "window_count") { $0 }
            try recorder.record(analytics.totals, as: "totals") { $0 }
            try recorder.record(analytics.authorCounts, as: "author_counts", pair)
            try recorder.record(analytics.topAuthors, as: "top_authors", pair)
            try recorder.record(analytics.filteredAuthors, as: "filtered_authors", pair)
            try recorder.record(analytics.wordCounts, as: "word_counts", pair)
            try recorder.record(analytics.authorCountsWindowed, as: "author_counts_windowed", pair)
        }
        let expected = try GoldenTweets.outputs(of: "tweet-analytics")
        #expect(expected.count == 8 * GoldenTweets.batches)
        #expect(difference(outputs, expected) == nil)
    }

    /// Malformed JSON and notices never stop the pipeline: they are counted per batch (the
    /// same counts as Spark's router tally) and reach the dead letter with their text.
    @Test func recordsThatAreNotTweetsAreCountedAndDeadLettered() async throws {
        let listener = RecordingListener()
        let deadLetters = BatchLog<String>()
        _ = try await replayGoldenTweets { records, recorder in
            records.context.addListener(listener)
            let tweets = records.tweets { rejected, _ in deadLetters.append(rejected.map { "\($0.rejection.kind) \($0.record)" })
            }
            try recorder.record(tweets.count(), as: "tweets") { $0 }
        }
        let tally = try GoldenTweets.outputs(of: "tweet-router").filter { $0.key.name == "tally" }
        for info in listener.completed {
            let counts = info.refusedRecords["tweets"] ?? [:]
            let spark = tally[OutputKey(name: "tally", batch: info.index)]!
            #expect(spark.contains("[\"malformed\",\(counts["malformed"] ?? 0)]"), "batch \(info.index)")
            #expect(spark.contains("[\"not_a_tweet\",\(counts["not_a_tweet"] ?? 0)]"), "batch \(info.index)")
        }
        let letters = deadLetters.batches.flatMap { $0 }
        #expect(letters.count == 36)
        #expect(letters.contains { $0.hasPrefix("not_a_tweet {\"limit\"") })
        #expect(letters.filter { $0.hasPrefix("malformed ") }.count == 13)
    }

    @Test func wordsSplitOnSingleSpacesAsPythonDoes() throws {
        let tweet = Tweet(id: "1", text: "a  b\tc ", username: "x")
        #expect(TweetAnalytics.spaceSeparatedWords(tweet) == ["a", "", "b\tc", ""])
    }
}
