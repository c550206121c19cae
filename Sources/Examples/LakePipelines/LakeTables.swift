import Parquet

/// The lake's tables: where they live under the lake's root, and their columns.
public enum LakeTables {
    /// Every record as it came: partitioned by topic and (UTC) date of its Kafka timestamp.
    public static let bronze = (
        path: "bronze/tweets",
        schema: ParquetSchema([
            .init("topic", .string), .init("date", .string), .init("partition", .int64), .init("offset", .int64),
            .init("timestamp", .timestampMillis), .init("value", .string),
        ]), partitions: ["topic", "date"]
    )

    /// One row per distinct tweet id, cleansed and enriched.
    public static let silver = (
        path: "silver/tweets",
        schema: ParquetSchema([
            .init("id", .int64), .init("created_at", .timestampMillis, optional: true), .init("author", .string),
            .init("text", .string), .init("lang", .string, optional: true), .init("is_retweet", .boolean),
            .init("hashtags", .list(.string)), .init("mentions", .list(.string)), .init("urls", .list(.string)),
            .init("entities", .list(.string)), .init("topic", .string),
        ]), partitions: [String]()
    )

    /// Hashtags per hour of `created_at` since the start (complete mode: replaced each batch).
    public static let hashtagCounts = (
        path: "gold/hashtag_counts",
        schema: ParquetSchema([
            .init("hour", .timestampMillis), .init("hashtag", .string), .init("count", .int64),
        ]), partitions: [String]()
    )

    /// Mean VADER compound score and tweets per hour of `created_at` and topic since the start (complete mode).
    public static let sentimentPerHour = (
        path: "gold/sentiment_per_hour",
        schema: ParquetSchema([
            .init("hour", .timestampMillis), .init("topic", .string), .init("tweets", .int64), .init("mean_compound", .double),
        ]), partitions: [String]()
    )

    /// Tweets per minute of `created_at` and topic since the start (complete mode).
    public static let tweetsPerMinute = (
        path: "gold/tweets_per_minute",
        schema: ParquetSchema([
            .init("minute", .timestampMillis), .init("topic", .string), .init("count", .int64),
        ]), partitions: [String]()
    )
}
