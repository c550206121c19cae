import Sentiment
import StreamCore
import TwitterSource

/// Tutorial 004: VADER sentiment of every tweet, its mean and split per batch and over the last
/// minute, and the most extreme tweet of the last one and five minutes.
public enum TweetSentiment {
    /// The pipeline's outputs, named as in `../shared/golden/tweets/README.md`.
    public struct Outputs {
        /// `(id, compound)` of each tweet of the batch, in numeric id order.
        public let scores: DStream<(String, Double)>
        /// One summary of the batch's scores.
        public let batch: DStream<SentimentSummary>
        /// One summary of the last minute's scores.
        public let oneMinute: DStream<SentimentSummary>
        /// The tweet of the last minute with the largest absolute compound (ties: the smaller id); none when empty.
        public let extremeOneMinute: DStream<ScoredTweet>
        /// The same over five minutes.
        public let extremeFiveMinutes: DStream<ScoredTweet>
        /// With an event-time watermark: summaries per minute of `created_at` (update mode).
        public let eventTimeMinutes: EventTimeAggregationDStream<SentimentSummary>?
    }

    /// Builds the pipeline over JSON records.
    ///
    /// The windows keep one small record per batch, not the batch's tweets: the batch's
    /// summary (counts and a `NumericSummary` of its scores, which merge into the window's
    /// exactly rounded mean) and its most extreme tweet (`maxByWindow`). A five-minute window
    /// of 20,000-tweet batches costs 60 records, not 1.2 million.
    /// - Parameters:
    ///   - analyzer: the scorer, shared by every partition.
    ///   - windows: the short and the long window (the tutorial's one and five minutes), sliding every batch.
    ///   - eventTimeWatermark: adds `eventTimeMinutes`, windows of the tweets' own `created_at`
    ///     that accept tweets this late (tweets without a time are counted, not aggregated).
    /// - Important: Windows need a checkpoint store.
    public static func outputs(
        of records: DStream<String>,
        analyzer: SentimentAnalyzer = .vader,
        windows: (short: Duration, long: Duration) = (.seconds(60), .seconds(300)),
        eventTimeWatermark: Duration? = nil,
        deadLetter: (@Sendable ([UnparsedRecord<String>], BatchTime) throws -> Void)? = nil
    ) throws -> Outputs {
        let scored = records.tweets(deadLetter: deadLetter)
            .map {
                ScoredTweet(id: $0.id, compound: analyzer.scores(of: $0.text).compound, text: $0.text, createdAt: $0.createdAt)
            }
            .cache()
        let slide = records.context.batchInterval
        let summary = scored.transform { [SentimentSummary(compounds: $0.partitions.joined().map(\.compound))] }.cache()
        return Outputs(
            scores: scored.map { ($0.id, $0.compound) }.sorted { numericallyPrecedes($0.0, $1.0) },
            batch: summary,
            oneMinute: try summary.reduceByWindow(SentimentSummary.merged, length: windows.short, slide: slide),
            extremeOneMinute: try scored.maxByWindow(length: windows.short, slide: slide, by: isLessExtreme),
            extremeFiveMinutes: try scored.maxByWindow(length: windows.long, slide: slide, by: isLessExtreme),
            eventTimeMinutes: try eventTimeWatermark.map { delay in
                try scored.aggregateByEventTime(
                    name: "sentiment-event-time", eventTime: \.createdAt, length: .seconds(60), watermarkDelay: delay,
                    zero: SentimentSummary(compounds: []),
                    add: { SentimentSummary.merged($0, SentimentSummary(compounds: [$1.compound])) },
                    merge: SentimentSummary.merged)
            })
    }

    /// Whether `a` is less extreme than `b`: a smaller absolute compound, or the same and a
    /// larger id (so the most extreme is the largest, ties going to the smaller id).
    @Sendable public static func isLessExtreme(_ a: ScoredTweet, _ b: ScoredTweet) -> Bool {
        abs(a.compound) != abs(b.compound) ? abs(a.compound) < abs(b.compound) : numericallyPrecedes(b.id, a.id)
    }
}

/// A tweet's id, compound score and text: what the windows keep (and checkpoint).
public struct ScoredTweet: Sendable, Codable, Hashable {
    public var id: String
    public var compound: Double
    public var text: String
    /// `created_at`, in milliseconds since the epoch.
    public var createdAt: Int64?

    public init(id: String, compound: Double, text: String, createdAt: Int64?) {
        self.id = id
        self.compound = compound
        self.text = text
        self.createdAt = createdAt
    }
}

/// How many scores, their mean, and how many are positive (≥ 0.05), negative (≤ −0.05) and
/// neutral (in between), VADER's conventional thresholds. Summaries merge, so a window's is
/// the merge of its batches'.
public struct SentimentSummary: Sendable, Hashable, Codable {
    /// Count, exact sum and mean of the compound scores.
    public var scores: NumericSummary
    public var positive: Int
    public var negative: Int
    public var neutral: Int

    public init(compounds: [Double]) {
        scores = NumericSummary(compounds)
        positive = compounds.count { $0 >= 0.05 }
        negative = compounds.count { $0 <= -0.05 }
        neutral = compounds.count { $0 > -0.05 && $0 < 0.05 }
    }

    public var count: Int { scores.count }
    /// The exactly rounded mean (Python's `math.fsum(scores) / n`); 0 for no scores.
    public var mean: Double { scores.mean }

    /// The summary of both sets of scores together.
    @Sendable public static func merged(_ a: SentimentSummary, _ b: SentimentSummary) -> SentimentSummary {
        var merged = a
        merged.scores = NumericSummary.merged(a.scores, b.scores)
        merged.positive += b.positive
        merged.negative += b.negative
        merged.neutral += b.neutral
        return merged
    }
}
