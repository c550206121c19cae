import Sentiment
import StreamCore
import StreamTestSupport
import Testing
import TweetPipelines

/// Tutorial 004 through the library API, against PySpark 4.3 with vaderSentiment 3.3.2.
@Suite("Tutorial 004: sentiment")
struct TweetSentimentTests {
    @Test func everyOutputMatchesSpark() async throws {
        let outputs = try await replayGoldenTweets { records, recorder in
            let sentiment = try TweetSentiment.outputs(of: records, deadLetter: { _, _ in })
            try recorder.record(sentiment.scores, as: "scores") { [$0.0, $0.1] }
            try recorder.recordFields(sentiment.batch, as: "sentiment_batch", fields)
            try recorder.recordFields(sentiment.oneMinute, as: "sentiment_1m", fields)
            try recorder.record(sentiment.extremeOneMinute, as: "extreme_1m") { [$0.id, $0.compound] }
            try recorder.record(sentiment.extremeFiveMinutes, as: "extreme_5m") { [$0.id, $0.compound] }
        }
        let expected = try GoldenTweets.outputs(of: "tweet-sentiment")
        #expect(expected.count == 5 * GoldenTweets.batches)
        #expect(difference(outputs, expected) == nil)
    }

    @Sendable func fields(_ summary: SentimentSummary) -> [Any] {
        [summary.count, summary.mean, summary.positive, summary.negative, summary.neutral]
    }
}
