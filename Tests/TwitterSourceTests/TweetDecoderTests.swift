import Foundation
import StreamCore
import Testing
@testable import TwitterSource

@Suite("Decoding stream lines")
struct TweetDecoderTests {
    @Test func aV2PostWithItsExpansions() throws {
        let line =
            #"{"data":{"id":"1790000000000000001","text":"Loving the #SwiftLang meetup with @alice_dev https://t.co/AbC123xyz","author_id":"2244994945","created_at":"2024-05-13T18:22:05.000Z","lang":"en","entities":{"hashtags":[{"start":11,"end":21,"tag":"SwiftLang"}],"mentions":[{"start":34,"end":44,"username":"alice_dev","id":"1111111111"}],"urls":[{"start":45,"end":67,"url":"https://t.co/AbC123xyz","expanded_url":"https://example.org/meetup","display_url":"example.org/meetup"}]},"public_metrics":{"retweet_count":0,"reply_count":0,"like_count":2,"quote_count":0},"geo":{"place_id":"5a110d312052166f","coordinates":{"type":"Point","coordinates":[-122.4194,37.7749]}}},"includes":{"users":[{"id":"2244994945","username":"swift_fan","name":"Swift Fan"}]},"matching_rules":[{"id":"1273026480692322304","tag":"swift"}]}"#
        guard case .tweet(let tweet) = TweetDecoder.decode(line) else { Issue.record("not a post"); return }
        #expect(tweet.username == "swift_fan")
        #expect(tweet.hashtags == ["SwiftLang"])
        #expect(tweet.mentions == ["alice_dev"])
        #expect(tweet.urls == ["https://example.org/meetup"])
        #expect(tweet.createdAt == 1_715_624_525_000)
        #expect(tweet.coordinates == Tweet.Coordinates(longitude: -122.4194, latitude: 37.7749))
        #expect(tweet.matchingRules == [Tweet.MatchingRule(id: "1273026480692322304", tag: "swift")])
        #expect(!tweet.isRetweet)
    }

    @Test func anArchivedV1StatusUsesTheExtendedText() throws {
        let line =
            #"{"created_at":"Mon May 13 18:22:05 +0000 2024","id_str":"1790000000000000001","text":"Loving the #SwiftLang meetup … https://t.co/Zz9","truncated":true,"extended_tweet":{"full_text":"Loving the #SwiftLang meetup with @alice_dev and more #iOS","entities":{"hashtags":[{"text":"SwiftLang","indices":[11,21]},{"text":"iOS","indices":[53,57]}]}},"user":{"id_str":"2244994945","name":"Swift Fan","screen_name":"swift_fan"},"entities":{"hashtags":[{"text":"SwiftLang","indices":[11,21]}],"user_mentions":[],"urls":[]},"lang":"en","timestamp_ms":"1715624525000"}"#
        guard case .tweet(let tweet) = TweetDecoder.decode(line) else { Issue.record("not a post"); return }
        #expect(tweet.text == "Loving the #SwiftLang meetup with @alice_dev and more #iOS")
        #expect(tweet.hashtags == ["SwiftLang", "iOS"])
        #expect(tweet.username == "swift_fan")
        #expect(tweet.createdAt == 1_715_624_525_000)
        #expect(tweet.format == .v1)
    }

    /// `twitter-to-kafka --value json` writes decoded posts; a consumer reads them back whole.
    @Test func aDecodedPostWrittenAsJSONIsReadBackAsItWas() throws {
        let line =
            ##"{"data":{"id":"1790000000000000001","text":"#Swift and data","author_id":"7","created_at":"2024-05-13T18:22:05.000Z","entities":{"hashtags":[{"start":0,"end":6,"tag":"Swift"}]}},"includes":{"users":[{"id":"7","username":"swift_fan"}]}}"##
        guard case .tweet(let tweet) = TweetDecoder.decode(line) else { Issue.record("not a post"); return }
        let written = String(decoding: try JSONEncoder().encode(tweet), as: UTF8.self)
        #expect(try Tweet(record: written) == tweet)
        var anonymous = tweet
        anonymous.username = nil
        let withoutAuthor = String(decoding: try JSONEncoder().encode(anonymous), as: UTF8.self)
        #expect(throws: RecordRejection.self) { try Tweet(record: withoutAuthor) }
    }

    @Test func v1DatesWithoutTimestampsAreParsed() {
        #expect(Timestamps.v1("Mon May 13 18:22:05 +0000 2024") == 1_715_624_525_000)
        #expect(Timestamps.v1("Mon May 13 20:22:05 +0200 2024") == 1_715_624_525_000)
    }

    @Test func retweetsNoteTweetsAndEverythingElse() {
        let retweet =
            #"{"data":{"id":"2","text":"RT @a: short","note_tweet":{"text":"the long text"},"referenced_tweets":[{"type":"retweeted","id":"1"}]}}"#
        guard case .tweet(let tweet) = TweetDecoder.decode(retweet) else { Issue.record("not a post"); return }
        #expect(tweet.retweetOf == "1")
        #expect(tweet.text == "the long text")

        let disconnect =
            #"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"bye","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}"#
        guard case .disconnect(let type, _) = TweetDecoder.decode(disconnect) else { Issue.record("not a disconnect"); return }
        #expect(type == "UpstreamOperationalDisconnect")

        guard case .notice(let kind, _) = TweetDecoder.decode(#"{"delete":{"status":{"id_str":"1"}}}"#) else {
            Issue.record("not a notice"); return
        }
        #expect(kind == "delete")
        guard case .keepAlive = TweetDecoder.decode("") else { Issue.record("not a keep-alive"); return }
        guard case .malformed = TweetDecoder.decode(#"{"data":{"id":"1","text":"trunc"#) else {
            Issue.record("not malformed"); return
        }
        guard case .malformed = TweetDecoder.decode(#"{"something":"else"}"#) else { Issue.record("not malformed"); return }
    }

    @Test func backoffFollowsTheDocumentedSchedule() {
        var backoff = ReconnectBackoff(policy: BackoffPolicy())
        #expect(
            (1...3).map { _ in backoff.delay(after: .network) } == [.milliseconds(250), .milliseconds(500), .milliseconds(750)])
        #expect((1...8).map { _ in backoff.delay(after: .http) }.last == .seconds(320))
        #expect(
            (1...6).map { _ in backoff.delay(after: .rateLimited) } == [
                .seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(900), .seconds(900),
            ])
        backoff.reset()
        #expect(backoff.delay(after: .network) == .milliseconds(250))
        var capped = ReconnectBackoff(policy: BackoffPolicy())
        #expect((1...100).map { _ in capped.delay(after: .network) }.last == .seconds(16))
    }
}
