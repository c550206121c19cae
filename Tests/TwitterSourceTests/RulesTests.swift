import Testing
import TwitterEmulator
import TwitterSource

@Suite("Stream rules", .timeLimit(.minutes(1)))
struct RulesTests {
    @Test func syncMakesTheServerRulesEqualTheWantedOnes() throws {
        let emulator = try startEmulator()
        defer { emulator.stop() }
        let rules = StreamRulesClient(clientConfiguration(emulator, endpoint: .filtered))

        let first = try rules.sync([.track(["swift", "spark"], tag: "tech"), StreamRule("#AI lang:en", tag: "ai")])
        #expect(first.added.count == 2)

        let second = try rules.sync([StreamRule("#AI lang:en", tag: "ai"), .follow(["2244994945"], tag: "fan")])
        #expect(second.kept.map(\.value) == ["#AI lang:en"])
        #expect(second.deleted.map(\.value) == ["swift OR spark"])
        #expect(second.added.map(\.value) == ["from:2244994945"])
        #expect(Set(try rules.rules().map(\.value)) == ["#AI lang:en", "from:2244994945"])
    }

    @Test func invalidRulesAreErrorsAndChangeNothing() throws {
        let emulator = try startEmulator()
        defer { emulator.stop() }
        let rules = StreamRulesClient(clientConfiguration(emulator, endpoint: .filtered))
        try rules.sync([StreamRule("kept")])

        let error = #expect(throws: TwitterStreamError.self) { try rules.sync([StreamRule("(unbalanced")]) }
        #expect(error?.description.contains("invalid-rules") == true)
        #expect(try rules.rules().map(\.value) == ["kept"])
    }

    @Test func duplicatesAreReported() throws {
        let emulator = try startEmulator()
        defer { emulator.stop() }
        let rules = StreamRulesClient(clientConfiguration(emulator, endpoint: .filtered))
        try rules.add([StreamRule("cats")])
        let error = #expect(throws: TwitterStreamError.self) { try rules.add([StreamRule("cats")]) }
        #expect(error?.description.contains("duplicate-rules") == true)
    }

    @Test func v1StyleOptionsBecomeV2Rules() {
        #expect(StreamRule.track(["swift", "big data"]).value == #"swift OR "big data""#)
        #expect(StreamRule.locations([(-122.75, 36.8, -121.75, 37.8)]).value == "bounding_box:[-122.75 36.8 -121.75 37.8]")
    }

    @Test func aLocationRuleMatchesWhatTheEmulatorCannotCheck() async throws {
        let emulator = try startEmulator(posts: 10)
        defer { emulator.stop() }
        let configuration = clientConfiguration(emulator, endpoint: .filtered)
        try StreamRulesClient(configuration).sync([.locations([(-122.75, 36.8, -121.75, 37.8)], tag: "sf")])
        let tweets = try await firstBatch(of: TwitterStreamSource(configuration), after: 10)
        #expect(tweets.count == 10)
    }

    @Test func theFilteredStreamDeliversMatchingPostsWithTheirRuleTags() async throws {
        let emulator = try startEmulator(posts: 400)
        defer { emulator.stop() }
        let configuration = clientConfiguration(emulator, endpoint: .filtered)
        try StreamRulesClient(configuration).sync([.track(["Machine Learning", "Big Data"], tag: "data")])
        let tweets = try await firstBatch(of: TwitterStreamSource(configuration), after: 5)
        #expect(!tweets.isEmpty)
        #expect(tweets.allSatisfy { $0.text.contains("Machine Learning") || $0.text.contains("Big Data") })
        #expect(tweets.allSatisfy { $0.matchingRules.map(\.tag) == ["data"] })
    }
}
