import StreamCore
import TwitterSource

/// Tutorial 002: tweets, authors and words per batch and over a sliding minute, from JSON
/// records (a Kafka topic live, a file in replays).
///
/// The outputs are those `../shared/golden/tweets/README.md` names; the caller registers them.
public enum TweetAnalytics {
    /// The tutorial's batch interval.
    public static let batchInterval: Duration = .seconds(5)
    /// "One minute rolling", sliding every batch.
    public static let window: Duration = .seconds(60)

    /// The pipeline's outputs. Author and word keys are `Word`s, so they compare as Spark's
    /// strings do (code points, no canonical equivalence).
    public struct Outputs {
        /// `[n]`: records in the batch, every record counted (malformed ones too).
        public let batchCount: DStream<Int>
        /// `[n]`: records over the last minute (`countByWindow`).
        public let windowCount: DStream<Int>
        /// The union of both, as the tutorial prints them.
        public let totals: DStream<String>
        /// Tweets per author in the batch, by count descending, ties by name.
        public let authorCounts: DStream<(Word, Int)>
        /// The first five of `authorCounts`.
        public let topAuthors: DStream<(Word, Int)>
        /// Authors with more than one tweet in the batch or a name starting with `rm` (any case).
        public let filteredAuthors: DStream<(Word, Int)>
        /// `text.split(" ")` counted: consecutive spaces give empty words, as in Python.
        public let wordCounts: DStream<(Word, Int)>
        /// Tweets per author over the last minute; authors whose count fell to 0 are dropped.
        public let authorCountsWindowed: DStream<(Word, Int)>
    }

    /// Builds the pipeline over JSON records.
    /// - Parameters:
    ///   - window: the rolling window (the tutorial's minute), sliding every batch.
    ///   - deadLetter: receives records that are not tweets, with the reason (they are counted
    ///     in `BatchInfo.refusedRecords["tweets"]` either way).
    /// - Throws: `StreamingError.invalidWindow` when the batch interval does not divide `window`.
    /// - Important: Windows need a checkpoint store.
    public static func outputs(
        of records: DStream<String>,
        window: Duration = TweetAnalytics.window,
        deadLetter: (@Sendable ([UnparsedRecord<String>], BatchTime) throws -> Void)? = nil
    ) throws -> Outputs {
        let tweets = records.tweets(deadLetter: deadLetter)
        let batchCount = records.count()
        let windowCount = try records.countByWindow(length: window, slide: records.context.batchInterval)
        let span = window == .seconds(60) ? "One minute" : "\(window.components.seconds) s"
        let totals = try batchCount.map { "Tweets this batch: \($0)" }
            .union(windowCount.map { "Tweets total (\(span) rolling count): \($0)" })

        let authors = tweets.compactMap { tweet in tweet.username.map { Word($0) } }
        let authorCounts = authors.countByValue().cache()
        let ranked = authorCounts.transform { $0.sortedByValueDescending() }.cache()
        let topAuthors = ranked.transform { $0.prefix(5) }
        let filteredAuthors =
            authorCounts
            .filter { author, count in count > 1 || author.text.lowercased().unicodeScalars.starts(with: "rm".unicodeScalars) }
            .sortedByValueDescending()

        let wordCounts = tweets.flatMap(spaceSeparatedWords).countByValue().sortedByValueDescending()
        let authorCountsWindowed = try authors.countByValueAndWindow(length: window, slide: records.context.batchInterval)
            .sortedByValueDescending()
        return Outputs(
            batchCount: batchCount, windowCount: windowCount, totals: totals, authorCounts: ranked,
            topAuthors: topAuthors, filteredAuthors: filteredAuthors, wordCounts: wordCounts,
            authorCountsWindowed: authorCountsWindowed)
    }

    /// Python's `text.split(" ")`: splits on each single space (U+0020), keeping empty words.
    public static func spaceSeparatedWords(_ tweet: Tweet) -> [Word] {
        tweet.text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map { Word(Substring($0)) }
    }
}
