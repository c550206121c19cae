import Foundation
import StreamCore

extension DStream where Element == String {
    /// The tweets among JSON records, e.g. the values of a Kafka topic that a producer fills
    /// from the X stream (tutorial 002's `json.loads` step).
    ///
    /// A record is a tweet when it decodes (X API v2 or v1.1, see `TweetDecoder`) to a post
    /// with an author handle: v1.1 `user.screen_name`, v2 `includes.users` (the stream's
    /// `expansions=author_id`). Every other record is counted per batch in
    /// `BatchInfo.refusedRecords["tweets"]` as `"malformed"` (not JSON, or empty) or
    /// `"not_a_tweet"` (delete and limit notices, other JSON), and handed to `deadLetter` with
    /// the reason; the pipeline goes on. Decoded once per batch, however many streams use it.
    /// - Parameter deadLetter: receives each batch's refused records (raw text and reason);
    ///   without one, a warning per batch reports them.
    public func tweets(
        deadLetter: (@Sendable (_ rejected: [UnparsedRecord<String>], _ time: BatchTime) throws -> Void)? = nil
    ) -> DStream<Tweet> {
        parse("tweets", deadLetter: deadLetter, Tweet.init(record:))
    }
}

extension Tweet {
    /// Decodes a record that should hold one tweet as JSON: an X API v2 message, a v1.1
    /// status, or a `Tweet` as `JSONEncoder` writes it (`twitter-to-kafka --value json`).
    /// - Throws: `RecordRejection` of kind `"malformed"` or `"not_a_tweet"`.
    public init(record: String) throws(RecordRejection) {
        guard let json = JSON.parse(record) else {
            throw RecordRejection(kind: "malformed", reason: record.isEmpty ? "empty record" : "not valid JSON")
        }
        if json["format"]?.string != nil, json["id"]?.string != nil, json["user"] == nil,
            let tweet = try? JSONDecoder().decode(Tweet.self, from: Data(record.utf8))
        {
            guard tweet.username != nil else {
                throw RecordRejection(kind: "not_a_tweet", reason: "a post without its author's handle")
            }
            self = tweet
            return
        }
        switch TweetDecoder.decode(json: json) {
        case .tweet(let tweet) where tweet.username != nil:
            self = tweet
        case .tweet:
            throw RecordRejection(
                kind: "not_a_tweet", reason: "a post without its author's handle (v2: request expansions=author_id)")
        case .notice(let kind, _), .disconnect(let kind, _):
            throw RecordRejection(kind: "not_a_tweet", reason: "a '\(kind)' message")
        case .malformed(let reason):
            throw RecordRejection(kind: "not_a_tweet", reason: reason)
        case .keepAlive:
            throw RecordRejection(kind: "malformed", reason: "empty record")
        }
    }
}
