import DeltaLake
import Foundation
import Parquet
import Sentiment
import StreamCore
import TwitterSource

/// A record as Kafka delivers it: where it was, when, and its raw value.
public struct LakeRecord: Sendable {
    public var topic: String
    public var partition: Int64
    public var offset: Int64
    /// Kafka's timestamp, in milliseconds since the epoch.
    public var timestamp: Int64
    public var value: String

    public init(topic: String, partition: Int64, offset: Int64, timestamp: Int64, value: String) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.value = value
    }
}

/// Tutorial 003's streaming job: records → bronze (all of them) → silver (one row per tweet id)
/// → gold (running aggregates). Bronze and silver commits record the last Kafka offset of each
/// partition they hold (Delta `txn` actions), gold commits the batch's number, so a batch
/// written again (a restart after a crash, a second replay of the same input) adds nothing.
public enum LakeIngest {
    /// Creates the tables (if missing) under `root` and registers the outputs.
    /// - Parameter application: names the writer in the tables' `txn` actions.
    public static func build(_ records: DStream<LakeRecord>, lake root: String, application: String) throws {
        let context = records.context
        func table(_ definition: (path: String, schema: ParquetSchema, partitions: [String])) throws -> DeltaTable {
            let table = DeltaTable(storage: LocalStorage(root: root + "/" + definition.path))
            try table.create(schema: definition.schema, partitionColumns: definition.partitions)
            return table
        }
        let bronze = try table(LakeTables.bronze), silver = try table(LakeTables.silver)
        let hashtagCounts = try table(LakeTables.hashtagCounts), tweetsPerMinute = try table(LakeTables.tweetsPerMinute)
        let sentimentPerHour = try table(LakeTables.sentimentPerHour)
        @Sendable func transaction(_ time: BatchTime) -> DeltaTable.Transaction {
            .init(application: application, batch: Int64(context.batchIndex(at: time)))
        }

        try records.foreachBatch(name: "bronze") { batch, _ in
            try appendOnce(
                batch.records, to: bronze, application: application, position: { ($0.topic, $0.partition, $0.offset) },
                row: bronzeRow)
        }

        // Silver: tweets only (malformed records and notices are counted, and stay in bronze),
        // each id once across the whole stream (its first sighting; the state is checkpointed).
        let tweets = records.parse("silver") { record throws(RecordRejection) in
            let tweet = try Tweet(record: record.value)
            guard Int64(tweet.id) != nil else {
                throw RecordRejection(kind: "bad_id", reason: "tweet id \(tweet.id) is not a 64-bit number")
            }
            return (tweet, record)
        }
        let firstSightings = tweets.map { ($0.0.id, SilverTweet(tweet: $0.0, record: $0.1)) }
            .mapWithState(name: "silver-ids") { (_: String, tweet: SilverTweet?, seen: inout KeyedState<Bool>) -> SilverTweet? in
                guard let tweet, !seen.exists else { return nil }
                seen.update(true)
                return tweet
            }
            .compactMap { $0 }
            .cache()
        try firstSightings.foreachBatch(name: "silver") { batch, _ in
            try appendOnce(
                batch.records.sorted { $0.id < $1.id }, to: silver, application: application,
                position: { ($0.topic, $0.partition, $0.offset) }, row: \.row)
        }

        // Gold: running counts since the start, the whole table replaced each batch.
        let hourly = firstSightings.flatMap { tweet in
            tweet.hashtags.map { (GoldKey(time: tweet.createdAt.map { $0 - $0 % 3_600_000 } ?? 0, label: $0), 1) }
        }
        try runningCounts(hourly, name: "gold-hashtags").foreachBatch(name: "gold/hashtag_counts") { batch, time in
            try hashtagCounts.overwrite(
                batch.records.sorted { ($0.0.time, $0.0.label) < ($1.0.time, $1.0.label) }.map {
                    [.timestampMillis($0.0.time), .string($0.0.label), .int64(Int64($0.1))]
                }, transaction: transaction(time))
        }
        let analyzer = SentimentAnalyzer.vader
        let scores = firstSightings.map { tweet in
            (
                GoldKey(time: tweet.createdAt.map { $0 - $0 % 3_600_000 } ?? 0, label: tweet.topic),
                NumericSummary([analyzer.scores(of: tweet.text).compound])
            )
        }
        try runningSummaries(scores, name: "gold-sentiment").foreachBatch(name: "gold/sentiment_per_hour") { batch, time in
            try sentimentPerHour.overwrite(
                batch.records.sorted { ($0.0.time, $0.0.label) < ($1.0.time, $1.0.label) }.map {
                    [.timestampMillis($0.0.time), .string($0.0.label), .int64(Int64($0.1.count)), .double($0.1.mean)]
                }, transaction: transaction(time))
        }
        let minutes = firstSightings.map { (GoldKey(time: $0.createdAt.map { $0 - $0 % 60_000 } ?? 0, label: $0.topic), 1) }
        try runningCounts(minutes, name: "gold-minutes").foreachBatch(name: "gold/tweets_per_minute") { batch, time in
            try tweetsPerMinute.overwrite(
                batch.records.sorted { ($0.0.time, $0.0.label) < ($1.0.time, $1.0.label) }.map {
                    [.timestampMillis($0.0.time), .string($0.0.label), .int64(Int64($0.1))]
                }, transaction: transaction(time))
        }
    }

