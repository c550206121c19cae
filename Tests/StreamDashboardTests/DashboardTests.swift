import Foundation
import StreamCore
@testable import StreamDashboard
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Publishing a pipeline to a dashboard: charts follow each batch, pages that fall behind are
/// dropped instead of slowing the pipeline, and the server answers over real HTTP.
@Suite("Dashboard")
struct DashboardTests {
    @Test func aPipelinePublishesBarsATimelineTextAndAView() async throws {
        let dashboard = try Dashboard(title: "Words")
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        let words = context.stream(from: QueueSource([["b", "a", "b"], ["c"]])).map { Word($0) }
        let counts = words.countByValue().sortedByValueDescending()
        try counts.publish(to: dashboard, as: .bars("Word counts"))
        try counts.createOrReplaceTempView("words", in: dashboard, columns: ("word", "count"))
        try words.count().publish(to: dashboard, as: .timeline("Words per batch"))
        try words.publish(to: dashboard, as: .text("Latest words")) { "<b>\($0.text)</b>" }
        try context.start()
        await clock.advance(by: .seconds(1))

        let snapshot = dashboard.hub.snapshot
        #expect(
            snapshot.contains(
                #"{"id":"word-counts","title":"Word counts","kind":"bars","batch":1,"time":1000,"data":[["b",2],["a",1]]}"#))
        #expect(
            snapshot.contains(
                #""id":"words-per-batch","title":"Words per batch","kind":"timeline","batch":1,"time":1000,"data":[[1000,3]]"#))
        #expect(
            snapshot.contains(
                #""data":["\u003cb\u003eb\u003c/b\u003e","\u003cb\u003ea\u003c/b\u003e","\u003cb\u003eb\u003c/b\u003e"]"#),
            "text is JSON-escaped so it stays inert")
        #expect(
            try dashboard.views.query("SELECT word, count FROM words ORDER BY word").rows
                == [[.text("a"), .integer(1)], [.text("b"), .integer(2)]])

        await clock.advance(by: .seconds(1))
        #expect(dashboard.hub.snapshot.contains(#""data":[[1000,3],[2000,1]]"#), "a timeline keeps its points")
        #expect(try dashboard.views.query("SELECT word FROM words").rows == [[.text("c")]])
        await context.stop(gracefully: false)
    }

    @Test func aNewPageStartsFromEveryPanelAndAPageThatFallsBehindIsDropped() async throws {
        let hub = EventHub(queueLimit: 4)
        let chart = Chart.bars("Top")
        hub.update(chart) { $0.bars = [("a", 1)] }

        var reader = hub.connect().makeAsyncIterator()
        let stalled = hub.connect()  // never read
        #expect(await reader.next()?.contains(#"[["a",1]]"#) == true, "the panel as it is now comes first")

        for value in 2...5 { hub.update(chart) { $0.bars = [("a", Double(value))] } }
        #expect(hub.counts.clients == 1)
        #expect(hub.counts.droppedClients == 1, "the page that never read is disconnected and counted")
        for value in 2...5 { #expect(await reader.next()?.contains(#"[["a",\#(value)]]"#) == true) }
        withExtendedLifetime(stalled) {}
    }

    @Test func theServerAnswersOverHTTPAndRefusesWrites() async throws {
        let dashboard = try Dashboard(title: "HTTP")
        try dashboard.views.replace(
            view: "tweets", columns: [.init("tag", .text), .init("count", .integer)],
            rows: [[.text("#spark"), .integer(3)]])
        let url = try await dashboard.start()
        #expect(url.host == "127.0.0.1")

        func get(_ path: String) async throws -> (Int, String) {
            let (data, response) = try await URLSession.shared.data(from: URL(string: path, relativeTo: url)!)
            return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
        }
        let (pageStatus, page) = try await get("/")
        #expect(pageStatus == 200 && page.contains("<script src=\"/dashboard.js\"></script>"))
        #expect(try await get("/health").1.contains(#""status":"ok""#))
        #expect(
            try await get("/api/sql?q=SELECT%20tag,%20count%20FROM%20tweets") == (
                200, ##"{"columns":["tag","count"],"rows":[["#spark",3]],"truncated":false}"##
            ))
        #expect(try await get("/api/sql?q=DROP%20TABLE%20tweets").0 == 400)
        #expect(try await get("/api/sql?q=SELECT%20count(*)%20FROM%20tweets").1.contains("[[1]]"))
        await dashboard.stop()
    }
}
