import Sentiment
import StreamCore
import StreamDashboard
import TutorialPipelines
import TweetPipelines
import TwitterSource

/// What the page shows, built from the tutorials' pipelines over one stream of JSON tweets.
public enum DashboardPipeline {
    /// The name of the top-10 output in `--output jsonl`.
    public static let top10Name = "top10"

    /// Registers every panel and the `tweets` view; returns the top 10 hashtags of the window.
    public static func build(
        _ records: DStream<String>, on dashboard: Dashboard, window: Duration
    ) throws -> DStream<(Word, Int)> {
        let tweets = records.tweets().cache()
        let texts = tweets.map(\.text)
        let slide = records.context.batchInterval

        // 001: hashtags of the last minute, as the seed's temp table `tweets` and as a top 10.
        let tags = try HashtagTop10.counts(texts, window: window, slide: slide).cache()
        try tags.createOrReplaceTempView("tweets", in: dashboard, columns: ("tag", "count"))
        let top10 = tags.topByValue(10)
        try top10.publish(to: dashboard, as: .bars("Top 10 hashtags (window)", id: "hashtags"))

        // 002: tweets per batch and per window.
        try tweets.count().publish(to: dashboard, as: .timeline("Tweets per batch", id: "tweets-per-batch"))
        try tweets.countByWindow(length: window, slide: slide)
            .publish(to: dashboard, as: .timeline("Tweets per window", id: "tweets-per-window"))

        // 004: mean sentiment per batch and the most extreme tweet of the window.
        let analyzer = SentimentAnalyzer.vader
        let scored = tweets.map {
            ScoredTweet(id: $0.id, compound: analyzer.scores(of: $0.text).compound, text: $0.text, createdAt: $0.createdAt)
        }.cache()
        try scored.transform { batch in
            batch.isEmpty ? [] : [SentimentSummary(compounds: batch.partitions.joined().map(\.compound)).mean]
        }.publish(to: dashboard, as: .timeline("Mean sentiment per batch (VADER compound)", id: "sentiment"))
        try scored.maxByWindow(length: window, slide: slide, by: TweetSentiment.isLessExtreme)
            .publish(to: dashboard, as: .text("Most extreme tweet (window)", id: "extreme")) { tweet in
                "\(tweet.compound): \(tweet.text)"
            }

        // 000: running word totals since the start (state, checkpointed).
        try RunningWordCount.totals(texts).transform { $0.records.prefix(10) }
            .publish(to: dashboard, as: .bars("Running word totals (top 10)", id: "word-totals"))
        return top10
    }
}