    /// Appends the items the table does not hold yet, by source position: each commit records
    /// the last offset of every partition it holds (a `txn` per partition), and items at or
    /// before a recorded offset are dropped. A batch recomputed after a crash, or replayed
    /// again, therefore lands once, however the engine numbers its batches.
    private static func appendOnce<Item>(
        _ items: [Item], to table: DeltaTable, application: String,
        position: (Item) -> (topic: String, partition: Int64, offset: Int64), row: (Item) -> [ParquetValue]
    ) throws {
        let committed = try table.snapshot()?.transactions ?? [:]
        func name(_ topic: String, _ partition: Int64) -> String { "\(application)/\(topic)/\(partition)" }
        var last: [String: Int64] = [:]
        let fresh = items.filter { item in
            let (topic, partition, offset) = position(item)
            let key = name(topic, partition)
            guard offset > committed[key] ?? -1 else { return false }
            last[key] = max(last[key] ?? offset, offset)
            return true
        }
        guard !fresh.isEmpty else { return }
        try table.append(
            fresh.map(row), transactions: last.sorted { $0.key < $1.key }.map { .init(application: $0.key, batch: $0.value) })
    }

    private static func runningSummaries(_ pairs: DStream<(GoldKey, NumericSummary)>, name: String) -> DStream<
        (GoldKey, NumericSummary)
    > {
        pairs.updateStateByKey(name: name) { (new: [NumericSummary], old: NumericSummary?) in
            new.reduce(old ?? NumericSummary([]), NumericSummary.merged)
        }
    }

    private static func runningCounts(_ pairs: DStream<(GoldKey, Int)>, name: String) -> DStream<(GoldKey, Int)> {
        pairs.updateStateByKey(name: name) { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
    }

    static func bronzeRow(_ record: LakeRecord) -> [ParquetValue] {
        [
            .string(record.topic), .string(utcDate(record.timestamp)), .int64(record.partition), .int64(record.offset),
            .timestampMillis(record.timestamp), .string(record.value),
        ]
    }

    /// `YYYY-MM-DD` of the UTC day holding `milliseconds`.
    static func utcDate(_ milliseconds: Int64) -> String {
        let days = Int((milliseconds - ((milliseconds % 86_400_000) + 86_400_000) % 86_400_000) / 86_400_000)
        // Civil date from days since the epoch (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// A gold table's key: a truncated time and a label (a hashtag, a topic).
struct GoldKey: Hashable, Codable, Sendable {
    var time: Int64
    var label: String
}

/// A silver row before it is written.
struct SilverTweet: Sendable {
    var id: Int64
    var createdAt: Int64?
    var text: String
    var hashtags: [String]
    /// Where the tweet's record was.
    var topic: String
    var partition: Int64
    var offset: Int64
    var row: [ParquetValue]

    init(tweet: Tweet, record: LakeRecord) {
        id = Int64(tweet.id) ?? 0
        createdAt = tweet.createdAt
        text = tweet.text
        hashtags = TweetEnrichment.hashtags(tweet.text)
        topic = record.topic
        partition = record.partition
        offset = record.offset
        row = [
            .int64(id), tweet.createdAt.map(ParquetValue.timestampMillis) ?? .null, .string(tweet.username ?? ""),
            .string(tweet.text), tweet.language.map(ParquetValue.string) ?? .null, .boolean(tweet.retweetOf != nil),
            .list(hashtags.map(ParquetValue.string)), .list(tweet.mentions.map(ParquetValue.string)),
            .list(tweet.urls.map(ParquetValue.string)), .list(TweetEnrichment.entities(tweet.text).map(ParquetValue.string)),
            .string(topic),
        ]
    }
}
