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
    }

    /// Builds the pipeline over JSON records.
    /// - Parameters:
    ///   - analyzer: the scorer, shared by every partition.
    ///   - windows: the short and the long window (the tutorial's one and five minutes), sliding every batch.
    /// - Important: Windows need a checkpoint store.
    public static func outputs(
        of records: DStream<String>,
        analyzer: SentimentAnalyzer = .vader,
        windows: (short: Duration, long: Duration) = (.seconds(60), .seconds(300)),
        deadLetter: (@Sendable ([UnparsedRecord<String>], BatchTime) throws -> Void)? = nil
    ) throws -> Outputs {
        let scored = records.tweets(deadLetter: deadLetter)
            .map { ScoredTweet(id: $0.id, compound: analyzer.scores(of: $0.text).compound, text: $0.text) }
            .cache()
        let slide = records.context.batchInterval
        let lastMinute = try scored.window(length: windows.short, slide: slide)
        let lastFiveMinutes = try scored.window(length: windows.long, slide: slide)
        return Outputs(
            scores: scored.sorted { numericallyPrecedes($0.id, $1.id) }.map { ($0.id, $0.compound) },
            batch: scored.transform { [SentimentSummary(compounds: $0.records.map(\.compound))] },
            oneMinute: lastMinute.transform { [SentimentSummary(compounds: $0.records.map(\.compound))] },
            extremeOneMinute: lastMinute.transform(mostExtreme),
            extremeFiveMinutes: lastFiveMinutes.transform(mostExtreme))
    }

    /// The score furthest from neutral, ties by the smaller id; none for an empty batch.
    @Sendable static func mostExtreme(_ batch: Batch<ScoredTweet>) -> [ScoredTweet] {
        let best = batch.records.min { a, b in
            abs(a.compound) != abs(b.compound) ? abs(a.compound) > abs(b.compound) : numericallyPrecedes(a.id, b.id)
        }
        return best.map { [$0] } ?? []
    }
}

/// A tweet's id, compound score and text: what the windows keep (and checkpoint).
public struct ScoredTweet: Sendable, Codable, Hashable {
    public var id: String
    public var compound: Double
    public var text: String
}

/// How many scores, their mean, and how many are positive (≥ 0.05), negative (≤ −0.05) and
/// neutral (in between), VADER's conventional thresholds.
public struct SentimentSummary: Sendable, Hashable {
    public var count: Int
    /// The exactly rounded mean (Python's `math.fsum(scores) / n`); 0 for no scores.
    public var mean: Double
    public var positive: Int
    public var negative: Int
    public var neutral: Int

    public init(compounds: [Double]) {
        count = compounds.count
        mean = compounds.isEmpty ? 0 : ExactSum.of(compounds) / Double(compounds.count)
        positive = compounds.count { $0 >= 0.05 }
        negative = compounds.count { $0 <= -0.05 }
        neutral = compounds.count { $0 > -0.05 && $0 < 0.05 }
    }
}
