import StreamCore
import StreamTestSupport
import Testing
import TweetPipelines
import TwitterSource

/// The router (tutorial 002's sequel) through the library API, against PySpark 4.3's outputs.
@Suite("Tutorial 002's sequel: the tweet router")
struct TweetRouterTests {
    let rules = RoutingRules(
        terms: ["spark", "kafka", "stream", "python", "data"], domains: ["github.com", "apache.org", "confluent.io"])

    @Test func everyOutputMatchesSpark() async throws {
        let outputs = try await replayGoldenTweets { [rules] records, recorder in
            let router = try TweetRouter.outputs(of: records, rules: rules)
            try recorder.record(router.tally, as: "tally") { [$0.0, $0.1] }
            try recorder.record(router.routedIDs, as: "routed") { $0 }
            try recorder.record(router.termCounts, as: "term_counts", pair)
            try recorder.record(router.termTotals, as: "term_totals", pair)
            try recorder.record(router.routedWindow, as: "routed_window") { $0 }
        }
        let expected = try GoldenTweets.outputs(of: "tweet-router")
        #expect(expected.count == 5 * GoldenTweets.batches)
        #expect(difference(outputs, expected) == nil)
    }

    @Test(arguments: [
        ("https://github.com/apache/spark", true),
        ("http://www.apache.org/", true),
        ("https://kafka.apache.org/documentation", true),
        ("https://user:pw@WWW.Confluent.IO:443/blog", true),
        ("https://notgithub.com/x", false),
        ("https://github.com.evil.example/x", false),
        ("github.com/apache/spark", false),
        ("https://t.co/abc", false),
    ])
    func linksQualifyByHost(url: String, whitelisted: Bool) {
        #expect(rules.isWhitelisted(url) == whitelisted)
    }

    @Test func recordsStopAtTheFirstRuleTheyFail() {
        func stage(_ record: String) -> RoutingStage { rules.classify(record).stage }
        let user = #""user":{"screen_name":"ana"}"#
        #expect(stage(#"{"text":"trunc"#) == .malformed)
        #expect(stage(#"{"delete":{"status":{"id_str":"1"}}}"#) == .notATweet)
        #expect(stage(#"{"id_str":"1","text":"RT @bob: spark","# + user + "}") == .retweet)
        #expect(stage(#"{"id_str":"1","text":"nothing here","# + user + "}") == .noTerm)
        #expect(stage(#"{"id_str":"1","text":"Spark!","# + user + "}") == .noWhitelistedURL)
        let routed = rules.classify(
            #"{"id_str":"1","text":"Spark and Kafka","# + user
                + #","entities":{"urls":[{"expanded_url":"https://github.com/x"}]}}"#)
        #expect(routed.stage == .routed)
        #expect(routed.terms == ["spark", "kafka"])
    }
}
